/**
 * Training helpers for TensorFlow.js models: per-epoch progress (one updating line in a notebook,
 * a `\r`-redrawn line in a terminal through `write`), the loss/metric history for plotting, seeds
 * for repeatable runs, and tidy memory.
 *
 * - `fitWithProgress(model, x, y, opts)` wraps `tf.LayersModel.fit` (Keras-style models).
 * - `trainLoop({epochs, steps, step})` drives a custom model: `step(batch, epoch)` runs one
 *   (synchronous) optimisation step and returns its loss; the history holds the mean step loss per epoch plus
 *   whatever `onEpochEnd` returns (e.g. a validation error). `trainLoopSync` is the same loop for
 *   synchronous code (e.g. a `Recommender.fit`).
 * - `predictClasses`, `kFoldIndices`: small pieces every classification notebook needs.
 *
 * Memory: `fit` disposes its own intermediates; both loops run every step inside `tf.tidy`, so
 * tensors a step forgets are freed.
 * A step may return its loss as a number or a scalar tensor (read and disposed here).
 */
import type * as tfjs from "@tensorflow/tfjs";
import { getTf, withSeed } from "./backend";
import { progress, type Progress } from "../notebook/progress";
import { Rng } from "../random";

/** Loss and metrics per epoch. */
export interface TrainHistory {
  /** Epoch numbers, 1-based. */
  epoch: number[];
  /** One array per name, one value per epoch (tfjs names: loss, acc, val_loss, val_acc, …). */
  metrics: Record<string, number[]>;
  /** Wall-clock seconds of each epoch. */
  seconds: number[];
}

export interface ProgressOptions {
  /** Label in front of the progress bar; default "training". */
  label?: string;
  /** Terminal writer (CLI); without it, the notebook display (or nothing outside the kernel). */
  write?: (s: string) => void;
  /** No progress output at all. */
  silent?: boolean;
}

export interface FitOptions extends ProgressOptions {
  epochs: number;
  /** Default 32 (as Keras). */
  batchSize?: number;
  /** Held-out data evaluated after each epoch (adds val_* metrics). */
  validationData?: [tfjs.Tensor | tfjs.Tensor[], tfjs.Tensor | tfjs.Tensor[]];
  /** Shuffle the training data every epoch (default true). */
  shuffle?: boolean;
  /**
   * Runs the fit under `withSeed(seed)`: `fit`'s shuffling and dropout masks repeat. Build the
   * model under `withSeed` too, for repeatable initial weights.
   */
  seed?: number;
  /**
   * A learning-rate schedule: called at the start of every epoch (1-based) and written to the
   * model's optimiser (tfjs optimisers read their `learningRate` field at every step). The value
   * used is recorded in the history as `lr`.
   */
  learningRate?: (epoch: number) => number;
}

function emptyHistory(): TrainHistory {
  return { epoch: [], metrics: {}, seconds: [] };
}

function push(h: TrainHistory, epoch: number, seconds: number, logs: Record<string, number>): void {
  h.epoch.push(epoch);
  h.seconds.push(seconds);
  for (const [k, v] of Object.entries(logs)) {
    if (typeof v !== "number") continue;
    (h.metrics[k] ??= []).push(v);
  }
}

/** "loss 0.1234 acc 0.9612 val_loss …" for the progress line (at most four names, training ones first). */
export function formatLogs(logs: Record<string, number>): string {
  const entries = Object.entries(logs).filter(([, v]) => typeof v === "number");
  return [...entries.filter(([k]) => !k.startsWith("val_")), ...entries.filter(([k]) => k.startsWith("val_"))]
    .slice(0, 4)
    .map(([k, v]) => `${k} ${Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4)}`)
    .join(" ");
}

function startProgress(total: number, opts: ProgressOptions): Progress | null {
  if (opts.silent) return null;
  return progress(total, { label: opts.label ?? "training", write: opts.write });
}

function firstDim(x: tfjs.Tensor | tfjs.Tensor[]): number {
  const t = Array.isArray(x) ? x[0] : x;
  if (!t) throw new Error("fitWithProgress: no input tensor");
  return t.shape[0];
}

function checkEpochs(epochs: number, where: string): void {
  if (!(Number.isInteger(epochs) && epochs >= 1)) throw new Error(`${where}: epochs must be an integer ≥ 1, got ${epochs}`);
}

interface WithLearningRate {
  learningRate: number;
}

function optimizerOf(model: tfjs.LayersModel): WithLearningRate {
  const opt = model.optimizer as unknown as Partial<WithLearningRate> | undefined;
  if (!opt || typeof opt.learningRate !== "number") throw new Error("fitWithProgress: learningRate needs a compiled model whose optimiser has a numeric learningRate (sgd, adam, rmsprop, …)");
  return opt as WithLearningRate;
}

function setLearningRate(model: tfjs.LayersModel, lr: number): void {
  if (!(Number.isFinite(lr) && lr > 0)) throw new Error(`fitWithProgress: the learning-rate schedule returned ${lr}`);
  optimizerOf(model).learningRate = lr;
}

function currentLearningRate(model: tfjs.LayersModel): number {
  return optimizerOf(model).learningRate;
}

/**
 * `model.fit` with a progress bar over all batches (info: epoch and the last epoch's metrics),
 * returning the history. The model must be compiled.
 */
export async function fitWithProgress(
  model: tfjs.LayersModel,
  x: tfjs.Tensor | tfjs.Tensor[],
  y: tfjs.Tensor | tfjs.Tensor[],
  opts: FitOptions,
): Promise<TrainHistory> {
  checkEpochs(opts.epochs, "fitWithProgress");
  const batchSize = opts.batchSize ?? 32;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new Error(`fitWithProgress: batchSize must be an integer ≥ 1, got ${batchSize}`);
  const n = firstDim(x);
  if (n !== firstDim(y)) throw new Error(`fitWithProgress: x has ${n} samples but y has ${firstDim(y)}`);
  if (n === 0) throw new Error("fitWithProgress: no training samples");
  const steps = Math.ceil(n / batchSize);
  const history = emptyHistory();
  const bar = startProgress(opts.epochs * steps, opts);
  let epochStart = Date.now();
  let lastInfo = "", lastMetrics = "";
  const run = () =>
    model.fit(x, y, {
      epochs: opts.epochs,
      batchSize,
      shuffle: opts.shuffle ?? true,
      validationData: opts.validationData as never,
      verbose: 0,
      callbacks: {
        onEpochBegin: async (epoch: number) => {
          epochStart = Date.now();
          if (opts.learningRate) setLearningRate(model, opts.learningRate(epoch + 1));
          lastInfo = `epoch ${epoch + 1}/${opts.epochs}${lastMetrics ? ` (last: ${lastMetrics})` : ""}`;
        },
        onBatchEnd: async () => {
          bar?.tick(1, lastInfo);
        },
        onEpochEnd: async (epoch: number, logs?: Record<string, unknown>) => {
          const numeric: Record<string, number> = {};
          for (const [k, v] of Object.entries(logs ?? {})) if (typeof v === "number") numeric[k] = v;
          if (opts.learningRate) numeric.lr = currentLearningRate(model);
          push(history, epoch + 1, (Date.now() - epochStart) / 1000, numeric);
          lastMetrics = formatLogs(numeric);
          lastInfo = `epoch ${epoch + 1}/${opts.epochs} ${lastMetrics}`;
          bar?.tick(0, lastInfo);
        },
      },
    });
  try {
    if (opts.seed !== undefined) await withSeed(opts.seed, run);
    else await run();
  } finally {
    bar?.done(lastInfo);
  }
  return history;
}

/** What a training step may return: its loss as a number or a scalar tensor, or nothing. */
export type StepResult = number | void | tfjs.Tensor;

export interface LoopOptions extends ProgressOptions {
  epochs: number;
  /** Steps (batches) per epoch. */
  steps: number;
  /** Called once at the start of every epoch (e.g. reshuffle, set the learning rate). */
  onEpochBegin?(epoch: number): void;
  /** After every epoch; returned numbers are added to the history (e.g. { val_mse }). */
  onEpochEnd?(epoch: number, logs: { loss: number }): Record<string, number> | void;
  /** Runs the loop under `withSeed(seed)` (Math.random-based draws repeat). */
  seed?: number;
}

export interface AsyncLoopOptions extends Omit<LoopOptions, "onEpochEnd"> {
  /** One optimisation step (synchronous, run inside tf.tidy): batch 0…steps−1 within epoch 1…epochs. */
  step(batch: number, epoch: number): StepResult;
  /** After every epoch (may be async, e.g. an evaluation that awaits data). */
  onEpochEnd?(epoch: number, logs: { loss: number }): Record<string, number> | void | Promise<Record<string, number> | void>;
}

export interface SyncLoopOptions extends LoopOptions {
  step(batch: number, epoch: number): StepResult;
}

/** Reads (and disposes) a step's loss; NaN when the step returned nothing. */
function lossOf(r: StepResult): number {
  if (r === undefined || r === null) return NaN;
  if (typeof r === "number") return r;
  const t = r as tfjs.Tensor; // (TypeScript 5.0, used by the notebook kernel, does not narrow `void` away)
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}

class LoopState {
  readonly history = emptyHistory();
  private sum = 0;
  private count = 0;
  private start = 0;
  private info = "";
  readonly bar: Progress | null;
  constructor(private readonly opts: Omit<LoopOptions, "onEpochEnd">) {
    checkEpochs(opts.epochs, "trainLoop");
    if (!(Number.isInteger(opts.steps) && opts.steps >= 1)) throw new Error(`trainLoop: steps must be an integer ≥ 1, got ${opts.steps}`);
    this.bar = startProgress(opts.epochs * opts.steps, opts);
  }
  begin(epoch: number): void {
    this.sum = 0;
    this.count = 0;
    this.start = Date.now();
    this.info = `epoch ${epoch}/${this.opts.epochs}`;
    this.opts.onEpochBegin?.(epoch);
  }
  stepDone(loss: number): void {
    if (!Number.isNaN(loss)) {
      this.sum += loss;
      this.count++;
    }
    this.bar?.tick(1, this.info);
  }
  meanLoss(): number {
    return this.count ? this.sum / this.count : NaN;
  }
  end(epoch: number, extra: Record<string, number> | void): void {
    const logs: Record<string, number> = { loss: this.meanLoss(), ...(extra ?? {}) };
    push(this.history, epoch, (Date.now() - this.start) / 1000, logs);
    this.info = `epoch ${epoch}/${this.opts.epochs} ${formatLogs(logs)}`;
    this.bar?.tick(0, this.info);
  }
  finish(): void {
    this.bar?.done(this.info);
  }
}

/** Runs a synchronous step inside tf.tidy; the returned loss tensor is kept, read and disposed. */
function tidyStep(step: (b: number, e: number) => StepResult, b: number, e: number): number {
  const tf = getTf();
  let result: StepResult;
  tf.tidy(() => {
    result = step(b, e);
    if ((result as unknown) instanceof Promise) throw new Error("trainLoop: step must be synchronous (it returned a Promise)");
    return typeof result === "object" && result !== null ? (result as tfjs.Tensor) : undefined;
  });
  return lossOf(result!);
}

/**
 * A custom training loop with progress and history. Steps are synchronous (TensorFlow.js
 * optimisers are) and run inside `tf.tidy`; the loop yields to the event loop after every epoch
 * so a notebook's progress display updates, and `onEpochEnd` may be async.
 */
export async function trainLoop(opts: AsyncLoopOptions): Promise<TrainHistory> {
  const body = async (): Promise<TrainHistory> => {
    const s = new LoopState(opts);
    try {
      for (let epoch = 1; epoch <= opts.epochs; epoch++) {
        s.begin(epoch);
        for (let b = 0; b < opts.steps; b++) s.stepDone(tidyStep(opts.step, b, epoch));
        s.end(epoch, await opts.onEpochEnd?.(epoch, { loss: s.meanLoss() }));
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
      }
    } finally {
      s.finish();
    }
    return s.history;
  };
  return opts.seed !== undefined ? withSeed(opts.seed, body) : body();
}

/** `trainLoop` for synchronous code (every step inside `tf.tidy`). */
export function trainLoopSync(opts: SyncLoopOptions): TrainHistory {
  const body = (): TrainHistory => {
    const s = new LoopState(opts);
    try {
      for (let epoch = 1; epoch <= opts.epochs; epoch++) {
        s.begin(epoch);
        for (let b = 0; b < opts.steps; b++) s.stepDone(tidyStep(opts.step, b, epoch));
        s.end(epoch, opts.onEpochEnd?.(epoch, { loss: s.meanLoss() }));
      }
    } finally {
      s.finish();
    }
    return s.history;
  };
  return opts.seed !== undefined ? withSeed(opts.seed, body) : body();
}

/**
 * Predicted class per sample: the arg-max of a softmax output, or `p ≥ threshold` (default 0.5)
 * for a single sigmoid output. Runs in batches inside tf.tidy.
 */
export function predictClasses(model: tfjs.LayersModel, x: tfjs.Tensor, opts: { batchSize?: number; threshold?: number } = {}): Int32Array {
  const tf = getTf();
  const batchSize = opts.batchSize ?? 256;
  const n = x.shape[0];
  const out = new Int32Array(n);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const values = tf.tidy(() => {
      const p = model.predict(x.slice(start, size)) as tfjs.Tensor;
      const width = p.shape[p.shape.length - 1] ?? 1;
      if (p.rank === 1 || width === 1) return p.reshape([size]).greaterEqual(opts.threshold ?? 0.5).toInt().dataSync();
      return p.argMax(-1).dataSync();
    });
    out.set(values as Int32Array, start);
  }
  return out;
}

/** Share of positions where `predicted` equals `actual`. */
export function accuracyOf(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  if (predicted.length !== actual.length) throw new Error(`accuracyOf: ${predicted.length} predictions but ${actual.length} labels`);
  if (predicted.length === 0) throw new Error("accuracyOf: no predictions");
  let hits = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === actual[i]) hits++;
  return hits / predicted.length;
}

/**
 * Seeded stratified k-fold split of n samples with class labels `y`: each class's indices are
 * shuffled and dealt round-robin to the folds, so every fold has (almost) the class mix of the
 * whole (as scikit-learn's StratifiedKFold with shuffle). Returns k arrays of test indices;
 * a fold's training set is everything else.
 */
export function kFoldIndices(y: ArrayLike<number>, k: number, seed = 1): Int32Array[] {
  const n = y.length;
  if (!(Number.isInteger(k) && k >= 2)) throw new Error(`kFoldIndices: k must be an integer ≥ 2, got ${k}`);
  if (k > n) throw new Error(`kFoldIndices: ${k} folds need at least ${k} samples, got ${n}`);
  const rng = new Rng(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = y[i];
    if (!byClass.has(c)) byClass.set(c, []);
    byClass.get(c)!.push(i);
  }
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const idx = Int32Array.from(byClass.get(c)!);
    rng.shuffle(idx);
    for (const i of idx) {
      folds[next].push(i);
      next = (next + 1) % k;
    }
  }
  return folds.map((f) => Int32Array.from(f.sort((a, b) => a - b)));
}

/** The complement of `test` in 0…n−1 (a fold's training indices). */
export function complementIndices(n: number, test: ArrayLike<number>): Int32Array {
  const inTest = new Uint8Array(n);
  for (let i = 0; i < test.length; i++) inTest[test[i]] = 1;
  const out = new Int32Array(n - test.length);
  let m = 0;
  for (let i = 0; i < n; i++) if (!inTest[i]) out[m++] = i;
  return out;
}

/** Rows `indices` of a row-major matrix with `width` columns, copied in that order. */
export function takeRows<T extends Float32Array | Int32Array | Uint8Array>(x: T, width: number, indices: ArrayLike<number>): T {
  const rows = x.length / width;
  const out = new (x.constructor as { new (n: number): T })(indices.length * width);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!(Number.isInteger(i) && i >= 0 && i < rows)) throw new Error(`takeRows: row ${i} is outside [0, ${rows})`);
    out.set(x.subarray(i * width, (i + 1) * width), k * width);
  }
  return out;
}
