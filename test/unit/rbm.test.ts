import { test } from "node:test";
import assert from "node:assert/strict";
import { RatingDataset } from "../../lib/data/dataset";
import { topNByPrediction } from "../../lib/model/recommender";
import {
  RBM,
  cd1Accumulate,
  cd1Scratch,
  hiddenFromVisible,
  ratingLevels,
  visibleSoftmax,
  type RBMParameters,
} from "../../lib/neural/rbm";
import { Rng } from "../../lib/random";
import { rowDataset } from "../helpers";

const sigma = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * Two taste groups: even users love items 0–5 (5★) and dislike 6–11 (1★), odd users the opposite.
 * Each user misses two items (one per block), chosen by the user's id.
 */
function twoGroups(nUsers = 40): { data: RatingDataset; heldOut: [number, number, number][] } {
  const rows: [number, number, number][] = [];
  const heldOut: [number, number, number][] = [];
  for (let u = 0; u < nUsers; u++) {
    const even = u % 2 === 0;
    const skipA = u % 6;
    const skipB = 6 + ((u * 5) % 6);
    for (let i = 0; i < 12; i++) {
      const r = (i < 6) === even ? 5 : 1;
      if (i === skipA || i === skipB) heldOut.push([u, i, r]);
      else rows.push([u, i, r]);
    }
  }
  return { data: rowDataset(rows, nUsers, 12), heldOut };
}

test("CD-1 on one item with two rating values and one hidden unit matches a hand computation", () => {
  // 2 visible units (the two states of one softmax unit), 1 hidden unit
  const p: RBMParameters = {
    levels: Float64Array.from([1, 2]),
    hidden: 1,
    weights: Float32Array.from([0.5, -0.25]), // W^{k=0}, W^{k=1}
    visibleBias: Float32Array.from([0.1, -0.2]),
    hiddenBias: Float32Array.from([0.3]),
  };
  const round = (x: number) => Math.fround(x);
  const [w0, w1, b0, b1, c] = [round(0.5), round(-0.25), round(0.1), round(-0.2), round(0.3)];
  // the user rated the item with the first value: v⁰ = (1, 0)
  const p0 = sigma(c + w0); // σ(0.8) ≈ 0.68997
  for (const draw of [0.3, 0.9]) {
    const h0 = draw < p0 ? 1 : 0; // 0.3 → h⁰ = 1; 0.9 → h⁰ = 0
    const z = Math.exp(b0 + h0 * w0) + Math.exp(b1 + h0 * w1);
    const v1 = [Math.exp(b0 + h0 * w0) / z, Math.exp(b1 + h0 * w1) / z];
    const p1 = sigma(c + v1[0] * w0 + v1[1] * w1);
    const grad = { weights: new Float64Array(2), visibleBias: new Float64Array(2), hiddenBias: new Float64Array(1) };
    const sse = cd1Accumulate(p, [0], [0], () => draw, grad, cd1Scratch(1, 2, 1));
    const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-6, `${what}: ${a} vs ${b} (draw ${draw})`);
    near(grad.weights[0], 1 * p0 - v1[0] * p1, "ΔW⁰");
    near(grad.weights[1], 0 * p0 - v1[1] * p1, "ΔW¹");
    near(grad.visibleBias[0], 1 - v1[0], "Δb⁰");
    near(grad.visibleBias[1], 0 - v1[1], "Δb¹");
    near(grad.hiddenBias[0], p0 - p1, "Δc");
    near(sse, (v1[0] * 1 + v1[1] * 2 - 1) ** 2, "reconstruction error");
  }
  // with h⁰ = 1 the numbers of the worked example
  const grad = { weights: new Float64Array(2), visibleBias: new Float64Array(2), hiddenBias: new Float64Array(1) };
  cd1Accumulate(p, [0], [0], () => 0.3, grad, cd1Scratch(1, 2, 1));
  assert.ok(Math.abs(grad.visibleBias[0] - (1 - sigma(1.05))) < 1e-6); // softmax of (0.6, −0.45) = σ(1.05)
  // statistics accumulate (a second user adds to the same buffers)
  const once = Float64Array.from(grad.weights);
  cd1Accumulate(p, [0], [0], () => 0.3, grad, cd1Scratch(1, 2, 1));
  assert.ok(Math.abs(grad.weights[0] - 2 * once[0]) < 1e-12);
});

test("hidden and visible conditionals follow the formulas on random parameters", () => {
  const rng = new Rng(3);
  const F = 4, K = 3, nItems = 5;
  const p: RBMParameters = {
    levels: Float64Array.from([1, 3, 5]),
    hidden: F,
    weights: Float32Array.from({ length: nItems * K * F }, () => rng.normal()),
    visibleBias: Float32Array.from({ length: nItems * K }, () => rng.normal()),
    hiddenBias: Float32Array.from({ length: F }, () => rng.normal()),
  };
  const items = [1, 3], levels = [2, 0];
  const h = hiddenFromVisible(p, items, levels, new Float64Array(F));
  for (let j = 0; j < F; j++) {
    const a = p.hiddenBias[j] + p.weights[(1 * K + 2) * F + j] + p.weights[(3 * K + 0) * F + j];
    assert.ok(Math.abs(h[j] - sigma(a)) < 1e-12);
  }
  const soft = new Float64Array(K);
  const e = visibleSoftmax(p, 4, h, soft);
  const logits = [0, 1, 2].map((k) => p.visibleBias[4 * K + k] + h.reduce((s, hj, j) => s + hj * p.weights[(4 * K + k) * F + j], 0));
  const z = logits.reduce((s, l) => s + Math.exp(l), 0);
  for (let k = 0; k < K; k++) assert.ok(Math.abs(soft[k] - Math.exp(logits[k]) / z) < 1e-12);
  assert.ok(Math.abs(e - (soft[0] * 1 + soft[1] * 3 + soft[2] * 5)) < 1e-12);
});

test("rating levels are the distinct train ratings; too many values are refused", () => {
  const { data } = twoGroups(4);
  assert.deepEqual(Array.from(ratingLevels(data)), [1, 5]);
  const many = rowDataset(Array.from({ length: 40 }, (_, k) => [k, 0, 1 + k / 10] as [number, number, number]), 40, 1);
  assert.throws(() => new RBM().fit(many), /distinct rating values/);
});

test("a user's predictions come from that user's own row, and the groups are learned", () => {
  const { data, heldOut } = twoGroups(40);
  const m = new RBM({ hidden: 8, epochs: 60, learningRate: 0.05, batchSize: 10, seed: 1 }).fit(data);
  const p = m.parameters();
  // predict(u, i) is the expected rating computed from u's own train ratings
  for (const [u, i] of heldOut) {
    const row = data.userRow(u);
    const h = hiddenFromVisible(p, row.items, Array.from(row.ratings, (r) => (r === 1 ? 0 : 1)), new Float64Array(8));
    const e = visibleSoftmax(p, i, h, new Float64Array(2));
    assert.ok(Math.abs(m.predict(u, i).value - e) < 1e-9);
    assert.equal(m.predictUsingRowOf(u, i), m.predict(u, i).value);
  }
  // held-out ratings: liked items predicted high, disliked low, for every user
  let se = 0;
  for (const [u, i, r] of heldOut) {
    const v = m.predict(u, i).value;
    se += (v - r) ** 2;
    assert.ok(r === 5 ? v > 3 : v < 3, `user ${u} item ${i}: predicted ${v}, rated ${r}`);
  }
  assert.ok(Math.sqrt(se / heldOut.length) < 1.2);
  // reading another group's row (the shuffled-matrix pitfall) gives the opposite taste
  const [u, i, r] = heldOut[0];
  const other = m.predictUsingRowOf(u + 1, i);
  assert.ok(Math.abs(other - r) > Math.abs(m.predict(u, i).value - r) + 1, `own row ${m.predict(u, i).value}, other row ${other}, rated ${r}`);
  // the training error went down
  assert.ok(m.epochRmse[m.epochRmse.length - 1] < m.epochRmse[0]);
});

test("same seed, same model; another seed, another model", () => {
  const { data } = twoGroups(12);
  const fit = (seed: number) => new RBM({ hidden: 5, epochs: 3, learningRate: 0.05, batchSize: 4, seed }).fit(data).parameters();
  const a = fit(7), b = fit(7), c = fit(8);
  assert.deepEqual(a.weights, b.weights);
  assert.deepEqual(a.visibleBias, b.visibleBias);
  assert.deepEqual(a.hiddenBias, b.hiddenBias);
  assert.notDeepEqual(a.weights, c.weights);
});

test("recommend agrees with brute force over predict; unknown users and items fall back", () => {
  const { data } = twoGroups(10);
  // a subset without user 9 and without any rating of item 11
  const keep = Int32Array.from(Array.from({ length: data.nRatings }, (_, k) => k).filter((k) => data.users[k] !== 9 && data.items[k] !== 11));
  const train = data.subset(keep, "train");
  const m = new RBM({ hidden: 4, epochs: 5, learningRate: 0.05, batchSize: 3 }).fit(train);
  for (const u of [0, 3, 9]) {
    assert.deepEqual(m.recommend(u, 4), topNByPrediction(m, train, u, 4));
    assert.deepEqual(m.recommend(u, 20, { excludeSeen: false, minScore: 3 }), topNByPrediction(m, train, u, 20, { excludeSeen: false, minScore: 3 }));
  }
  assert.equal(m.predict(9, 0).impossible, true);
  assert.equal(m.predict(0, 11).impossible, true);
  assert.ok(Math.abs(m.predict(0, 11).value - train.globalMean) < 1e-6);
  assert.equal(m.predict(0, 0).impossible, false);
  assert.throws(() => m.predict(0, 12), /item index 12/);
  assert.throws(() => new RBM().predict(0, 0), /fit/);
  assert.throws(() => new RBM({ hidden: 0 }), /hidden/);
});
