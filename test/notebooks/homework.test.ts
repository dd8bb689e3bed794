/**
 * End-to-end homework tools through the real tslab kernel, on the small fixture instructor
 * notebook test/fixtures/homework/source/hw-basics.ipynb (3 exercises: 2 + 3 + 1 points):
 * - `recsys autograde` on a class of synthetic submissions: perfect, partial and broken ones with
 *   the expected totals, and submissions that crash, loop forever, kill the kernel, delete,
 *   reorder or edit cells, rename functions, print to stderr, switch kernels or are not JSON.
 *   Each gets its own clear result; none disturbs the others' grades.
 * - the per-notebook time limit;
 * - `recsys validate` on the fixture (ok) and on a broken variant (every kind of breakage reported).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Cell, KERNELSPEC, Notebook, cellSource, readNotebook, serializeNotebook, writeNotebook } from "../../lib/jupyter/notebook";
import { studentVersion } from "../../lib/homework/release";
import { GradesReport, SubmissionResult, autograde } from "../../lib/homework/autograde";
import { CliIO, main } from "../../lib/cli/main";

const SOURCE_DIR = path.join(__dirname, "..", "fixtures", "homework", "source");
const SOURCE = path.join(SOURCE_DIR, "hw-basics.ipynb");
const NB = "hw-basics.ipynb";
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "hw-e2e-"));
process.on("exit", () => fs.rmSync(TMP, { recursive: true, force: true }));

const source = readNotebook(SOURCE);
const release = studentVersion(source, SOURCE);

function capture(): CliIO & { stdout: string; stderr: string } {
  const io = { stdout: "", stderr: "", out: (s: string) => void (io.stdout += s), err: (s: string) => void (io.stderr += s) };
  return io;
}
function copy(nb: Notebook): Notebook {
  return JSON.parse(JSON.stringify(nb));
}
function cell(nb: Notebook, id: string): Cell {
  const c = nb.cells.find((x) => x.id === id);
  assert.ok(c, `no cell ${id}`);
  return c;
}
function set(nb: Notebook, id: string, src: string): Notebook {
  cell(nb, id).source = src;
  return nb;
}
/** The release with the instructor's solution (markers removed) in the given solution cells. */
function solve(nb: Notebook, ...ids: string[]): Notebook {
  for (const id of ids) set(nb, id, cellSource(cell(source, id)).split("\n").filter((l) => !/\/\/ (BEGIN|END) SOLUTION/.test(l)).join("\n"));
  return nb;
}
const ALL = ["ex1-solution", "ex2-solution", "ex3-solution"];
const perfect = () => solve(copy(release), ...ALL);
function reorder(nb: Notebook, order: string[]): Notebook {
  const byId = new Map(nb.cells.map((c) => [c.id!, c]));
  nb.cells = order.map((id) => byId.get(id)!);
  return nb;
}

/** Each student's submission and the points expected per exercise [ex1 (2), ex2 (3), ex3 (1)]. */
const CLASS: Record<string, { nb: Notebook | string; points: [number, number, number] }> = {
  perfect: { nb: perfect(), points: [2, 3, 1] },
  // ex1 and ex3 solved; ex2 left as the stub, and its test "edited" away: gains nothing
  partial: { nb: set(solve(copy(release), "ex1-solution", "ex3-solution"), "ex2-tests", "// no tests here"), points: [2, 0, 1] },
  // crashes in the first cell and does not compile
  broken: {
    nb: set(set(copy(release), "setup", 'throw new Error("oops");\nconst data: number[] = [];'), "ex2-solution", "function topK(xs: number[], k: number): number[] {\n  return xs.sort(;\n}"),
    points: [0, 0, 0],
  },
  // good answers, but the first cell crashes: everything that uses `data` fails, ex3 does not
  crashfirst: { nb: set(perfect(), "setup", 'throw new Error("boom");\nconst data: number[] = [3, 1, 4, 1, 5, 9, 2, 6];'), points: [0, 0, 1] },
  // topK never returns: its test times out and is interrupted; grading goes on
  loop: { nb: set(perfect(), "ex2-solution", "function topK(xs: number[], k: number): number[] {\n  while (true) {}\n}"), points: [2, 0, 1] },
  // kills the kernel in an ungraded cell: restarted, earlier cells replayed, full marks
  exit: { nb: set(perfect(), "ex1-demo", "process.exit(1);"), points: [2, 3, 1] },
  reorder: {
    nb: reorder(perfect(), ["intro", "ex3-tests", "setup", "ex2-md", "ex2-solution", "ex2-tests", "ex1-md", "ex1-solution", "ex1-demo", "ex1-tests", "ex3-md", "ex3-solution", "outro"]),
    points: [2, 3, 1],
  },
  deleted: {
    nb: (() => {
      const nb = perfect();
      nb.cells = nb.cells.filter((c) => !["ex1-tests", "ex2-tests", "ex3-tests", "ex1-md"].includes(c.id!));
      return nb;
    })(),
    points: [2, 3, 1],
  },
  renamed: {
    nb: set(set(perfect(), "ex1-solution", cellSource(cell(perfect(), "ex1-solution")).replace("function mean(", "function average(")), "ex1-demo", "average(data)"),
    points: [0, 3, 1],
  },
  stderr: {
    nb: (() => {
      const nb = perfect();
      set(nb, "setup", 'process.stderr.write("starting\\n");\n' + cellSource(cell(nb, "setup")));
      set(nb, "ex1-solution", cellSource(cell(nb, "ex1-solution")).replace("{\n", '{\n  console.warn("mean of", xs.length, "values");\n'));
      set(nb, "ex2-solution", cellSource(cell(nb, "ex2-solution")).replace("{\n", '{\n  console.error("topK called");\n'));
      return nb;
    })(),
    points: [2, 3, 1],
  },
  // another kernel in the metadata, and no cell ids (an old nbformat 4.4 tool)
  otherkernel: {
    nb: (() => {
      const nb = perfect();
      nb.metadata.kernelspec = { name: "python3", display_name: "Python 3", language: "python" };
      nb.metadata.language_info = { name: "python" };
      for (const c of nb.cells) delete c.id;
      nb.nbformat_minor = 4;
      return nb;
    })(),
    points: [2, 3, 1],
  },
  notjson: { nb: '{"cells": [ this is not json', points: [0, 0, 0] },
  // a kernel fault (tslab's broken TypeScript watcher) the first time a cell runs: the grader
  // restarts the kernel and runs the cell again; the student loses nothing
  kernelfault: {
    nb: set(
      perfect(),
      "ex1-demo",
      `import fs from "fs";\nif (!fs.existsSync(${JSON.stringify(path.join(TMP, "fault-flag"))})) {\n  fs.writeFileSync(${JSON.stringify(path.join(TMP, "fault-flag"))}, "x");\n  throw new Error("Unexpected pending rebuildTimer");\n}\nmean(data)`,
    ),
    points: [2, 3, 1],
  },
};

function writeClass(dir: string): void {
  for (const [student, s] of Object.entries(CLASS)) {
    const file = path.join(dir, student, NB);
    if (typeof s.nb === "string") {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, s.nb);
    } else {
      writeNotebook(file, s.nb);
    }
  }
}

function byStudent(report: GradesReport): Map<string, SubmissionResult> {
  return new Map(report.results.map((r) => [r.student, r]));
}

test("the synthetic submissions contain no hidden test and the release stubs all three exercises", () => {
  const text = serializeNotebook(release);
  assert.ok(!text.includes("31 / 8") && !text.includes("[9, 6, 5]"));
  assert.equal((text.match(/not implemented/g) ?? []).length, 3);
});

test("autograde a class: perfect, partial and broken totals; every robustness case graded on its own", { timeout: 240_000 }, async () => {
  const subs = path.join(TMP, "submissions");
  const out = path.join(TMP, "grades");
  writeClass(subs);
  const io = capture();
  const t0 = performance.now();
  const code = await main(["autograde", subs, "--source", SOURCE_DIR, "--out", out, "--cell-timeout", "5", "--notebook-timeout", "60", "--jobs", "2"], io);
  const seconds = (performance.now() - t0) / 1000;
  assert.equal(code, 0, io.stderr);
  const report: GradesReport = JSON.parse(fs.readFileSync(path.join(out, "grades.json"), "utf8"));
  const results = byStudent(report);
  assert.deepEqual([...results.keys()].sort(), Object.keys(CLASS).sort(), "every student has a result");
  for (const [student, s] of Object.entries(CLASS)) {
    const r = results.get(student)!;
    const got = r.exercises.map((e) => e.points);
    assert.deepEqual(got, s.points, `${student}: ${JSON.stringify(r, null, 1)}`);
    assert.equal(r.points, s.points.reduce((a, b) => a + b, 0));
    assert.equal(r.max, 6);
    assert.deepEqual(r.exercises.map((e) => e.max), [2, 3, 1]);
  }
  // the three reference submissions
  assert.equal(results.get("perfect")!.points, 6);
  assert.equal(results.get("partial")!.points, 3);
  assert.equal(results.get("broken")!.points, 0);

  // clear reasons
  const ex = (student: string, k: number) => results.get(student)!.exercises[k];
  assert.match(results.get("partial")!.notes.join("\n"), /Test cell ex2-tests was changed/);
  assert.match(ex("partial", 1).message!, /not implemented|Cannot find name 'topK'/);
  assert.match(ex("crashfirst", 0).message!, /Cannot find name 'data'/);
  assert.equal(ex("loop", 1).status, "timeout");
  assert.match(ex("loop", 1).message!, /timed out after 5 s \(the time limit per cell\)/);
  assert.match(results.get("exit")!.notes.join("\n"), /The kernel was restarted 1 time/);
  assert.match(ex("renamed", 0).message!, /Cannot find name 'mean'/);
  assert.match(results.get("deleted")!.notes.join("\n"), /Test cell ex1-tests was missing.*\n.*ex2-tests was missing.*\n.*ex3-tests was missing/);
  assert.match(results.get("otherkernel")!.notes.join("\n"), /kernel is "python3"; it was graded with the course kernel \(tslab\)/);
  const nj = results.get("notjson")!;
  assert.equal(nj.status, "invalid");
  assert.match(nj.error!, /not valid JSON/);
  assert.deepEqual(nj.exercises.map((e) => e.status), ["not run", "not run", "not run"]);
  for (const [student, r] of results) if (student !== "notjson") assert.equal(r.status, "graded", student);
  assert.doesNotMatch(results.get("kernelfault")!.notes.join("\n"), /restarted/);
  assert.ok(fs.existsSync(path.join(TMP, "fault-flag")), "the fault was injected");

  // grades.csv: one row per student and exercise, totals as expected
  const csv = fs.readFileSync(path.join(out, "grades.csv"), "utf8").trim().split("\n");
  assert.equal(csv[0], "student,notebook,exercise,points,max");
  assert.equal(csv.length, 1 + 3 * Object.keys(CLASS).length);
  const totals = new Map<string, number>();
  for (const line of csv.slice(1)) {
    const [student, notebook, , points] = line.split(",");
    assert.equal(notebook, NB);
    totals.set(student, (totals.get(student) ?? 0) + Number(points));
  }
  for (const [student, s] of Object.entries(CLASS)) assert.equal(totals.get(student), s.points.reduce((a, b) => a + b, 0), student);

  // feedback: one notebook per graded student, failing tests explained, no hidden test shown
  for (const [student, r] of results) {
    const fb = path.join(out, "feedback", student, NB);
    if (r.status !== "graded") {
      assert.equal(fs.existsSync(fb), false);
      continue;
    }
    const nb = readNotebook(fb);
    assert.match(cellSource(nb.cells[0]), new RegExp(`Score: ${r.points} / 6`));
    const text = serializeNotebook(nb);
    assert.ok(!text.includes("assert.deepEqual(topK(data, 3)"), `${student}: hidden test in feedback`);
    for (const e of r.exercises) {
      const k = nb.cells.findIndex((c) => c.id === e.cellId);
      assert.ok(k >= 0, `${student}: ${e.cellId} in feedback`);
      const note = cellSource(nb.cells[k + 1]);
      if (e.status === "passed") assert.match(note, /passed/);
      else assert.ok(note.includes(e.message!.split("\n")[0]), `${student}: ${note}`);
    }
  }
  // the stderr student's warnings are in the outputs, and cost nothing
  const stderrFb = readNotebook(path.join(out, "feedback", "stderr", NB));
  assert.match(JSON.stringify(cell(stderrFb, "ex1-tests").outputs), /mean of/);
  console.log(`# autograde of ${Object.keys(CLASS).length} submissions (--jobs 2): ${seconds.toFixed(1)} s`);
});

test("the notebook time limit: cells past it score 0 with the reason; the grade file is written as results come", { timeout: 120_000 }, async () => {
  const nb = perfect();
  set(nb, "ex1-demo", "while (true) {}"); // 4 s, interrupted
  set(nb, "ex2-solution", cellSource(cell(nb, "ex2-solution")) + "\nawait new Promise((r) => setTimeout(r, 10_000));");
  const file = path.join(TMP, "slow", NB);
  writeNotebook(file, nb);
  const out = path.join(TMP, "grades-slow");
  const seen: string[] = [];
  const report = await autograde(file, {
    source: SOURCE,
    out,
    student: "slowpoke",
    cellTimeout: 4,
    notebookTimeout: 8,
    log: () => {
      // the files are up to date before the next notebook starts
      const json = JSON.parse(fs.readFileSync(path.join(out, "grades.json"), "utf8"));
      seen.push(...json.results.map((r: SubmissionResult) => r.student));
    },
  });
  assert.deepEqual(seen, ["slowpoke"]);
  const r = report.results[0];
  assert.equal(r.student, "slowpoke");
  assert.deepEqual(r.exercises.map((e) => [e.points, e.status]), [[2, "passed"], [0, "not run"], [0, "not run"]]);
  assert.match(r.exercises[1].message!, /notebook time limit of 8 s/);
  const fb = readNotebook(r.feedback!);
  assert.match(cellSource(fb.cells[fb.cells.findIndex((c) => c.id === "ex2-solution") + 1]), /did not finish: timed out after .* \(the notebook time limit\)/);
});

test("validate: the fixture passes; a broken variant is reported with every problem", { timeout: 120_000 }, async () => {
  const io = capture();
  const t0 = performance.now();
  assert.equal(await main(["validate", SOURCE, "--cell-timeout", "20"], io), 0, io.stdout + io.stderr);
  const seconds = (performance.now() - t0) / 1000;
  assert.match(io.stdout, /^ok +.*hw-basics\.ipynb/m);
  assert.match(io.stdout, /ok +ex2-tests \(3 pt\): with solutions passed; against stubs failed \(must fail\)/);

  const bad = copy(source);
  // ex1: the stub removes a variable used after the region: the student version does not type-check
  set(bad, "ex1-solution", "function mean(xs: number[]): number {\n  // BEGIN SOLUTION\n  const total = xs.reduce((a, b) => a + b, 0);\n  // END SOLUTION\n  return xs.length === 0 ? 0 : total / xs.length;\n}");
  // ex2: the tests check nothing that the stub does not already satisfy
  set(bad, "ex2-tests", 'import assert from "node:assert/strict";\nassert.equal(typeof topK, "function");\n// BEGIN HIDDEN TESTS\nassert.ok(true);\n// END HIDDEN TESTS');
  // ex3: the solution is wrong, its own test fails
  set(bad, "ex3-solution", "function countAtLeast(xs: number[], t: number): number {\n  // BEGIN SOLUTION\n  return xs.filter((x) => x > t).length;\n  // END SOLUTION\n}");
  // ex3's test relies on ex2-tests' import of assert
  set(bad, "ex3-tests", cellSource(cell(bad, "ex3-tests")).replace('import assert from "node:assert/strict";\n', ""));
  const badFile = path.join(TMP, "broken-exercises.ipynb");
  writeNotebook(badFile, bad);
  const io2 = capture();
  assert.equal(await main(["validate", badFile, "--cell-timeout", "20"], io2), 1);
  const report = io2.stdout;
  assert.match(report, /^BROKEN .*broken-exercises\.ipynb/m);
  assert.match(report, /error: .*cell "ex1-solution" does not type-check in the student version .*Cannot find name 'total'/);
  assert.match(report, /error: .*ex2-tests passes against the stubs/);
  assert.match(report, /error: .*cell "ex3-tests" fails with the solutions \(error\): AssertionError/);
  assert.match(report, /!! +ex3-tests \(1 pt\): with solutions failed/);
  assert.match(report, /error: .*cell "ex3-tests" uses assert, which only the graded cell "(ex1|ex2)-tests" declares or imports/);

  // broken markers are reported without running anything
  const marks = copy(source);
  set(marks, "ex2-tests", cellSource(cell(marks, "ex2-tests")).replace("// END HIDDEN TESTS", ""));
  const marksFile = path.join(TMP, "broken-markers.ipynb");
  writeNotebook(marksFile, marks);
  const io3 = capture();
  assert.equal(await main(["validate", marksFile], io3), 1);
  assert.match(io3.stdout, /error: .*broken-markers\.ipynb: cell "ex2-tests", line 3: \/\/ BEGIN HIDDEN TESTS is never closed/);
  console.log(`# validate of the fixture: ${seconds.toFixed(1)} s`);
});

test("autograde: a single file, usage errors, a missing source", async () => {
  const io = capture();
  assert.equal(await main(["autograde"], io), 2);
  assert.match(io.stderr, /missing argument/);
  const io2 = capture();
  assert.equal(await main(["autograde", path.join(TMP, "nope"), "--source", SOURCE_DIR, "--out", path.join(TMP, "g0")], io2), 1);
  assert.match(io2.stderr, /no such file or folder/);
  const io3 = capture();
  assert.equal(await main(["autograde", TMP, "--source", path.join(TMP, "missing-source")], io3), 1);
  assert.match(io3.stderr, /--source .*missing-source: no such file or folder/);
  const io4 = capture();
  assert.equal(await main(["autograde", "x.ipynb", "--cell-timeout", "0"], io4), 2);
  assert.match(io4.stderr, /--cell-timeout must be > 0/);
  assert.equal(KERNELSPEC.name, "tslab");
});
