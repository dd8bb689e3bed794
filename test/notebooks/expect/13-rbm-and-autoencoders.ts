import assert from "node:assert/strict";
import type { NotebookExpectations } from "../expectations";

// MovieLens 100K, seed 1: an 80/20 split for sections 1–3 and the course protocol for the
// bake-off. RBM and AutoRec are plain TypeScript with seeded initialisation and visiting order,
// so the numbers repeat exactly on one machine; the ranges leave room for floating-point
// differences between machines and harmless changes, not for a broken trainer. The claims the
// text makes (the shuffled-rows pitfall costs accuracy, zeros collapse, masking fixes it,
// AutoRec's lists are more novel and diverse than SVD's) are checked as such.
const expectations: NotebookExpectations = {
  records: {
    backend: (v) => assert.ok(["node", "wasm", "cpu"].includes(v as string), `backend ${v}`),
    rbmTestRmse: { min: 0.97, max: 1.02 },
    rbmEpochRmse: (v) => {
      const a = v as number[];
      assert.ok(Array.isArray(a) && a.length === 20, "one reconstruction RMSE per epoch");
      assert.ok(a[a.length - 1] < a[0] - 0.1, `reconstruction RMSE ${a[0]} → ${a[a.length - 1]}`);
    },
    rbmShuffledRowsRmse: { min: 1.0, max: 1.12 },
    pitfallCost: { min: 0.02 },
    density: { approx: 0.0504, tol: 0.0005 },
    autorecZerosTestRmse: { min: 2.2 },
    autorecZerosMeanOutput: { min: -0.5, max: 1.2 },
    autorecMaskedTestRmse: { min: 0.93, max: 0.965 },
    autorecMaskedMeanOutput: { approx: 3.5, tol: 0.15 },
    "random.rmse": { approx: 1.52, tol: 0.02 },
    "random.hr": { max: 0.02 },
    "svd.rmse": { min: 0.93, max: 0.955 },
    "svd.hr": { min: 0.025, max: 0.05 },
    "rbm.rmse": { min: 0.97, max: 1.02 },
    "rbm.hr": { min: 0.025, max: 0.06 },
    "autorec.rmse": { min: 0.93, max: 0.965 },
    "autorec.hr": { min: 0.025, max: 0.05 },
    autorecMoreNovelThanSvd: true,
    autorecMoreDiverseThanSvd: true,
  },
  // RBM learning curve, one softmax, AutoRec outputs, hit rates
  minFigures: 4,
};

export default expectations;
