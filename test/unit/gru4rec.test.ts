import { test } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../../lib/neural/backend";
import { Rng } from "../../lib/random";
import {
  GRU4REC_DEFAULTS,
  GRU4REC_PARAMS,
  GRU4Rec,
  gruCell,
  gruCellTf,
  gruStep,
  inputProjection,
  sessionLossTf,
  type GRU4RecLoss,
  type GRU4RecWeights,
} from "../../lib/session/gru4rec";
import type { Sessions } from "../../lib/session/types";

const near = (a: number, b: number, tol: number, what = "") => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (± ${tol})`);
const quiet = { silent: true };

/** Sessions in the CSR shape from one array of items per session (times 0, 1, 2 …, user 0). */
function sessionsOf(nItems: number, list: number[][]): Sessions {
  const ptr = new Int32Array(list.length + 1);
  list.forEach((s, q) => (ptr[q + 1] = ptr[q] + s.length));
  const items = Int32Array.from(list.flat());
  return { nItems, nSessions: list.length, ptr, items, times: Float64Array.from(items, (_, k) => k), users: new Int32Array(list.length) };
}

/** Sessions where item i is always followed by (i + 1) mod m: random start, length 3–7. */
function successorSessions(m: number, n: number, seed: number): Sessions {
  const rng = new Rng(seed);
  const list: number[][] = [];
  for (let q = 0; q < n; q++) {
    let i = rng.int(m);
    const len = 3 + rng.int(5);
    const s = [i];
    for (let t = 1; t < len; t++) s.push((i = (i + 1) % m));
    list.push(s);
  }
  return sessionsOf(m, list);
}

test("GRU4Rec learns a successor pattern: top-1 after [i] is i + 1, and the loss falls", async () => {
  const { tf } = await initBackend();
  const m = 10;
  const train = successorSessions(m, 200, 1);
  const before = tf.memory().numTensors;
  const model = new GRU4Rec({ hidden: 16, epochs: 8, batchSize: 16, learningRate: 0.1, sample: 0, seed: 3, progress: quiet }).fitSessions(train);
  assert.equal(tf.memory().numTensors, before, "fit leaves no tensors behind");
  let right = 0;
  for (let i = 0; i < m; i++) if (model.recommendNext([i], 1)[0].item === (i + 1) % m) right++;
  assert.ok(right >= m - 1, `top-1 successor right for ${right} of ${m} items`);
  // longer prefixes too: the last item decides
  assert.equal(model.recommendNext([3, 4, 5], 1)[0].item, 6);
  const loss = model.epochLoss;
  assert.equal(loss.length, 8);
  assert.ok(loss[loss.length - 1] < 0.5 * loss[0], `loss ${loss[0]} → ${loss[loss.length - 1]}`);
  assert.equal(model.history.seconds.length, 8);
  assert.ok(model.seconds > 0);
  // every step's loss is recorded; the epoch loss is their mean
  const steps = model.trainedEvents.map((e) => e / 16);
  assert.equal(model.stepLoss.length, steps.reduce((a, b) => a + b, 0));
  const first = model.stepLoss.slice(0, steps[0]);
  near(loss[0], first.reduce((a, b) => a + b, 0) / first.length, 1e-12, "epoch 1 loss");
});

test("GRU4Rec: every loss and the full softmax learn the pattern; adam and dropout run", async () => {
  await initBackend();
  const m = 8;
  const train = successorSessions(m, 150, 2);
  const configs: { loss: GRU4RecLoss; negatives?: "full" | "in-batch"; optimizer?: "adam"; dropout?: number; learningRate?: number; embedding?: number }[] = [
    { loss: "bpr", negatives: "full" },
    { loss: "top1" },
    { loss: "bpr-max" },
    { loss: "cross-entropy", negatives: "full", optimizer: "adam", learningRate: 0.02, dropout: 0.1, embedding: 8 },
  ];
  for (const c of configs) {
    const model = new GRU4Rec({ hidden: 16, epochs: 8, batchSize: 16, learningRate: 0.1, sample: 4, seed: 1, progress: quiet, ...c }).fitSessions(train);
    let right = 0;
    for (let i = 0; i < m; i++) if (model.recommendNext([i], 1)[0].item === (i + 1) % m) right++;
    assert.ok(right >= m - 1, `${JSON.stringify(c)}: top-1 right for ${right} of ${m}`);
    const loss = model.epochLoss;
    assert.ok(loss[loss.length - 1] < loss[0], `${JSON.stringify(c)}: loss ${loss[0]} → ${loss[loss.length - 1]}`);
  }
});

test("GRU4Rec: session-parallel batches use every event when the sessions end together, and stop when a slot finds none", async () => {
  await initBackend();
  // 4 sessions of 3 events (2 training pairs each), 2 slots: two rounds of 2 steps, all 8 pairs
  const four = sessionsOf(5, [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 0]]);
  const a = new GRU4Rec({ hidden: 4, epochs: 2, batchSize: 2, seed: 1, progress: quiet }).fitSessions(four);
  assert.deepEqual(a.trainedEvents, [8, 8]);
  assert.equal(a.stepLoss.length, 8);
  // a fifth session: after the second round one slot gets it, the other finds nothing → epoch ends
  const five = sessionsOf(5, [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 0], [4, 0, 1]]);
  const b = new GRU4Rec({ hidden: 4, epochs: 1, batchSize: 2, seed: 1, progress: quiet }).fitSessions(five);
  assert.deepEqual(b.trainedEvents, [8]);
  // sessions of one event are skipped; fewer sessions than slots → as many slots as sessions
  const short = sessionsOf(5, [[0], [1, 2, 3, 4], [2]]);
  const c = new GRU4Rec({ hidden: 4, epochs: 1, batchSize: 8, sample: 2, seed: 1, progress: quiet }).fitSessions(short);
  assert.deepEqual(c.trainedEvents, [3]);
});

test("GRU4Rec: one Adagrad step moves exactly the touched rows by ≈ lr; a reset state leaves U untouched", async () => {
  await initBackend();
  const opts = { hidden: 3, epochs: 1, batchSize: 2, negatives: "full" as const, seed: 4, progress: quiet };
  // both slots run their session's only pair in one step, then the epoch ends: one update
  const pairs = sessionsOf(5, [[0, 1], [2, 3]]);
  const init = new GRU4Rec({ ...opts, learningRate: 1e-30 }).fitSessions(pairs).weights(); // = the initial weights
  const lr = 0.1;
  const one = new GRU4Rec({ ...opts, learningRate: lr }).fitSessions(pairs);
  assert.deepEqual(one.trainedEvents, [2]);
  const after = one.weights();
  const rows = (a: Float32Array, width: number, r: number) => Array.from(a.subarray(r * width, (r + 1) * width));
  const moved = (a: number[], b: number[]) => a.map((v, k) => Math.abs(v - b[k]));
  const W = 9; // one-hot input rows are 3H wide
  // untouched: input rows of items 1, 3, 4; output rows and biases of items 0, 2, 4 (not candidates)
  for (const i of [1, 3, 4]) assert.deepEqual(rows(after.E, W, i), rows(init.E, W, i), `E row ${i}`);
  for (const i of [0, 2, 4]) {
    assert.deepEqual(rows(after.O, 3, i), rows(init.O, 3, i), `O row ${i}`);
    assert.equal(after.bo[i], init.bo[i]);
  }
  // h₀ = 0: the recurrent kernels get no gradient
  assert.deepEqual(after.Uzr, init.Uzr);
  assert.deepEqual(after.Uh, init.Uh);
  // touched: Adagrad's first step is lr·g/(|g| + 1e-6) ≈ ±lr per entry
  const touched = [
    ...moved(rows(after.E, W, 0), rows(init.E, W, 0)),
    ...moved(rows(after.E, W, 2), rows(init.E, W, 2)),
    ...moved(rows(after.O, 3, 1), rows(init.O, 3, 1)),
    ...moved(rows(after.O, 3, 3), rows(init.O, 3, 3)),
    ...moved(Array.from(after.bg), Array.from(init.bg)),
    Math.abs(after.bo[1] - init.bo[1]),
    Math.abs(after.bo[3] - init.bo[3]),
  ];
  assert.ok(touched.every((d) => d <= lr * (1 + 1e-6)), `no step larger than lr: ${Math.max(...touched)}`);
  const sorted = touched.slice().sort((a, b) => a - b);
  assert.ok(sorted[sorted.length >> 1] > 0.9 * lr, `median step ${sorted[sorted.length >> 1]} ≈ lr`);
  // sessions of two events only: every step starts from a reset state, so U never changes,
  // however long the training; a session of three events carries a state and changes it
  const twos = sessionsOf(5, [[0, 1], [2, 3], [4, 0], [1, 2], [3, 4]]);
  const u0 = new GRU4Rec({ ...opts, learningRate: 1e-30 }).fitSessions(twos).weights();
  const u5 = new GRU4Rec({ ...opts, epochs: 5, learningRate: lr }).fitSessions(twos).weights();
  assert.deepEqual(u5.Uh, u0.Uh);
  assert.deepEqual(u5.Uzr, u0.Uzr);
  assert.notDeepEqual(u5.bg, u0.bg);
  const threes = sessionsOf(5, [[0, 1, 2], [2, 3, 4]]);
  const v0 = new GRU4Rec({ ...opts, learningRate: 1e-30 }).fitSessions(threes).weights();
  const v1 = new GRU4Rec({ ...opts, learningRate: lr }).fitSessions(threes).weights();
  assert.notDeepEqual(v1.Uh, v0.Uh);
});

test("GRU4Rec: same seed → same scores; another seed → different ones", async () => {
  await initBackend();
  const train = successorSessions(6, 40, 4);
  const opts = { hidden: 6, epochs: 2, batchSize: 4, sample: 3, dropout: 0.2, seed: 9, progress: quiet };
  const a = new GRU4Rec(opts).fitSessions(train);
  const b = new GRU4Rec(opts).fitSessions(train);
  assert.deepEqual(b.stepLoss, a.stepLoss);
  assert.deepEqual(b.scoreNext([1, 2]), a.scoreNext([1, 2]));
  assert.deepEqual(b.weights().E, a.weights().E);
  const c = new GRU4Rec({ ...opts, seed: 10 }).fitSessions(train);
  assert.notDeepEqual(c.scoreNext([1, 2]), a.scoreNext([1, 2]));
});

test("GRU4Rec.recommendNext = the top of scoreNext over candidates, without the prefix and `exclude`", async () => {
  await initBackend();
  // item 6 only ever starts a session (never a target), item 7 never occurs: neither is a candidate
  const train = sessionsOf(8, [[0, 1, 2, 3], [6, 4, 5], [2, 3, 4, 5, 0], [1, 2, 0], [6, 5, 3]]);
  const model = new GRU4Rec({ hidden: 5, epochs: 3, batchSize: 2, sample: 2, seed: 2, progress: quiet }).fitSessions(train);
  assert.deepEqual(Array.from(model.candidateItems()), [0, 1, 2, 3, 4, 5]);
  const brute = (prefix: number[], n: number, drop: Set<number>) => {
    const s = model.scoreNext(prefix);
    return Array.from(model.candidateItems())
      .filter((i) => !drop.has(i))
      .map((i) => ({ item: i, score: s[i] }))
      .sort((x, y) => y.score - x.score || x.item - y.item)
      .slice(0, n);
  };
  const prefix = [2, 3];
  const all = model.recommendNext(prefix, 10);
  assert.deepEqual(all, brute(prefix, 10, new Set(prefix)));
  assert.equal(all.length, 4, "6 candidates minus the 2 prefix items");
  assert.ok(all.every((r) => !prefix.includes(r.item)));
  const kept = model.recommendNext(prefix, 10, { excludePrefix: false });
  assert.deepEqual(kept, brute(prefix, 10, new Set()));
  const some = model.recommendNext(prefix, 2, { exclude: new Set([all[0].item]) });
  assert.deepEqual(some, brute(prefix, 2, new Set([...prefix, all[0].item])));
  assert.deepEqual(model.recommendNext(prefix, 0), []);
  // an empty prefix: h = 0, the scores are the output biases
  const empty = model.scoreNext([]);
  empty.forEach((s, i) => near(s, model.weights().bo[i], 1e-7, `bias of ${i}`));
  // the prefix's own repetition does not break the exclusion mask for the next call
  model.recommendNext([1, 1, 1], 3);
  assert.ok(model.recommendNext([0], 6).some((r) => r.item === 1));
});

test("GRU4Rec.hiddenState follows the GRU step by step, with and without its cache", async () => {
  await initBackend();
  const train = successorSessions(7, 30, 5);
  for (const embedding of [0, 3]) {
    const model = new GRU4Rec({ embedding, hidden: 4, epochs: 1, batchSize: 4, seed: 1, progress: quiet }).fitSessions(train);
    const w = model.weights();
    const manual = (prefix: number[]) => {
      const h = new Float64Array(4);
      for (const i of prefix) gruCell(w, i, h, h);
      return h;
    };
    // extending prefixes use the cache; a different prefix starts again from zero
    for (const p of [[1], [1, 2], [1, 2, 3], [4, 2], [4], [1, 2, 3, 4, 5]]) {
      const got = model.hiddenState(p);
      const want = manual(p);
      got.forEach((v, k) => near(v, want[k], 1e-12, `${embedding}: h(${p})[${k}]`));
    }
  }
});

/** A GRU step written out gate by gate in Float64, straight from the equations. */
function handStep(w: GRU4RecWeights, item: number, h: number[]): number[] {
  const { embedding: d, hidden: H } = w;
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  // input part of gate g (0 = z, 1 = r, 2 = h̃) for unit j
  const input = (g: number, j: number) => {
    if (d === 0) return w.E[item * 3 * H + g * H + j];
    let s = 0;
    for (let k = 0; k < d; k++) s += w.E[item * d + k] * w.Wx[k * 3 * H + g * H + j];
    return s;
  };
  const z: number[] = [], r: number[] = [], c: number[] = [];
  for (let j = 0; j < H; j++) {
    let az = input(0, j) + w.bg[j];
    let ar = input(1, j) + w.bg[H + j];
    for (let k = 0; k < H; k++) {
      az += h[k] * w.Uzr[k * 2 * H + j];
      ar += h[k] * w.Uzr[k * 2 * H + H + j];
    }
    z.push(sig(az));
    r.push(sig(ar));
  }
  for (let j = 0; j < H; j++) {
    let a = input(2, j) + w.bg[2 * H + j];
    for (let k = 0; k < H; k++) a += r[k] * h[k] * w.Uh[k * H + j];
    c.push(Math.tanh(a));
  }
  return h.map((hj, j) => (1 - z[j]) * hj + z[j] * c[j]);
}

function tinyWeights(embedding: number, seed: number): GRU4RecWeights {
  const rng = new Rng(seed);
  const H = 3;
  const nItems = 4;
  const u = (n: number) => Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
  return {
    nItems,
    embedding,
    hidden: H,
    E: u(nItems * (embedding === 0 ? 3 * H : embedding)),
    Wx: u(embedding * 3 * H),
    Uzr: u(H * 2 * H),
    Uh: u(H * H),
    bg: u(3 * H),
    O: u(nItems * H),
    bo: u(nItems),
  };
}

test("gruCell = the equations computed by hand; gruCellTf (training) = gruStep (prediction)", async () => {
  const { tf } = await initBackend();
  for (const embedding of [0, 2]) {
    const w = tinyWeights(embedding, 11 + embedding);
    let h = [0, 0, 0];
    const state = new Float64Array(3);
    for (const item of [2, 0, 3, 3, 1]) {
      h = handStep(w, item, h);
      gruCell(w, item, state, state);
      h.forEach((v, k) => near(state[k], v, 1e-12, `d=${embedding} item ${item} unit ${k}`));
    }
    // a batch in TensorFlow.js (float32) against the plain step, rows = (item, state) pairs
    const items = [1, 3, 0];
    const states = [
      [0, 0, 0],
      [0.5, -0.2, 0.9],
      [-0.7, 0.1, 0.3],
    ];
    const H = 3;
    const width = embedding === 0 ? 3 * H : embedding;
    const xe = items.flatMap((i) => Array.from(w.E.subarray(i * width, (i + 1) * width)));
    const before = tf.memory().numTensors;
    const got = tf.tidy(() =>
      gruCellTf(
        tf,
        tf.tensor2d(xe, [3, width]),
        tf.tensor2d(states.flat(), [3, H]),
        embedding === 0 ? null : tf.tensor2d(w.Wx, [embedding, 3 * H]),
        tf.tensor2d(w.Uzr, [H, 2 * H]),
        tf.tensor2d(w.Uh, [H, H]),
        tf.tensor1d(w.bg),
      ).arraySync(),
    );
    assert.equal(tf.memory().numTensors, before);
    items.forEach((i, row) => {
      const want = gruStep(w, inputProjection(w, i, new Float64Array(3 * H)), states[row], new Float64Array(H));
      want.forEach((v, k) => near(got[row][k], v, 1e-5, `tf d=${embedding} row ${row} unit ${k}`));
    });
  }
});

test("sessionLossTf: each loss and the cross-entropy gradient match a hand computation", async () => {
  const { tf } = await initBackend();
  const S = [
    [1.0, -0.5, 0.2],
    [0.3, 0.8, -1.2],
  ];
  const t = [0, 2]; // target columns
  const T = S.map((row, i) => row.map((_, j) => (j === t[i] ? 1 : 0)));
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  const rows = S.map((row, i) => ({ st: row[t[i]], neg: row.filter((_, j) => j !== t[i]) }));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const want: Record<GRU4RecLoss, number> = {
    "cross-entropy": mean(S.map((row, i) => Math.log(row.reduce((a, s) => a + Math.exp(s), 0)) - row[t[i]])),
    bpr: mean(rows.flatMap(({ st, neg }) => neg.map((s) => -Math.log(sig(st - s))))),
    top1: mean(rows.flatMap(({ st, neg }) => neg.map((s) => sig(s - st) + sig(s * s)))),
    "bpr-max": mean(
      rows.map(({ st, neg }) => {
        const z = neg.reduce((a, s) => a + Math.exp(s), 0);
        const p = neg.map((s) => Math.exp(s) / z);
        const lambda = 0.5;
        return -Math.log(neg.reduce((a, s, j) => a + p[j] * sig(st - s), 0)) + lambda * neg.reduce((a, s, j) => a + p[j] * s * s, 0);
      }),
    ),
  };
  for (const loss of Object.keys(want) as GRU4RecLoss[]) {
    const got = tf.tidy(() => sessionLossTf(tf, tf.tensor2d(S), tf.tensor2d(T), loss, 0.5).dataSync()[0]);
    near(got, want[loss], 1e-6, loss);
  }
  // ∂(cross-entropy)/∂S = (softmax(S) − T) / B
  const grad = tf.tidy(() => tf.grad((s: import("@tensorflow/tfjs").Tensor) => sessionLossTf(tf, s as never, tf.tensor2d(T), "cross-entropy"))(tf.tensor2d(S)).arraySync() as number[][]);
  S.forEach((row, i) => {
    const z = row.reduce((a, s) => a + Math.exp(s), 0);
    row.forEach((s, j) => near(grad[i][j], (Math.exp(s) / z - T[i][j]) / 2, 1e-6, `grad ${i},${j}`));
  });
  // a single column has no negatives: every loss is 0
  for (const loss of Object.keys(want) as GRU4RecLoss[]) {
    const v = tf.tidy(() => sessionLossTf(tf, tf.tensor2d([[0.4], [1.5]]), tf.tensor2d([[1], [1]]), loss).dataSync()[0]);
    near(v, 0, 1e-7, `${loss} with one column`);
  }
  assert.throws(() => tf.tidy(() => sessionLossTf(tf, tf.tensor2d(S), tf.tensor2d(T), "hinge" as GRU4RecLoss)), /unknown loss/);
});

test("GRU4Rec: bad options, bad sessions and bad prefixes throw clear errors", async () => {
  await initBackend();
  const bad: [object, RegExp][] = [
    [{ embedding: -1 }, /embedding must be an integer ≥ 0/],
    [{ hidden: 0 }, /hidden must be an integer ≥ 1/],
    [{ epochs: 1.5 }, /epochs must be an integer ≥ 1/],
    [{ batchSize: 0 }, /batchSize must be an integer ≥ 1/],
    [{ batchSize: 1, sample: 0 }, /batchSize must be ≥ 2 with in-batch negatives/],
    [{ learningRate: 0 }, /learningRate must be a finite number > 0/],
    [{ learningRate: NaN }, /learningRate/],
    [{ loss: "hinge" }, /loss must be one of cross-entropy, bpr, top1, bpr-max/],
    [{ negatives: "some" }, /negatives must be one of in-batch, full/],
    [{ optimizer: "sgd" }, /optimizer must be one of adagrad, adam/],
    [{ sample: -1 }, /sample must be an integer ≥ 0/],
    [{ sampleAlpha: 2 }, /sampleAlpha must be a number in \[0, 1\]/],
    [{ dropout: 1 }, /dropout must be a number in \[0, 1\)/],
    [{ bpreg: -1 }, /bpreg/],
    [{ seed: Infinity }, /seed/],
  ];
  for (const [o, re] of bad) assert.throws(() => new GRU4Rec(o as never), re, JSON.stringify(o));
  // batch size 1 is fine with full negatives or extra samples
  new GRU4Rec({ batchSize: 1, negatives: "full" });
  new GRU4Rec({ batchSize: 1, sample: 5 });
  const m = new GRU4Rec({ hidden: 3, epochs: 1, batchSize: 2, progress: quiet });
  assert.throws(() => m.recommendNext([0], 3), /call fitSessions/);
  assert.throws(() => m.fitSessions(sessionsOf(4, [[1], [2]])), /no training session has 2 or more events/);
  assert.throws(() => m.fitSessions(sessionsOf(4, [[1, 7]])), /item 7, outside 0\.\.3/);
  assert.throws(() => m.fitSessions({ ...sessionsOf(4, [[1, 2]]), nSessions: 3 }), /ptr has length 2/);
  m.fitSessions(sessionsOf(4, [[0, 1, 2], [1, 2, 3]]));
  assert.throws(() => m.recommendNext([0, 9], 3), /prefix event 1 is item 9/);
  assert.throws(() => m.recommendNext([0], -1), /n must be an integer/);
  assert.throws(() => m.hiddenState([1.5]), /item 1.5/);
  m.dispose();
  assert.throws(() => m.recommendNext([0], 3), /call fitSessions/);
});

test("GRU4REC_PARAMS: the registry schema has the constructor's defaults", () => {
  for (const [name, spec] of Object.entries(GRU4REC_PARAMS)) {
    assert.equal(spec.default, (GRU4REC_DEFAULTS as Record<string, unknown>)[name], name);
  }
  assert.deepEqual(Object.keys(GRU4REC_PARAMS).sort(), Object.keys(GRU4REC_DEFAULTS).sort());
  const m = new GRU4Rec();
  assert.equal(m.id, "gru4rec");
  assert.deepEqual({ ...m.options }, GRU4REC_DEFAULTS);
});
