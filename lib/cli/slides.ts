/**
 * `recsys slides <notebook>`: one notebook as a slide deck for live sessions (a slide per
 * Markdown heading, each code cell with its output on the next slide, keyboard navigation,
 * interactive charts, offline).
 *
 *   recsys slides 03 --out build/slides
 */
import { buildSlides, resolveNotebook } from "../site/build";
import { ArgSpec, helpText, parseOrHelp } from "./args";
import type { CliIO } from "./main";

const SPEC: ArgSpec = {
  flags: {
    out: { type: "string", description: "output folder for <name>.html and assets/ (default build/slides)", valueName: "dir", short: "o" },
    executed: { type: "string", description: "folder of executed copies, read and written (default <project>/build/executed)", valueName: "dir" },
    rerun: { type: "boolean", description: "execute the notebook even when a fresh executed copy exists" },
    solutions: { type: "boolean", description: "show exercise solutions and hidden tests (default: the student view)" },
    title: { type: "string", description: "course title for the window title", valueName: "text" },
  },
  positionals: [{ name: "notebook", description: "an .ipynb file, or the start of a name in notebooks/ (e.g. 03)" }],
};

export function help(): string {
  return helpText(
    [
      "Usage: recsys slides <notebook> [--out build/slides] [--rerun] [--solutions]",
      "",
      "Turns a notebook into a slide deck: every Markdown heading starts a slide, each code cell and",
      "its output follow on a slide of their own. Keys: → ↓ Space PageDown (next), ← ↑ PageUp",
      "(previous), Home, End. The deck is one HTML file plus assets/; it works offline.",
      "The notebook is executed unless a fresh executed copy exists (see `recsys site --help`).",
    ],
    SPEC,
  );
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseOrHelp(argv, SPEC, help, io);
  if (!args) return 0;
  const notebook = resolveNotebook(args.positionals[0]);
  const r = await buildSlides(notebook, {
    outDir: args.string("out") ?? "build/slides",
    executedDir: args.string("executed"),
    rerun: args.boolean("rerun"),
    solutions: args.boolean("solutions"),
    title: args.string("title"),
    log: (line) => io.out(`${line}\n`),
  });
  io.out(`Wrote ${r.slides} slides (${r.figures} charts) to ${r.file}\nOpen file://${r.file}\n`);
  return 0;
}
