import { test } from "node:test";
import assert from "node:assert/strict";
import { type RatingDataset } from "../../lib/data/dataset";
import { Rng } from "../../lib/random";
import {
  BaselineOnly,
  type Baselines,
  baselineEstimate,
  fitBaselines,
  fitBaselinesALS,
  fitBaselinesSGD,
} from "../../lib/baseline/baselines";
import { tripleDataset, assertClose, TINY_4X4 } from "../helpers";

const close = (actual: number, expected: number, what: string, tol = 1e-9): void => assertClose(actual, expected, what, tol);

// users u0..u3, items i0..i3
//        i0  i1  i2  i3
//   u0    4   3   .   .
//   u1    5   3   4   .
//   u2    2   5   1   2
//   u3    .   3   5   4
const tiny = tripleDataset(TINY_4X4);

test("ALS, one epoch, matches the hand-derived closed-form update (items first, then users)", () => {
  const b = fitBaselinesALS(tiny, { nEpochs: 1 }); // reg_i 10, reg_u 15
  const mu = 41 / 12; // 4+3 + 5+3+4 + 2+5+1+2 + 3+5+4 = 41 over 12 ratings
  close(b.mu, mu, "μ");
  // b_i = Σ_u (r_ui − μ − b_u) / (10 + |U_i|) with b_u = 0
  const bi = [
    (4 + 5 + 2 - 3 * mu) / (10 + 3),
    (3 + 3 + 5 + 3 - 4 * mu) / (10 + 4),
    (4 + 1 + 5 - 3 * mu) / (10 + 3),
    (2 + 4 - 2 * mu) / (10 + 2),
  ];
  bi.forEach((v, i) => close(b.bi[i], v, `b_i${i}`));
  // b_u = Σ_i (r_ui − μ − b_i) / (15 + |I_u|) with the new b_i
  const bu = [
    (4 - mu - bi[0] + (3 - mu - bi[1])) / (15 + 2),
    (5 - mu - bi[0] + (3 - mu - bi[1]) + (4 - mu - bi[2])) / (15 + 3),
    (2 - mu - bi[0] + (5 - mu - bi[1]) + (1 - mu - bi[2]) + (2 - mu - bi[3])) / (15 + 4),
    (3 - mu - bi[1] + (5 - mu - bi[2]) + (4 - mu - bi[3])) / (15 + 3),
  ];
  bu.forEach((v, u) => close(b.bu[u], v, `b_u${u}`));
  // a second epoch starts from these: b_i0 = Σ (r − μ − b_u) / 13
  const b2 = fitBaselinesALS(tiny, { nEpochs: 2 });
  close(b2.bi[0], (4 - mu - bu[0] + (5 - mu - bu[1]) + (2 - mu - bu[2])) / 13, "epoch 2 b_i0");
});

test("SGD, one epoch, matches the hand-derived steps (user by user, items in id order)", () => {
  // ratings (u0,i0,5), (u0,i1,3), (u1,i0,4): μ = 4, γ = 0.005, λ = 0.02
  const d = tripleDataset([
    ["u0", "i0", 5],
    ["u0", "i1", 3],
    ["u1", "i0", 4],
  ]);
  const b = fitBaselinesSGD(d, { nEpochs: 1 });
  // step 1, (u0, i0): e = 5 − 4 = 1 → b_u0 = 0.005, b_i0 = 0.005
  // step 2, (u0, i1): e = 3 − (4 + 0.005) = −1.005
  //   b_u0 = 0.005 + 0.005 (−1.005 − 0.02 · 0.005) = −0.0000255;  b_i1 = 0.005 · −1.005 = −0.005025
  // step 3, (u1, i0): e = 4 − (4 + 0.005) = −0.005
  //   b_u1 = 0.005 · −0.005 = −0.000025;  b_i0 = 0.005 + 0.005 (−0.005 − 0.02 · 0.005) = 0.0049745
  close(b.bu[0], -0.0000255, "b_u0");
  close(b.bu[1], -0.000025, "b_u1");
  close(b.bi[0], 0.0049745, "b_i0");
  close(b.bi[1], -0.005025, "b_i1");
});

function randomData(seed: number): RatingDataset {
  const rng = new Rng(seed);
  const t: [string, string, number][] = [];
  const ub = Array.from({ length: 30 }, () => rng.normal(0, 0.7));
  const ib = Array.from({ length: 40 }, () => rng.normal(0, 0.7));
  for (let u = 0; u < 30; u++) {
    for (let i = 0; i < 40; i++) {
      if (rng.next() < 0.4) {
        const r = Math.round(3.5 + ub[u] + ib[i] + rng.normal(0, 0.5));
        t.push([`u${u}`, `i${i}`, Math.min(5, Math.max(1, r))]);
      }
    }
  }
  return tripleDataset(t, `random ${seed}`);
}

function trainRmse(d: RatingDataset, b: Baselines | null): number {
  let se = 0;
  for (let k = 0; k < d.nRatings; k++) {
    const e = (b ? baselineEstimate(b, d.users[k], d.items[k]) : d.globalMean) - d.ratings[k];
    se += e * e;
  }
  return Math.sqrt(se / d.nRatings);
}

test("ALS and SGD baselines fit the train data better than the global mean", () => {
  const d = randomData(7);
  const flat = trainRmse(d, null);
  const als = trainRmse(d, fitBaselines(d));
  const sgd = trainRmse(d, fitBaselines(d, { method: "sgd" }));
  assert.ok(als < flat - 0.1, `ALS ${als} vs global mean ${flat}`);
  assert.ok(sgd < flat, `SGD ${sgd} vs global mean ${flat}`);
  // more SGD epochs keep improving on the train set (λ is small)
  const sgd100 = trainRmse(d, fitBaselines(d, { method: "sgd", nEpochs: 100 }));
  assert.ok(sgd100 < sgd, `SGD 100 epochs ${sgd100} vs 20 epochs ${sgd}`);
  // with no regularisation ALS converges to least squares: more epochs never hurt the train error
  const a1 = trainRmse(d, fitBaselinesALS(d, { nEpochs: 1, regU: 0, regI: 0 }));
  const a10 = trainRmse(d, fitBaselinesALS(d, { nEpochs: 10, regU: 0, regI: 0 }));
  assert.ok(a10 <= a1 + 1e-12, `ALS 10 epochs ${a10} vs 1 epoch ${a1}`);
});

test("fitting is deterministic and zero epochs leave the global mean", () => {
  const d = randomData(8);
  assert.deepEqual(fitBaselines(d, { method: "sgd" }), fitBaselines(d, { method: "sgd" }));
  const z = fitBaselinesALS(d, { nEpochs: 0 });
  assert.ok(z.bu.every((x) => x === 0) && z.bi.every((x) => x === 0));
});

test("BaselineOnly predicts clip(μ + b_u + b_i) and flags users or items without train ratings", () => {
  // drop u3's ratings and i3's from the train set: both become unknown
  const keep: number[] = [];
  for (let k = 0; k < tiny.nRatings; k++) if (tiny.users[k] !== 3 && tiny.items[k] !== 3) keep.push(k);
  const train = tiny.subset(Int32Array.from(keep));
  const model = new BaselineOnly().fit(train);
  const b = model.baselines;
  assert.equal(model.id, "baseline");
  assert.equal(model.predictsRatings, true);
  const p = model.predict(0, 2);
  close(p.value, b.mu + b.bu[0] + b.bi[2], "r̂(u0, i2)");
  assert.equal(p.impossible, false);
  const q = model.predict(3, 1); // unknown user: μ + b_i
  close(q.value, b.mu + b.bi[1], "unknown user");
  assert.equal(q.impossible, true);
  const r = model.predict(0, 3); // unknown item: μ + b_u
  close(r.value, b.mu + b.bu[0], "unknown item");
  assert.equal(r.impossible, true);
  // clipping: a huge user bias
  const clipped = new BaselineOnly({ method: "sgd", learningRate: 0.5, nEpochs: 50, reg: 0 }).fit(
    tripleDataset([
      ["a", "x", 5],
      ["a", "y", 5],
      ["b", "x", 1],
    ]),
  );
  for (const [u, i] of [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ]) {
    const v = clipped.predict(u, i).value;
    assert.ok(v >= 1 && v <= 5, `clipped ${v}`);
  }
  // recommend: the user's unseen items by predicted rating
  const recs = model.recommend(0, 5);
  assert.deepEqual(
    recs.map((x) => x.item),
    [2, 3].sort((x, y) => model.predict(0, y).value - model.predict(0, x).value || x - y),
  );
  assert.throws(() => model.predict(0, 99), /item index 99/);
  assert.throws(() => new BaselineOnly().predict(0, 0), /before fit/);
});

test("bad baseline options are refused", () => {
  assert.throws(() => fitBaselines(tiny, { method: "newton" as "als" }), /unknown method "newton"/);
  assert.throws(() => fitBaselinesALS(tiny, { nEpochs: 1.5 }), /nEpochs/);
  assert.throws(() => fitBaselinesALS(tiny, { regU: -1 }), /regU/);
  assert.throws(() => fitBaselinesSGD(tiny, { learningRate: 0 }), /learningRate/);
});
