/**
 * `recsys data …`: the dataset registry from the command line.
 *
 *   recsys data list                      names, description, size, whether cached
 *   recsys data fetch <name>              download (or take from RECSYS_DATA_MIRROR), check, cache
 *   recsys data info <name|dir> [--json]  counts, density, rating scale, date range
 */
import * as fs from "fs";
import * as path from "path";
import { ArgSpec, UsageError, formatFlags, parseArgs } from "./args";
import type { CliIO } from "./main";
import { cachedDir, formatBytes, onMirror } from "../data/download";
import { datasetStats, fetchDataset, loadMovieLens } from "../data/load";
import { dataDir, dataMirror, ENV_DATA_DIR, ENV_DATA_MIRROR } from "../data/paths";
import { datasetNames, getDatasetInfo, integrityCheck } from "../data/registry";

const COMMON_FLAGS: ArgSpec["flags"] = {
  "data-dir": { type: "string", valueName: "dir", description: `dataset cache directory (default $${ENV_DATA_DIR} or <project>/data/cache)` },
  mirror: { type: "string", valueName: "dir|url", description: `where the zips come from (default $${ENV_DATA_MIRROR}, else the official URLs)` },
};

interface Sub {
  summary: string;
  usage: string;
  spec: ArgSpec;
  run(args: ReturnType<typeof parseArgs>, io: CliIO): Promise<number>;
}

const SUBCOMMANDS: Record<string, Sub> = {
  list: {
    summary: "list the registered datasets (name, size, cached / on the mirror, description)",
    usage: "recsys data list [--json]",
    spec: { flags: { json: { type: "boolean", description: "print JSON" }, "data-dir": COMMON_FLAGS["data-dir"] } },
    run: async (args, io) => {
      const root = dataDir(args.string("data-dir"));
      const rows = datasetNames().map((name) => {
        const info = getDatasetInfo(name);
        return {
          name,
          title: info.title,
          description: info.description,
          approxBytes: info.approxBytes ?? null,
          cached: cachedDir(info, { dataDir: root }) !== undefined,
          onMirror: onMirror(info) ?? null,
          url: info.url ?? null,
          integrity: integrityCheck(info),
        };
      });
      if (args.boolean("json")) {
        io.out(`${JSON.stringify(rows, null, 2)}\n`);
        return 0;
      }
      const table = [["name", "size", "cached", "description"]].concat(
        rows.map((r) => [
          r.name,
          r.approxBytes ? formatBytes(r.approxBytes) : "mirror only",
          r.cached ? "yes" : r.onMirror ? "on mirror" : "no",
          r.description,
        ]),
      );
      const widths = [0, 1, 2].map((c) => Math.max(...table.map((row) => row[c].length)));
      for (const row of table) io.out(`${row.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]) : cell)).join("  ")}\n`);
      const mirror = dataMirror(undefined);
      io.out(`\ncache: ${root}\nmirror: ${mirror ? `${ENV_DATA_MIRROR}=${mirror.spec}` : "none (official GroupLens URLs)"}\n`);
      return 0;
    },
  },
  fetch: {
    summary: "download a dataset into the cache (or find it on the mirror) and check it",
    usage: "recsys data fetch <name>",
    spec: { flags: { ...COMMON_FLAGS }, positionals: [{ name: "name" }] },
    run: async (args, io) => {
      const name = args.positionals[0];
      const info = getDatasetInfo(name);
      const dir = await fetchDataset(info, { dataDir: args.string("data-dir"), mirror: args.string("mirror") });
      io.err(`${info.name}: ready (integrity check: ${integrityCheck(info)})\n`);
      io.out(`${dir}\n`);
      return 0;
    },
  },
  info: {
    summary: "counts, density, rating scale and date range of a dataset or MovieLens directory",
    usage: "recsys data info <name|dir> [--json]",
    spec: {
      flags: { json: { type: "boolean", description: "print the statistics as JSON" }, ...COMMON_FLAGS },
      positionals: [{ name: "name|dir" }],
    },
    run: async (args, io) => {
      const target = args.positionals[0];
      const { data, dataset, info } = await loadMovieLens(target, {
        dataDir: args.string("data-dir"),
        mirror: args.string("mirror"),
      });
      const stats = datasetStats(dataset);
      if (args.boolean("json")) {
        io.out(`${JSON.stringify(stats)}\n`);
        return 0;
      }
      const date = (t: number | null): string => (t === null ? "unknown" : new Date(t * 1000).toISOString().slice(0, 10));
      const n = (x: number): string => x.toLocaleString("en-US");
      const lines: [string, string][] = [
        ["location", path.resolve(data.dir)],
        ["format", { "100k": "MovieLens 100K (u.data, u.item)", csv: "CSV (ratings.csv, movies.csv)", dat: "DAT (ratings.dat, movies.dat)" }[data.format]],
        ["ratings", n(stats.ratings)],
        ["users", n(stats.users)],
        ["items", `${n(stats.items)} rated (${n(data.movies.ids.length)} in the movies file)`],
        ["density", `${(100 * stats.density).toFixed(2)}%`],
        ["rating scale", `${stats.ratingScale[0]} to ${stats.ratingScale[1]}`],
        ["dates", `${date(stats.firstTimestamp)} to ${date(stats.lastTimestamp)}`],
        ["genres", `${dataset.genreNames.length} (${dataset.genreNames.join(", ")})`],
      ];
      if (info) lines.push(["licence", info.licence], ["cite", info.citation]);
      io.out(`${info ? `${info.name}: ${info.title}` : dataset.name}\n`);
      for (const [k, v] of lines) io.out(`  ${k.padEnd(12)}  ${v}\n`);
      return 0;
    },
  },
};

export function dataHelp(): string {
  const width = Math.max(...Object.keys(SUBCOMMANDS).map((k) => k.length));
  return [
    "Usage: recsys data <list|fetch|info> [options]",
    "",
    ...Object.entries(SUBCOMMANDS).map(([k, s]) => `  ${k.padEnd(width)}  ${s.summary}`),
    "",
    "  recsys data list",
    "  recsys data fetch ml-100k",
    "  recsys data info ml-100k --json",
    "  recsys data info ./path/to/ml-latest-small",
    "",
    `Datasets: ${datasetNames().join(", ")}`,
    `${ENV_DATA_MIRROR}=<dir|url> takes the zips from a mirror instead of files.grouplens.org;`,
    `${ENV_DATA_DIR}=<dir> moves the cache. Run "recsys data <subcommand> --help" for its options.`,
    "",
  ].join("\n");
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined) {
    io.err(dataHelp());
    return 2;
  }
  if (sub === "--help" || sub === "-h" || sub === "help") {
    io.out(dataHelp());
    return 0;
  }
  const entry = SUBCOMMANDS[sub];
  if (!Object.prototype.hasOwnProperty.call(SUBCOMMANDS, sub)) {
    throw new UsageError(`unknown subcommand "${sub}"; valid subcommands: ${Object.keys(SUBCOMMANDS).join(", ")}`);
  }
  const args = parseArgs(rest, entry.spec);
  if (args.help) {
    io.out(`Usage: ${entry.usage}\n\n${entry.summary}\n\nOptions:\n${formatFlags(entry.spec)}\n`);
    return 0;
  }
  const dir = args.has("data-dir") ? args.string("data-dir") : undefined;
  if (dir !== undefined && fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) {
    throw new UsageError(`--data-dir ${dir} is not a directory`);
  }
  return entry.run(args, io);
}
