/**
 * Parameter schemas of the matrix-factorisation algorithms, for the algorithm registry
 * (`lib/algorithms/registry.ts`): one entry per registry id (svd, pmf, svdpp, als, nmf). The
 * parameter names are the option names of the classes, and the defaults are the classes'
 * defaults (Surprise's for svd/pmf/svdpp/nmf), so `new SVD(params)` receives them unchanged.
 * Per-parameter learning rates / regularisation (lrBu … regYj) stay available in code; on the
 * command line lrAll / regAll set them all.
 */
import type { ParamSchema } from "../algorithms/params";
import { ALS_DEFAULTS } from "./als";
import { NMF_DEFAULTS } from "./nmf";
import { SGD_ORDERS, SVD_DEFAULTS } from "./svd";
import { SVDPP_DEFAULTS } from "./svdpp";

const SEED = { type: "integer", default: 0, min: 0, max: 4294967295, doc: "seed of the initialisation and visiting order" } as const;

function sgdSchema(d: { nFactors: number; nEpochs: number; lrAll: number; regAll: number }) {
  return {
    nFactors: { type: "integer", default: d.nFactors, min: 1, doc: "number of latent factors k" },
    nEpochs: { type: "integer", default: d.nEpochs, min: 0, doc: "passes of SGD over the ratings" },
    lrAll: { type: "number", default: d.lrAll, min: 0, doc: "learning rate γ of every parameter" },
    regAll: { type: "number", default: d.regAll, min: 0, doc: "regularisation λ of every parameter" },
    initMean: { type: "number", default: 0, doc: "mean of the normal distribution factors start from" },
    initStdDev: { type: "number", default: 0.1, min: 0, doc: "standard deviation of that distribution" },
    seed: SEED,
  } as const;
}

export const SVD_PARAMS = {
  ...sgdSchema(SVD_DEFAULTS),
  order: {
    type: "enum",
    default: SVD_DEFAULTS.order,
    choices: SGD_ORDERS,
    doc: "visiting order per epoch: shuffle (all ratings), user-blocks (users shuffled, a user's ratings together), fixed",
  },
} satisfies ParamSchema;

/** PMF = SVD without biases; same parameters. */
export const PMF_PARAMS = SVD_PARAMS;

export const SVDPP_PARAMS = {
  ...sgdSchema(SVDPP_DEFAULTS),
  yUpdate: {
    type: "enum",
    default: SVDPP_DEFAULTS.yUpdate,
    choices: ["per-rating", "per-user"],
    doc: "per-rating = Surprise's update rule (exact, O(ratings·k)); per-user = the batched shortcut",
  },
  shuffle: { type: "boolean", default: SVDPP_DEFAULTS.shuffle, doc: "new random order of users and of their ratings each epoch" },
} satisfies ParamSchema;

export const ALS_PARAMS = {
  nFactors: { type: "integer", default: ALS_DEFAULTS.nFactors, min: 1, doc: "number of latent factors k" },
  nIterations: { type: "integer", default: ALS_DEFAULTS.nIterations, min: 0, doc: "alternations (users, then items)" },
  reg: { type: "number", default: ALS_DEFAULTS.reg, min: 0, doc: "regularisation λ" },
  weighted: { type: "boolean", default: ALS_DEFAULTS.weighted, doc: "λ times each row's number of ratings (ALS-WR)" },
  biased: { type: "boolean", default: ALS_DEFAULTS.biased, doc: "learn μ + b_u + b_i as well" },
  initStdDev: { type: "number", default: ALS_DEFAULTS.initStdDev, min: 0, doc: "std of the initial item vectors" },
  seed: SEED,
} satisfies ParamSchema;

export const NMF_PARAMS = {
  nFactors: { type: "integer", default: NMF_DEFAULTS.nFactors, min: 1, doc: "number of latent factors k" },
  nEpochs: { type: "integer", default: NMF_DEFAULTS.nEpochs, min: 0, doc: "multiplicative-update epochs" },
  biased: { type: "boolean", default: NMF_DEFAULTS.biased, doc: "learn μ + b_u + b_i by SGD as well" },
  regPu: { type: "number", default: NMF_DEFAULTS.regPu, min: 0, doc: "λ_u of the user factors" },
  regQi: { type: "number", default: NMF_DEFAULTS.regQi, min: 0, doc: "λ_i of the item factors" },
  regBu: { type: "number", default: NMF_DEFAULTS.regBu, min: 0, doc: "regularisation of b_u (biased)" },
  regBi: { type: "number", default: NMF_DEFAULTS.regBi, min: 0, doc: "regularisation of b_i (biased)" },
  lrBu: { type: "number", default: NMF_DEFAULTS.lrBu, min: 0, doc: "learning rate of b_u (biased)" },
  lrBi: { type: "number", default: NMF_DEFAULTS.lrBi, min: 0, doc: "learning rate of b_i (biased)" },
  initLow: { type: "number", default: NMF_DEFAULTS.initLow, min: 0, doc: "factors start uniform in [initLow, initHigh)" },
  initHigh: { type: "number", default: NMF_DEFAULTS.initHigh, min: 0, doc: "upper bound of that uniform" },
  seed: SEED,
} satisfies ParamSchema;
