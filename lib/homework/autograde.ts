/**
 * `recsys autograde`: grades student submissions against the instructor notebooks.
 *
 * Submissions layout (what `discoverSubmissions` accepts):
 *   submissions/<student>/<notebook>.ipynb   a folder with one sub-folder per student, each
 *                                            holding that student's notebooks, named like the
 *                                            instructor notebooks (notebooks/<notebook>.ipynb)
 *   <student>/<notebook>.ipynb               one student's folder (no sub-folders)
 *   <notebook>.ipynb                         one file; the student is --student, else the name
 *                                            of the folder holding it
 * A submission is matched to the instructor notebook of the same file name, else to the one with
 * the same number prefix ("03-foo (1).ipynb" → 03-knn.ipynb). A student who lacks a notebook that
 * other students submitted gets a "missing" result (0 points) for it.
 *
 * Outputs, in --out: grades.json (every result, with per-exercise status and messages),
 * grades.csv (student, notebook, exercise, points, max: one row per graded test cell) and
 * feedback/<student>/<notebook>.ipynb. Both grade files are rewritten atomically after every
 * graded notebook, so an interrupted run loses nothing already graded; one student's broken
 * submission (not JSON, crashing, looping forever …) never stops the others.
 */
import fs from "fs";
import path from "path";
import { Notebook, parseNotebook, readNotebook, writeNotebook } from "../jupyter/notebook";
import { HomeworkInfo, checkHomework } from "./exercises";
import { listNotebooks } from "./release";
import { GradeRunOptions, runForGrading } from "./run";
import { ExerciseResult, feedbackNotebook, scoreExecuted } from "./score";
import { prepareSubmission } from "./submission";

export interface Submission {
  student: string;
  /** File name of the matching instructor notebook, e.g. "01-popularity.ipynb" ("" if none). */
  notebook: string;
  /** The submitted file ("" for a missing submission). */
  file: string;
}

export type SubmissionStatus = "graded" | "invalid" | "missing" | "error";

export interface SubmissionResult {
  student: string;
  notebook: string;
  file: string;
  /** graded: executed and scored; invalid: not a readable notebook; missing: not submitted; error: could not be run. */
  status: SubmissionStatus;
  points: number;
  max: number;
  seconds: number;
  exercises: ExerciseResult[];
  /** What the grader changed or noticed (restored tests, kernel, timeouts …). */
  notes: string[];
  /** Why the notebook could not be graded (status invalid, missing or error). */
  error?: string;
  /** The feedback notebook written for this result. */
  feedback?: string;
}

export interface GradesReport {
  generated: string;
  source: string;
  cellTimeout: number;
  notebookTimeout: number;
  results: SubmissionResult[];
  /** Submitted files that match no instructor notebook, and other layout problems. */
  problems: string[];
}

export interface AutogradeOptions extends GradeRunOptions {
  /** Instructor notebooks: a folder (every *.ipynb) or one file. */
  source: string;
  /** Where grades.json, grades.csv and feedback/ go. */
  out: string;
  /** Student name when grading a single file (default: the name of its folder). */
  student?: string;
  /** Submissions graded at the same time (default 1). */
  jobs?: number;
  /** Keep hidden tests in the feedback notebooks (default false). */
  showHidden?: boolean;
  /** Progress lines (one per graded notebook). */
  log?: (line: string) => void;
}

interface SourceNotebook {
  name: string;
  file: string;
  nb: Notebook;
  info: HomeworkInfo;
}

/** Loads and checks the instructor notebooks (a broken one is an error: fix it before grading). */
export function loadSources(source: string): Map<string, SourceNotebook> {
  if (!fs.existsSync(source)) throw new Error(`--source ${source}: no such file or folder`);
  const files = fs.statSync(source).isDirectory() ? listNotebooks(source) : [source];
  const out = new Map<string, SourceNotebook>();
  for (const file of files) {
    const nb = readNotebook(file);
    out.set(path.basename(file), { name: path.basename(file), file, nb, info: checkHomework(nb, file) });
  }
  if (out.size === 0) throw new Error(`--source ${source}: no instructor notebooks (*.ipynb)`);
  return out;
}

/** The instructor notebook a submitted file name stands for, or "" when none matches. */
export function matchNotebook(fileName: string, sources: readonly string[]): string {
  if (sources.includes(fileName)) return fileName;
  const prefix = /^(\d+)[-_ ]/.exec(fileName)?.[1];
  if (prefix) {
    const same = sources.filter((s) => /^(\d+)[-_ ]/.exec(s)?.[1] === prefix);
    if (same.length === 1) return same[0];
  }
  return "";
}

function ipynbFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb") && !f.startsWith(".") && fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

/** Finds the submissions under `input` (see the module doc for the layout). */
export function discoverSubmissions(input: string, sources: readonly string[], student?: string): { submissions: Submission[]; problems: string[] } {
  if (!fs.existsSync(input)) throw new Error(`${input}: no such file or folder`);
  const problems: string[] = [];
  const found: Submission[] = [];
  const add = (who: string, file: string) => {
    const notebook = matchNotebook(path.basename(file), sources);
    if (!notebook) {
      problems.push(`${file}: matches no instructor notebook (${sources.join(", ")}); not graded`);
      return;
    }
    if (found.some((s) => s.student === who && s.notebook === notebook)) {
      problems.push(`${file}: ${who} already submitted ${notebook}; this copy was not graded`);
      return;
    }
    found.push({ student: who, notebook, file });
  };
  const stat = fs.statSync(input);
  if (stat.isFile()) {
    add(student ?? path.basename(path.dirname(path.resolve(input))), input);
    return { submissions: found, problems };
  }
  const subdirs = fs
    .readdirSync(input)
    .filter((f) => !f.startsWith(".") && fs.statSync(path.join(input, f)).isDirectory())
    .sort();
  if (subdirs.length === 0) {
    const who = student ?? path.basename(path.resolve(input));
    for (const f of ipynbFiles(input)) add(who, path.join(input, f));
    if (found.length === 0 && problems.length === 0) problems.push(`${input}: no notebooks (*.ipynb) to grade`);
    return { submissions: found, problems };
  }
  if (student) throw new Error(`--student applies to one file or one student's folder, but ${input} holds a folder per student`);
  for (const f of ipynbFiles(input)) problems.push(`${path.join(input, f)}: not in a student folder (expected <dir>/<student>/<notebook>.ipynb); not graded`);
  for (const who of subdirs) {
    const files = ipynbFiles(path.join(input, who));
    if (files.length === 0) problems.push(`${path.join(input, who)}: no notebooks (*.ipynb)`);
    for (const f of files) add(who, path.join(input, who, f));
  }
  // a notebook some students submitted and others did not: a "missing" result for the others
  const students = [...new Set(found.map((s) => s.student))];
  const notebooks = [...new Set(found.map((s) => s.notebook))];
  for (const who of students) {
    for (const nbName of notebooks) {
      if (!found.some((s) => s.student === who && s.notebook === nbName)) found.push({ student: who, notebook: nbName, file: "" });
    }
  }
  return { submissions: found, problems };
}

function zeroExercises(info: HomeworkInfo, message: string): ExerciseResult[] {
  return info.graded.map((g) => ({ exercise: g.gradeId, cellId: g.cellId, points: 0, max: g.points, status: "not run" as const, message }));
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^\.+/, "_") || "_";
}

/** Grades one submission; never throws (every failure becomes a result with 0 points and a reason). */
export async function gradeSubmission(sub: Submission, src: SourceNotebook, opts: AutogradeOptions): Promise<SubmissionResult> {
  const base = { student: sub.student, notebook: sub.notebook, file: sub.file, max: src.info.totalPoints, seconds: 0, notes: [] as string[] };
  const failed = (status: SubmissionStatus, error: string): SubmissionResult => ({
    ...base,
    status,
    points: 0,
    error,
    exercises: zeroExercises(src.info, error),
  });
  if (!sub.file) return failed("missing", `no submission of ${sub.notebook}`);
  let submitted: Notebook;
  try {
    submitted = parseNotebook(fs.readFileSync(sub.file, "utf8"), sub.file);
  } catch (e) {
    return failed("invalid", `cannot be graded: ${(e as Error).message}`);
  }
  if (src.info.graded.length === 0) {
    return { ...base, status: "graded", points: 0, exercises: [], notes: [`${sub.notebook} has no graded test cells: nothing to grade`] };
  }
  try {
    const prepared = prepareSubmission(src.nb, src.info, submitted);
    let run = await runForGrading(prepared.notebook, { ...opts, lastCell: prepared.lastGraded });
    if (run.error && !run.notebook) {
      // a kernel that failed to start is the machine's problem, not the student's: try once more
      run = await runForGrading(prepared.notebook, { ...opts, lastCell: prepared.lastGraded });
    }
    if (!run.notebook) return { ...failed("error", `could not be run: ${run.error}`), seconds: run.seconds, notes: prepared.notes };
    const exercises = scoreExecuted(run.notebook, src.info);
    const notes = [...prepared.notes];
    const restarts = run.events.filter((e) => e.event === "restart").length;
    if (restarts > 0) notes.push(`The kernel was restarted ${restarts} time${restarts > 1 ? "s" : ""} (a cell hung or crashed it); earlier cells were re-run.`);
    const result: SubmissionResult = {
      ...base,
      status: "graded",
      points: exercises.reduce((s, r) => s + r.points, 0),
      seconds: run.seconds,
      exercises,
      notes,
    };
    const feedback = path.join(opts.out, "feedback", safeName(sub.student), sub.notebook);
    writeNotebook(feedback, feedbackNotebook(run.notebook, src.info, exercises, { student: sub.student, notebook: sub.notebook, notes, showHidden: opts.showHidden }));
    result.feedback = feedback;
    return result;
  } catch (e) {
    return failed("error", `grading failed: ${(e as Error).message}`);
  }
}

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** grades.csv: `student,notebook,exercise,points,max`, one row per graded test cell. */
export function gradesCsv(results: readonly SubmissionResult[]): string {
  const rows = ["student,notebook,exercise,points,max"];
  for (const r of results) for (const e of r.exercises) rows.push([r.student, r.notebook, e.exercise, e.points, e.max].map(csvField).join(","));
  return rows.join("\n") + "\n";
}

function writeAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function sortResults(results: SubmissionResult[]): SubmissionResult[] {
  return results.slice().sort((a, b) => (a.student < b.student ? -1 : a.student > b.student ? 1 : a.notebook < b.notebook ? -1 : a.notebook > b.notebook ? 1 : 0));
}

/** Writes grades.json and grades.csv (atomically). */
export function writeGrades(outDir: string, report: GradesReport): void {
  const sorted = { ...report, results: sortResults(report.results) };
  writeAtomic(path.join(outDir, "grades.json"), JSON.stringify(sorted, null, 1) + "\n");
  writeAtomic(path.join(outDir, "grades.csv"), gradesCsv(sorted.results));
}

/** Grades every submission under `input`; the grade files are up to date after each notebook. */
export async function autograde(input: string, opts: AutogradeOptions): Promise<GradesReport> {
  const sources = loadSources(opts.source);
  const { submissions, problems } = discoverSubmissions(input, [...sources.keys()], opts.student);
  const report: GradesReport = {
    generated: new Date().toISOString(),
    source: opts.source,
    cellTimeout: opts.cellTimeout ?? 60,
    notebookTimeout: opts.notebookTimeout ?? 600,
    results: [],
    problems,
  };
  fs.mkdirSync(opts.out, { recursive: true });
  writeGrades(opts.out, report);
  const queue = submissions.slice();
  const worker = async () => {
    for (let sub = queue.shift(); sub; sub = queue.shift()) {
      const result = await gradeSubmission(sub, sources.get(sub.notebook)!, opts);
      report.results.push(result);
      writeGrades(opts.out, report);
      opts.log?.(
        `${result.student} · ${result.notebook}: ${result.status === "graded" ? `${result.points} / ${result.max}` : `${result.status} (0 / ${result.max})`}` +
          `${result.seconds ? ` in ${result.seconds.toFixed(1)} s` : ""}${result.error ? `: ${result.error}` : ""}`,
      );
    }
  };
  const jobs = Math.max(1, Math.floor(opts.jobs ?? 1));
  await Promise.all(Array.from({ length: Math.min(jobs, Math.max(1, submissions.length)) }, worker));
  report.results = sortResults(report.results);
  return report;
}
