/**
 * The homework transformations, without a kernel: markers, the student version and its leak
 * check, restoring test cells into submissions, scoring, feedback, grade files and the layout of
 * submission folders.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Cell, KERNELSPEC, Notebook, cellSource, readNotebook, serializeNotebook } from "../../lib/jupyter/notebook";
import { STUB_LINES, findRegions, studentSource, withoutRegions } from "../../lib/homework/markers";
import { HomeworkError, analyzeHomework, checkHomework, declaredNames, dependsOnSolution, importedNames } from "../../lib/homework/exercises";
import { assign, findLeaks, jsonStrings, secretLines, studentVersion } from "../../lib/homework/release";
import { prepareSubmission } from "../../lib/homework/submission";
import { cleanErrorText, feedbackNotebook, scoreExecuted } from "../../lib/homework/score";
import { SubmissionResult, discoverSubmissions, gradesCsv, matchNotebook, writeGrades } from "../../lib/homework/autograde";
import { stubDiagnostics } from "../../lib/homework/validate";

const FIXTURE = path.join(__dirname, "..", "fixtures", "homework", "source", "hw-basics.ipynb");

const SOL = (id: string) => ({ nbgrader: { grade: false, grade_id: id, locked: false, schema_version: 3, solution: true } });
const TEST = (id: string, points: number) => ({ nbgrader: { grade: true, grade_id: id, locked: true, points, schema_version: 3, solution: false } });

function code(id: string, source: string, metadata: Record<string, any> = {}): Cell {
  return { cell_type: "code", id, source, metadata: JSON.parse(JSON.stringify(metadata)), outputs: [], execution_count: null };
}
function md(id: string, source: string, metadata: Record<string, any> = {}): Cell {
  return { cell_type: "markdown", id, source, metadata };
}
function notebook(cells: Cell[]): Notebook {
  return { cells, metadata: { kernelspec: { ...KERNELSPEC } }, nbformat: 4, nbformat_minor: 5 };
}
function ids(nb: Notebook): string[] {
  return nb.cells.map((c) => c.id ?? "?");
}

const F_SOLUTION = ["function f(x: number): number {", "  // BEGIN SOLUTION", "  const y = x * 2;", "  return y + 1;", "  // END SOLUTION", "}"].join("\n");
const F_TESTS = [
  'import assert from "node:assert/strict";',
  "assert.equal(f(1), 3);",
  "// BEGIN HIDDEN TESTS",
  "assert.equal(f(-4), -7);",
  "// END HIDDEN TESTS",
].join("\n");

/** A small instructor notebook: intro, f (solution + 2-point test), g (solution + 1-point test). */
function instructor(): Notebook {
  return notebook([
    md("intro", "# Homework"),
    code("setup", "const base = 10;"),
    code("f-solution", F_SOLUTION, SOL("f-solution")),
    code("f-tests", F_TESTS, TEST("f-tests", 2)),
    md("g-md", "Write g."),
    code("g-solution", "function g(): number {\n  // BEGIN SOLUTION\n  return base;\n  // END SOLUTION\n}", SOL("g-solution")),
    code("g-tests", 'import assert from "node:assert/strict";\nassert.equal(g(), 10);', TEST("g-tests", 1)),
  ]);
}

// ---- markers ------------------------------------------------------------------------------------

test("findRegions: regions with their marker lines and indentation", () => {
  const { regions, problems } = findRegions(F_SOLUTION + "\n" + F_TESTS, "nb: cell x");
  assert.deepEqual(problems, []);
  assert.deepEqual(regions, [
    { kind: "solution", begin: 1, end: 4, indent: "  " },
    { kind: "hidden", begin: 8, end: 10, indent: "" },
  ]);
});

test("findRegions: unbalanced, nested, crossed and malformed markers name the place and the line", () => {
  const where = "hw.ipynb: cell \"ex1\"";
  const cases: [string, RegExp][] = [
    ["a\n// BEGIN SOLUTION\nb", /hw\.ipynb: cell "ex1", line 2: \/\/ BEGIN SOLUTION is never closed/],
    ["a\n// END SOLUTION", /line 2: \/\/ END SOLUTION without a matching \/\/ BEGIN SOLUTION/],
    ["// BEGIN SOLUTION\n// BEGIN HIDDEN TESTS\n// END HIDDEN TESTS\n// END SOLUTION", /line 2: \/\/ BEGIN HIDDEN TESTS inside the \/\/ BEGIN SOLUTION region opened on line 1 \(regions cannot nest\)/],
    ["// BEGIN SOLUTION\nx\n// END HIDDEN TESTS", /line 3: \/\/ END HIDDEN TESTS closes the \/\/ BEGIN SOLUTION region opened on line 1/],
    ["// begin solution\nx", /line 1: malformed marker "\/\/ begin solution"/],
    ["x\n/* BEGIN SOLUTION */", /line 2: malformed marker/],
    ["// BEGIN SOLUTION: the loop\nx\n// END SOLUTION", /line 1: malformed marker/],
  ];
  for (const [src, re] of cases) {
    const { problems } = findRegions(src, where);
    assert.equal(problems.length >= 1, true, src);
    assert.match(problems.join("\n"), re, src);
    assert.ok(problems[0].startsWith(where), problems[0]);
  }
  // spacing is forgiven, capitals are not
  assert.deepEqual(findRegions("  //BEGIN   SOLUTION  \nx\n//  END SOLUTION", "w").problems, []);
});

test("studentSource: solution becomes the indented stub, hidden tests vanish, other lines stay", () => {
  const src = F_SOLUTION + "\n" + F_TESTS;
  const out = studentSource(src, findRegions(src, "w").regions);
  assert.equal(
    out,
    [
      "function f(x: number): number {",
      `  ${STUB_LINES[0]}`,
      `  ${STUB_LINES[1]}`,
      "}",
      'import assert from "node:assert/strict";',
      "assert.equal(f(1), 3);",
    ].join("\n"),
  );
  assert.equal(withoutRegions(src, findRegions(src, "w").regions), ["function f(x: number): number {", "}", ...F_TESTS.split("\n").slice(0, 2)].join("\n"));
  // no regions: unchanged
  assert.equal(studentSource("a\nb", []), "a\nb");
});

// ---- analysis -----------------------------------------------------------------------------------

test("analyzeHomework: graded cells, points, solution names, dependencies", () => {
  const info = checkHomework(instructor(), "hw.ipynb");
  assert.deepEqual(
    info.graded.map((g) => [g.index, g.cellId, g.gradeId, g.points, g.hasHidden]),
    [
      [3, "f-tests", "f-tests", 2, true],
      [6, "g-tests", "g-tests", 1, false],
    ],
  );
  assert.equal(info.totalPoints, 3);
  assert.deepEqual(info.solutionCells, [2, 5]);
  assert.deepEqual([...info.solutionNames].sort(), ["f", "g"]);
  assert.equal(dependsOnSolution(info.graded[0], info), true); // hidden tests
  assert.equal(dependsOnSolution(info.graded[1], info), true); // uses g
  assert.deepEqual(info.problems, []);
  assert.deepEqual(info.warnings, []);
  assert.deepEqual(declaredNames("function a() {}\nconst b = 1;\n  let inner = 2;\nexport class C {}\nasync function d() {}"), ["a", "b", "C", "d"]);
});

test("analyzeHomework: broken grading metadata and misplaced markers are errors naming notebook and cell", () => {
  const nb = instructor();
  nb.cells[6].metadata.nbgrader.grade_id = "f-tests"; // duplicate grade_id
  nb.cells[3].metadata.nbgrader.points = "two"; // not a number
  nb.cells[1].source = "// BEGIN HIDDEN TESTS\nconst secret = 1;\n// END HIDDEN TESTS"; // hidden outside a test
  nb.cells.push(code("f-solution", "1")); // duplicate cell id
  nb.cells.push(md("notes", "// BEGIN SOLUTION\ntext\n// END SOLUTION")); // markers in markdown
  const info = analyzeHomework(nb, "hw.ipynb");
  const all = info.problems.join("\n");
  assert.match(all, /hw\.ipynb: cell "g-tests": grade_id "f-tests" is also used by cell #3/);
  assert.match(all, /hw\.ipynb: cell "f-tests": a graded test cell needs nbgrader\.points \(a number ≥ 0\), got "two"/);
  assert.match(all, /hw\.ipynb: cell "setup": \/\/ BEGIN HIDDEN TESTS outside a graded test cell/);
  assert.match(all, /cell "f-solution": the cell id is also used by cell #2/);
  assert.match(all, /cell "notes", line 1: \/\/ BEGIN SOLUTION in a markdown cell/);
  assert.throws(() => checkHomework(nb, "hw.ipynb"), (e: unknown) => e instanceof HomeworkError && e.problems.length === info.problems.length);
  assert.throws(() => studentVersion(nb, "hw.ipynb"), HomeworkError);
});

test("analyzeHomework: a test cell that relies on another test cell's import is flagged (not an error)", () => {
  const nb = instructor();
  nb.cells[6].source = "assert.equal(g(), 10);"; // assert imported only by f-tests
  const info = analyzeHomework(nb, "hw.ipynb");
  assert.deepEqual(info.problems, []);
  assert.equal(info.testCoupling.length, 1);
  assert.match(info.testCoupling[0], /hw\.ipynb: cell "g-tests" uses assert, which only the graded cell "f-tests" declares or imports: when f-tests fails, g-tests fails too/);
  assert.ok(info.warnings.includes(info.testCoupling[0]));
  // imported in an ungraded cell: fine
  nb.cells[1].source = 'import assert from "node:assert/strict";\nconst base = 10;';
  assert.deepEqual(analyzeHomework(nb, "hw.ipynb").testCoupling, []);
  assert.deepEqual(importedNames('import a from "x";\nimport * as b from "y";\nimport { c, d as e } from "z";\nimport f, { g } from "w";\nimport type { T } from "t";'), ["a", "b", "c", "e", "g", "f", "T"]);
});

// ---- release ------------------------------------------------------------------------------------

test("studentVersion: stubs, no hidden tests, outputs cleared, grading metadata kept", () => {
  const nb = instructor();
  nb.cells[3].outputs = [{ output_type: "stream", name: "stdout", text: "assert.equal(f(-4), -7);" }];
  nb.cells[3].execution_count = 4;
  nb.cells[3].metadata.recsys = { status: "ok", seconds: 0.1 };
  const rel = studentVersion(nb, "hw.ipynb");
  assert.deepEqual(ids(rel), ids(nb));
  assert.equal(cellSource(rel.cells[2]), `function f(x: number): number {\n  ${STUB_LINES[0]}\n  ${STUB_LINES[1]}\n}`);
  assert.equal(cellSource(rel.cells[3]), 'import assert from "node:assert/strict";\nassert.equal(f(1), 3);');
  assert.deepEqual(rel.cells[3].outputs, []);
  assert.equal(rel.cells[3].execution_count, null);
  assert.equal(rel.cells[3].metadata.recsys, undefined);
  assert.deepEqual(rel.cells[3].metadata.nbgrader, TEST("f-tests", 2).nbgrader);
  assert.deepEqual(rel.cells[6].metadata.nbgrader, TEST("g-tests", 1).nbgrader);
  assert.equal(cellSource(rel.cells[1]), "const base = 10;");
  // the instructor notebook is untouched
  assert.match(cellSource(nb.cells[2]), /return y \+ 1/);
  assert.deepEqual(findLeaks(nb, rel, checkHomework(nb)), []);
});

test("studentVersion: nbgrader's whole-cell solutions (no markers) and markdown answers are replaced", () => {
  const nb = notebook([
    code("whole", "const answer = 42;", SOL("whole")),
    md("essay", "Because of **reasons**.", SOL("essay")),
    code("t", "answer", TEST("t", 1)),
  ]);
  const info = analyzeHomework(nb, "w.ipynb");
  assert.match(info.warnings.join("\n"), /cell "whole": nbgrader\.solution: true without markers/);
  const rel = studentVersion(nb, "w.ipynb", info);
  assert.equal(cellSource(rel.cells[0]), STUB_LINES.join("\n"));
  assert.equal(cellSource(rel.cells[1]), "YOUR ANSWER HERE");
  assert.deepEqual(findLeaks(nb, rel, info), []);
});

test("secretLines / findLeaks: region lines are secret unless shown elsewhere; a leak anywhere is found", () => {
  const nb = instructor();
  nb.cells[0].source = "# Homework\nHint: `return base;` is the answer to g.";
  const info = checkHomework(nb);
  const secrets = secretLines(nb, info);
  assert.deepEqual(secrets.sort(), ["assert.equal(f(-4), -7);", "const y = x * 2;", "return y + 1;"].sort());
  const rel = studentVersion(nb, "hw.ipynb", info);
  assert.deepEqual(findLeaks(nb, rel, info), []);
  // plant each secret somewhere else in the release: sources, outputs, metadata, notebook metadata
  const plant: ((r: Notebook) => void)[] = [
    (r) => void (r.cells[1].source += "\n  const y = x * 2;"),
    (r) => void (r.cells[3].outputs = [{ output_type: "stream", name: "stderr", text: ["x\n", "assert.equal(f(-4), -7);\n"] }]),
    (r) => void (r.cells[4].metadata.note = { text: "return y + 1;" }),
    (r) => void (r.metadata.extra = ["assert.equal(f(-4), -7);"]),
  ];
  for (const p of plant) {
    const leaky: Notebook = JSON.parse(JSON.stringify(rel));
    p(leaky);
    assert.equal(findLeaks(nb, leaky, info).length, 1, JSON.stringify(findLeaks(nb, leaky, info)));
  }
  assert.deepEqual(jsonStrings({ a: ["b", { c: 1, d: "e" }] }), ["a", "b", "c", "d", "e"]);
});

test("assign: writes atomically, refuses broken notebooks and overwriting the source", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hw-assign-"));
  try {
    const src = path.join(dir, "src");
    fs.mkdirSync(src);
    const good = path.join(src, "01-good.ipynb");
    fs.writeFileSync(good, serializeNotebook(instructor()));
    const out = path.join(dir, "release");
    const res = assign([good], out);
    assert.deepEqual(res.map((r) => [path.basename(r.target), r.exercises, r.points]), [["01-good.ipynb", 2, 3]]);
    assert.deepEqual(fs.readdirSync(out), ["01-good.ipynb"]); // no temp file left
    assert.deepEqual(readNotebook(path.join(out, "01-good.ipynb")), studentVersion(instructor()));
    assert.throws(() => assign([good], src), /would overwrite the instructor notebook/);
    const bad = path.join(src, "02-bad.ipynb");
    const nb = instructor();
    nb.cells[2].source = "// BEGIN SOLUTION\nconst x = 1;";
    fs.writeFileSync(bad, serializeNotebook(nb));
    const out2 = path.join(dir, "release2");
    assert.throws(() => assign([good, bad], out2), /nothing was released:\n.*02-bad\.ipynb: cell "f-solution", line 1: \/\/ BEGIN SOLUTION is never closed/s);
    assert.equal(fs.existsSync(out2), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// ---- submissions --------------------------------------------------------------------------------

/** The student version with f and g solved (a student's perfect submission). */
function solved(): Notebook {
  const rel = studentVersion(instructor());
  rel.cells[2].source = "function f(x: number): number {\n  return 2 * x + 1;\n}";
  rel.cells[5].source = "function g(): number {\n  return base;\n}";
  return rel;
}

test("prepareSubmission: an untouched submission gets the full tests back in place", () => {
  const src = instructor();
  const info = checkHomework(src);
  const p = prepareSubmission(src, info, solved());
  assert.deepEqual(ids(p.notebook), ids(src));
  assert.equal(cellSource(p.notebook.cells[3]), F_TESTS); // hidden tests restored
  assert.equal(cellSource(p.notebook.cells[2]), cellSource(solved().cells[2])); // student's code kept
  assert.deepEqual(p.notes, []);
  assert.equal(p.lastGraded, 6);
});

test("prepareSubmission: edited, deleted and moved tests are restored after their anchor cell", () => {
  const src = instructor();
  const info = checkHomework(src);
  const sub = solved();
  // edited test (cheating), deleted test, and g's solution moved before f's
  sub.cells[3].source = "// trust me";
  sub.cells[3].metadata.nbgrader.points = 100;
  sub.cells.splice(6, 1); // delete g-tests
  const [gSol] = sub.cells.splice(5, 1);
  sub.cells.splice(2, 0, gSol);
  const p = prepareSubmission(src, info, sub);
  assert.deepEqual(ids(p.notebook), ["intro", "setup", "g-solution", "g-tests", "f-solution", "f-tests", "g-md"]);
  assert.equal(cellSource(p.notebook.cells[5]), F_TESTS);
  assert.equal(p.notebook.cells[5].metadata.nbgrader.points, 2);
  assert.match(p.notes.join("\n"), /Test cell f-tests was changed/);
  assert.match(p.notes.join("\n"), /Test cell g-tests was missing/);
  assert.equal(p.lastGraded, 5);
});

test("prepareSubmission: no anchor left → test at the end; forged graded cells are not graded; kernel and ids fixed", () => {
  const src = instructor();
  const info = checkHomework(src);
  const sub = solved();
  sub.metadata.kernelspec = { name: "python3", display_name: "Python 3", language: "python" };
  // the student renamed every other cell (new ids, no nbgrader metadata) and added a forged graded cell
  sub.cells.forEach((c, k) => {
    if (["f-tests", "g-tests"].includes(c.id!)) return;
    c.id = `x${k}`;
    delete c.metadata.nbgrader;
  });
  sub.cells.splice(0, 0, code("x1", "1", TEST("bonus", 50)));
  sub.cells.push(code("my cell: ü", "2"), code("x".repeat(80), "3"));
  const p = prepareSubmission(src, info, sub);
  const got = ids(p.notebook);
  assert.equal(new Set(got).size, got.length, `ids must be unique: ${got}`);
  // nothing before the tests is recognisable: both at the end, in source order
  assert.deepEqual(got.slice(-2), ["f-tests", "g-tests"]);
  assert.equal(got.length, src.cells.length + 3);
  assert.ok(got.every((id) => /^[A-Za-z0-9_-]{1,64}$/.test(id)), `nbformat cell ids: ${got}`);
  assert.equal(p.notebook.metadata.kernelspec.name, "tslab");
  assert.match(p.notes.join("\n"), /kernel is "python3"/);
  assert.match(p.notes.join("\n"), /claims to be a graded test/);
  assert.equal(p.notebook.cells[0].metadata.nbgrader.grade, false);
  assert.match(p.notes.join("\n"), /Test cell f-tests has no earlier cell of the assignment left/);
  // g-tests follows f-tests, the nearest earlier source cell in the notebook
  assert.doesNotMatch(p.notes.join("\n"), /Test cell g-tests has no earlier cell/);
});

test("prepareSubmission: cells without ids (old nbformat) are matched by grade_id", () => {
  const src = instructor();
  const info = checkHomework(src);
  const sub = solved();
  for (const c of sub.cells) delete c.id;
  sub.nbformat_minor = 4;
  const p = prepareSubmission(src, info, sub);
  // the tests follow the solution cells (matched by grade_id) and keep their ids
  const k = p.notebook.cells.findIndex((c) => c.id === "f-tests");
  assert.equal(p.notebook.cells[k - 1].metadata.nbgrader.grade_id, "f-solution");
  assert.equal(p.notebook.cells.length, src.cells.length);
  assert.equal(p.notebook.nbformat_minor, 5);
  assert.ok(p.notebook.cells.every((c) => typeof c.id === "string" && c.id.length > 0));
});

// ---- scoring and feedback -----------------------------------------------------------------------

function executed(statuses: Record<string, { status: string; reason?: string; stderr?: string }>): Notebook {
  const src = instructor();
  const nb = prepareSubmission(src, checkHomework(src), solved()).notebook;
  for (const c of nb.cells) {
    const s = c.id ? statuses[c.id] : undefined;
    if (!s) continue;
    c.metadata.recsys = { status: s.status, seconds: 0.1, ...(s.reason ? { reason: s.reason } : {}) };
    c.outputs = s.stderr ? [{ output_type: "stream", name: "stderr", text: s.stderr }] : [];
  }
  return nb;
}

test("scoreExecuted: ok → all points; error, timeout, skipped → 0 with the reason; stderr alone is no failure", () => {
  const info = checkHomework(instructor());
  const nb = executed({
    "f-tests": { status: "ok", stderr: "a warning from console.warn\n" },
    "g-tests": { status: "error", stderr: "evalmachine.<anonymous>:3\nassert.equal(g(), 10);\n^\n\nAssertionError [ERR_ASSERTION]: 9 == 10\n    at evalmachine.<anonymous>:3:8\n" },
  });
  const r = scoreExecuted(nb, info);
  assert.deepEqual(r.map((e) => [e.exercise, e.points, e.max, e.status]), [["f-tests", 2, 2, "passed"], ["g-tests", 0, 1, "failed"]]);
  assert.equal(r[1].message, "AssertionError [ERR_ASSERTION]: 9 == 10");
  const t = scoreExecuted(executed({ "f-tests": { status: "timeout", reason: "timed out after 3 s (the time limit per cell)" }, "g-tests": { status: "skipped", reason: "not run: the notebook time limit of 9 s was used up" } }), info);
  assert.deepEqual(t.map((e) => [e.points, e.status]), [[0, "timeout"], [0, "not run"]]);
  assert.match(t[0].message!, /timed out after 3 s/);
  assert.match(t[1].message!, /time limit of 9 s/);
  assert.deepEqual(scoreExecuted(executed({ "f-tests": { status: "dead", reason: "the kernel died" } }), info).map((e) => e.status), ["failed", "not run"]);
});

test("cleanErrorText drops V8's source excerpt and stack frames, keeps the message", () => {
  const raw = [
    "evalmachine.<anonymous>:5",
    '    throw new Error("not implemented");',
    "    ^",
    "",
    "Error: not implemented",
    "    at f (evalmachine.<anonymous>:5:11)",
    "    at Script.runInThisContext (node:vm:135:14)",
  ].join("\n");
  assert.equal(cleanErrorText(raw), "Error: not implemented");
  assert.equal(cleanErrorText("1:1 - Cannot find name 'mean'.\n"), "1:1 - Cannot find name 'mean'.");
  const assertion = [
    "node:assert:90",
    "  throw new AssertionError(obj);",
    "  ^",
    "",
    "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
    "",
    "1 !== 2",
    "",
    "    at evalmachine.<anonymous>:4:8",
    "    at Object.execute (/x/tslab/dist/executor.js:160:38) {",
    "  generatedMessage: true,",
    "  code: 'ERR_ASSERTION',",
    "}",
    "after",
  ].join("\n");
  assert.equal(cleanErrorText(assertion), "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n\n1 !== 2\n\nafter");
  assert.equal(cleanErrorText("x".repeat(50), 10), "xxxxxxxxxx…");
});

test("feedbackNotebook: summary first, a note after every test, hidden tests removed unless asked", () => {
  const src = instructor();
  const info = checkHomework(src);
  const nb = executed({ "f-tests": { status: "error", stderr: "AssertionError [ERR_ASSERTION]: 1 == 3\n" }, "g-tests": { status: "ok" } });
  const results = scoreExecuted(nb, info);
  const fb = feedbackNotebook(nb, info, results, { student: "ann", notebook: "hw.ipynb", notes: ["Test cell g-tests was missing"] });
  assert.equal(fb.cells[0].id, "feedback-summary");
  assert.match(cellSource(fb.cells[0]), /\*\*Score: 1 \/ 3\*\*/);
  assert.match(cellSource(fb.cells[0]), /- Test cell g-tests was missing/);
  const k = fb.cells.findIndex((c) => c.id === "f-tests");
  assert.match(cellSource(fb.cells[k + 1]), /f-tests: 0 \/ 2\*\*: failed\n\n```+text\nAssertionError \[ERR_ASSERTION\]: 1 == 3\n```+/);
  assert.doesNotMatch(serializeNotebook(fb), /f\(-4\)/); // hidden test not shown
  const j = fb.cells.findIndex((c) => c.id === "g-tests");
  assert.match(cellSource(fb.cells[j + 1]), /g-tests: 1 \/ 1\*\*: passed/);
  const shown = feedbackNotebook(nb, info, results, { student: "ann", notebook: "hw.ipynb", notes: [], showHidden: true });
  assert.match(serializeNotebook(shown), /f\(-4\)/);
  const fbIds = ids(fb);
  assert.equal(new Set(fbIds).size, fbIds.length);
});

test("stubDiagnostics: a stub's own type error counts, a forgotten solution name does not", () => {
  const info = checkHomework(instructor());
  assert.deepEqual(stubDiagnostics("1:1 - Cannot find name 'f'.\n", info), []);
  assert.deepEqual(stubDiagnostics("4:10 - Cannot find name 'total'.\n", info), ["4:10 - Cannot find name 'total'."]);
  assert.deepEqual(stubDiagnostics("Error: not implemented\n    at f (evalmachine.<anonymous>:5:11)", info), []);
});

// ---- grade files and submission layout ----------------------------------------------------------

test("gradesCsv: one row per exercise, quoted when needed; writeGrades is atomic", () => {
  const r = (student: string, points: number[]): SubmissionResult => ({
    student,
    notebook: "01-x.ipynb",
    file: "",
    status: "graded",
    points: points.reduce((a, b) => a + b, 0),
    max: 3,
    seconds: 1,
    notes: [],
    exercises: points.map((p, k) => ({ exercise: `ex${k + 1}`, cellId: `ex${k + 1}`, points: p, max: k + 1, status: p > 0 ? "passed" : "failed" })),
  });
  const csv = gradesCsv([r("bob", [1, 0]), r('Doe, "J"', [0, 2])]);
  assert.equal(csv, 'student,notebook,exercise,points,max\nbob,01-x.ipynb,ex1,1,1\nbob,01-x.ipynb,ex2,0,2\n"Doe, ""J""",01-x.ipynb,ex1,0,1\n"Doe, ""J""",01-x.ipynb,ex2,2,2\n');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hw-grades-"));
  try {
    writeGrades(dir, { generated: "now", source: "s", cellTimeout: 1, notebookTimeout: 2, problems: [], results: [r("zed", [1, 2]), r("amy", [0, 0])] });
    assert.deepEqual(fs.readdirSync(dir).sort(), ["grades.csv", "grades.json"]);
    const json = JSON.parse(fs.readFileSync(path.join(dir, "grades.json"), "utf8"));
    assert.deepEqual(json.results.map((x: SubmissionResult) => x.student), ["amy", "zed"]); // sorted
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("matchNotebook: exact name, else a unique number prefix", () => {
  const sources = ["01-popularity.ipynb", "02-knn.ipynb", "10-mf.ipynb"];
  assert.equal(matchNotebook("02-knn.ipynb", sources), "02-knn.ipynb");
  assert.equal(matchNotebook("02-knn (1).ipynb", sources), "02-knn.ipynb");
  assert.equal(matchNotebook("01_copy.ipynb", sources), "01-popularity.ipynb");
  assert.equal(matchNotebook("1-popularity.ipynb", sources), "");
  assert.equal(matchNotebook("notes.ipynb", sources), "");
  assert.equal(matchNotebook("03-x.ipynb", ["03-a.ipynb", "03-b.ipynb"]), "");
});

test("discoverSubmissions: folder per student, missing notebooks, stray files, single student, single file", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hw-subs-"));
  const touch = (p: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), "{}");
  };
  try {
    const sources = ["01-a.ipynb", "02-b.ipynb"];
    touch("subs/ann/01-a.ipynb");
    touch("subs/ann/02-b.ipynb");
    touch("subs/bob/01-a (1).ipynb");
    touch("subs/bob/notes.ipynb");
    touch("subs/stray.ipynb");
    fs.mkdirSync(path.join(dir, "subs", "cid"));
    const { submissions, problems } = discoverSubmissions(path.join(dir, "subs"), sources);
    const rows = submissions.map((s) => [s.student, s.notebook, s.file ? path.relative(dir, s.file) : ""]).sort();
    assert.deepEqual(rows, [
      ["ann", "01-a.ipynb", path.join("subs", "ann", "01-a.ipynb")],
      ["ann", "02-b.ipynb", path.join("subs", "ann", "02-b.ipynb")],
      ["bob", "01-a.ipynb", path.join("subs", "bob", "01-a (1).ipynb")],
      ["bob", "02-b.ipynb", ""], // missing
    ]);
    assert.equal(problems.length, 3, problems.join("\n"));
    assert.match(problems.join("\n"), /stray\.ipynb: not in a student folder/);
    assert.match(problems.join("\n"), /notes\.ipynb: matches no instructor notebook/);
    assert.match(problems.join("\n"), /cid: no notebooks/);
    // one student's folder, and one file
    const one = discoverSubmissions(path.join(dir, "subs", "ann"), sources);
    assert.deepEqual(one.submissions.map((s) => [s.student, s.notebook]), [["ann", "01-a.ipynb"], ["ann", "02-b.ipynb"]]);
    const file = discoverSubmissions(path.join(dir, "subs", "bob", "01-a (1).ipynb"), sources, "robert");
    assert.deepEqual(file.submissions.map((s) => [s.student, s.notebook]), [["robert", "01-a.ipynb"]]);
    assert.throws(() => discoverSubmissions(path.join(dir, "nope"), sources), /no such file or folder/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the fixture instructor notebook is well formed and small", () => {
  const nb = readNotebook(FIXTURE);
  const info = checkHomework(nb, FIXTURE);
  assert.deepEqual(info.graded.map((g) => [g.gradeId, g.points, g.hasHidden]), [["ex1-tests", 2, true], ["ex2-tests", 3, true], ["ex3-tests", 1, false]]);
  assert.deepEqual(info.warnings, []);
  assert.ok(!serializeNotebook(nb).includes("./lib/index"), "the fixture must not import the library (slow)");
});
