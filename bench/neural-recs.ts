/**
 * Benchmarks of the neural recommenders (issue: deep learning with TensorFlow.js, notebooks 11–13)
 * on MovieLens 100K with a seeded 80/20 split:
 * - the dot-product-bias model (fastai's settings: 50 factors, 5 epochs, batch 64, one-cycle Adam,
 *   wd 0.1), target < 60 s on the wasm backend with 2 cores, plus its validation MSE (fastai
 *   reports 0.823 on its own random split);
 * - the RBM with the course's defaults (100 hidden, 20 epochs), target < 60 s;
 * - AutoRec (masked) and one epoch of the NCF MLP, for the record;
 * - the input-pipeline lesson of notebook 12 (per-sample tensors vs pre-batched typed arrays).
 * Every result says which TensorFlow.js backend was measured (RECSYS_TF_BACKEND picks one) and the
 * load average during the run: the machines are shared, so wall-clock seconds are noisy; CPU
 * seconds of this process are reported next to them.
 */
import os from "node:os";
import type { RatingDataset } from "../lib/data/dataset";
import { loadDataset } from "../lib/data/load";
import type { Recommender } from "../lib/model/recommender";
import { AutoRec } from "../lib/neural/autorec";
import { initBackend, type BackendInfo } from "../lib/neural/backend";
import { DotBias } from "../lib/neural/dotbias";
import { NCF, timeInputPipelines } from "../lib/neural/ncf";
import { RBM } from "../lib/neural/rbm";
import { randomSplit } from "../lib/split/holdout";
import type { Benchmark } from "./types";

interface Input {
  info: BackendInfo;
  train: RatingDataset;
  test: RatingDataset;
}

async function setup(): Promise<Input> {
  const info = await initBackend();
  const data = await loadDataset("ml-100k");
  const { train, test } = randomSplit(data, { testSize: 0.2, seed: 42 });
  return { info, train, test };
}

function mseOf(m: Recommender, test: RatingDataset): number {
  let s = 0;
  for (let k = 0; k < test.nRatings; k++) {
    const d = m.predict(test.users[k], test.items[k]).value - test.ratings[k];
    s += d * d;
  }
  return s / test.nRatings;
}

/** Fits a model, timing wall-clock and CPU seconds, with the load average before and after. */
function timedFit<M extends Recommender>(input: Input, make: () => M, epochs: number) {
  const load0 = os.loadavg()[0];
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const model = make().fit(input.train);
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const mse = mseOf(model, input.test);
  return {
    model,
    result: {
      seconds,
      cpuSeconds: (c.user + c.system) / 1e6,
      secondsPerEpoch: seconds / epochs,
      backend: input.info.description,
      loadAverage1m: [load0, os.loadavg()[0]],
      cores: os.cpus().length,
      testMse: mse,
      testRmse: Math.sqrt(mse),
    },
  };
}

export const benchmarks: Benchmark[] = [
  {
    name: "neural/dotbias-5-epochs/ml-100k",
    description: "dot product + biases, sigmoid range (0, 5.5), 50 factors, 5 epochs of one-cycle Adam (max lr 5e-3), batch 64, wd 0.1; fit on 80% of ML-100K",
    target: { seconds: 60 },
    repeat: 1,
    setup,
    run: (input: Input) => {
      const { model, result } = timedFit(input, () => new DotBias({ seed: 0, progress: { silent: true } }), 5);
      return { ...result, valMse: result.testMse, fastaiValMse: 0.823, epochLoss: model.history.metrics.loss, epochSeconds: model.history.seconds };
    },
  },
  {
    name: "neural/rbm-20-epochs/ml-100k",
    description: "RBM for CF (100 hidden, CD-1, lr 0.001, batch 100 users), 20 epochs on 80% of ML-100K",
    target: { seconds: 60 },
    repeat: 1,
    setup,
    run: (input: Input) => {
      const { model, result } = timedFit(input, () => new RBM({ seed: 0 }), 20);
      return { ...result, lastEpochReconstructionRmse: model.epochRmse[model.epochRmse.length - 1] };
    },
  },
  {
    name: "neural/autorec-masked/ml-100k",
    description: "user-based AutoRec (100 hidden, masked loss, λ 100, Adam), 20 epochs on 80% of ML-100K",
    repeat: 1,
    setup,
    run: (input: Input) => timedFit(input, () => new AutoRec({ seed: 0 }), 20).result,
  },
  {
    name: "neural/ncf-1-epoch/ml-100k",
    description: "NCF MLP (50 + 50 → 1024 ReLU → 1), one epoch of Adam, batch 256, on 80% of ML-100K",
    repeat: 1,
    setup,
    run: (input: Input) => timedFit(input, () => new NCF({ epochs: 1, seed: 0, progress: { silent: true } }), 1).result,
  },
  {
    name: "neural/ncf-input-pipelines/ml-100k",
    description: "NCF training steps fed by per-sample tensors vs by pre-batched typed arrays (40 steps each, batch 256)",
    repeat: 1,
    setup,
    run: (input: Input) => {
      const t0 = performance.now();
      const timings = timeInputPipelines(input.train, { steps: 40 });
      return {
        seconds: (performance.now() - t0) / 1000,
        backend: input.info.description,
        loadAverage1m: os.loadavg()[0],
        timings,
        perSampleOverPreBatched: timings[0].secondsPerStep / timings[1].secondsPerStep,
      };
    },
  },
];
