import { test } from "node:test";
import assert from "node:assert/strict";
import { RatingDataset, fromTriples } from "../../lib/data/dataset";
import { syntheticRatings } from "../../lib/data/synthetic";
import { topNByPrediction } from "../../lib/model/recommender";
import { PMF, SVD, VisitOrder, sgdEpoch } from "../../lib/mf/svd";
import { evaluateRatings } from "../../lib/mf/crossval";
import { Rng } from "../../lib/random";
import { SVDpp } from "../../lib/mf/svdpp";
import { ALS } from "../../lib/mf/als";
import { NMF } from "../../lib/mf/nmf";
import { ALS_PARAMS, NMF_PARAMS, PMF_PARAMS, SVDPP_PARAMS, SVD_PARAMS } from "../../lib/mf/schemas";

const close = (a: number, b: number, tol = 1e-12, what = ""): void =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} ≠ ${b} (tolerance ${tol})`);

function triples(rows: [string, string, number][], scale: [number, number] = [1, 5]): RatingDataset {
  return fromTriples(
    "test",
    rows.map((r) => r[0]),
    rows.map((r) => r[1]),
    Float32Array.from(rows.map((r) => r[2])),
    { ratingScale: scale },
  );
}

const synth = syntheticRatings({ users: 60, items: 50, ratings: 1200, seed: 3 });

test("SVD: one epoch over two ratings matches the SGD rule computed by hand", () => {
  // user u rated a = 5 and b = 3 → μ = 4. k = 1, every factor starts at 0.5 (initStdDev 0).
  const data = triples([
    ["u", "a", 5],
    ["u", "b", 3],
  ]);
  const m = new SVD({
    nFactors: 1,
    nEpochs: 1,
    initMean: 0.5,
    initStdDev: 0,
    order: "fixed", // grouped by user, each user's ratings by item: a then b
    lrBu: 0.1,
    lrBi: 0.2,
    lrPu: 0.3,
    lrQi: 0.4,
    regBu: 0.5,
    regBi: 0.3,
    regPu: 0.1,
    regQi: 0.2,
  }).fit(data);
  // rating (u, a, 5): r̂ = 4 + 0 + 0 + 0.5·0.5 = 4.25, e = 0.75
  //   b_u = 0 + 0.1 (0.75 − 0.5·0)            = 0.075
  //   b_a = 0 + 0.2 (0.75 − 0.3·0)            = 0.15
  //   p_u = 0.5 + 0.3 (0.75·0.5 − 0.1·0.5)    = 0.5975
  //   q_a = 0.5 + 0.4 (0.75·0.5 − 0.2·0.5)    = 0.61        (with the OLD p_u = 0.5)
  // rating (u, b, 3): r̂ = 4 + 0.075 + 0 + 0.5975·0.5 = 4.37375, e = −1.37375
  //   b_u = 0.075 + 0.1 (−1.37375 − 0.5·0.075)             = −0.066125
  //   b_b = 0 + 0.2 (−1.37375 − 0)                          = −0.27475
  //   p_u = 0.5975 + 0.3 (−1.37375·0.5 − 0.1·0.5975)       = 0.3735125
  //   q_b = 0.5 + 0.4 (−1.37375·0.5975 − 0.2·0.5)          = 0.13167375   (OLD p_u = 0.5975)
  const p = m.parameters();
  const a = data.innerItem("a");
  const b = data.innerItem("b");
  close(p.mu, 4, 1e-12, "μ");
  close(p.bu[0], -0.066125, 1e-12, "b_u");
  close(p.bi[a], 0.15, 1e-12, "b_a");
  close(p.bi[b], -0.27475, 1e-12, "b_b");
  close(p.userFactors[0], 0.3735125, 1e-12, "p_u");
  close(p.itemFactors[a], 0.61, 1e-12, "q_a");
  close(p.itemFactors[b], 0.13167375, 1e-12, "q_b");
  // running RMSE of the epoch: errors 0.75 and −1.37375
  close(m.epochRmse[0], Math.sqrt((0.75 ** 2 + 1.37375 ** 2) / 2), 1e-12, "epoch RMSE");
  // prediction = μ + b_u + b_i + p_u q_i
  close(m.predict(0, a).value, 4 - 0.066125 + 0.15 + 0.3735125 * 0.61, 1e-12, "r̂_ua");
});

test("sgdEpoch (fused, unrolled) equals a plain two-loop SGD on random data and odd k", () => {
  for (const k of [1, 3, 4, 7, 10]) {
    const data = synth;
    const rng = new Rng(k);
    const nU = data.nUsers;
    const W = Float64Array.from({ length: (nU + data.nItems) * k }, () => rng.normal(0, 0.1));
    const bu = Float64Array.from({ length: nU }, () => rng.normal(0, 0.1));
    const bi = Float64Array.from({ length: data.nItems }, () => rng.normal(0, 0.1));
    const order = rng.permutation(data.nRatings) as Int32Array;
    const rates = { lrBu: 0.01, lrBi: 0.02, lrPu: 0.03, lrQi: 0.04, regBu: 0.05, regBi: 0.06, regPu: 0.07, regQi: 0.08 };
    const W2 = W.slice();
    const bu2 = bu.slice();
    const bi2 = bi.slice();
    const sse = sgdEpoch(data.users, data.items, data.ratings, order, W, nU * k, bu, bi, 3.5, k, true, rates);
    // reference: the textbook loop
    let sse2 = 0;
    for (const x of order) {
      const u = data.users[x];
      const i = data.items[x];
      const P = (f: number): number => u * k + f;
      const Q = (f: number): number => nU * k + i * k + f;
      let dot = 0;
      for (let f = 0; f < k; f++) dot += W2[P(f)] * W2[Q(f)];
      const e = data.ratings[x] - (3.5 + bu2[u] + bi2[i] + dot);
      sse2 += e * e;
      bu2[u] += rates.lrBu * (e - rates.regBu * bu2[u]);
      bi2[i] += rates.lrBi * (e - rates.regBi * bi2[i]);
      for (let f = 0; f < k; f++) {
        const pf = W2[P(f)];
        const qf = W2[Q(f)];
        W2[P(f)] += rates.lrPu * (e * qf - rates.regPu * pf);
        W2[Q(f)] += rates.lrQi * (e * pf - rates.regQi * qf);
      }
    }
    close(sse, sse2, 1e-9, `k=${k} sse`);
    for (let x = 0; x < W.length; x++) close(W[x], W2[x], 1e-9, `k=${k} W[${x}]`);
    for (let u = 0; u < nU; u++) close(bu[u], bu2[u], 1e-9, `k=${k} bu`);
  }
});

test("PMF recovers a complete rank-1 matrix", () => {
  const a = [1, 1.5, 2];
  const b = [1, 2, 2.5];
  const rows: [string, string, number][] = [];
  a.forEach((x, u) => b.forEach((y, i) => rows.push([`u${u}`, `i${i}`, x * y])));
  const data = triples(rows);
  const m = new PMF({ nFactors: 1, nEpochs: 3000, lrAll: 0.01, regAll: 0, initMean: 1, initStdDev: 0.1, seed: 2 }).fit(data);
  assert.equal(m.id, "pmf");
  for (let x = 0; x < data.nRatings; x++) {
    close(m.predict(data.users[x], data.items[x]).value, data.ratings[x], 1e-3, `rating ${x}`);
  }
  assert.ok(m.epochRmse[m.epochRmse.length - 1] < 1e-4);
});

test("SVD: training RMSE decreases with more epochs; the running RMSE falls", () => {
  const rmse = [1, 3, 10, 30].map((nEpochs) => evaluateRatings(new SVD({ nFactors: 10, nEpochs }).fit(synth), synth).rmse);
  for (let t = 1; t < rmse.length; t++) assert.ok(rmse[t] < rmse[t - 1], `RMSE ${rmse.join(", ")} should decrease`);
  const m = new SVD({ nFactors: 10, nEpochs: 30 }).fit(synth);
  assert.equal(m.epochRmse.length, 30);
  for (let t = 1; t < 30; t++) assert.ok(m.epochRmse[t] < m.epochRmse[t - 1], `epoch ${t}`);
});

test("SVD/PMF: same seed → identical predictions, different seed → different", () => {
  for (const make of [(seed: number) => new SVD({ nFactors: 8, nEpochs: 5, seed }), (seed: number) => new PMF({ nFactors: 8, nEpochs: 40, seed })]) {
    const a = make(11).fit(synth);
    const b = make(11).fit(synth);
    const c = make(12).fit(synth);
    let differ = 0;
    for (let u = 0; u < synth.nUsers; u += 7) {
      for (let i = 0; i < synth.nItems; i += 3) {
        assert.equal(a.predict(u, i).value, b.predict(u, i).value);
        if (a.predict(u, i).value !== c.predict(u, i).value) differ++;
      }
    }
    assert.ok(differ > 0, "a different seed changes predictions");
    assert.deepEqual(a.parameters().itemFactors, b.parameters().itemFactors);
  }
  // every order is deterministic, and the orders differ
  const runs = (["fixed", "user-blocks", "shuffle"] as const).map((order) => [
    new SVD({ nFactors: 4, nEpochs: 3, order }).fit(synth).epochRmse,
    new SVD({ nFactors: 4, nEpochs: 3, order }).fit(synth).epochRmse,
  ]);
  for (const [x, y] of runs) assert.deepEqual(x, y);
  assert.notDeepEqual(runs[0][0], runs[1][0]);
  assert.notDeepEqual(runs[1][0], runs[2][0]);
  assert.throws(() => new SVD({ order: "random" as never }), /order must be one of shuffle, user-blocks, fixed/);
});

test("VisitOrder: each epoch visits every rating once; user-blocks keeps a user's ratings together", () => {
  for (const kind of ["shuffle", "user-blocks", "fixed"] as const) {
    const visit = new VisitOrder(synth, kind, new Rng(1));
    const orders: number[][] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      const { users, items, ratings, order } = visit.next();
      const seen = new Uint8Array(synth.nRatings);
      const triples = new Set<string>();
      let switches = 0;
      for (let t = 0; t < order.length; t++) {
        seen[order[t]]++;
        triples.add(`${users[order[t]]} ${items[order[t]]} ${ratings[order[t]]}`);
        if (t > 0 && users[order[t]] !== users[order[t - 1]]) switches++;
      }
      assert.ok(seen.every((c) => c === 1), `${kind}: a permutation`);
      // the same (user, item, rating) triples as the dataset
      const expected = new Set(Array.from(synth.users, (u, x) => `${u} ${synth.items[x]} ${synth.ratings[x]}`));
      assert.deepEqual(triples, expected);
      const activeUsers = Array.from({ length: synth.nUsers }, (_, u) => synth.userCount(u)).filter((c) => c > 0).length;
      if (kind !== "shuffle") assert.equal(switches, activeUsers - 1, `${kind}: one block per user`);
      else assert.ok(switches > activeUsers * 5, "shuffle mixes users");
      orders.push(Array.from(order, (x) => x));
    }
    if (kind === "fixed") assert.deepEqual(orders[0], orders[2]);
    else assert.notDeepEqual(orders[0], orders[1], `${kind}: a new order every epoch`);
  }
});

test("predictions are clipped to the train scale while the raw model goes beyond it", () => {
  // everybody loves item x: its raw estimate leaves [1, 5]
  const rows: [string, string, number][] = [];
  for (let u = 0; u < 8; u++) {
    rows.push([`u${u}`, "x", 5], [`u${u}`, "y", 1], [`u${u}`, `z${u}`, 3]);
  }
  const data = triples(rows);
  const m = new SVD({ nFactors: 2, nEpochs: 200, lrAll: 0.05, regAll: 0, seed: 1 }).fit(data);
  const p = m.parameters();
  let outside = 0;
  for (let u = 0; u < data.nUsers; u++) {
    for (let i = 0; i < data.nItems; i++) {
      const v = m.predict(u, i).value;
      assert.ok(v >= 1 && v <= 5, `prediction ${v} outside [1, 5]`);
      let dot = 0;
      for (let f = 0; f < p.k; f++) dot += p.userFactors[u * p.k + f] * p.itemFactors[i * p.k + f];
      const raw = p.mu + p.bu[u] + p.bi[i] + dot;
      if (raw > 5 || raw < 1) {
        outside++;
        assert.equal(v, raw > 5 ? 5 : 1);
      }
    }
  }
  assert.ok(outside > 0, "the test needs raw estimates outside the scale");
  // recommend reports clipped scores too
  for (const r of m.recommend(0, 5, { excludeSeen: false })) assert.ok(r.score >= 1 && r.score <= 5);
});

test("unknown users and items: impossible, with Surprise's fallbacks", () => {
  const full = triples([
    ["u1", "a", 5],
    ["u1", "b", 3],
    ["u2", "a", 4],
    ["u2", "c", 2],
    ["u3", "b", 1],
    ["u3", "c", 5],
  ]);
  // train without user u3 and without item c: u3 and c are unknown to the train set
  const keep = Int32Array.from([0, 1, 2]);
  const train = full.subset(keep);
  const u1 = full.innerUser("u1");
  const u3 = full.innerUser("u3");
  const a = full.innerItem("a");
  const c = full.innerItem("c");
  const svd = new SVD({ nFactors: 3, nEpochs: 10 }).fit(train);
  const p = svd.parameters();
  const mu = train.globalMean;
  close(mu, 4, 1e-12);
  const known = svd.predict(u1, a);
  assert.equal(known.impossible, false);
  const unknownUser = svd.predict(u3, a);
  assert.equal(unknownUser.impossible, true);
  assert.match(unknownUser.details!, /user/);
  close(unknownUser.value, mu + p.bi[a], 1e-12, "unknown user → μ + b_i");
  const unknownItem = svd.predict(u1, c);
  assert.equal(unknownItem.impossible, true);
  close(unknownItem.value, mu + p.bu[u1], 1e-12, "unknown item → μ + b_u");
  const both = svd.predict(u3, c);
  assert.equal(both.impossible, true);
  close(both.value, mu, 1e-12, "both unknown → μ");
  // PMF (unbiased): Surprise's PredictionImpossible → the global mean
  const pmf = new PMF({ nFactors: 3, nEpochs: 10 }).fit(train);
  assert.deepEqual(pmf.predict(u3, a), { value: mu, impossible: true, details: "user unknown to the train set" });
  assert.equal(pmf.predict(u1, c).value, mu);
  // an unknown user still gets recommendations, ordered by the fallback μ + b_i
  const recs = svd.recommend(u3, 3);
  assert.equal(recs.length, 3);
  const expected = [0, 1, 2].map((i) => svd.predict(u3, i).value);
  assert.deepEqual(
    recs.map((r) => r.score),
    [...expected].sort((x, y) => y - x),
  );
});

test("recommend: same ranking as scoring every item with predict; options respected", () => {
  const m = new SVD({ nFactors: 6, nEpochs: 10, regAll: 0.05 }).fit(synth);
  for (const user of [0, 5, 17, 42]) {
    const fast = m.recommend(user, 10);
    const slow = topNByPrediction(m, synth, user, 10);
    // topNByPrediction ranks by clipped values; ours by raw estimates: scores agree, and so do the items
    // wherever the clipped scores are distinct
    assert.deepEqual(
      fast.map((r) => r.score),
      slow.map((r) => r.score),
    );
    const seen = new Set(synth.userRow(user).items);
    for (const r of fast) {
      assert.ok(!seen.has(r.item), "seen items are excluded by default");
      close(r.score, m.predict(user, r.item).value, 1e-12);
    }
    const withSeen = m.recommend(user, synth.nItems, { excludeSeen: false });
    assert.equal(withSeen.length, synth.nItems);
    const exclude = new Set(fast.slice(0, 3).map((r) => r.item));
    const excluded = m.recommend(user, 10, { exclude });
    assert.ok(excluded.every((r) => !exclude.has(r.item)));
    assert.deepEqual(excluded.slice(0, 7), fast.slice(3, 10));
    const minScore = fast[4].score;
    const above = m.recommend(user, 10, { minScore });
    assert.ok(above.length >= 5 && above.every((r) => r.score >= minScore));
  }
});

test("bad input gives clear errors", () => {
  assert.throws(() => new SVD({ nFactors: 0 }), /nFactors must be an integer ≥ 1/);
  assert.throws(() => new SVD({ nEpochs: 1.5 }), /nEpochs/);
  assert.throws(() => new SVD({ lrAll: -1 }), /lrAll/);
  assert.throws(() => new SVD({ regQi: NaN }), /regQi/);
  assert.throws(() => new SVD().predict(0, 0), /call fit/);
  const m = new SVD({ nFactors: 2, nEpochs: 1 }).fit(synth);
  assert.throws(() => m.predict(synth.nUsers, 0), /user index/);
  assert.throws(() => m.predict(0, -1), /item index/);
  assert.throws(() => m.recommend(1.5, 3), /user index/);
  const empty = synth.subset(new Int32Array(0));
  assert.throws(() => new SVD().fit(empty), /no ratings/);
  // undefined options keep their defaults
  assert.equal(new SVD({ nFactors: undefined }).options.nFactors, 100);
  assert.equal(new SVD({ lrAll: 0.01, lrQi: 0.02 }).options.lrPu, 0.01);
  assert.equal(new SVD({ lrAll: 0.01, lrQi: 0.02 }).options.lrQi, 0.02);
});

test("registry schemas: defaults are the classes' defaults and construct the models", () => {
  const pairs: [Record<string, { default: unknown }>, (p: any) => { options: object }][] = [
    [SVD_PARAMS, (p) => new SVD(p)],
    [PMF_PARAMS, (p) => new PMF(p)],
    [SVDPP_PARAMS, (p) => new SVDpp(p)],
    [ALS_PARAMS, (p) => new ALS(p)],
    [NMF_PARAMS, (p) => new NMF(p)],
  ];
  for (const [schema, make] of pairs) {
    const defaults = Object.fromEntries(Object.entries(schema).map(([k, spec]) => [k, spec.default]));
    const fromSchema = make(defaults).options as Record<string, unknown>;
    const plain = make({}).options as Record<string, unknown>;
    assert.deepEqual(fromSchema, plain);
    for (const key of Object.keys(schema)) assert.ok(key in plain, `${key} is an option`);
  }
});
