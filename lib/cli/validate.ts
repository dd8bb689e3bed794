/**
 * `recsys validate`: runs an instructor notebook with its solutions (every test must pass) and its
 * student version (the tests must fail against the stubs) to catch broken exercises before release.
 *
 *   recsys validate notebooks/03-knn.ipynb
 */
import { validateNotebook } from "../homework/validate";
import { ArgSpec, UsageError, helpText, parseOrHelp } from "./args";
import type { CliIO } from "./main";

const SPEC: ArgSpec = {
  flags: {
    "cell-timeout": { type: "number", description: "seconds one cell may run (default 120)", valueName: "s" },
    "notebook-timeout": { type: "number", description: "seconds each version may run (default 900)", valueName: "s" },
    json: { type: "boolean", description: "print the reports as JSON" },
  },
  positionals: [{ name: "notebook.ipynb" }, { name: "notebook.ipynb", variadic: true }],
};

export function help(): string {
  return helpText(
    [
      "Usage: recsys validate <notebook.ipynb ...> [--cell-timeout 120] [--notebook-timeout 900] [--json]",
      "",
      "Checks each instructor notebook before release: markers and grading metadata are well formed;",
      "with the solutions every cell runs and every graded test passes; in the student version every",
      "graded test that has hidden tests or uses a solution's names fails against the stubs, and no stub",
      "breaks type-checking. Exits with 1 when an exercise is broken.",
    ],
    SPEC,
  );
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseOrHelp(argv, SPEC, help, io);
  if (!args) return 0;
  const cellTimeout = args.number("cell-timeout") ?? 120;
  const notebookTimeout = args.number("notebook-timeout") ?? 900;
  if (!(cellTimeout > 0) || !(notebookTimeout > 0)) throw new UsageError("--cell-timeout and --notebook-timeout must be > 0");
  const reports = [];
  for (const file of args.positionals) {
    const r = await validateNotebook(file, { cellTimeout, notebookTimeout });
    reports.push(r);
    if (args.boolean("json")) continue;
    io.out(`${r.ok ? "ok    " : "BROKEN"} ${file} (${r.seconds.toFixed(1)} s)\n`);
    for (const e of r.exercises) {
      const expect = e.mustFail ? "must fail" : "may pass";
      io.out(`  ${e.ok ? "ok " : "!! "} ${e.exercise} (${e.points} pt): with solutions ${e.instructor}; against stubs ${e.student} (${expect})\n`);
    }
    for (const p of r.problems) io.out(`  error: ${p}\n`);
    for (const w of r.warnings) io.out(`  warning: ${w}\n`);
  }
  if (args.boolean("json")) io.out(JSON.stringify(reports, null, 1) + "\n");
  return reports.every((r) => r.ok) ? 0 : 1;
}
