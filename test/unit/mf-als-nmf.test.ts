import { test } from "node:test";
import assert from "node:assert/strict";
import { RatingDataset, fromTriples } from "../../lib/data/dataset";
import { syntheticRatings } from "../../lib/data/synthetic";
import { Rng } from "../../lib/random";
import { ALS, ALSOptions, alsObjective } from "../../lib/mf/als";
import { NMF } from "../../lib/mf/nmf";
import { alsItemStep, alsUserStep } from "../../lib/mf/byhand";
import { evaluateRatings } from "../../lib/mf/crossval";

const close = (a: number, b: number, tol: number, what = ""): void =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} ≠ ${b} (tolerance ${tol})`);

const synth = syntheticRatings({ users: 50, items: 40, ratings: 800, seed: 8 });

/** A dataset from a dense matrix with NaN for missing entries; raw ids "0", "1", … so inner id = index. */
function fromMatrix(R: number[][]): RatingDataset {
  const us: string[] = [];
  const is: string[] = [];
  const rs: number[] = [];
  R.forEach((row, u) =>
    row.forEach((r, i) => {
      if (!Number.isNaN(r)) {
        us.push(String(u));
        is.push(String(i));
        rs.push(r);
      }
    }),
  );
  return fromTriples("matrix", us, is, Float32Array.from(rs), { ratingScale: [1, 5] });
}

test("ALS: the training objective never increases, for every variant", () => {
  const variants: ALSOptions[] = [
    {},
    { biased: false },
    { weighted: false, reg: 0.5 },
    { biased: false, weighted: false, reg: 1 },
    { nFactors: 3, reg: 0.02 },
  ];
  for (const v of variants) {
    const m = new ALS({ nIterations: 8, ...v }).fit(synth);
    assert.equal(m.objective.length, 8);
    for (let t = 1; t < 8; t++) {
      assert.ok(m.objective[t] <= m.objective[t - 1] * (1 + 1e-12), `${JSON.stringify(v)}: ${m.objective.join(", ")}`);
    }
    assert.ok(m.objective[7] < m.objective[0], "and it does go down");
    // the recorded value is the objective of the final parameters
    const p = m.parameters();
    const o = m.options;
    close(
      alsObjective(synth, p.userFactors, p.itemFactors, p.bu, p.bi, o.biased ? p.mu : 0, p.k, o.reg, o.weighted),
      m.objective[7],
      1e-8,
    );
  }
});

test("ALS (unbiased, plain λ) = the by-hand alternating least squares on a small matrix", () => {
  const NaN_ = NaN;
  const R = [
    [5, 3, NaN_, 1, 4],
    [4, NaN_, NaN_, 1, 2],
    [1, 1, NaN_, 5, NaN_],
    [NaN_, 1, 5, 4, 3],
    [2, NaN_, 4, NaN_, 5],
  ];
  const data = fromMatrix(R);
  const k = 2;
  const lambda = 0.3;
  const seed = 6;
  const m = new ALS({ nFactors: k, nIterations: 1, reg: lambda, weighted: false, biased: false, seed, initStdDev: 0.5 }).fit(data);
  // ALS draws the initial item vectors from N(0, initStdDev), row-major, then solves users, then items
  const rng = new Rng(seed);
  const Q0 = R[0].map(() => Array.from({ length: k }, () => rng.normal(0, 0.5)));
  const P1 = alsUserStep(R, Q0, lambda);
  const Q1 = alsItemStep(R, P1, lambda);
  const p = m.parameters();
  P1.forEach((row, u) => row.forEach((x, f) => close(p.userFactors[u * k + f], x, 1e-10, `p[${u}][${f}]`)));
  Q1.forEach((row, i) => row.forEach((x, f) => close(p.itemFactors[i * k + f], x, 1e-10, `q[${i}][${f}]`)));
});

test("ALS (biased, weighted): after the item half-step every item's gradient vanishes", () => {
  const m = new ALS({ nFactors: 4, nIterations: 3, reg: 0.1 }).fit(synth);
  const { mu, bu, bi, userFactors: P, itemFactors: Q, k } = m.parameters();
  for (let i = 0; i < synth.nItems; i++) {
    const { users, ratings } = synth.itemRow(i);
    if (users.length === 0) continue;
    // ∂/∂(b_i, q_i) of the objective / 2 = −Σ_u e_ui (1, p_u) + λ n_i (b_i, q_i)
    const g = new Float64Array(k + 1);
    users.forEach((u, t) => {
      let dot = 0;
      for (let f = 0; f < k; f++) dot += P[u * k + f] * Q[i * k + f];
      const e = ratings[t] - (mu + bu[u] + bi[i] + dot);
      g[0] -= e;
      for (let f = 0; f < k; f++) g[f + 1] -= e * P[u * k + f];
    });
    g[0] += 0.1 * users.length * bi[i];
    for (let f = 0; f < k; f++) g[f + 1] += 0.1 * users.length * Q[i * k + f];
    for (const x of g) close(x, 0, 1e-9, `gradient of item ${i}`);
  }
});

test("ALS: seeded, fits the data, errors on a singular system, falls back for unknown users", () => {
  const a = new ALS({ nIterations: 3, seed: 1 }).fit(synth);
  const b = new ALS({ nIterations: 3, seed: 1 }).fit(synth);
  const c = new ALS({ nIterations: 3, seed: 2 }).fit(synth);
  assert.deepEqual(a.parameters().itemFactors, b.parameters().itemFactors);
  assert.notDeepEqual(a.parameters().itemFactors, c.parameters().itemFactors);
  assert.ok(evaluateRatings(a, synth).rmse < 0.8, "ALS fits its train set");
  const tiny = fromMatrix([[5, NaN, 3], [NaN, 2, 4]]);
  assert.throws(() => new ALS({ nFactors: 3, reg: 0, biased: false }).fit(tiny), /singular.*use reg > 0/);
  const keep = Int32Array.from({ length: synth.nRatings }, (_, x) => x).filter((x) => synth.users[x] !== 3);
  const train = synth.subset(keep);
  const m = new ALS({ nIterations: 2 }).fit(train);
  const pred = m.predict(3, 0);
  assert.equal(pred.impossible, true);
  close(pred.value, Math.min(5, Math.max(1, train.globalMean + m.parameters().bi[0])), 1e-12);
  assert.throws(() => new ALS({ reg: -1 }), /reg/);
});

test("NMF: one epoch of multiplicative updates computed by hand (unbiased and biased)", () => {
  // one user rated a = 4 and b = 2; k = 1; every factor starts at 1 (initLow = initHigh = 1)
  const data = fromTriples("two", ["u", "u"], ["a", "b"], Float32Array.from([4, 2]), { ratingScale: [1, 5] });
  const m = new NMF({ nFactors: 1, nEpochs: 1, initLow: 1, initHigh: 1 }).fit(data);
  // r̂ = 1·1 = 1 for both ratings, λ = 0.06
  // p_u ← 1 · (1·4 + 1·2) / (1·1 + 1·1 + 0.06·2·1) = 6 / 2.12
  // q_a ← 1 · (1·4) / (1·1 + 0.06·1·1) = 4 / 1.06;   q_b ← 2 / 1.06
  let p = m.parameters();
  close(p.userFactors[0], 6 / 2.12, 1e-12, "p_u");
  close(p.itemFactors[0], 4 / 1.06, 1e-12, "q_a");
  close(p.itemFactors[1], 2 / 1.06, 1e-12, "q_b");
  // biased: μ = 3, r̂ = 3 + 0 + 0 + 1 = 4 on the first rating (e = 0, biases stay 0);
  // second rating: r̂ = 4, e = −2 → b_u = b_b = 0.005·(−2) = −0.01
  // p_u ← 1 · (4 + 2) / (4 + 4 + 0.06·2) = 6 / 8.12;  q_a ← 4 / (4 + 0.06) ; q_b ← 2 / (4 + 0.06)
  const mb = new NMF({ nFactors: 1, nEpochs: 1, initLow: 1, initHigh: 1, biased: true }).fit(data);
  p = mb.parameters();
  close(p.userFactors[0], 6 / 8.12, 1e-12, "p_u biased");
  close(p.itemFactors[0], 4 / 4.06, 1e-12, "q_a biased");
  close(p.itemFactors[1], 2 / 4.06, 1e-12, "q_b biased");
  close(p.bu[0], -0.01, 1e-12, "b_u");
  close(p.bi[0], 0, 1e-12, "b_a");
  close(p.bi[1], -0.01, 1e-12, "b_b");
});

test("NMF: factors stay non-negative, error falls, unknowns fall back to the global mean", () => {
  for (const biased of [false, true]) {
    const m = new NMF({ nEpochs: 30, biased, seed: 4 }).fit(synth);
    const p = m.parameters();
    assert.ok(p.userFactors.every((x) => x >= 0) && p.itemFactors.every((x) => x >= 0), `biased=${biased}`);
    assert.ok(m.epochRmse[29] < m.epochRmse[0]);
  }
  const few = evaluateRatings(new NMF({ nEpochs: 5 }).fit(synth), synth).rmse;
  const many = evaluateRatings(new NMF({ nEpochs: 50 }).fit(synth), synth).rmse;
  assert.ok(many < few);
  const keep = Int32Array.from({ length: synth.nRatings }, (_, x) => x).filter((x) => synth.users[x] !== 1);
  const train = synth.subset(keep);
  const m = new NMF({ nEpochs: 3 }).fit(train);
  assert.deepEqual(m.predict(1, 0), { value: train.globalMean, impossible: true, details: "user unknown to the train set" });
  const a = new NMF({ nEpochs: 3, seed: 5 }).fit(synth);
  const b = new NMF({ nEpochs: 3, seed: 5 }).fit(synth);
  assert.deepEqual(a.parameters().userFactors, b.parameters().userFactors);
});

test("NMF rejects negative ratings and bad options", () => {
  const jester = fromTriples("signed", ["u", "u"], ["a", "b"], Float32Array.from([-3, 7]), { ratingScale: [-10, 10] });
  assert.throws(() => new NMF().fit(jester), /non-negative/);
  assert.throws(() => new NMF({ initLow: -0.1 }), /initLow/);
  assert.throws(() => new NMF({ initLow: 2, initHigh: 1 }), /initHigh/);
});
