/**
 * THE registry of algorithms: id → title, description, kind, parameter schema and constructor.
 * The CLI, the evaluator and the notebooks all look algorithms up here; there is no second list.
 *
 * Adding an algorithm = one `define({...})` entry in `ALGORITHMS` below.
 */
import { PopularityRecommender } from "../baseline/popularity";
import { RandomRecommender } from "../baseline/random";
import { ItemSimRecommender } from "../cooccurrence/itemsim";
import { RecencyPopularity, RECENT_POPULARITY_PARAMS } from "../realworld/recency";
import { SessionAsRecommender, SESSION_BUILD_PARAMS, SESSION_KNN_PARAMS, SESSION_POP_PARAMS, splitSessionParams } from "../session/adapter";
import { GRU4Rec, GRU4REC_PARAMS, type GRU4RecOptions } from "../session/gru4rec";
import { SessionKNN, type SessionKNNOptions } from "../session/sessionKnn";
import { SessionPopularity } from "../session/popularity";
import { HYBRID_STRATEGIES, Hybrid, type HybridStrategy, parseHybridSpec } from "../hybrid/hybrid";
import { ContentKNN } from "../content/contentKnn";
import { parseContentFeatures } from "../content/contentSimilarity";
import { PerUserRegression } from "../content/perUserRegression";
import { loadMiseEnScene } from "../data/mise";
import { AutoRec, AUTOREC_PARAMS } from "../neural/autorec";
import { DotBias, DOTBIAS_PARAMS } from "../neural/dotbias";
import { NCF, NCF_PARAMS, parseHidden } from "../neural/ncf";
import { RBM, RBM_PARAMS } from "../neural/rbm";
import { BaselineOnly, type BaselineOptions } from "../baseline/baselines";
import type { KNNOptions } from "../knn/base";
import { ItemCF } from "../knn/itemCF";
import { KNNBaseline } from "../knn/knnBaseline";
import { KNNBasic } from "../knn/knnBasic";
import { KNNWithMeans } from "../knn/knnWithMeans";
import { KNNWithZScore } from "../knn/knnWithZScore";
import { UserCF } from "../knn/userCF";
import { SIMILARITY_MEASURES, type SimilarityMeasure } from "../similarity/measures";
import { ALS, type ALSOptions } from "../mf/als";
import { NMF, type NMFOptions } from "../mf/nmf";
import { ALS_PARAMS, NMF_PARAMS, PMF_PARAMS, SVDPP_PARAMS, SVD_PARAMS } from "../mf/schemas";
import { PMF, SVD, type SVDOptions } from "../mf/svd";
import { SVDpp, type SVDppOptions } from "../mf/svdpp";
import type { Recommender } from "../model/recommender";
import {
  type ParamSchema,
  type ParamValue,
  type ParamValues,
  describeParams,
  resolveParams,
  splitPairs,
} from "./params";

export type { ParamSchema, ParamSpec, ParamType, ParamValue } from "./params";
export { describeParams } from "./params";

export interface AlgorithmInfo {
  id: string;
  /** Short human name, e.g. "Most popular". */
  title: string;
  /** One or two sentences: what it does and where it comes from. */
  description: string;
  /** "rating": predicts ratings on the data's scale (RMSE/MAE apply); "ranking": scores only order items. */
  kind: "rating" | "ranking";
  /** "tensorflow": call `initBackend()` (lib/neural/backend) before fitting. */
  requires?: "tensorflow";
  params: ParamSchema;
  /** A new, unfitted model. `params` must be complete and valid (see `resolveParams`). */
  create(params: Record<string, ParamValue>): Recommender;
}

/** Typed helper for entries: `create` sees its parameters with their types. */
function define<S extends ParamSchema>(a: {
  id: string;
  title: string;
  description: string;
  kind: "rating" | "ranking";
  requires?: "tensorflow";
  params: S;
  create(params: ParamValues<S>): Recommender;
}): AlgorithmInfo {
  return a as unknown as AlgorithmInfo;
}

const BASELINE_PARAMS = {
  bsl_method: { type: "enum", default: "als", choices: ["als", "sgd"], doc: "how the biases are fitted" },
  bsl_epochs: { type: "integer", default: 0, min: 0, doc: "passes over the data (0 = the method's default: 10 for ALS, 20 for SGD)" },
} as const;

const KNN_PARAMS = {
  k: { type: "integer", default: 40, min: 1, doc: "maximum number of neighbours" },
  min_k: { type: "integer", default: 1, min: 1, doc: "fewer positive-similarity neighbours → impossible prediction (fallback)" },
  sim: { type: "enum", default: "msd", choices: SIMILARITY_MEASURES, doc: "similarity measure" },
  user_based: { type: "boolean", default: true, doc: "user–user (true) or item–item (false) neighbourhoods" },
  min_support: { type: "integer", default: 1, min: 1, doc: "pairs with fewer common ratings get similarity 0" },
  shrinkage: { type: "number", default: 100, min: 0, doc: "shrinkage of pearson_baseline" },
  ...BASELINE_PARAMS,
} as const;

function baselineOptions(p: { bsl_method: string; bsl_epochs: number }): BaselineOptions {
  return { method: p.bsl_method as "als" | "sgd", nEpochs: p.bsl_epochs > 0 ? p.bsl_epochs : undefined };
}

function knnOptions(p: ParamValues<typeof KNN_PARAMS>): KNNOptions {
  return {
    k: p.k,
    minK: p.min_k,
    sim: p.sim as SimilarityMeasure,
    userBased: p.user_based,
    minSupport: p.min_support,
    shrinkage: p.shrinkage,
    baseline: baselineOptions(p),
  };
}

const ALGORITHMS: readonly AlgorithmInfo[] = [
  define({
    id: "random",
    title: "Random (normal)",
    description:
      "Predicts a rating drawn from N(μ, σ²) of the train ratings, clipped to the scale (Surprise's NormalPredictor); each (user, item) draw is a hash of (seed, user, item).",
    kind: "rating",
    params: {
      seed: { type: "integer", default: 0, min: 0, max: 4294967295, doc: "seed of the per-(user, item) draws" },
    },
    create: (p) => new RandomRecommender({ seed: p.seed }),
  }),
  define({
    id: "popularity",
    title: "Most popular",
    description:
      "Recommends the items with the most train interactions, the same list for everyone minus what they have seen; score = number of interactions.",
    kind: "ranking",
    params: {},
    create: () => new PopularityRecommender(),
  }),
  define({
    id: "recent-popularity",
    title: "Most popular, time-decayed",
    description:
      "Popularity where each interaction weighs 2^(−age/halfLife), age measured from the newest train rating (Ding & Li 2005, time-weight CF); needs timestamps.",
    kind: "ranking",
    params: RECENT_POPULARITY_PARAMS,
    create: (p) => new RecencyPopularity({ halfLifeDays: p.halfLifeDays }),
  }),
  define({
    id: "itemsim",
    title: "Item similarity (co-occurrence, Jaccard)",
    description:
      "Scores an item by its mean Jaccard similarity |U_i ∩ U_j| / |U_i ∪ U_j| to the user's items: people who liked this also liked.",
    kind: "ranking",
    params: {
      minRating: {
        type: "number",
        default: 0,
        doc: "only ratings ≥ minRating count as interactions (0 = all on a positive scale)",
      },
      storage: {
        type: "enum",
        default: "auto",
        choices: ["auto", "dense", "sparse"],
        doc: "similarities as a dense item × item float32 matrix, or counted from the sparse data per user (auto: dense up to 512 MiB, i.e. 11,585 items)",
      },
    },
    create: (p) => new ItemSimRecommender({ minRating: p.minRating, storage: p.storage as "auto" | "dense" | "sparse" }),
  }),
  define({
    id: "content-knn",
    title: "Content KNN (genres, years, trailers)",
    description:
      "Similarity-weighted average of the user's ratings of the k items most similar in content: genre cosine × exp(−|Δyear|/10) (× trailer-feature similarity with mise), as in the Building Recommender Systems course.",
    kind: "rating",
    params: {
      features: { type: "string", default: "genres,years", doc: "content features, any of genres, years, mise (mise: ml-latest-small-2016 ids)" },
      k: { type: "integer", default: 40, min: 1, doc: "neighbours among the user's rated items" },
      fallback: { type: "enum", default: "globalMean", choices: ["globalMean", "userMean"], doc: "prediction when no neighbour has similarity > 0" },
      miseMissing: { type: "enum", default: "mean", choices: ["mean", "zero"], doc: "trailer similarity of items without features" },
    },
    create: (p) =>
      new ContentKNN({
        features: parseContentFeatures(p.features),
        k: p.k,
        fallback: p.fallback as "globalMean" | "userMean",
        miseMissing: p.miseMissing as "mean" | "zero",
        mise: () => loadMiseEnScene(),
      }),
  }),
  define({
    id: "per-user-regression",
    title: "Per-user linear regression on genres",
    description:
      "One ridge regression per user of their ratings on the items' genre flags (with intercept); predictions clipped to the scale.",
    kind: "rating",
    params: {
      lambda: { type: "number", default: 10, min: 0, doc: "ridge penalty (the intercept is not penalised)" },
      intercept: { type: "boolean", default: true, doc: "fit an intercept per user" },
    },
    create: (p) => new PerUserRegression({ lambda: p.lambda, intercept: p.intercept }),
  }),
  define({
    id: "baseline",
    title: "Baseline only",
    description: "r̂ = μ + b_u + b_i with biases fitted by ALS or SGD (Koren 2010; Surprise's BaselineOnly defaults).",
    kind: "rating",
    params: BASELINE_PARAMS,
    create: (p) => new BaselineOnly(baselineOptions(p)),
  }),
  define({
    id: "knn-basic",
    title: "KNN basic",
    description: "Similarity-weighted mean of the k nearest neighbours' ratings (Surprise's KNNBasic).",
    kind: "rating",
    params: KNN_PARAMS,
    create: (p) => new KNNBasic(knnOptions(p)),
  }),
  define({
    id: "knn-means",
    title: "KNN with means",
    description: "KNN on mean-centred ratings, plus the user's (item's) mean (Surprise's KNNWithMeans).",
    kind: "rating",
    params: KNN_PARAMS,
    create: (p) => new KNNWithMeans(knnOptions(p)),
  }),
  define({
    id: "knn-zscore",
    title: "KNN with z-scores",
    description: "KNN on z-score normalised ratings (Surprise's KNNWithZScore).",
    kind: "rating",
    params: KNN_PARAMS,
    create: (p) => new KNNWithZScore(knnOptions(p)),
  }),
  define({
    id: "knn-baseline",
    title: "KNN with baseline",
    description: "KNN on the residuals from the baseline μ + b_u + b_i (Koren 2010; Surprise's KNNBaseline).",
    kind: "rating",
    params: KNN_PARAMS,
    create: (p) => new KNNBaseline(knnOptions(p)),
  }),
  define({
    id: "usercf",
    title: "User-based top-N CF",
    description: "Candidates scored by Σ sim(u, v) × r_v(i) / max rating over the k most similar users (Building Recommender Systems course).",
    kind: "ranking",
    params: {
      k: { type: "integer", default: 10, min: 1, doc: "neighbours (ignored when threshold > 0)" },
      threshold: { type: "number", default: 0, min: 0, doc: "use every user with similarity ≥ threshold instead of the top k (0 = off)" },
      sim: { type: "enum", default: "cosine", choices: SIMILARITY_MEASURES, doc: "user–user similarity measure" },
      min_support: { type: "integer", default: 1, min: 1, doc: "pairs with fewer common ratings get similarity 0" },
    },
    create: (p) =>
      new UserCF({ k: p.k, threshold: p.threshold > 0 ? p.threshold : undefined, sim: p.sim as SimilarityMeasure, minSupport: p.min_support }),
  }),
  define({
    id: "itemcf",
    title: "Item-based top-N CF",
    description: "Candidates scored by Σ sim(i, j) × r_u(j) / max rating over the user's k highest-rated items (Building Recommender Systems course).",
    kind: "ranking",
    params: {
      k: { type: "integer", default: 10, min: 1, doc: "source items: the user's k highest rated (ignored with min_source_rating > 0)" },
      min_source_rating: { type: "number", default: 0, min: 0, doc: "use every item the user rated ≥ this instead (0 = off)" },
      sim: { type: "enum", default: "cosine", choices: SIMILARITY_MEASURES, doc: "item–item similarity measure" },
      min_support: { type: "integer", default: 1, min: 1, doc: "pairs with fewer common ratings get similarity 0" },
    },
    create: (p) =>
      new ItemCF({
        k: p.k,
        minSourceRating: p.min_source_rating > 0 ? p.min_source_rating : undefined,
        sim: p.sim as SimilarityMeasure,
        minSupport: p.min_support,
      }),
  }),
  define({
    id: "svd",
    title: "Biased SVD (Funk SVD, SGD)",
    description:
      "r̂ = μ + b_u + b_i + q_i·p_u learned by stochastic gradient descent with Surprise's defaults (Koren, Bell & Volinsky 2009).",
    kind: "rating",
    params: SVD_PARAMS,
    create: (p) => new SVD(p as SVDOptions),
  }),
  define({
    id: "pmf",
    title: "PMF (unbiased SVD)",
    description: "r̂ = q_i·p_u by SGD, no biases (probabilistic matrix factorisation, Salakhutdinov & Mnih 2008).",
    kind: "rating",
    params: PMF_PARAMS,
    create: (p) => new PMF(p as SVDOptions),
  }),
  define({
    id: "svdpp",
    title: "SVD++",
    description:
      "SVD plus implicit feedback: r̂ = μ + b_u + b_i + q_i·(p_u + |N(u)|^−½ Σ_{j∈N(u)} y_j) (Koren 2008), Surprise's defaults.",
    kind: "rating",
    params: SVDPP_PARAMS,
    create: (p) => new SVDpp(p as SVDppOptions),
  }),
  define({
    id: "als",
    title: "ALS (alternating least squares)",
    description:
      "Biased matrix factorisation by alternating closed-form ridge regressions for users and items, weighted-λ regularisation (Zhou et al. 2008).",
    kind: "rating",
    params: ALS_PARAMS,
    create: (p) => new ALS(p as ALSOptions),
  }),
  define({
    id: "nmf",
    title: "NMF (non-negative matrix factorisation)",
    description: "Non-negative factors by multiplicative updates (Luo et al. 2014), Surprise's defaults.",
    kind: "rating",
    params: NMF_PARAMS,
    create: (p) => new NMF(p as NMFOptions),
  }),
  define({
    id: "dotbias",
    title: "Dot product + biases (fastai way, TensorFlow.js)",
    kind: "rating",
    requires: "tensorflow",
    description:
      "r̂ = lo + (hi − lo)·σ(p_u·q_i + b_u + b_i), 50-factor embeddings trained by Adam with a one-cycle schedule and weight decay (Howard & Gugger 2020, ch. 8).",
    params: DOTBIAS_PARAMS,
    create: (p) =>
      new DotBias({
        ...p,
        schedule: p.schedule as "onecycle" | "constant",
        wdMode: p.wdMode as "decoupled" | "l2",
        parameters: p.parameters as "own" | "embedding",
      }),
  }),
  define({
    id: "ncf",
    title: "Neural CF (embeddings + MLP, TensorFlow.js)",
    kind: "rating",
    requires: "tensorflow",
    description:
      "User and item embeddings concatenated → dense ReLU layers (default 1024) → 1 output on centred ratings (He et al. 2017, MLP part).",
    params: NCF_PARAMS,
    create: (p) => new NCF({ ...p, hidden: parseHidden(p.hidden) }),
  }),
  define({
    id: "rbm",
    title: "Restricted Boltzmann machine (CF)",
    kind: "rating",
    description:
      "Per-item softmax visible units over rated items, binary hidden units, CD-1; prediction = expected rating (Salakhutdinov, Mnih & Hinton 2007); the classic course's defaults.",
    params: RBM_PARAMS,
    create: (p) => new RBM(p),
  }),
  define({
    id: "session-pop",
    title: "Session popularity",
    kind: "ranking",
    description:
      "The most frequent items of the training sessions (a user's ratings cut into sessions at gaps > gapSeconds), the POP baseline of Hidasi et al. 2016; as a recommender the context is the user's latest session.",
    params: SESSION_POP_PARAMS,
    create: (p) => new SessionAsRecommender(new SessionPopularity(), splitSessionParams(p).build),
  }),
  define({
    id: "session-knn",
    title: "Session kNN (co-occurrence within sessions)",
    kind: "ranking",
    description:
      "Next item from co-occurrence within training sessions: with the last item of the user's latest session (Item-KNN, Hidasi et al. 2016; default) or with whole neighbour sessions (SKNN, Jannach & Ludewig 2017).",
    params: SESSION_KNN_PARAMS,
    create: (p) => {
      const { build, model } = splitSessionParams(p);
      return new SessionAsRecommender(new SessionKNN(model as SessionKNNOptions), build);
    },
  }),
  define({
    id: "gru4rec",
    title: "GRU4Rec (session RNN, TensorFlow.js)",
    kind: "ranking",
    requires: "tensorflow",
    description:
      "A GRU reads the user's latest session item by item and scores every item as the next one; session-parallel mini-batches, in-batch plus sampled negatives, cross-entropy or ranking losses (Hidasi et al. 2016; Hidasi & Karatzoglou 2018).",
    params: { ...GRU4REC_PARAMS, ...SESSION_BUILD_PARAMS },
    create: (p) => {
      const { build, model } = splitSessionParams(p);
      return new SessionAsRecommender(new GRU4Rec(model as GRU4RecOptions), build);
    },
  }),
  define({
    id: "hybrid",
    title: "Hybrid (weighted, slots, fallback)",
    description:
      "Combines registered algorithms given as id:weight joined by +: a weighted average of their predicted ratings (weights given, or learned by least squares on a validation split, as in Netflix Prize blending), top-n slots shared out by weight, or primary-with-fallback (Burke 2002, \"Hybrid recommender systems: survey and experiments\").",
    kind: "rating",
    params: {
      algos: {
        type: "string",
        default: "svd:0.5+content-knn:0.5",
        doc: "components as id:weight joined by + (each with its default parameters; weight omitted = 1)",
      },
      strategy: {
        type: "enum",
        default: "weighted",
        choices: HYBRID_STRATEGIES,
        doc: "weighted average of ratings, slots shared out by weight, or fallback in the listed order",
      },
      learn_weights: { type: "boolean", default: false, doc: "weighted only: learn the weights (≥ 0, summing to 1) by least squares on a validation split" },
      validation_size: { type: "number", default: 0.2, min: 0.01, max: 0.99, doc: "share of the train ratings held out to learn the weights" },
      seed: { type: "integer", default: 0, min: 0, max: 4294967295, doc: "seed of the validation split" },
    },
    create: (p) =>
      new Hybrid({
        components: hybridComponents(p.algos).map(({ id, weight }) => ({ model: createAlgorithm(id), weight })),
        strategy: p.strategy as HybridStrategy,
        learnWeights: p.learn_weights,
        validationSize: p.validation_size,
        seed: p.seed,
      }),
  }),
  define({
    id: "autorec",
    title: "AutoRec (user-based autoencoder)",
    kind: "rating",
    description:
      "h(r_u) = W σ(V r_u + μ) + b, loss masked to observed ratings (Sedhain et al. 2015); masked=false treats missing ratings as 0.",
    params: AUTOREC_PARAMS,
    create: (p) => new AutoRec(p),
  }),
];

const BY_ID = new Map<string, AlgorithmInfo>();
for (const a of ALGORITHMS) {
  if (BY_ID.has(a.id)) throw new Error(`algorithm registry: id ${a.id} is registered twice`);
  BY_ID.set(a.id, a);
}

/** All registered algorithms, in registration order. */
export function listAlgorithms(): readonly AlgorithmInfo[] {
  return ALGORITHMS;
}

/** The registered algorithm `id`; an unknown id throws an Error listing the valid ids. */
export function getAlgorithm(id: string): AlgorithmInfo {
  const a = BY_ID.get(id);
  if (a === undefined) {
    throw new Error(`unknown algorithm ${JSON.stringify(id)}; valid ids: ${ALGORITHMS.map((x) => x.id).join(", ")}`);
  }
  return a;
}

/**
 * Parses CLI-style `key=value` pairs, comma-separated and/or repeated
 * (`["k=40,sim=cosine", "user_based=false"]`), for algorithm `id`: checks types, ranges and
 * choices, fills in defaults. An unknown parameter throws an Error listing the valid ones.
 */
export function parseParams(id: string, pairs: readonly string[]): Record<string, ParamValue> {
  const a = getAlgorithm(id);
  return resolveParams(`algorithm ${id}`, a.params, splitPairs(`algorithm ${id}`, pairs));
}

/**
 * A new, unfitted model of algorithm `id`. `params` is either a record (typed values or strings;
 * missing ones take their defaults) or CLI-style `key=value` pairs as for `parseParams`.
 */
export function createAlgorithm(id: string, params: Record<string, unknown> | readonly string[] = {}): Recommender {
  const a = getAlgorithm(id);
  const values = Array.isArray(params)
    ? parseParams(id, params as readonly string[])
    : resolveParams(`algorithm ${id}`, a.params, params as Record<string, unknown>);
  return a.create(values);
}

/** The components of a hybrid spec, each a registered algorithm other than "hybrid" itself. */
function hybridComponents(spec: string): { id: string; weight: number }[] {
  return parseHybridSpec(spec).map((c) => {
    if (c.id === "hybrid") throw new Error(`algorithm hybrid: a component cannot itself be "hybrid" (in ${JSON.stringify(spec)})`);
    getAlgorithm(c.id); // unknown ids fail here, listing the valid ones
    return c;
  });
}

/**
 * What an algorithm needs before it can fit with these (complete) parameters: its own `requires`,
 * or, for a hybrid, that of any component.
 */
export function algorithmRequires(id: string, params: Record<string, ParamValue>): "tensorflow" | undefined {
  const a = getAlgorithm(id);
  if (a.requires) return a.requires;
  if (id === "hybrid") {
    for (const c of hybridComponents(String(params.algos))) if (getAlgorithm(c.id).requires) return getAlgorithm(c.id).requires;
  }
  return undefined;
}

/** Multi-line help: one block per algorithm with its id, title, kind, description and parameters. */
export function algorithmsHelp(): string {
  return ALGORITHMS.map(
    (a) => `${a.id} — ${a.title} [${a.kind}]\n  ${a.description}\n  parameters: ${describeParams(a.params)}`,
  ).join("\n");
}
