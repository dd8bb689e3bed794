/**
 * `recsys evaluate`, `recsys recommend` and `recsys algorithms`, run in-process on MovieLens 100K
 * (from the mirror into a temp cache): the JSON contract, protocol semantics visible in the
 * output, and the errors that list valid choices.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MIRROR } from "../datasets";
import { CliIO, main } from "../../lib/cli/main";

const DATA = fs.mkdtempSync(path.join(os.tmpdir(), "recsys-cli-eval-"));
process.on("exit", () => fs.rmSync(DATA, { recursive: true, force: true }));
if (MIRROR) process.env.RECSYS_DATA_MIRROR = MIRROR;
process.env.RECSYS_DATA_DIR = DATA;

async function recsys(...argv: string[]) {
  const io = { stdout: "", stderr: "", out: (s: string) => void (io.stdout += s), err: (s: string) => void (io.stderr += s) };
  const code = await main(argv, io as CliIO);
  return { code, ...io };
}

test("evaluate --json: the documented keys; a ranker has no RMSE/MAE", async () => {
  const r = await recsys("evaluate", "--dataset", "ml-100k", "--algo", "popularity", "--json");
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out), ["dataset", "algorithm", "params", "protocol", "metrics", "seconds"]);
  assert.equal(out.dataset, "ml-100k");
  assert.equal(out.algorithm, "popularity");
  assert.equal(out.protocol, "course");
  for (const k of ["hr", "chr", "arhr", "coverage", "diversity", "novelty"]) {
    assert.equal(typeof out.metrics[k], "number", `metrics.${k}`);
  }
  assert.ok(!("rmse" in out.metrics) && !("mae" in out.metrics), "a pure ranker must omit rmse/mae");
  assert.ok(out.metrics.hr > 0 && out.metrics.hr < 1);
  assert.ok(out.metrics.arhr <= out.metrics.hr);
  assert.ok(out.seconds.fit >= 0 && out.seconds.total >= out.seconds.fit);
});

test("evaluate: a rating predictor reports RMSE/MAE; the same seed gives the same numbers", async () => {
  const args = ["evaluate", "--dataset", "ml-100k", "--algo", "random", "--protocol", "holdout", "--seed", "7", "--json"];
  const a = JSON.parse((await recsys(...args)).stdout);
  const b = JSON.parse((await recsys(...args)).stdout);
  assert.ok(a.metrics.rmse > 1.3 && a.metrics.rmse < 1.7, `random RMSE ${a.metrics.rmse}`);
  assert.ok(a.metrics.mae < a.metrics.rmse);
  assert.deepEqual(a.metrics, b.metrics);
  assert.equal(a.params.seed, 7, "--seed also seeds an algorithm that takes a seed");
  const c = JSON.parse((await recsys("evaluate", "--dataset", "ml-100k", "--algo", "random", "--protocol", "holdout", "--seed", "8", "--json")).stdout);
  assert.notEqual(c.metrics.rmse, a.metrics.rmse);
});

test("evaluate --protocol kfold: means with std beside them", async () => {
  const r = await recsys("evaluate", "--dataset", "ml-100k", "--algo", "random", "--protocol", "kfold", "--folds", "3", "--json");
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.protocol, "kfold");
  assert.equal(typeof out.std.rmse, "number");
  assert.ok(out.std.rmse > 0 && out.std.rmse < 0.05);
});

test("--param: comma-separated and repeated pairs reach the algorithm", async () => {
  const r = await recsys("evaluate", "--dataset", "ml-100k", "--algo", "itemsim", "--param", "minRating=4", "--param", "storage=dense", "--protocol", "loo", "--json");
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).params, { minRating: 4, storage: "dense" });
});

test("unknown algorithm, parameter, protocol or user: non-zero exit and the valid choices", async () => {
  let r = await recsys("evaluate", "--dataset", "ml-100k", "--algo", "nope");
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown algorithm "nope"; valid ids: .*popularity/);
  r = await recsys("evaluate", "--dataset", "ml-100k", "--algo", "itemsim", "--param", "k=3");
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown parameter "k" for algorithm itemsim; valid parameters: minRating/);
  r = await recsys("evaluate", "--dataset", "ml-100k", "--algo", "random", "--protocol", "best");
  assert.equal(r.code, 2);
  assert.match(r.stderr, /valid protocols: course, holdout, loo, kfold, temporal, temporal-loo/);
  r = await recsys("recommend", "--dataset", "ml-100k", "--algo", "popularity", "--user", "99999");
  assert.equal(r.code, 1);
  assert.match(r.stderr, /unknown user id "99999" in ml-100k/);
});

test("recommend prints titles and scores, best first, none the user has seen", async () => {
  const r = await recsys("recommend", "--dataset", "ml-100k", "--algo", "popularity", "--user", "1", "--n", "5", "--json");
  assert.equal(r.code, 0, r.stderr);
  const recs = JSON.parse(r.stdout).recommendations as { rank: number; title: string; score: number; item: string }[];
  assert.equal(recs.length, 5);
  assert.deepEqual(recs.map((x) => x.rank), [1, 2, 3, 4, 5]);
  for (let k = 1; k < recs.length; k++) assert.ok(recs[k - 1].score >= recs[k].score);
  // user 1 rated Star Wars (item 50), the most popular movie: it must not be recommended
  assert.ok(!recs.some((x) => x.item === "50"));
  const text = await recsys("recommend", "--dataset", "ml-100k", "--algo", "popularity", "--user", "1", "--n", "3");
  assert.match(text.stdout, /rank\s+title\s+score/);
  const list = await recsys("algorithms");
  assert.match(list.stdout, /itemsim/);
});

test("tune: every grid combination scored on the same folds; the best has the lowest RMSE", async () => {
  const r = await recsys("tune", "--dataset", "ml-100k", "--algo", "svd", "--grid", "n_factors=5,20", "--grid", "n_epochs=2,10", "--folds", "2", "--json");
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { results: { params: Record<string, string>; rmse: number }[]; best: { rmse: number; params: Record<string, string> } };
  assert.equal(out.results.length, 4);
  assert.deepEqual(out.results.map((x) => `${x.params.n_factors}/${x.params.n_epochs}`), ["5/2", "5/10", "20/2", "20/10"]);
  assert.equal(out.best.rmse, Math.min(...out.results.map((x) => x.rmse)));
  // more epochs fit better at this size
  assert.ok(out.results[1].rmse < out.results[0].rmse);
  const bad = await recsys("tune", "--dataset", "ml-100k", "--algo", "svd", "--grid", "n_factorz=5,20");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown parameter "n_factorz" for algorithm svd; valid parameters: nFactors/);
});

test("evaluate --filter-outliers 3: a preprocessing record, the counts add up, stderr says what was removed", async () => {
  const r = await recsys("evaluate", "--dataset", "ml-100k", "--algo", "popularity", "--protocol", "loo", "--filter-outliers", "3", "--json");
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out), ["dataset", "algorithm", "params", "protocol", "preprocessing", "metrics", "seconds"]);
  const p = out.preprocessing;
  // ml-100k: 943 users, mean 106.04 ratings, population std 100.88 → 13 users above 408.7 ratings
  assert.equal(p.outliers.k, 3);
  assert.equal(p.outliers.removedUsers, 13);
  assert.equal(p.users, 943 - 13);
  assert.equal(p.ratings + p.outliers.removedRatings, 100000);
  assert.ok(Math.abs(p.outliers.high - (p.outliers.mean + 3 * p.outliers.std)) < 1e-9);
  assert.match(r.stderr, /filter-outliers 3: .*removed 13 users and \d+ ratings, \d+ ratings of 930 users remain/);
  const bad = await recsys("evaluate", "--dataset", "ml-100k", "--algo", "popularity", "--filter-outliers", "0");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--filter-outliers must be a number of standard deviations > 0/);
});

test("--stoplist: blocked items are reported and never recommended; blank terms are usage errors", async () => {
  // popularity's top-1 for user 3 of ml-100k is Star Wars (1977)
  const plain = JSON.parse((await recsys("recommend", "--dataset", "ml-100k", "--algo", "popularity", "--user", "3", "--n", "1", "--json")).stdout);
  assert.equal(plain.recommendations[0].item, "50");
  const r = await recsys("recommend", "--dataset", "ml-100k", "--algo", "popularity", "--user", "3", "--n", "3", "--stoplist", "STAR WARS", "--json");
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.preprocessing.stoplist.blocked, [{ item: "50", title: "Star Wars (1977)", term: "star wars", ratings: 583 }]);
  assert.equal(out.preprocessing.ratings, 100000 - 583);
  // the next most popular unseen items move up: Fargo, The English Patient, Toy Story
  assert.deepEqual(out.recommendations.map((x: { item: string }) => x.item), ["100", "286", "1"]);
  const ev = await recsys("evaluate", "--dataset", "ml-100k", "--algo", "popularity", "--protocol", "loo", "--stoplist", "star wars,fargo", "--json");
  assert.equal(ev.code, 0, ev.stderr);
  assert.deepEqual(JSON.parse(ev.stdout).preprocessing.stoplist.blocked.map((b: { item: string }) => b.item), ["50", "100"]);
  const bad = await recsys("evaluate", "--dataset", "ml-100k", "--algo", "popularity", "--stoplist", "sex,,drug");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--stoplist: .*term 2 of 3 is blank/);
});

test("evaluate --protocol temporal / temporal-loo: the future is the test set", async () => {
  const t = await recsys("evaluate", "--dataset", "ml-100k", "--algo", "popularity", "--protocol", "temporal", "--json");
  assert.equal(t.code, 0, t.stderr);
  const out = JSON.parse(t.stdout);
  assert.equal(out.protocol, "temporal");
  assert.ok(out.metrics.precision > 0 && out.metrics.precision < 1);
  const loo = await recsys("evaluate", "--dataset", "ml-100k", "--algo", "popularity", "--protocol", "temporal-loo");
  assert.equal(loo.code, 0, loo.stderr);
  assert.match(loo.stdout, /^temporal-loo protocol on ml-100k/);
  assert.match((await recsys("evaluate", "--help")).stdout, /temporal-loo/);
});

test("evaluate --algo hybrid: a weighted average is at least as accurate as its parts on average; bad specs are usage errors", async () => {
  const rmse = async (algo: string, ...params: string[]) => {
    const r = await recsys("evaluate", "--dataset", "ml-100k", "--algo", algo, ...params.flatMap((p) => ["--param", p]), "--protocol", "holdout", "--sample-users", "5", "--json", "--quiet");
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout).metrics.rmse as number;
  };
  const a = await rmse("baseline");
  const b = await rmse("svd");
  const h = await rmse("hybrid", "algos=baseline:1+svd:1");
  // Minkowski: ‖(e_a + e_b)/2‖ ≤ (‖e_a‖ + ‖e_b‖)/2, and blending two different models helps here
  assert.ok(h <= (a + b) / 2 + 1e-12, `hybrid ${h} vs parts ${a}, ${b}`);
  assert.ok(h < Math.min(a, b), `hybrid ${h} beats both parts ${a}, ${b}`);
  const bad = await recsys("evaluate", "--dataset", "ml-100k", "--algo", "hybrid", "--param", "algos=svd:1+nope:1");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown algorithm "nope"; valid ids: .*svd/);
  const neg = await recsys("evaluate", "--dataset", "ml-100k", "--algo", "hybrid", "--param", "algos=svd:-1+baseline:1");
  assert.notEqual(neg.code, 0);
  assert.match(neg.stderr, /weight/);
});
