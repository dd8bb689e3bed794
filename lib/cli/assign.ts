/**
 * `recsys assign`: writes the student version of instructor notebooks (solutions stubbed, hidden
 * tests removed, outputs cleared, grading metadata kept).
 *
 *   recsys assign                          every notebooks/*.ipynb → release/
 *   recsys assign notebooks/03-knn.ipynb --out release/
 */
import path from "path";
import { PROJECT_ROOT } from "../jupyter/paths";
import { assign, listNotebooks } from "../homework/release";
import { ArgSpec, helpText, parseOrHelp } from "./args";
import type { CliIO } from "./main";

const SPEC: ArgSpec = {
  flags: {
    out: { type: "string", description: "folder for the student notebooks (default release/)", valueName: "dir" },
    json: { type: "boolean", description: "print the result as JSON" },
  },
  positionals: [{ name: "notebook.ipynb", variadic: true }],
};

export function help(): string {
  return helpText(
    [
      "Usage: recsys assign [notebook.ipynb ...] [--out release/]",
      "",
      "Writes the student version of each instructor notebook (default: every notebooks/*.ipynb) into",
      "--out: code between // BEGIN SOLUTION and // END SOLUTION becomes",
      '  // YOUR CODE HERE + throw new Error("not implemented");',
      "lines between // BEGIN HIDDEN TESTS and // END HIDDEN TESTS are removed, outputs are cleared and",
      "the nbgrader metadata of graded cells (grade_id, points) is kept. Nothing is written if a notebook",
      "has broken markers or grading metadata, or if the release would contain a solution or hidden line.",
    ],
    SPEC,
  );
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseOrHelp(argv, SPEC, help, io);
  if (!args) return 0;
  const files = args.positionals.length > 0 ? args.positionals : listNotebooks(path.join(PROJECT_ROOT, "notebooks"));
  const out = args.string("out") ?? "release";
  const results = assign(files, out);
  if (args.boolean("json")) {
    io.out(JSON.stringify(results, null, 1) + "\n");
    return 0;
  }
  for (const r of results) {
    io.out(`${r.target}: ${r.exercises} graded cell${r.exercises === 1 ? "" : "s"}, ${r.points} point${r.points === 1 ? "" : "s"}\n`);
    for (const w of r.warnings) io.err(`warning: ${w}\n`);
  }
  io.out(`released ${results.length} notebook${results.length === 1 ? "" : "s"} to ${out}\n`);
  return 0;
}
