import { test, before, afterEach } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import type * as tfjs from "@tensorflow/tfjs";
import { initBackend, getTf, backendInfo, withSeed, type Tf } from "../../lib/neural/backend";
import { segmentSumInto } from "../../lib/neural/segmentSum";
import { col2imAdd, im2colT, maxPoolGradInto } from "../../lib/neural/wasmKernels";
import { fitWithProgress, trainLoop, trainLoopSync, predictClasses, accuracyOf, kFoldIndices, complementIndices, formatLogs, takeRows } from "../../lib/neural/training";
import { setDisplaySink, type DisplaySink } from "../../lib/notebook/display";
import { Rng } from "../../lib/random";

const ROOT = path.resolve(__dirname, "..", "..");
let tf: Tf;

/** Runs a script in a fresh Node process (with tsx), returning its stdout and stderr. */
function runChild(code: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", code], { cwd: ROOT, encoding: "utf8", env: { ...process.env, RECSYS_TF_BACKEND: "" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("fresh process: getTf before init throws; init + a small training run write nothing to stderr", () => {
  const r = runChild(`
    const b = require("./lib/neural/backend");
    const t = require("./lib/neural/training");
    let threw = false;
    try { b.getTf(); } catch (e) { threw = /initBackend/.test(e.message); }
    (async () => {
      const info = await b.initBackend();
      const tf = info.tf;
      const m = b.withSeed(1, () => {
        const m = tf.sequential();
        m.add(tf.layers.embedding({ inputDim: 20, outputDim: 4, inputLength: 3 }));
        m.add(tf.layers.flatten());
        m.add(tf.layers.dense({ units: 1, activation: "sigmoid" }));
        m.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy"] });
        return m;
      });
      const x = tf.tensor2d([[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 5, 9]], [4, 3], "int32");
      const y = tf.tensor2d([[1], [0], [1], [0]]);
      const h = await t.fitWithProgress(m, x, y, { epochs: 2, batchSize: 2, seed: 3 });
      // tfjs-layers warns with console.warn directly for big orthogonal initialisations
      tf.layers.gru({ units: 32 }).apply(tf.zeros([1, 2, 3]));
      await b.initBackend({ prefer: "cpu" });
      tf.grad((a) => tf.gather(a, tf.tensor1d([0, 0, 1], "int32")).sum())(tf.ones([3, 2])).dataSync();
      console.log(JSON.stringify({ threw, name: info.name, description: info.description, epochs: h.epoch.length, warnings: b.tfWarnings() }));
    })();
  `);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, "", "nothing may reach stderr");
  const out = JSON.parse(r.stdout.trim().split("\n").pop()!);
  assert.equal(out.threw, true);
  assert.equal(out.epochs, 2);
  assert.equal(out.warnings.length, 1);
  assert.match(out.warnings[0], /Orthogonal initializer/);
  assert.doesNotMatch(r.stdout, /^TensorFlow\.js: Orthogonal/m, "outside the kernel warnings are only collected");
  assert.match(out.description, /^TensorFlow\.js \d+\.\d+\.\d+, backend: (node|wasm|cpu)/);
  assert.doesNotMatch(r.stdout, /Hi,? (there|looks like)/, "the tfjs-node hint must be silenced");
});

before(async () => {
  tf = (await initBackend({ prefer: "wasm" })).tf;
});

afterEach(async () => {
  setDisplaySink(null);
  await initBackend({ prefer: "wasm" });
});

test("initBackend: wasm here (tfjs-node cannot install offline), idempotent, getTf returns the namespace", async () => {
  const a = await initBackend({ prefer: "wasm" });
  const b = await initBackend({ prefer: "wasm" });
  assert.equal(a, b);
  assert.equal(a.name, "wasm");
  assert.equal(tf.getBackend(), "wasm");
  assert.equal(getTf(), a.tf);
  assert.equal(backendInfo(), a);
  assert.match(a.description, /backend: wasm/);
  assert.equal(a.version, tf.version.tfjs);
  // The default order tries node first and says why it was skipped.
  const d = await initBackend({ prefer: "node" });
  if (d.name !== "node") assert.match(d.skipped.join(" "), /^node: /);
  const c = await initBackend({ prefer: "cpu" });
  assert.equal(c.name, "cpu");
  assert.equal(tf.getBackend(), "cpu");
  await assert.rejects(() => initBackend({ prefer: "gpu" as never }), /unknown TensorFlow\.js backend "gpu"/);
});

test("segmentSumInto: hand-computed case, negative ids dropped, out-of-range ids rejected", () => {
  const out = new Float32Array(6);
  // rows (2 wide): [1,2] → 2, [3,4] → 0, [5,6] → 2, [7,8] → dropped
  segmentSumInto([1, 2, 3, 4, 5, 6, 7, 8], [2, 0, 2, -1], 2, 3, out);
  assert.deepEqual(Array.from(out), [3, 4, 0, 0, 6, 8]);
  assert.throws(() => segmentSumInto([1, 2], [3], 2, 3, new Float32Array(6)), /segment id 3 at position 0 is outside \[0, 3\)/);
  assert.throws(() => segmentSumInto([1, 2, 3], [0], 2, 3, new Float32Array(6)), /expected 1 rows × 2/);
});

/** The segment sum in the most obvious way, for comparison. */
function bruteSegmentSum(x: Float32Array, ids: Int32Array, width: number, numSegments: number): number[] {
  const out = new Array<number>(numSegments * width).fill(0);
  ids.forEach((s, i) => {
    if (s < 0) return;
    for (let j = 0; j < width; j++) out[s * width + j] += x[i * width + j];
  });
  return out;
}

test("UnsortedSegmentSum kernel on wasm and cpu agrees with a plain-JS segment sum (2-D and 3-D x, negative ids)", async () => {
  const rng = new Rng(5);
  for (const backend of ["wasm", "cpu"] as const) {
    await initBackend({ prefer: backend });
    for (const [n, inner, numSegments] of [[50, [3], 7], [20, [2, 4], 5], [9, [], 4]] as const) {
      const width = inner.reduce((a, b) => a * b, 1);
      const x = Float32Array.from({ length: n * width }, () => rng.normal());
      const ids = Int32Array.from({ length: n }, () => rng.int(numSegments + 1) - 1); // some −1
      const got = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor(x, [n, ...inner]), tf.tensor1d(ids, "int32"), numSegments));
      assert.deepEqual(got.shape, [numSegments, ...inner]);
      const want = bruteSegmentSum(x, ids, width, numSegments);
      const vals = got.dataSync();
      for (let k = 0; k < want.length; k++) assert.ok(Math.abs(vals[k] - want[k]) < 1e-4, `${backend} value ${k}`);
      got.dispose();
    }
  }
});

test("gradient of an embedding lookup (gather then sum) counts how often each row was looked up", async () => {
  for (const backend of ["wasm", "cpu"] as const) {
    await initBackend({ prefer: backend });
    const table = tf.randomNormal([6, 3]);
    const ids = tf.tensor1d([0, 2, 2, 5, 2, 0], "int32");
    const g = tf.grad((t: tfjs.Tensor) => tf.gather(t, ids).sum())(table);
    assert.deepEqual(Array.from(g.dataSync()), [2, 2, 2, 0, 0, 0, 3, 3, 3, 0, 0, 0, 0, 0, 0, 1, 1, 1], backend);
    tf.dispose([table, ids, g]);
  }
});

test("wasm embedding model trains: the gradient step moves only the rows that were looked up", async () => {
  const emb = tf.variable(tf.zeros([5, 2]));
  const ids = tf.tensor1d([1, 3, 3], "int32");
  const opt = tf.train.sgd(0.5);
  opt.minimize(() => tf.gather(emb, ids).sub(1).square().sum() as tfjs.Scalar);
  // d/de Σ (e−1)² = 2(e−1) = −2 per lookup: row 1 gets −2 (once), row 3 gets −4 (twice); step −0.5·grad.
  assert.deepEqual(Array.from(emb.dataSync()), [0, 0, 1, 1, 0, 0, 2, 2, 0, 0]);
  tf.dispose([emb, ids]);
  opt.dispose();
});

/** Runs `f` on the cpu backend and on wasm and returns both results as plain arrays. */
async function onBothBackends(f: () => tfjs.Tensor | tfjs.Tensor[]): Promise<[number[][], number[][]]> {
  const results: number[][][] = [];
  for (const backend of ["cpu", "wasm"] as const) {
    await initBackend({ prefer: backend });
    const out = tf.tidy(f);
    const list = Array.isArray(out) ? out : [out];
    results.push(list.map((t) => Array.from(t.dataSync())));
    tf.dispose(list);
  }
  return [results[0], results[1]];
}

function assertClose(a: number[][], b: number[][], tol: number, what: string): void {
  assert.equal(a.length, b.length, what);
  a.forEach((arr, k) => {
    assert.equal(arr.length, b[k].length, `${what}: output ${k} size`);
    for (let i = 0; i < arr.length; i++) assert.ok(Math.abs(arr[i] - b[k][i]) <= tol * (1 + Math.abs(arr[i])), `${what}: output ${k}[${i}] ${arr[i]} vs ${b[k][i]}`);
  });
}

test("matMul with transpose flags (rank 2 and batched rank 3, plain and fused) on wasm matches the cpu backend", async () => {
  const rng = new Rng(12);
  const r = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
  const a2 = r(5 * 3), b2 = r(5 * 4), a3 = r(2 * 3 * 5), b3 = r(2 * 4 * 5), bias = r(4);
  const [cpu, wasm] = await onBothBackends(() => [
    tf.matMul(tf.tensor2d(a2, [5, 3]), tf.tensor2d(b2, [5, 4]), true, false),
    tf.matMul(tf.tensor2d(b2, [5, 4]), tf.tensor2d(a2, [5, 3]), true, false),
    tf.matMul(tf.tensor2d(a2, [3, 5]), tf.tensor2d(b2, [4, 5]), false, true),
    tf.matMul(tf.tensor2d(a2, [5, 3]), tf.tensor2d(b2, [4, 5]), true, true),
    tf.matMul(tf.tensor3d(a3, [2, 5, 3]), tf.tensor3d(b3, [2, 4, 5]), true, true),
    tf.fused.matMul({ a: tf.tensor2d(a2, [5, 3]), b: tf.tensor2d(b2, [5, 4]), transposeA: true, bias: tf.tensor1d(bias), activation: "relu" }),
  ]);
  assertClose(cpu, wasm, 1e-5, "matMul");
  assert.deepEqual(cpu.map((x) => x.length), [12, 12, 12, 12, 24, 12]);
});

test("conv2d gradients (filter and input) on wasm match the cpu backend (strides, valid/same padding, channels)", async () => {
  const rng = new Rng(11);
  const cases: { x: number[]; f: number[]; s: number; pad: "valid" | "same" }[] = [
    { x: [2, 7, 6, 1], f: [3, 3, 1, 4], s: 1, pad: "valid" },
    { x: [3, 8, 8, 3], f: [3, 2, 3, 5], s: 2, pad: "same" },
    { x: [1, 9, 7, 2], f: [2, 2, 2, 3], s: 2, pad: "valid" },
    { x: [2, 5, 5, 2], f: [5, 5, 2, 2], s: 1, pad: "same" },
  ];
  for (const c of cases) {
    const xv = Float32Array.from({ length: c.x.reduce((a, b) => a * b) }, () => rng.normal());
    const fv = Float32Array.from({ length: c.f.reduce((a, b) => a * b) }, () => rng.normal());
    const [cpu, wasm] = await onBothBackends(() => {
      const x = tf.tensor4d(xv, c.x as [number, number, number, number]);
      const w = tf.tensor4d(fv, c.f as [number, number, number, number]);
      // a loss that weights every output differently, so each gradient entry is distinct
      const loss = (a: tfjs.Tensor4D, b: tfjs.Tensor4D) => {
        const y = tf.conv2d(a, b, c.s, c.pad);
        return y.mul(tf.range(0, y.size).reshape(y.shape).mul(0.01).sin()).sum();
      };
      const [gx, gw] = tf.grads(loss as never)([x, w]);
      return [gx, gw];
    });
    assertClose(cpu, wasm, 1e-4, `conv ${JSON.stringify(c)}`);
  }
});

test("im2colT and col2imAdd are adjoint: <P x, y> = <x, Pᵀ y> on random data", () => {
  const rng = new Rng(3);
  const g = { batch: 2, inH: 5, inW: 4, inC: 2, outH: 3, outW: 2, fH: 3, fW: 2, strideH: 2, strideW: 2, padTop: 1, padLeft: 0 };
  const positions = g.batch * g.outH * g.outW, taps = g.fH * g.fW * g.inC;
  const x = Float32Array.from({ length: g.batch * g.inH * g.inW * g.inC }, () => rng.normal());
  const y = Float32Array.from({ length: positions * taps }, () => rng.normal());
  const pt = new Float32Array(taps * positions);
  im2colT(x, pt, g);
  let lhs = 0;
  for (let p = 0; p < positions; p++) for (let t = 0; t < taps; t++) lhs += pt[t * positions + p] * y[p * taps + t];
  const back = new Float32Array(x.length);
  col2imAdd(y, back, g);
  let rhs = 0;
  for (let i = 0; i < x.length; i++) rhs += x[i] * back[i];
  assert.ok(Math.abs(lhs - rhs) < 1e-3, `${lhs} vs ${rhs}`);
});

test("max-pool gradient on wasm matches the cpu backend; by hand it routes to the window maximum (first on ties)", async () => {
  const dx = new Float32Array(4);
  maxPoolGradInto([1, 5, 5, 2], [10], dx, { batch: 1, inH: 2, inW: 2, ch: 1, outH: 1, outW: 1, fH: 2, fW: 2, strideH: 2, strideW: 2, padTop: 0, padLeft: 0 });
  assert.deepEqual(Array.from(dx), [0, 10, 0, 0]);
  const rng = new Rng(8);
  for (const [shape, size, stride, pad] of [[[2, 6, 6, 3], 2, 2, "valid"], [[1, 7, 5, 2], 3, 2, "same"], [[2, 5, 5, 1], 2, 1, "valid"]] as const) {
    const xv = Float32Array.from({ length: (shape as readonly number[]).reduce((a, b) => a * b, 1) }, () => rng.normal());
    const [cpu, wasm] = await onBothBackends(() => {
      const x = tf.tensor4d(xv, shape as unknown as [number, number, number, number]);
      return tf.grad((a: tfjs.Tensor) => {
        const y = tf.maxPool(a as tfjs.Tensor4D, size, stride, pad as "valid" | "same");
        return y.mul(tf.range(1, y.size + 1).reshape(y.shape)).sum();
      })(x);
    });
    assertClose(cpu, wasm, 1e-5, `maxPool ${shape} ${size} ${stride} ${pad}`);
  }
});

test("unstack (Unpack) and split (SplitV) on wasm return the right slices; LSTM gradients match the cpu backend", async () => {
  const v = tf.tensor3d(Float32Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);
  const parts = tf.unstack(v, 1);
  assert.equal(parts.length, 3);
  assert.deepEqual(parts[1].shape, [2, 4]);
  assert.deepEqual(Array.from(parts[1].dataSync()), [4, 5, 6, 7, 16, 17, 18, 19]);
  const last = tf.unstack(v, 2);
  assert.deepEqual(Array.from(last[3].dataSync()), [3, 7, 11, 15, 19, 23]);
  const pieces = tf.split(v, [1, 3], 2); // SplitV with unequal sizes on the last axis
  assert.deepEqual(pieces[0].shape, [2, 3, 1]);
  assert.deepEqual(Array.from(pieces[0].dataSync()), [0, 4, 8, 12, 16, 20]);
  assert.deepEqual(pieces[1].shape, [2, 3, 3]);
  assert.deepEqual(Array.from(pieces[1].dataSync()).slice(0, 6), [1, 2, 3, 5, 6, 7]);
  const halves = tf.split(v, 2, 0);
  assert.deepEqual(Array.from(halves[1].dataSync()), Array.from({ length: 12 }, (_, i) => 12 + i));
  tf.dispose([v, ...parts, ...last, ...pieces, ...halves]);

  const rng = new Rng(2);
  const xv = Float32Array.from({ length: 3 * 6 * 2 }, () => rng.normal());
  const [cpu, wasm] = await onBothBackends(() => {
    const x = tf.tensor3d(xv, [3, 6, 2]);
    const layer = withSeed(4, () => {
      const l = tf.layers.lstm({ units: 3 });
      l.apply(x); // builds (initialises) the weights
      return l;
    });
    const vars = layer.trainableWeights.map((w) => w.read() as tfjs.Variable);
    const { grads } = tf.variableGrads(() => (layer.apply(x) as tfjs.Tensor).square().sum() as tfjs.Scalar, vars);
    const out = vars.map((v) => grads[v.name].clone());
    layer.dispose();
    return out;
  });
  assertClose(cpu, wasm, 1e-4, "lstm grads");
});

test("slice on wasm matches the cpu backend for contiguous and strided slices of ranks 1–4", async () => {
  const v = Float32Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => i);
  const [cpu, wasm] = await onBothBackends(() => {
    const t4 = tf.tensor4d(v, [2, 3, 4, 5]);
    return [
      tf.slice(tf.tensor1d(v), 7, 11),
      tf.slice(t4.reshape([24, 5]), [3, 0], [10, 5]), // contiguous rows
      tf.slice(t4.reshape([24, 5]), [3, 1], [10, 3]), // strided
      tf.slice(t4, [1, 0, 0, 0], [1, 3, 4, 5]),
      tf.slice(t4, [0, 1, 2, 1], [2, 2, 2, 3]),
      tf.slice(t4, [0, 0, 1, 0], [2, 3, 2, 5]),
      tf.slice(t4, [1, 2, 3, 4], [1, 1, 1, 1]),
    ];
  });
  assert.deepEqual(wasm, cpu);
  assert.deepEqual(cpu[0], [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
  assert.deepEqual(cpu[6], [119]);
});

test("withSeed: same seed → identical initial weights and training; Math.random is restored, also after a throw", async () => {
  const original = Math.random;
  const build = () => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 8, activation: "relu", inputShape: [4] }));
    m.add(tf.layers.dropout({ rate: 0.3 }));
    m.add(tf.layers.dense({ units: 2, activation: "softmax" }));
    m.compile({ optimizer: tf.train.adam(0.05), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
    return m;
  };
  const rng = new Rng(9);
  const x = tf.tensor2d(Float32Array.from({ length: 40 * 4 }, () => rng.normal()), [40, 4]);
  const y = tf.oneHot(tf.tensor1d(Int32Array.from({ length: 40 }, (_, i) => i % 2), "int32"), 2);
  const run = async (seed: number) => {
    const m = withSeed(seed, build);
    const w0 = Array.from(m.getWeights()[0].dataSync());
    const h = await fitWithProgress(m, x, y, { epochs: 3, batchSize: 8, seed, silent: true });
    const w1 = Array.from(m.getWeights()[0].dataSync());
    m.dispose();
    return { w0, w1, loss: h.metrics.loss };
  };
  const a = await run(1), b = await run(1), c = await run(2);
  assert.deepEqual(a.w0, b.w0);
  assert.deepEqual(a.loss, b.loss);
  assert.deepEqual(a.w1, b.w1);
  assert.notDeepEqual(a.w0, c.w0);
  assert.equal(Math.random, original);
  assert.throws(() => withSeed(1, () => { throw new Error("boom"); }), /boom/);
  assert.equal(Math.random, original);
  await assert.rejects(() => withSeed(1, async () => { throw new Error("later"); }), /later/);
  assert.equal(Math.random, original);
  assert.deepEqual(withSeed(7, () => [Math.random(), Math.random()]), withSeed(7, () => [Math.random(), Math.random()]));
  tf.dispose([x, y]);
});

/** A sink recording how many displays were opened and how often each was updated. */
function countingSink(): { sink: DisplaySink; opened: number; updates: string[] } {
  const state = { opened: 0, updates: [] as string[], sink: undefined as unknown as DisplaySink };
  state.sink = {
    display: () => assert.fail("progress must not append outputs"),
    newDisplay: () => {
      state.opened++;
      return (_mime, data) => state.updates.push(String(data));
    },
  };
  return state;
}

test("fitWithProgress: one display updated in place, history per epoch, no tensors leak across epochs", async () => {
  const rng = new Rng(4);
  const n = 64;
  const xs = Float32Array.from({ length: n * 2 }, () => rng.normal());
  const ys = Int32Array.from({ length: n }, (_, i) => (xs[2 * i] + xs[2 * i + 1] > 0 ? 1 : 0));
  const x = tf.tensor2d(xs, [n, 2]);
  const y = tf.oneHot(tf.tensor1d(ys, "int32"), 2);
  const model = withSeed(1, () => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 8, activation: "relu", inputShape: [2] }));
    m.add(tf.layers.dense({ units: 2, activation: "softmax" }));
    m.compile({ optimizer: tf.train.adam(0.05), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
    return m;
  });
  await fitWithProgress(model, x, y, { epochs: 1, silent: true }); // creates the optimizer's slots
  const before = tf.memory().numTensors;
  const state = countingSink();
  setDisplaySink(state.sink);
  const h = await fitWithProgress(model, x, y, { epochs: 6, batchSize: 16, validationData: [x, y], seed: 1, label: "toy" });
  assert.equal(tf.memory().numTensors, before, "no tensors left behind");
  assert.equal(state.opened, 1, "exactly one output");
  assert.ok(state.updates.length >= 2);
  assert.match(state.updates[state.updates.length - 1], /^toy \[#+\] 24\/24 100% .* epoch 6\/6 loss \d/);
  assert.deepEqual(h.epoch, [1, 2, 3, 4, 5, 6]);
  for (const k of ["loss", "acc", "val_loss", "val_acc"]) assert.equal(h.metrics[k]?.length, 6, k);
  assert.equal(h.seconds.length, 6);
  assert.ok(h.metrics.loss[5] < h.metrics.loss[0], "the loss goes down on a separable problem");
  assert.ok(h.metrics.val_acc[5] >= 0.9);
  // predictClasses / accuracyOf agree with the metric tfjs computed on the same data
  const pred = predictClasses(model, x, { batchSize: 10 });
  assert.equal(pred.length, n);
  assert.ok(Math.abs(accuracyOf(pred, ys) - h.metrics.val_acc[5]) < 1e-6);
  assert.equal(tf.memory().numTensors, before);
  await assert.rejects(() => fitWithProgress(model, x, y, { epochs: 0 }), /epochs must be an integer ≥ 1/);
  tf.dispose([x, y]);
  model.dispose();
});

test("trainLoop / trainLoopSync: mean step loss per epoch, extra metrics, CLI writer, memory stays flat", async () => {
  const w = tf.variable(tf.scalar(0));
  const opt = tf.train.sgd(0.1);
  const counts: number[] = [];
  const lines: string[] = [];
  // minimise (w − 3)²: the loss returned is the value before each step
  const h = await trainLoop({
    epochs: 3,
    steps: 4,
    step: () => opt.minimize(() => w.sub(3).square() as tfjs.Scalar, true)!,
    onEpochEnd: async () => {
      counts.push(tf.memory().numTensors);
      return { w: w.dataSync()[0] };
    },
    write: (s) => lines.push(s),
    label: "toy",
  });
  assert.deepEqual(h.epoch, [1, 2, 3]);
  // by hand: w_{k+1} = w_k + 0.2 (3 − w_k) → the (3 − w)² sequence shrinks by 0.64 every step
  const losses: number[] = [];
  let wv = 0;
  for (let k = 0; k < 12; k++) {
    losses.push((3 - wv) ** 2);
    wv += 0.2 * (3 - wv);
  }
  for (let e = 0; e < 3; e++) {
    const mean = losses.slice(4 * e, 4 * e + 4).reduce((a, b) => a + b) / 4;
    assert.ok(Math.abs(h.metrics.loss[e] - mean) < 1e-4, `epoch ${e + 1}`);
  }
  assert.ok(Math.abs(h.metrics.w[2] - wv) < 1e-4);
  assert.equal(new Set(counts).size, 1, `tensor count per epoch ${counts}`);
  assert.match(lines[lines.length - 1], /^\rtoy \[#+\] 12\/12 100% .*epoch 3\/3 loss [\d.]+ w [\d.]+\s*\n$/);

  const before = tf.memory().numTensors;
  const hs = trainLoopSync({ epochs: 2, steps: 3, step: () => { tf.ones([100]); return 1; }, silent: true }); // the leaked tensor is tidied
  assert.deepEqual(hs.metrics.loss, [1, 1]);
  assert.equal(tf.memory().numTensors, before);
  const none = trainLoopSync({ epochs: 1, steps: 2, step: () => undefined, silent: true, onEpochEnd: () => ({ val: 5 }) });
  assert.ok(Number.isNaN(none.metrics.loss[0]));
  assert.deepEqual(none.metrics.val, [5]);
  assert.throws(() => trainLoopSync({ epochs: 1, steps: 0, step: () => 1 }), /steps must be an integer ≥ 1/);
  await assert.rejects(() => trainLoop({ epochs: 1, steps: 1, step: (async () => 1) as never, silent: true }), /must be synchronous/);
  tf.dispose(w);
  opt.dispose();
});

test("kFoldIndices: a seeded stratified partition; complementIndices gives the rest", () => {
  const y = Int32Array.from({ length: 53 }, (_, i) => (i % 5 === 0 ? 1 : 0)); // 11 ones, 42 zeros
  const folds = kFoldIndices(y, 10, 3);
  assert.equal(folds.length, 10);
  const all = folds.flatMap((f) => Array.from(f)).sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 53 }, (_, i) => i));
  for (const f of folds) {
    assert.ok(f.length === 5 || f.length === 6);
    const ones = Array.from(f).filter((i) => y[i] === 1).length;
    assert.ok(ones === 1 || ones === 2, `fold has ${ones} of the 11 ones`);
  }
  assert.deepEqual(kFoldIndices(y, 10, 3), folds);
  assert.notDeepEqual(kFoldIndices(y, 10, 4), folds);
  assert.deepEqual(Array.from(complementIndices(6, [1, 4])), [0, 2, 3, 5]);
  const m = Int32Array.from([1, 2, 3, 4, 5, 6]); // 3 rows of 2
  const t = takeRows(m, 2, [2, 0, 2]);
  assert.ok(t instanceof Int32Array);
  assert.deepEqual(Array.from(t), [5, 6, 1, 2, 5, 6]);
  assert.throws(() => takeRows(m, 2, [3]), /row 3 is outside \[0, 3\)/);
  assert.throws(() => kFoldIndices(y, 1), /k must be an integer ≥ 2/);
  assert.throws(() => kFoldIndices([0, 1], 3), /at least 3 samples/);
});

test("accuracyOf and formatLogs", () => {
  assert.equal(accuracyOf([1, 2, 3, 4], [1, 0, 3, 0]), 0.5);
  assert.throws(() => accuracyOf([1], [1, 2]), /1 predictions but 2 labels/);
  assert.throws(() => accuracyOf([], []), /no predictions/);
  assert.equal(formatLogs({ loss: 0.123456, acc: 0.5, big: 1234.5 }), "loss 0.1235 acc 0.5000 big 1234.5");
  assert.equal(formatLogs({ val_loss: 1, val_acc: 0.5, loss: 2, acc: 0.25, x: 3 }), "loss 2.0000 acc 0.2500 x 3.0000 val_loss 1.0000");
});

test("initBackend leaves no process-wide rethrowing handlers behind (a stray rejection must not kill a kernel)", () => {
  const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
  const script = [
    'const { initBackend } = require("./lib/neural/backend");',
    "(async () => {",
    '  const count = () => process.listeners("unhandledRejection").length + process.listeners("uncaughtException").length;',
    "  const before = count();",
    "  await initBackend();",
    '  process.stdout.write(JSON.stringify({ before, after: count() }));',
    "})();",
  ].join("\n");
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { cwd: require("node:path").resolve(__dirname, "..", ".."), encoding: "utf8", timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const { before, after } = JSON.parse(r.stdout.trim().split("\n").pop()!);
  assert.equal(after, before);
});
