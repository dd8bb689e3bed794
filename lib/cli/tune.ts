/**
 * `recsys tune`: grid search by k-fold cross-validation (RMSE/MAE), like Surprise's GridSearchCV.
 *
 *   recsys tune --dataset ml-100k --algo svd --grid n_factors=50,100 --grid n_epochs=20,30 --folds 3
 */
import { parseParams } from "../algorithms/registry";
import { loadDataset } from "../data/load";
import { gridCombinations, gridSearch } from "../mf/crossval";
import { formatTextTable } from "../notebook/table";
import { ArgSpec, helpText, parseOrHelp, UsageError } from "./args";
import { MODEL_FLAGS, modelFromArgs, prepareBackend } from "./evaluate";
import type { CliIO } from "./main";

const SPEC: ArgSpec = {
  flags: {
    ...MODEL_FLAGS,
    grid: { type: "string", multiple: true, description: "a parameter and the values to try: key=v1,v2,…", valueName: "k=v1,v2" },
    folds: { type: "number", description: "cross-validation folds (default 3)" },
    measure: { type: "string", description: "rmse or mae picks the best (default rmse)" },
  },
};

export function help(): string {
  return helpText(
    [
      "Usage: recsys tune --dataset <name|dir> --algo <id> --grid key=v1,v2 [--grid …] [--param key=value] [--folds 3] [--json]",
      "",
      "Scores every combination of the grid by k-fold cross-validation on the same folds and prints",
      "mean RMSE/MAE per combination and the best parameters. --param fixes other parameters.",
    ],
    SPEC,
  );
}

/** Parses `--grid key=v1,v2` flags into key → raw string values (values are typed per combination by the registry). */
export function parseGrid(flags: string[]): Record<string, string[]> {
  const grid: Record<string, string[]> = {};
  for (const f of flags) {
    const eq = f.indexOf("=");
    if (eq <= 0) throw new UsageError(`--grid ${JSON.stringify(f)} is not of the form key=v1,v2,…`);
    const key = f.slice(0, eq).trim();
    const values = f.slice(eq + 1).split(",").map((v) => v.trim()).filter((v) => v !== "");
    if (values.length === 0) throw new UsageError(`--grid ${key} has no values`);
    if (key in grid) throw new UsageError(`--grid ${key} is given twice`);
    grid[key] = values;
  }
  if (Object.keys(grid).length === 0) throw new UsageError("give at least one --grid key=v1,v2");
  return grid;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseOrHelp(argv, SPEC, help, io);
  if (!args) return 0;
  const datasetName = args.string("dataset");
  if (!datasetName) throw new UsageError("--dataset is required");
  const measure = args.string("measure") ?? "rmse";
  if (measure !== "rmse" && measure !== "mae") throw new UsageError(`--measure must be rmse or mae, got ${measure}`);
  const fixed = args.list("param");
  const model = modelFromArgs(args.string("algo"), fixed, args.number("seed"));
  const grid = parseGrid(args.list("grid"));
  // Check every combination against the algorithm's schema before any training starts.
  const pairsOf = (combo: Record<string, unknown>) => [...fixed, ...Object.entries(combo).map(([k, v]) => `${k}=${v}`)];
  for (const combo of gridCombinations(grid)) {
    try {
      parseParams(model.info.id, pairsOf(combo));
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const data = await loadDataset(datasetName);
  await prepareBackend(model.info, io);
  const t0 = performance.now();
  const result = gridSearch((combo) => model.info.create(parseParams(model.info.id, pairsOf(combo))), grid, data, {
    folds: args.number("folds") ?? 3,
    seed: args.number("seed") ?? 0,
    measure,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (args.boolean("json")) {
    io.out(JSON.stringify({ dataset: datasetName, algorithm: model.info.id, grid, folds: args.number("folds") ?? 3, measure, results: result.results, best: result.best, seconds }) + "\n");
    return 0;
  }
  const shown = (v: unknown) => (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v);
  const rows = result.results.map((r) => ({
    ...Object.fromEntries(Object.entries(r.params).map(([k, v]) => [k, shown(v)])),
    rmse: r.rmse,
    mae: r.mae,
    "fit s": r.fitSeconds,
    best: r === result.best ? "◀" : "",
  }));
  io.out(`Grid search for ${model.info.id} on ${datasetName} (${args.number("folds") ?? 3}-fold CV, best by ${measure}):\n`);
  io.out(formatTextTable(rows, { digits: 4 }) + "\n");
  io.out(`best: ${Object.entries(result.bestParams).map(([k, v]) => `${k}=${v}`).join(",")}  (${measure} ${result.best[measure].toFixed(4)}; ${seconds.toFixed(1)} s)\n`);
  return 0;
}
