/**
 * The `recsys` command line: a dispatcher over subcommands.
 *
 * Each subcommand lives in its own file `lib/cli/<cmd>.ts` exporting
 * `run(argv: string[], io: CliIO): Promise<number>` (argv = the arguments after the command
 * name, result = the exit code) and is registered with one line in `COMMANDS` below. Modules are
 * loaded only when their command runs, so `recsys data info` never loads polars or a model.
 * (Lazy loading uses `require`, not `import()`: under tsx's CommonJS hook a dynamic `import()` of
 * a .ts file goes to the ES module loader, which has no TypeScript hook.)
 *
 * Exit codes: 0 success, 1 failure (the error's message is printed), 2 usage error.
 */
import { UsageError } from "./args";

export interface CliIO {
  /** Writes to standard output (the text as given; add "\n" yourself). */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
}

export interface CommandModule {
  run(argv: string[], io: CliIO): Promise<number>;
}

interface CommandEntry {
  name: string;
  summary: string;
  /** Loads the command's module (a plain `require`, so that it works under tsx's CommonJS hook). */
  load: () => CommandModule;
}

// One line per command (`typeof import(...)` lets the compiler check the module's shape).
const COMMANDS: CommandEntry[] = [
  { name: "data", summary: "list, fetch and inspect datasets", load: () => require("./data") as typeof import("./data") },
  { name: "algorithms", summary: "list the algorithms and their parameters", load: () => require("./algorithms") as typeof import("./algorithms") },
  { name: "evaluate", summary: "evaluate an algorithm under a protocol (course, holdout, loo, kfold, temporal, temporal-loo)", load: () => require("./evaluate") as typeof import("./evaluate") },
  { name: "recommend", summary: "fit an algorithm and print a user's top-n with titles", load: () => require("./recommend") as typeof import("./recommend") },
  { name: "assign", summary: "write the student version of notebooks (solutions stubbed, hidden tests removed)", load: () => require("./assign") as typeof import("./assign") },
  { name: "autograde", summary: "grade submissions with the hidden tests; write grades and feedback", load: () => require("./autograde") as typeof import("./autograde") },
  { name: "validate", summary: "check that exercises pass with solutions and fail against stubs", load: () => require("./validate") as typeof import("./validate") },
  { name: "site", summary: "build the static course site (pages, slides, interactive charts)", load: () => require("./site") as typeof import("./site") },
  { name: "slides", summary: "turn a notebook into a slide deck for live sessions", load: () => require("./slides") as typeof import("./slides") },
  { name: "tune", summary: "grid search of an algorithm's parameters by cross-validation", load: () => require("./tune") as typeof import("./tune") },
];

export const processIO: CliIO = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

function version(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return (require("../../package.json") as { version: string }).version;
  } catch {
    return "unknown";
  }
}

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "Usage: recsys <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Options:",
    "  -h, --help     show this help (also: recsys <command> --help)",
    "  --version      print the version",
    "",
    "Environment:",
    "  RECSYS_DATA_DIR     dataset cache directory (default <project>/data/cache)",
    "  RECSYS_DATA_MIRROR  directory or http(s)/file URL holding the dataset zips (replaces the official downloads)",
    "",
  ].join("\n");
}

/** Runs `recsys <argv...>` and returns the exit code. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.err(mainHelp());
    return 2;
  }
  if (first === "--help" || first === "-h" || first === "help") {
    io.out(mainHelp());
    return 0;
  }
  if (first === "--version") {
    io.out(`${version()}\n`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === first);
  if (!entry) {
    io.err(`recsys: unknown command "${first}"; valid commands: ${COMMANDS.map((c) => c.name).join(", ")}\n`);
    io.err(`Run "recsys --help" for usage.\n`);
    return 2;
  }
  try {
    const mod = entry.load();
    return await mod.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`recsys ${entry.name}: ${err.message}\nRun "recsys ${entry.name} --help" for usage.\n`);
      return 2;
    }
    io.err(`recsys ${entry.name}: error: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.RECSYS_DEBUG && err instanceof Error && err.stack) io.err(`${err.stack}\n`);
    return 1;
  }
}
