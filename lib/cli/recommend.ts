/**
 * `recsys recommend`: fit an algorithm on a whole dataset and print one user's top-n with titles.
 *
 *   recsys recommend --dataset ml-100k --algo itemsim --user 196 --n 10
 */
import { loadDataset } from "../data/load";
import { sampleTopN } from "../eval/sample";
import { formatTextTable } from "../notebook/table";
import { ArgSpec, formatFlags, parseArgs, UsageError } from "./args";
import { MODEL_FLAGS, PREPROCESS_FLAGS, modelFromArgs, prepareBackend, preprocess } from "./evaluate";
import type { CliIO } from "./main";

const SPEC: ArgSpec = {
  flags: {
    ...MODEL_FLAGS,
    ...PREPROCESS_FLAGS,
    user: { type: "string", description: "raw user id, as in the ratings file", valueName: "id" },
    n: { type: "number", description: "how many items (default 10)" },
    "min-rating": { type: "number", description: "minimum predicted rating (rating predictors only; default none)" },
  },
};

export function help(): string {
  return [
    "Usage: recsys recommend --dataset <name|dir> --algo <id> --user <raw id> [--n 10] [--param key=value ...] [--json]",
    "",
    "Fits the algorithm on all ratings of the dataset and prints the user's top-n unseen items.",
    "With --filter-outliers / --stoplist the model is fitted on what remains, and blocked items are never listed.",
    "",
    formatFlags(SPEC),
    "",
  ].join("\n");
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, SPEC);
  if (args.help) {
    io.out(help());
    return 0;
  }
  const datasetName = args.string("dataset");
  if (!datasetName) throw new UsageError("--dataset is required");
  const user = args.string("user");
  if (user === undefined) throw new UsageError("--user is required");
  const n = args.number("n") ?? 10;
  const model = modelFromArgs(args.string("algo"), args.list("param"), args.number("seed"));
  const loaded = await loadDataset(datasetName);
  if (!loaded.hasUser(user)) {
    const ids = loaded.userIds;
    throw new Error(
      `unknown user id "${user}" in ${loaded.name}: valid ids are ${ids.slice(0, 5).join(", ")} … ${ids[ids.length - 1]} (${ids.length} users)`,
    );
  }
  const pre = preprocess(loaded, { filterOutliers: args.number("filter-outliers"), stoplist: args.string("stoplist") }, io);
  const data = pre.data;
  const u = data.innerUser(user);
  if (data.userPtr[u + 1] === data.userPtr[u] && loaded.userCount(u) > 0) {
    const why = pre.record?.outliers ? "removed as an outlier by --filter-outliers" : "every rated item blocked by --stoplist";
    throw new Error(`user ${user} has none of their ${loaded.userCount(u)} ratings left after preprocessing (${why})`);
  }
  await prepareBackend(model.info, io);
  const t0 = performance.now();
  const fitted = pre.wrap(model.create()).fit(data);
  const rows = sampleTopN(fitted, data, user, n, { minScore: args.number("min-rating") });
  const seconds = (performance.now() - t0) / 1000;
  if (args.boolean("json")) {
    const out: Record<string, unknown> = { dataset: datasetName, algorithm: model.info.id, params: model.params, user };
    if (pre.record) out.preprocessing = pre.record;
    Object.assign(out, { recommendations: rows, seconds });
    io.out(JSON.stringify(out) + "\n");
    return 0;
  }
  io.out(`Top ${n} for user ${user} by ${model.info.id} (${model.info.kind === "rating" ? "score = predicted rating" : "score = ranking score"}):\n`);
  io.out(formatTextTable(rows, { columns: ["rank", "title", "score", "item"], digits: 3 }) + "\n");
  return 0;
}
