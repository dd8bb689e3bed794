import assert from "node:assert/strict";
import type { NotebookExpectations } from "../expectations";

// MovieLens 100K, a seeded 80/20 split (seed 42), NCF 50 + 50 → 1024 ReLU → 1 trained 5 epochs
// with Adam (lr 1e-3, batch 256). TensorFlow.js on wasm/cpu is deterministic for a seed; the
// ranges leave room for another backend's rounding, not for a broken trainer.
const expectations: NotebookExpectations = {
  records: {
    backend: (v) => assert.ok(["node", "wasm", "cpu"].includes(v as string), `backend ${v}`),
    // (943 + 1682) × 50 + (100 × 1024 + 1024) + (1024 + 1)
    parameters: 235699,
    mu: { approx: 3.531, tol: 0.005 },
    trainLoss: (v) => {
      const a = v as number[];
      assert.ok(Array.isArray(a) && a.length === 5, "one training loss per epoch");
      assert.ok(a.every((x) => x > 0.6 && x < 1.1), `training losses ${a}`);
      assert.ok(a[4] < a[0] - 0.1, `training loss ${a[0]} → ${a[4]}`);
    },
    valMse: (v) => {
      const a = v as number[];
      assert.ok(Array.isArray(a) && a.length === 5, "one validation MSE per epoch");
      assert.ok(a[4] > 0.82 && a[4] < 0.88, `final validation MSE ${a[4]}`);
      assert.ok(a[4] < a[0], `validation MSE ${a[0]} → ${a[4]}`);
    },
    sampleTopTitle: (v) => assert.ok(typeof v === "string" && v.length > 0, "a title"),
    tensorsPerStep: (v) => assert.deepEqual(v, [3 * 256 + 3, 3]),
    // building a batch from per-sample tensors vs slicing typed arrays (measured ~170×)
    inputRatio: { min: 10 },
  },
  // loss curves, input-pipeline bars
  minFigures: 2,
};

export default expectations;
