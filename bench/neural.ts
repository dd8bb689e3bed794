/**
 * Benchmarks of the TensorFlow.js foundation (issue: deep learning with TensorFlow.js): the MNIST
 * dense network of notebook 10 (784-512-10, 5 epochs on the 8,000 training digits; target < 30 s
 * on the wasm backend with 2 cores), one epoch of its small CNN (which needs our wasm
 * convolution-gradient kernels), and the embedding-lookup gradient that needs our
 * UnsortedSegmentSum kernel (run it with RECSYS_TF_BACKEND=cpu to compare). Every result says which backend was measured (RECSYS_TF_BACKEND
 * picks one: node, wasm, cpu).
 */
import type * as tfjs from "@tensorflow/tfjs";
import { initBackend, withSeed, type BackendInfo } from "../lib/neural/backend";
import { fitWithProgress } from "../lib/neural/training";
import { loadMnist, splitDigits, type Digits } from "../lib/data/mnist";
import type { Benchmark } from "./types";

interface MnistInput {
  info: BackendInfo;
  train: Digits;
  test: Digits;
}

async function mnistSetup(): Promise<MnistInput> {
  const info = await initBackend();
  const { train, test } = splitDigits(await loadMnist(), { nTrain: 8000, nTest: 2000, seed: 1 });
  return { info, train, test };
}

/** Fits `build()` on the 8,000 digits (the notebook's settings) and times it. */
async function fitMnist(input: MnistInput, build: (tf: typeof tfjs) => tfjs.LayersModel, epochs: number, batchSize: number) {
  const tf = input.info.tf;
  const [x, y, xv, yv] = tf.tidy(() => [
    tf.tensor2d(input.train.images, [input.train.n, 784]),
    tf.oneHot(tf.tensor1d(input.train.labels, "int32"), 10),
    tf.tensor2d(input.test.images, [input.test.n, 784]),
    tf.oneHot(tf.tensor1d(input.test.labels, "int32"), 10),
  ]);
  const model = withSeed(1, () => build(tf));
  const t0 = performance.now();
  const h = await fitWithProgress(model, x, y, { epochs, batchSize, validationData: [xv, yv], seed: 2, silent: true });
  const seconds = (performance.now() - t0) / 1000;
  tf.dispose([x, y, xv, yv]);
  model.dispose();
  return {
    seconds,
    backend: input.info.description,
    epochs,
    batchSize,
    secondsPerEpoch: h.seconds,
    valAccuracy: h.metrics.val_acc?.[h.metrics.val_acc.length - 1],
  };
}

function dense(tf: typeof tfjs): tfjs.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 512, activation: "relu", inputShape: [784] }));
  m.add(tf.layers.dense({ units: 10, activation: "softmax" }));
  m.compile({ optimizer: tf.train.adam(0.002), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  return m;
}

function cnn(tf: typeof tfjs): tfjs.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.reshape({ targetShape: [28, 28, 1], inputShape: [784] }));
  m.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: "relu" }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: "relu" }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 64, activation: "relu" }));
  m.add(tf.layers.dense({ units: 10, activation: "softmax" }));
  m.compile({ optimizer: tf.train.adam(0.004), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  return m;
}

export const benchmarks: Benchmark[] = [
  {
    name: "neural-mnist-dense-5-epochs",
    description: "MNIST 784-512-10 dense network of notebook 10, 5 epochs on 8,000 digits (batch 128, Adam 0.002), validated on 2,000",
    target: { seconds: 30 },
    repeat: 1,
    setup: mnistSetup,
    run: (input: MnistInput) => fitMnist(input, dense, 5, 128),
  },
  {
    name: "neural-mnist-cnn-1-epoch",
    description: "MNIST small CNN of notebook 10 (conv 16 → pool → conv 32 → pool → dense 64 → softmax), 1 epoch on 8,000 digits (batch 64)",
    repeat: 1,
    setup: mnistSetup,
    run: (input: MnistInput) => fitMnist(input, cnn, 1, 64),
  },
  {
    name: "neural-embedding-gradient",
    description: "100 Adam steps of a 1,682 × 50 embedding looked up by batches of 1,000 ids (the UnsortedSegmentSum kernel)",
    repeat: 3,
    setup: () => initBackend(),
    run: (info: BackendInfo) => {
      const tf = info.tf;
      const table = tf.variable(tf.randomNormal([1682, 50], 0, 0.01, "float32", 1));
      const ids = tf.tensor1d(Int32Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1682), "int32");
      const opt = tf.train.adam(0.01);
      const t0 = performance.now();
      for (let s = 0; s < 100; s++) tf.tidy(() => { opt.minimize(() => tf.gather(table, ids).sub(1).square().mean() as tfjs.Scalar); });
      const seconds = (performance.now() - t0) / 1000;
      tf.dispose([table, ids]);
      opt.dispose();
      return { seconds, backend: info.description, msPerStep: (seconds * 1000) / 100 };
    },
  },
];
