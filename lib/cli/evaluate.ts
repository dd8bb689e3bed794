/**
 * `recsys evaluate`: one algorithm from the registry under one evaluation protocol.
 *
 *   recsys evaluate --dataset ml-100k --algo popularity --protocol course --json
 *
 * JSON output (a stable contract other tools rely on):
 *   {"dataset","algorithm","params","protocol","metrics":{…},"std"?:{…},"seconds":{"fit","total"}}
 * Metrics that do not apply (RMSE of a pure ranker) are omitted, not zero. Under kfold the
 * metrics are means over folds with `std` beside them and seconds.fit is the mean fit time per
 * fold; under course seconds.fit is the first (accuracy-split) fit.
 *
 * Preprocessing (only with --filter-outliers / --stoplist; the JSON then has a "preprocessing"
 * object after "protocol", see `preprocess`): outlier users are removed first, then the stoplist's
 * items; the protocol runs on what remains, and blocked items never appear in a list.
 */
import { algorithmRequires, createAlgorithm, getAlgorithm, parseParams } from "../algorithms/registry";
import { loadDataset } from "../data/load";
import { evaluate, PROTOCOLS, type Protocol } from "../eval/evaluate";
import { toText } from "../eval/format";
import type { RatingDataset } from "../data/dataset";
import type { Recommender } from "../model/recommender";
import { filterOutlierUsers } from "../realworld/outliers";
import { applyStoplist, parseStoplist, StoplistRecommender } from "../realworld/stoplist";
import { progress } from "../notebook/progress";
import { ArgSpec, formatFlags, parseArgs, UsageError } from "./args";
import type { CliIO } from "./main";

/** Flags shared by the commands that fit an algorithm on a dataset. */
export const MODEL_FLAGS: NonNullable<ArgSpec["flags"]> = {
  dataset: { type: "string", description: "registry name (e.g. ml-100k) or a MovieLens-format folder", valueName: "name|dir" },
  algo: { type: "string", description: "algorithm id (see `recsys algorithms`)", valueName: "id" },
  param: { type: "string", multiple: true, description: "algorithm parameters key=value[,key=value]", valueName: "k=v" },
  seed: { type: "number", description: "seed of splits and of the algorithm's own randomness (default 1)" },
  json: { type: "boolean", description: "print JSON" },
};

/** Flags of the data preprocessing shared by `evaluate` and `recommend`. */
export const PREPROCESS_FLAGS: NonNullable<ArgSpec["flags"]> = {
  "filter-outliers": {
    type: "number",
    description: "first drop users whose rating count is more than K standard deviations from the mean (e.g. 3)",
    valueName: "K",
  },
  stoplist: {
    type: "string",
    description: 'drop items whose title contains a term (case-insensitive), from training and lists: "term1,term2" or "default"',
    valueName: "terms",
  },
};

const SPEC: ArgSpec = {
  flags: {
    ...MODEL_FLAGS,
    ...PREPROCESS_FLAGS,
    protocol: { type: "string", description: `one of ${PROTOCOLS.join(", ")} (default course)` },
    "test-size": { type: "number", description: "test share of the hold-out split (default 0.25)" },
    folds: { type: "number", description: "folds of the kfold protocol (default 5)" },
    n: { type: "number", description: "length of top-n lists (default 10)" },
    "min-rating": { type: "number", description: "minimum predicted rating in top-n lists of rating predictors (default 4.0)" },
    "sample-users": { type: "number", description: "build top-n lists for a seeded sample of this many users" },
    quiet: { type: "boolean", description: "no progress on stderr" },
  },
};

export function help(): string {
  return [
    `Usage: recsys evaluate --dataset <name|dir> --algo <id> [--param key=value ...] [--protocol ${PROTOCOLS.join("|")}] [--json]`,
    "",
    "Fits the algorithm under the protocol and prints its metrics:",
    "  course   RMSE/MAE on a 75/25 hold-out; hit rate, cumulative/rating hit rate and ARHR under",
    "           leave-one-out; coverage, diversity and novelty of top-n lists from the full data",
    "  holdout  RMSE/MAE and precision/recall/F1/NDCG/MAP@n on a random hold-out",
    "  loo      the hit-rate family and coverage under leave-one-out",
    "  kfold    the holdout metrics averaged over k folds (with standard deviations)",
    "  temporal the holdout metrics, training on the oldest ratings and testing on the newest",
    "           (--test-size of them): no peeking at the future",
    "  temporal-loo  the loo metrics with each user's LATEST rating left out instead of a random one",
    "",
    "Preprocessing: --filter-outliers K removes heavy (or light) raters before the protocol;",
    "--stoplist removes items by title terms from the data and from every list.",
    "",
    formatFlags(SPEC),
    "",
    "Example: recsys evaluate --dataset ml-100k --algo itemsim --param minRating=4 --protocol loo",
    "",
  ].join("\n");
}

/** Resolves --algo and --param into a registry entry and complete parameters (usage errors list the choices). */
export function modelFromArgs(algo: string | undefined, pairs: string[], seed: number | undefined) {
  if (!algo) throw new UsageError("--algo is required");
  let info;
  try {
    info = getAlgorithm(algo);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  // A seed given on the command line also seeds an algorithm that takes one, unless --param sets it.
  const seeded = seed !== undefined && "seed" in info.params && !pairs.some((p) => /(^|,)\s*seed\s*=/.test(p));
  let params;
  try {
    params = parseParams(algo, seeded ? [...pairs, `seed=${seed}`] : pairs);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  let requires;
  try {
    requires = algorithmRequires(algo, params);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return { info: { ...info, requires }, params, create: () => createAlgorithm(algo, params) };
}

/** What `preprocess` did, for the JSON output. */
export interface Preprocessing {
  outliers?: {
    k: number;
    mean: number;
    std: number;
    low: number;
    high: number;
    removedUsers: number;
    removedRatings: number;
  };
  stoplist?: {
    terms: string[];
    blockedItems: number;
    removedRatings: number;
    /** Blocked items that had ratings: raw id, title, matching term. */
    blocked: { item: string; title: string; term: string; ratings: number }[];
  };
  /** Users with ratings and ratings left for the protocol. */
  users: number;
  ratings: number;
}

function activeUserCount(data: RatingDataset): number {
  let c = 0;
  for (let u = 0; u < data.nUsers; u++) if (data.userPtr[u + 1] > data.userPtr[u]) c++;
  return c;
}

/**
 * Applies --filter-outliers K (users by rating count, `filterOutlierUsers`) and then --stoplist
 * (`applyStoplist`) to the data; reports each step on stderr unless `quiet`. Returns the data to
 * use, a wrapper for models (blocked items never listed) and the record for the JSON output
 * (null when neither flag is given).
 */
export function preprocess(
  data: RatingDataset,
  options: { filterOutliers?: number; stoplist?: string; quiet?: boolean },
  io: CliIO,
): { data: RatingDataset; wrap: (model: Recommender) => Recommender; record: Preprocessing | null } {
  const k = options.filterOutliers;
  const terms = options.stoplist;
  if (k === undefined && terms === undefined) return { data, wrap: (m) => m, record: null };
  const say = (s: string): void => {
    if (!options.quiet) io.err(s + "\n");
  };
  const record: Preprocessing = { users: 0, ratings: 0 };
  let out = data;
  if (k !== undefined) {
    if (!(k > 0)) throw new UsageError(`--filter-outliers must be a number of standard deviations > 0, got ${k}`);
    const r = filterOutlierUsers(out, { k });
    record.outliers = {
      k,
      mean: r.mean,
      std: r.std,
      low: r.low,
      high: r.high,
      removedUsers: r.removedUsers.length,
      removedRatings: r.removedRatings,
    };
    say(
      `filter-outliers ${k}: rating counts per user have mean ${r.mean.toFixed(1)}, std ${r.std.toFixed(1)}; ` +
        `kept [${r.low.toFixed(1)}, ${r.high.toFixed(1)}]: removed ${r.removedUsers.length} users and ${r.removedRatings} ratings, ` +
        `${r.keptRatings} ratings of ${r.keptUsers} users remain`,
    );
    out = r.data;
  }
  let wrap = (m: Recommender): Recommender => m;
  if (terms !== undefined) {
    let list: string[];
    try {
      list = parseStoplist(terms);
    } catch (e) {
      throw new UsageError(`--stoplist: ${(e as Error).message}`);
    }
    const r = applyStoplist(out, list);
    const rated = r.blocked.filter((b) => b.ratings > 0);
    record.stoplist = {
      terms: list,
      blockedItems: r.blocked.length,
      removedRatings: r.removedRatings,
      blocked: rated.map((b) => ({ item: out.itemIds[b.item], title: b.title, term: b.term, ratings: b.ratings })),
    };
    const shown = rated.slice(0, 5).map((b) => `${b.title} (${b.term})`).join("; ");
    say(
      `stoplist ${list.join(", ")}: blocked ${r.blocked.length} items (${rated.length} rated) and ${r.removedRatings} ratings` +
        (shown ? `, e.g. ${shown}${rated.length > 5 ? " …" : ""}` : ""),
    );
    out = r.data;
    const exclude = r.exclude;
    if (exclude.size > 0) wrap = (m) => new StoplistRecommender(m, exclude);
  }
  record.users = activeUserCount(out);
  record.ratings = out.nRatings;
  return { data: out, wrap, record };
}

/** Starts TensorFlow.js for algorithms that need it, and says which backend runs (on stderr). */
export async function prepareBackend(info: { requires?: "tensorflow" }, io: CliIO): Promise<void> {
  if (info.requires !== "tensorflow") return;
  const { initBackend } = require("../neural/backend") as typeof import("../neural/backend");
  const b = await initBackend();
  io.err(`${b.description}\n`);
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, SPEC);
  if (args.help) {
    io.out(help());
    return 0;
  }
  const datasetName = args.string("dataset");
  if (!datasetName) throw new UsageError("--dataset is required");
  const protocol = (args.string("protocol") ?? "course") as Protocol;
  if (!PROTOCOLS.includes(protocol)) {
    throw new UsageError(`unknown protocol "${protocol}"; valid protocols: ${PROTOCOLS.join(", ")}`);
  }
  const seed = args.number("seed");
  const model = modelFromArgs(args.string("algo"), args.list("param"), seed);
  const loaded = await loadDataset(datasetName);
  const pre = preprocess(
    loaded,
    { filterOutliers: args.number("filter-outliers"), stoplist: args.string("stoplist"), quiet: args.boolean("quiet") },
    io,
  );
  const data = pre.data;
  await prepareBackend(model.info, io);

  const showProgress = !args.boolean("quiet") && !args.boolean("json") && process.stderr.isTTY;
  const bar = showProgress ? progress(1, { label: model.info.id, write: (s) => io.err(s) }) : null;
  const result = evaluate(() => pre.wrap(model.create()), data, protocol, {
    seed: seed ?? 1,
    n: args.number("n"),
    minRating: args.number("min-rating"),
    testSize: args.number("test-size"),
    folds: args.number("folds"),
    sampleUsers: args.number("sample-users"),
    onProgress: bar ? (message) => bar.tick(0, message) : undefined,
  });
  bar?.done();

  const output: Record<string, unknown> = {
    dataset: datasetName,
    algorithm: model.info.id,
    params: model.params,
    protocol,
  };
  if (pre.record) output.preprocessing = pre.record;
  output.metrics = result.metrics;
  if (result.std) output.std = result.std;
  output.seconds = result.seconds;
  if (args.boolean("json")) {
    io.out(JSON.stringify(output) + "\n");
  } else {
    io.out(toText(result));
    if (result.notes.length > 0) io.out(result.notes.map((n) => `note: ${n}`).join("\n") + "\n");
  }
  return 0;
}
