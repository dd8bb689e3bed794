/**
 * `recsys autograde`: grades submissions with the instructor notebooks' tests (hidden ones
 * included) and writes grades.json, grades.csv and one feedback notebook per student and notebook.
 *
 *   recsys autograde submissions/ --source notebooks/ --out grades/
 */
import os from "os";
import path from "path";
import { PROJECT_ROOT } from "../jupyter/paths";
import { autograde } from "../homework/autograde";
import { ArgSpec, UsageError, helpText, parseOrHelp } from "./args";
import type { CliIO } from "./main";

const SPEC: ArgSpec = {
  flags: {
    source: { type: "string", description: "instructor notebooks: a folder or one .ipynb (default notebooks/)", valueName: "dir" },
    out: { type: "string", description: "folder for grades.json, grades.csv and feedback/ (default grades/)", valueName: "dir" },
    "cell-timeout": { type: "number", description: "seconds one cell may run (default 60)", valueName: "s" },
    "notebook-timeout": { type: "number", description: "seconds one notebook may run, restarts included (default 600)", valueName: "s" },
    jobs: { type: "number", description: `notebooks graded at the same time (default 1; this machine has ${os.cpus().length} cores)` },
    student: { type: "string", description: "student name for a single file or folder (default: the folder's name)", valueName: "name" },
    "show-hidden": { type: "boolean", description: "keep hidden tests in the feedback notebooks" },
    json: { type: "boolean", description: "print the grades as JSON" },
  },
  positionals: [{ name: "submission.ipynb|dir" }],
};

export function help(): string {
  return helpText(
    [
      "Usage: recsys autograde <submission.ipynb|dir> [--source notebooks/] [--out grades/]",
      "                        [--cell-timeout 60] [--notebook-timeout 600] [--jobs 1] [--student name]",
      "",
      "Grades student notebooks with the tslab kernel. Every graded test cell (nbgrader.grade: true) is",
      "restored from the instructor notebook of the same name, hidden tests included, so editing or",
      "deleting a test gains nothing; a test cell earns its points when it runs without error (output on",
      "stderr is fine). A cell over the time limit scores 0 and is interrupted (the kernel is restarted",
      "and earlier cells re-run if needed); a broken submission never stops the others. Cells after",
      "the last graded test cell are not run. Test cells without a place in the submission (deleted,",
      "or everything before them deleted) run after the nearest earlier cell of the assignment, else last.",
      "",
      "Submissions:",
      "  dir/<student>/<notebook>.ipynb   one folder per student (notebooks named as in --source)",
      "  dir/<notebook>.ipynb             one student's folder (student = the folder's name)",
      "  <notebook>.ipynb                 one file (student = --student or the folder's name)",
      "",
      "Writes (atomically, after every notebook): grades.json, grades.csv (student,notebook,exercise,",
      "points,max) and feedback/<student>/<notebook>.ipynb (the executed notebook with the score and the",
      "error of every failing test; hidden tests are left out unless --show-hidden).",
    ],
    SPEC,
  );
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseOrHelp(argv, SPEC, help, io);
  if (!args) return 0;
  const positive = (name: string): number | undefined => {
    const v = args.number(name);
    if (v !== undefined && !(v > 0)) throw new UsageError(`--${name} must be > 0, got ${v}`);
    return v;
  };
  const out = args.string("out") ?? "grades";
  const json = args.boolean("json");
  const report = await autograde(args.positionals[0], {
    source: args.string("source") ?? path.join(PROJECT_ROOT, "notebooks"),
    out,
    cellTimeout: positive("cell-timeout"),
    notebookTimeout: positive("notebook-timeout"),
    jobs: positive("jobs"),
    student: args.string("student"),
    showHidden: args.boolean("show-hidden"),
    log: json ? undefined : (line) => io.out(`${line}\n`),
  });
  for (const p of report.problems) io.err(`warning: ${p}\n`);
  if (json) {
    io.out(JSON.stringify(report, null, 1) + "\n");
    return 0;
  }
  const byStatus = (s: string) => report.results.filter((r) => r.status === s).length;
  io.out(
    `graded ${byStatus("graded")} notebook(s); ${byStatus("invalid")} invalid, ${byStatus("missing")} missing, ${byStatus("error")} could not be run; ` +
      `grades in ${path.join(out, "grades.csv")} and ${path.join(out, "grades.json")}\n`,
  );
  return 0;
}
