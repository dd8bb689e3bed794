/**
 * `recsys site`: executes every course notebook (or reuses fresh executed copies in
 * build/executed/) and writes the static course site: index, one page per notebook, one slide
 * deck per notebook, interactive charts, all offline.
 *
 *   recsys site --out site/
 */
import path from "path";
import { buildSite } from "../site/build";
import { defaultJobs } from "../site/executed";
import { ArgSpec, helpText, parseOrHelp, UsageError } from "./args";
import type { CliIO } from "./main";

const SPEC: ArgSpec = {
  flags: {
    out: { type: "string", description: "output folder, replaced on each build (default site)", valueName: "dir", short: "o" },
    notebooks: { type: "string", description: "folder of the notebooks (default <project>/notebooks)", valueName: "dir" },
    executed: { type: "string", description: "folder of executed copies, read and written (default <project>/build/executed)", valueName: "dir" },
    jobs: { type: "number", description: `notebooks executed at once (default ${defaultJobs()}: one per core, at most 4)`, short: "j" },
    rerun: { type: "boolean", description: "execute every notebook even when a fresh executed copy exists" },
    solutions: { type: "boolean", description: "publish exercise solutions and hidden tests (default: the student view)" },
    "no-slides": { type: "boolean", description: "do not build the slide decks" },
    title: { type: "string", description: "course title shown on every page", valueName: "text" },
    json: { type: "boolean", description: "print a JSON summary instead of text" },
  },
};

export function help(): string {
  return helpText(
    [
      "Usage: recsys site [--out site] [--jobs n] [--rerun] [--solutions] [--no-slides]",
      "",
      "Builds the static course site: index.html (the notebooks in order), one page per notebook",
      "(Markdown, highlighted code, outputs, interactive plotly charts, previous/next links) and a",
      "slide deck per notebook in slides/. Open index.html directly (file://) or serve the folder",
      "from any static host; no network is needed.",
      "",
      "Notebooks are executed through the tslab kernel, `--jobs` at a time. An executed copy in",
      "build/executed/ is reused when it is fresh: newer than the notebook, with the same cells",
      "(so copies run with test parameters are not reused) and every code cell run successfully.",
      "Changes to lib/ are not detected: use --rerun after changing the library.",
    ],
    SPEC,
  );
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseOrHelp(argv, SPEC, help, io);
  if (!args) return 0;
  const jobs = args.number("jobs");
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) throw new UsageError(`--jobs must be an integer ≥ 1, got ${jobs}`);
  const json = args.boolean("json");
  const outDir = args.string("out") ?? "site";
  const result = await buildSite({
    outDir,
    notebooksDir: args.string("notebooks"),
    executedDir: args.string("executed"),
    jobs,
    rerun: args.boolean("rerun"),
    solutions: args.boolean("solutions"),
    slides: !args.boolean("no-slides"),
    title: args.string("title"),
    log: json ? undefined : (line) => io.out(`${line}\n`),
  });
  if (json) {
    io.out(JSON.stringify(result) + "\n");
    return 0;
  }
  const index = path.join(result.outDir, "index.html");
  io.out(
    `Wrote ${result.pages.length} pages${result.pages[0]?.deck ? " and slide decks" : ""} to ${result.outDir} ` +
      `(${result.executed} executed, ${result.reused} reused; ${result.executeSeconds.toFixed(1)} s executing, ${result.renderSeconds.toFixed(1)} s rendering).\n`,
  );
  io.out(`Open file://${index}\n`);
  return 0;
}
