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
 */
import { createAlgorithm, getAlgorithm, parseParams } from "../algorithms/registry";
import { loadDataset } from "../data/load";
import { evaluate, PROTOCOLS, type Protocol } from "../eval/evaluate";
import { toText } from "../eval/format";
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

const SPEC: ArgSpec = {
  flags: {
    ...MODEL_FLAGS,
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
    "Usage: recsys evaluate --dataset <name|dir> --algo <id> [--param key=value ...] [--protocol course|holdout|loo|kfold] [--json]",
    "",
    "Fits the algorithm under the protocol and prints its metrics:",
    "  course   RMSE/MAE on a 75/25 hold-out; hit rate, cumulative/rating hit rate and ARHR under",
    "           leave-one-out; coverage, diversity and novelty of top-n lists from the full data",
    "  holdout  RMSE/MAE and precision/recall/F1/NDCG/MAP@n on a random hold-out",
    "  loo      the hit-rate family and coverage under leave-one-out",
    "  kfold    the holdout metrics averaged over k folds (with standard deviations)",
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
  return { info, params, create: () => createAlgorithm(algo, params) };
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
  const data = await loadDataset(datasetName);
  await prepareBackend(model.info, io);

  const showProgress = !args.boolean("quiet") && !args.boolean("json") && process.stderr.isTTY;
  const bar = showProgress ? progress(1, { label: model.info.id, write: (s) => io.err(s) }) : null;
  const result = evaluate(model.create, data, protocol, {
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
    metrics: result.metrics,
  };
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
