/**
 * The one-cycle policy and the Adam optimiser it drives, as fastai's `fit_one_cycle` (Smith,
 * "Super-convergence", 2018; Smith, "A disciplined approach to neural network hyper-parameters",
 * 2018; fastai docs › callback.schedule › `fit_one_cycle`, › optimizer › `Adam`).
 *
 * Schedule over T optimisation steps, at position pos = t / T (t = 0 … T−1):
 * - learning rate: cosine warm-up from lrMax/div to lrMax over the first pctStart of the steps,
 *   then cosine annealing from lrMax to lrMax/divFinal;
 * - momentum (Adam's β₁): the mirror image, from 0.95 down to 0.85 and back up to 0.95
 *   (high momentum when the step is small, low when it is large).
 * with cos(start → end, p) = start + (1 + cos(π (1 − p))) (end − start) / 2 within each phase,
 * and fastai's defaults div = 25, divFinal = 1e5, pctStart = 0.25.
 *
 * Adam (Kingma & Ba 2015, in fastai's form): for each parameter θ with gradient g, at step t,
 *     m ← β₁ m + (1 − β₁) g        v ← β₂ v + (1 − β₂) g²
 *     θ ← θ − lr · (m / (1 − β₁ᵗ)) / (sqrt(v / (1 − β₂ᵗ)) + ε)        β₂ = 0.99, ε = 1e-5
 * Weight decay wd, two forms:
 * - "decoupled" (fastai's default, AdamW of Loshchilov & Hutter 2019): θ ← θ (1 − lr·wd) before
 *   the step — equivalent to L2 regularisation for plain SGD, but not for Adam;
 * - "l2": wd·θ added to the gradient, i.e. (wd/2)‖θ‖² added to the loss.
 */
import type * as tfjs from "@tensorflow/tfjs";
import { getTf } from "./backend";

export interface OneCycleOptions {
  /** Peak learning rate. */
  lrMax: number;
  /** The schedule starts at lrMax / div (default 25). */
  div?: number;
  /** …and ends at lrMax / divFinal (default 1e5). */
  divFinal?: number;
  /** Share of the steps spent warming up (default 0.25). */
  pctStart?: number;
  /** β₁ at the start, the peak of the learning rate, and the end (default [0.95, 0.85, 0.95]). */
  moms?: readonly [number, number, number];
}

/** Cosine interpolation from `start` (p = 0) to `end` (p = 1). */
export function cosineAnneal(start: number, end: number, p: number): number {
  return start + ((1 + Math.cos(Math.PI * (1 - p))) * (end - start)) / 2;
}

/** Learning rate and momentum of the one-cycle policy at position `pos` ∈ [0, 1] of training. */
export function oneCycleAt(options: OneCycleOptions, pos: number): { lr: number; mom: number } {
  const div = options.div ?? 25;
  const divFinal = options.divFinal ?? 1e5;
  const pct = options.pctStart ?? 0.25;
  const [m0, m1, m2] = options.moms ?? [0.95, 0.85, 0.95];
  const lrMax = options.lrMax;
  if (!(lrMax > 0) || !Number.isFinite(lrMax)) throw new Error(`oneCycle: lrMax must be a positive number, got ${lrMax}`);
  if (!(pct > 0 && pct < 1)) throw new Error(`oneCycle: pctStart must be in (0, 1), got ${pct}`);
  if (!(div > 0) || !(divFinal > 0)) throw new Error(`oneCycle: div and divFinal must be positive, got ${div}, ${divFinal}`);
  const p = Math.min(1, Math.max(0, pos));
  if (p < pct) {
    const q = p / pct;
    return { lr: cosineAnneal(lrMax / div, lrMax, q), mom: cosineAnneal(m0, m1, q) };
  }
  const q = (p - pct) / (1 - pct);
  return { lr: cosineAnneal(lrMax, lrMax / divFinal, q), mom: cosineAnneal(m1, m2, q) };
}

/** The whole schedule for `steps` optimisation steps: lr[t] and mom[t] at pos = t / steps. */
export function oneCycleSchedule(options: OneCycleOptions, steps: number): { lr: Float64Array; mom: Float64Array } {
  if (!(Number.isInteger(steps) && steps >= 1)) throw new Error(`oneCycle: steps must be an integer ≥ 1, got ${steps}`);
  const lr = new Float64Array(steps);
  const mom = new Float64Array(steps);
  for (let t = 0; t < steps; t++) {
    const s = oneCycleAt(options, t / steps);
    lr[t] = s.lr;
    mom[t] = s.mom;
  }
  return { lr, mom };
}

export type WeightDecayMode = "decoupled" | "l2";

export interface AdamOptions {
  /** β₂ (default 0.99, fastai's). */
  sqrMom?: number;
  /** ε (default 1e-5, fastai's). */
  eps?: number;
  /** Weight decay (default 0). */
  wd?: number;
  /** How weight decay is applied (default "decoupled"). */
  wdMode?: WeightDecayMode;
}

/**
 * Adam over a fixed list of TensorFlow.js variables, with a learning rate and β₁ given at every
 * step (so a schedule can drive both). Holds its moment estimates as variables: call `dispose()`.
 */
export class ScheduledAdam {
  private readonly m: tfjs.Variable[];
  private readonly v: tfjs.Variable[];
  private t = 0;
  readonly sqrMom: number;
  readonly eps: number;
  readonly wd: number;
  readonly wdMode: WeightDecayMode;

  constructor(
    readonly vars: readonly tfjs.Variable[],
    options: AdamOptions = {},
  ) {
    const tf = getTf();
    this.sqrMom = options.sqrMom ?? 0.99;
    this.eps = options.eps ?? 1e-5;
    this.wd = options.wd ?? 0;
    this.wdMode = options.wdMode ?? "decoupled";
    if (!(this.wd >= 0) || !Number.isFinite(this.wd)) throw new Error(`Adam: wd must be a finite number ≥ 0, got ${this.wd}`);
    if (this.wdMode !== "decoupled" && this.wdMode !== "l2") throw new Error(`Adam: wdMode must be "decoupled" or "l2", got ${this.wdMode}`);
    // inside tidy: the zero tensors the variables start from are freed (variables are kept)
    this.m = tf.tidy(() => vars.map((x) => tf.variable(tf.zerosLike(x), false)));
    this.v = tf.tidy(() => vars.map((x) => tf.variable(tf.zerosLike(x), false)));
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.t;
  }

  /** One update with gradients `grads` (keyed by variable name, as `tf.variableGrads` returns them). */
  step(grads: tfjs.NamedTensorMap, lr: number, mom: number): void {
    const tf = getTf();
    this.t++;
    const debias1 = 1 - Math.pow(mom, this.t);
    const debias2 = 1 - Math.pow(this.sqrMom, this.t);
    tf.tidy(() => {
      this.vars.forEach((p, k) => {
        let g = grads[p.name];
        if (!g) throw new Error(`Adam: no gradient for variable ${p.name}`);
        if (this.wdMode === "l2" && this.wd > 0) g = g.add(p.mul(this.wd));
        const m = this.m[k];
        const v = this.v[k];
        m.assign(m.mul(mom).add(g.mul(1 - mom)));
        v.assign(v.mul(this.sqrMom).add(g.square().mul(1 - this.sqrMom)));
        const base = this.wdMode === "decoupled" && this.wd > 0 ? p.mul(1 - lr * this.wd) : p;
        p.assign(base.sub(m.div(v.div(debias2).sqrt().add(this.eps)).mul(lr / debias1)));
      });
    });
  }

  dispose(): void {
    for (const x of this.m) x.dispose();
    for (const x of this.v) x.dispose();
  }
}
