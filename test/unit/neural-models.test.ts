import { test } from "node:test";
import assert from "node:assert/strict";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { RatingDataset } from "../../lib/data/dataset";
import { topNByPrediction } from "../../lib/model/recommender";
import { initBackend } from "../../lib/neural/backend";
import { DotBias, permutedRatings, principalComponents, truncatedNormal } from "../../lib/neural/dotbias";
import { NCF, denseOp, parseHidden, timeInputPipelines } from "../../lib/neural/ncf";
import { ScheduledAdam, cosineAnneal, oneCycleAt, oneCycleSchedule } from "../../lib/neural/onecycle";
import { Rng } from "../../lib/random";

const near = (a: number, b: number, tol: number, what = "") => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (± ${tol})`);

/** Rank-1 ratings r = 3 + 1.5·a_u·b_i on a grid, a share `observed` of them in train, the rest held out. */
function rankOne(nUsers: number, nItems: number, seed: number, observed = 0.7) {
  const rng = new Rng(seed);
  const a = Array.from({ length: nUsers }, () => rng.uniform(-1, 1));
  const b = Array.from({ length: nItems }, () => rng.uniform(-1, 1));
  const rows: [number, number, number][] = [];
  const held: [number, number, number][] = [];
  for (let u = 0; u < nUsers; u++) {
    for (let i = 0; i < nItems; i++) (rng.next() < observed ? rows : held).push([u, i, 3 + 1.5 * a[u] * b[i]]);
  }
  const data = new RatingDataset({
    name: "rank-1",
    userIds: a.map((_, u) => `u${u}`),
    itemIds: b.map((_, i) => `i${i}`),
    users: Int32Array.from(rows.map((r) => r[0])),
    items: Int32Array.from(rows.map((r) => r[1])),
    ratings: Float32Array.from(rows.map((r) => r[2])),
    ratingScale: [1, 5],
  });
  return { data, held };
}

const rmseOn = (m: { predict(u: number, i: number): { value: number } }, rows: [number, number, number][]) =>
  Math.sqrt(rows.reduce((s, [u, i, r]) => s + (m.predict(u, i).value - r) ** 2, 0) / rows.length);

test("one-cycle schedule: warm-up to lrMax at 25%, annealing to lrMax/1e5, momentum mirrored", () => {
  const o = { lrMax: 5e-3 };
  near(oneCycleAt(o, 0).lr, 5e-3 / 25, 1e-15, "start lr");
  near(oneCycleAt(o, 0).mom, 0.95, 1e-15, "start mom");
  near(oneCycleAt(o, 0.25).lr, 5e-3, 1e-15, "peak lr");
  near(oneCycleAt(o, 0.25).mom, 0.85, 1e-15, "peak mom");
  near(oneCycleAt(o, 1).lr, 5e-3 / 1e5, 1e-15, "final lr");
  near(oneCycleAt(o, 1).mom, 0.95, 1e-15, "final mom");
  // halfway through the warm-up the cosine is exactly halfway between its ends
  near(oneCycleAt(o, 0.125).lr, (5e-3 / 25 + 5e-3) / 2, 1e-15, "warm-up midpoint");
  near(cosineAnneal(1, 3, 0.5), 2, 1e-15);
  near(cosineAnneal(1, 3, 0), 1, 1e-15);
  const s = oneCycleSchedule(o, 100);
  for (let t = 1; t < 25; t++) assert.ok(s.lr[t] > s.lr[t - 1] && s.mom[t] < s.mom[t - 1], `warm-up step ${t}`);
  for (let t = 26; t < 100; t++) assert.ok(s.lr[t] < s.lr[t - 1] && s.mom[t] > s.mom[t - 1], `annealing step ${t}`);
  assert.throws(() => oneCycleSchedule(o, 0), /steps/);
  assert.throws(() => oneCycleAt({ lrMax: -1 }, 0.5), /lrMax/);
});

test("ScheduledAdam: two steps match a hand computation, for decoupled and L2 weight decay", async () => {
  const { tf } = await initBackend();
  const lr = 0.1, wd = 0.5, mom = 0.9, b2 = 0.99, eps = 1e-5;
  for (const wdMode of ["decoupled", "l2"] as const) {
    const theta = tf.variable(tf.tensor1d([1, -2]));
    const adam = new ScheduledAdam([theta], { wd, wdMode });
    const g1 = [0.5, -0.25], g2 = [0.1, 0.3];
    adam.step({ [theta.name]: tf.tensor1d(g1) }, lr, mom);
    adam.step({ [theta.name]: tf.tensor1d(g2) }, lr, mom);
    // by hand
    const expected = [1, -2].map((p0, k) => {
      let p = p0, m = 0, v = 0;
      [g1[k], g2[k]].forEach((g0, t) => {
        const g = wdMode === "l2" ? g0 + wd * p : g0;
        m = mom * m + (1 - mom) * g;
        v = b2 * v + (1 - b2) * g * g;
        const base = wdMode === "decoupled" ? p * (1 - lr * wd) : p;
        p = base - (lr * (m / (1 - mom ** (t + 1)))) / (Math.sqrt(v / (1 - b2 ** (t + 1))) + eps);
      });
      return p;
    });
    const got = Array.from(theta.dataSync());
    near(got[0], expected[0], 1e-5, `${wdMode} θ0`);
    near(got[1], expected[1], 1e-5, `${wdMode} θ1`);
    adam.dispose();
    theta.dispose();
  }
});

test("DotBias learns a rank-1 pattern, both with embedding layers and with its own parameters", async () => {
  const { tf } = await initBackend();
  const { data, held } = rankOne(30, 20, 1);
  const baseline = Math.sqrt(held.reduce((s, [, , r]) => s + (data.globalMean - r) ** 2, 0) / held.length);
  const before = tf.memory().numTensors;
  for (const parameters of ["own", "embedding"] as const) {
    const m = new DotBias({ factors: 4, epochs: 40, batchSize: 32, lrMax: 0.05, wd: 0.01, initStd: 0.1, parameters, seed: 2, progress: { silent: true } }).fit(data);
    const r = rmseOn(m, held);
    assert.ok(r < 0.4 * baseline, `${parameters}: held-out rmse ${r}, mean baseline ${baseline}`);
    const loss = m.history.metrics.loss;
    assert.equal(loss.length, 40);
    assert.ok(loss[loss.length - 1] < 0.2 * loss[0], `${parameters}: loss ${loss[0]} → ${loss[loss.length - 1]}`);
  }
  assert.equal(tf.memory().numTensors, before, "fit leaves no tensors behind");
});

test("DotBias predicts with the sigmoid range of its exposed parameters; recommend = brute force; seeds repeat", async () => {
  await initBackend();
  const { data, held } = rankOne(12, 10, 3);
  const opts = { factors: 3, epochs: 3, batchSize: 16, lrMax: 0.02, seed: 5, progress: { silent: true }, validation: heldOutSet(data, held) };
  const m = new DotBias(opts).fit(data);
  for (const [u, i] of held.slice(0, 20)) {
    let x = m.userBias[u] + m.itemBias[i];
    for (let f = 0; f < 3; f++) x += m.userFactors[u * 3 + f] * m.itemFactors[i * 3 + f];
    const expected = Math.min(5, Math.max(1, 5.5 / (1 + Math.exp(-x))));
    near(m.predict(u, i).value, expected, 1e-9, `(${u}, ${i})`);
  }
  for (const u of [0, 7]) {
    assert.deepEqual(m.recommend(u, 4), topNByPrediction(m, data, u, 4));
    assert.deepEqual(m.recommend(u, 10, { excludeSeen: false, minScore: 3 }), topNByPrediction(m, data, u, 10, { excludeSeen: false, minScore: 3 }));
  }
  // the validation error was measured after each epoch and equals mse() at the end
  assert.equal(m.history.metrics.val_mse.length, 3);
  near(m.history.metrics.val_mse[2], m.mse(opts.validation), 1e-12);
  const again = new DotBias(opts).fit(data);
  assert.deepEqual(again.itemFactors, m.itemFactors);
  assert.deepEqual(again.userBias, m.userBias);
  const other = new DotBias({ ...opts, seed: 6 }).fit(data);
  assert.notDeepEqual(other.itemFactors, m.itemFactors);
  // without the sigmoid range and biases, the raw dot product (clipped to the scale)
  const plain = new DotBias({ ...opts, sigmoidRange: false, biases: false }).fit(data);
  const [u, i] = held[0];
  let dot = 0;
  for (let f = 0; f < 3; f++) dot += plain.userFactors[u * 3 + f] * plain.itemFactors[i * 3 + f];
  near(plain.predict(u, i).value, Math.min(5, Math.max(1, dot)), 1e-9);
  assert.ok(plain.userBias.every((b) => b === 0));
  assert.throws(() => new DotBias({ yMin: 5, yMax: 1 }), /yMin < yMax/);
  assert.throws(() => new DotBias({ parameters: "other" as "own" }), /parameters/);
  assert.throws(() => new DotBias().predict(0, 0), /fit/);
});

function heldOutSet(data: RatingDataset, held: [number, number, number][]): RatingDataset {
  return new RatingDataset({
    name: "held",
    userIds: [...data.userIds],
    itemIds: [...data.itemIds],
    users: Int32Array.from(held.map((r) => r[0])),
    items: Int32Array.from(held.map((r) => r[1])),
    ratings: Float32Array.from(held.map((r) => r[2])),
    ratingScale: [1, 5],
  });
}

test("NCF learns a rank-1 pattern; its fast prediction equals a plain forward pass of its weights", async () => {
  const { tf } = await initBackend();
  const { data, held } = rankOne(30, 20, 7);
  const before = tf.memory().numTensors;
  const baseline = Math.sqrt(held.reduce((s, [, , r]) => s + (data.globalMean - r) ** 2, 0) / held.length);
  const m = new NCF({ factors: 4, hidden: [16, 8], epochs: 60, batchSize: 32, learningRate: 0.01, seed: 1, progress: { silent: true } }).fit(data);
  assert.ok(rmseOn(m, held) < 0.6 * baseline, `held-out rmse ${rmseOn(m, held)}, mean baseline ${baseline}`);
  assert.equal(tf.memory().numTensors, before, "fit leaves no tensors behind");
  const w = m.weights();
  const forward = (u: number, i: number): number => {
    let x = [...w.userEmbedding.slice(u * 4, u * 4 + 4), ...w.itemEmbedding.slice(i * 4, i * 4 + 4)];
    const sizes = [8, 16, 8, 1];
    for (let l = 0; l < 3; l++) {
      const out = Array.from({ length: sizes[l + 1] }, (_, j) => w.biases[l][j] + x.reduce((s, xa, a) => s + xa * w.kernels[l][a * sizes[l + 1] + j], 0));
      x = l < 2 ? out.map((v) => Math.max(0, v)) : out;
    }
    return data.globalMean + x[0];
  };
  for (const [u, i] of held.slice(0, 30)) near(m.predict(u, i).value, Math.min(5, Math.max(1, forward(u, i))), 1e-4, `(${u}, ${i})`);
  for (const u of [0, 9]) assert.deepEqual(m.recommend(u, 5), topNByPrediction(m, data, u, 5));
  assert.deepEqual(parseHidden("1024"), [1024]);
  assert.deepEqual(parseHidden("256, 128"), [256, 128]);
  assert.throws(() => parseHidden("64,x"), /positive integers/);
  assert.throws(() => new NCF({ hidden: [] }), /hidden/);
});

test("denseOp: same value and gradients as x·W + b with TensorFlow.js's own gradients", async () => {
  const { tf } = await initBackend();
  const x = tf.randomNormal([5, 3], 0, 1, "float32", 1) as any, w = tf.randomNormal([3, 4], 0, 1, "float32", 2) as any, b = tf.randomNormal([4], 0, 1, "float32", 3) as any;
  const c = tf.randomNormal([5, 4], 0, 1, "float32", 4);
  // a loss that weighs every output differently, so every gradient entry is tested
  const ours = tf.grads((a: any, v: any, bb: any) => tf.sum(tf.mul(denseOp(a, v, bb), c)));
  const theirs = tf.grads((a: any, v: any, bb: any) => tf.sum(tf.mul(tf.add(tf.matMul(a, v), bb), c)));
  const g1 = ours([x, w, b]), g2 = theirs([x, w, b]);
  for (let k = 0; k < 3; k++) {
    assert.deepEqual(g1[k].shape, g2[k].shape);
    const a1 = g1[k].dataSync(), a2 = g2[k].dataSync();
    for (let j = 0; j < a1.length; j++) near(a1[j], a2[j], 1e-5, `gradient ${k}[${j}]`);
  }
  const v1 = denseOp(x, w, b).dataSync(), v2 = tf.add(tf.matMul(x, w), b).dataSync();
  for (let j = 0; j < v1.length; j++) near(v1[j], v2[j], 1e-6, `value ${j}`);
});

test("input pipelines: per-sample tensors create ~3 tensors per rating, pre-batched 3 per batch", async () => {
  const { data } = rankOne(20, 20, 9);
  const { tf } = await initBackend();
  const before = tf.memory().numTensors;
  const t = timeInputPipelines(data, { factors: 4, hidden: [8], batchSize: 16, steps: 5 });
  assert.equal(tf.memory().numTensors, before, "no tensors left behind");
  assert.equal(t.length, 2);
  assert.equal(t[0].pipeline, "per-sample tensors");
  assert.equal(t[0].steps, 5);
  assert.equal(t[0].tensorsPerStep, 3 * 16 + 3);
  assert.equal(t[1].tensorsPerStep, 3);
  for (const x of t) assert.ok(x.secondsPerStep > 0 && Math.abs(x.secondsPerEpoch - x.secondsPerStep * Math.ceil(data.nRatings / 16)) < 1e-9);
});

test("principalComponents recovers the eigenvectors of the covariance matrix", () => {
  const rng = new Rng(11);
  const rows = 200, cols = 5;
  const x = new Float64Array(rows * cols);
  const d1 = [1, 2, 0, -1, 0.5], d2 = [0, 0.5, 1, 0.5, -1];
  for (let r = 0; r < rows; r++) {
    const s = rng.normal(0, 3), t = rng.normal(0, 1);
    for (let c = 0; c < cols; c++) x[r * cols + c] = 7 + s * d1[c] + t * d2[c] + rng.normal(0, 0.1);
  }
  const { components, scores, variance } = principalComponents(x, rows, cols, 2, { seed: 1 });
  // reference: the eigen-decomposition of the sample covariance (ml-matrix)
  const m = new Matrix(rows, cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) m.set(r, c, x[r * cols + c]);
  const centred = m.clone().subRowVector(m.mean("column"));
  const cov = centred.transpose().mmul(centred).div(rows - 1);
  const eig = new EigenvalueDecomposition(cov);
  const order = eig.realEigenvalues.map((v, k) => [v, k]).sort((a, b) => b[0] - a[0]);
  for (let j = 0; j < 2; j++) {
    const [lambda, k] = order[j];
    near(variance[j], lambda, 1e-6 * lambda, `variance ${j}`);
    const ref = eig.eigenvectorMatrix.getColumn(k);
    const dot = ref.reduce((s, v, c) => s + v * components[j * cols + c], 0);
    near(Math.abs(dot), 1, 1e-6, `component ${j}`);
  }
  // scores are the centred rows projected on the components
  const means = m.mean("column");
  for (const r of [0, 17]) {
    for (let j = 0; j < 2; j++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += (x[r * cols + c] - means[c]) * components[j * cols + c];
      near(scores[r * 2 + j], s, 1e-9, `score (${r}, ${j})`);
    }
  }
  assert.throws(() => principalComponents(x, rows, cols, 6), /k must be/);
});

test("helpers: permutedRatings follows the order; truncatedNormal stays within two standard deviations", () => {
  const { data } = rankOne(4, 3, 1, 1);
  const order = Int32Array.from([3, 0, 11]);
  const b = permutedRatings(data, order);
  assert.deepEqual(Array.from(b.users), [data.users[3], data.users[0], data.users[11]]);
  assert.deepEqual(Array.from(b.items), [data.items[3], data.items[0], data.items[11]]);
  const t = truncatedNormal(new Rng(1), 10000, 0.01);
  assert.ok(t.every((v) => Math.abs(v) <= 0.02 + 1e-9));
  const sd = Math.sqrt(t.reduce((s, v) => s + v * v, 0) / t.length);
  near(sd, 0.0088, 0.0005, "std of N(0, 0.01²) truncated at ±2σ");
});

test("registry schemas: their defaults are the classes' defaults", async () => {
  const { resolveParams } = await import("../../lib/algorithms/params");
  const { DOTBIAS_PARAMS } = await import("../../lib/neural/dotbias");
  const { NCF_PARAMS } = await import("../../lib/neural/ncf");
  const { RBM, RBM_PARAMS } = await import("../../lib/neural/rbm");
  const { AutoRec, AUTOREC_PARAMS } = await import("../../lib/neural/autorec");
  assert.deepEqual(new DotBias(resolveParams("dotbias", DOTBIAS_PARAMS, {}) as never).options, new DotBias().options);
  const ncf = resolveParams("ncf", NCF_PARAMS, {});
  assert.deepEqual(new NCF({ ...ncf, hidden: parseHidden(ncf.hidden as string) } as never).options, new NCF().options);
  assert.deepEqual(new RBM(resolveParams("rbm", RBM_PARAMS, {}) as never).options, new RBM().options);
  assert.deepEqual(new AutoRec(resolveParams("autorec", AUTOREC_PARAMS, {}) as never).options, new AutoRec().options);
  // and a CLI-style override reaches the model
  assert.equal(new DotBias(resolveParams("dotbias", DOTBIAS_PARAMS, { wd: "0", epochs: "3" }) as never).options.wd, 0);
});
