/**
 * `recsys validate`: catches broken exercises before release by running both versions of an
 * instructor notebook through the autograder's runner (two kernels, at the same time):
 *
 * 1. the instructor version: every cell must run, so every graded test passes with the solutions;
 * 2. the student version, graded like an untouched submission (full tests restored): every graded
 *    test cell that has hidden tests or uses a name declared in a solution cell must FAIL against
 *    the stubs (otherwise it hands out free points), and a cell holding a stub must not fail with
 *    a TypeScript diagnostic (the stub must keep the signature type-checking; tslab prints type
 *    errors as "line:col - message");
 * 3. no graded cell may use a name that only another graded cell declares or imports (failing one
 *    exercise would fail the other: tslab forgets the declarations of a failing cell).
 */
import { Notebook, cellSource, readNotebook } from "../jupyter/notebook";
import { HomeworkInfo, analyzeHomework, dependsOnSolution } from "./exercises";
import { studentVersion } from "./release";
import { GradeRunOptions, runForGrading } from "./run";
import { ExerciseStatus, cellStderr, cleanErrorText, scoreExecuted } from "./score";
import { prepareSubmission } from "./submission";

export interface ExerciseCheck {
  exercise: string;
  points: number;
  /** Result with the solutions. */
  instructor: ExerciseStatus;
  /** Result against the stubs. */
  student: ExerciseStatus;
  /** Whether the test must fail against the stubs (hidden tests, or uses a solution's names). */
  mustFail: boolean;
  ok: boolean;
}

export interface ValidateReport {
  file: string;
  ok: boolean;
  exercises: ExerciseCheck[];
  /** Why the notebook is broken (empty when ok). */
  problems: string[];
  warnings: string[];
  seconds: number;
}

/** A TypeScript diagnostic as tslab prints it ("3:7 - Type 'string' is not assignable …"). */
const TS_DIAGNOSTIC = /^(?:\S+ )?\d+:\d+ - (.+)$/gm;

/**
 * The diagnostics in a cell's error text that a stub itself causes. "Cannot find name 'f'" for a
 * name declared in a solution cell is not one: tslab forgets the declarations of a cell that threw
 * (an earlier stub's "not implemented"), so later cells cannot see them.
 */
export function stubDiagnostics(stderr: string, info: HomeworkInfo): string[] {
  const out: string[] = [];
  for (const m of stderr.matchAll(TS_DIAGNOSTIC)) {
    const missing = /^Cannot find name '([\w$]+)'/.exec(m[1]);
    if (missing && info.solutionNames.has(missing[1])) continue;
    out.push(m[0]);
  }
  return out;
}

export async function validateNotebook(file: string, options: GradeRunOptions = {}): Promise<ValidateReport> {
  const started = Date.now();
  const report = (problems: string[], warnings: string[], exercises: ExerciseCheck[] = []): ValidateReport => ({
    file,
    ok: problems.length === 0,
    exercises,
    problems,
    warnings,
    seconds: (Date.now() - started) / 1000,
  });
  let nb: Notebook;
  try {
    nb = readNotebook(file);
  } catch (e) {
    return report([(e as Error).message], []);
  }
  const info = analyzeHomework(nb, file);
  if (info.problems.length > 0) return report(info.problems, info.warnings);
  const coupling = new Set(info.testCoupling);
  const warnings = info.warnings.filter((w) => !coupling.has(w));
  if (info.graded.length === 0) warnings.push(`${file}: no graded test cells (nbgrader.grade: true)`);

  const student = studentVersion(nb, file, info);
  const asSubmitted = prepareSubmission(nb, info, student);
  const [instructorRun, studentRun] = await Promise.all([
    runForGrading(nb, options),
    runForGrading(asSubmitted.notebook, { ...options, lastCell: asSubmitted.lastGraded }),
  ]);
  const problems: string[] = [...info.testCoupling];
  for (const [name, run] of [["instructor", instructorRun], ["student", studentRun]] as const) {
    for (const e of run.events) if (e.event.startsWith("restart")) warnings.push(`${file}: ${name} version: kernel ${e.event} at cell ${e.id ?? `#${e.index}`}`);
  }
  if (!instructorRun.notebook) problems.push(`${file}: the instructor version could not be run: ${instructorRun.error}`);
  if (!studentRun.notebook) problems.push(`${file}: the student version could not be run: ${studentRun.error}`);
  if (!instructorRun.notebook || !studentRun.notebook) return report(problems, warnings);

  // every instructor cell must run
  instructorRun.notebook.cells.forEach((cell, k) => {
    if (cell.cell_type !== "code" || !cellSource(cell).trim()) return;
    const meta = cell.metadata?.recsys as { status?: string; reason?: string } | undefined;
    const where = `${file}: cell ${cell.id ? `"${cell.id}"` : `#${k}`}`;
    if (meta?.status !== "ok") {
      problems.push(`${where} fails with the solutions (${meta?.status ?? "not run"}): ${meta?.reason ?? cleanErrorText(cellStderr(cell), 600)}`);
    } else if (cellStderr(cell).trim()) {
      warnings.push(`${where} writes to stderr with the solutions: ${cleanErrorText(cellStderr(cell), 200)}`);
    }
  });

  const inst = scoreExecuted(instructorRun.notebook, info);
  const stud = scoreExecuted(studentRun.notebook, info);
  const exercises: ExerciseCheck[] = info.graded.map((g, k) => {
    const mustFail = dependsOnSolution(g, info);
    const ok = inst[k].status === "passed" && (!mustFail || stud[k].status !== "passed");
    if (mustFail && stud[k].status === "passed") {
      problems.push(
        `${file}: ${g.gradeId} passes against the stubs: ${g.hasHidden ? "its tests (hidden ones included)" : "its tests"} do not check the solution (free points)`,
      );
    }
    if (!mustFail) warnings.push(`${file}: ${g.gradeId} has no hidden tests and uses no name declared in a solution cell`);
    return { exercise: g.gradeId, points: g.points, instructor: inst[k].status, student: stud[k].status, mustFail, ok };
  });

  // a stub must keep the cell type-checking: a diagnostic in a stubbed cell means a broken signature
  const stubbed = new Set(info.solutionCells.map((i) => nb.cells[i].id).filter((id): id is string => !!id));
  for (const cell of studentRun.notebook.cells) {
    if (!cell.id || !stubbed.has(cell.id) || cell.cell_type !== "code") continue;
    if ((cell.metadata?.recsys as { status?: string } | undefined)?.status !== "error") continue;
    const diagnostics = stubDiagnostics(cellStderr(cell), info);
    if (diagnostics.length > 0) {
      problems.push(`${file}: cell "${cell.id}" does not type-check in the student version (keep the signature outside the markers): ${diagnostics.join("; ")}`);
    }
  }
  return report(problems, warnings, exercises);
}
