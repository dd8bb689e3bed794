/**
 * The real course notebooks (notebooks/*.ipynb) as homework: markers balanced, grading metadata
 * complete, the release free of every solution and hidden-test line (checked here with a scanner
 * independent of lib/homework), and each student version structurally sound: every code cell
 * still parses, every stub sits inside a function body that keeps its signature, and no name the
 * stub removes is used after it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { Notebook, cellSource, readNotebook } from "../../lib/jupyter/notebook";
import { analyzeHomework, isGradedCell } from "../../lib/homework/exercises";
import { findLeaks, studentVersion } from "../../lib/homework/release";
import { CliIO, main } from "../../lib/cli/main";

const NB_DIR = path.join(__dirname, "..", "..", "notebooks");
const files = fs
  .readdirSync(NB_DIR)
  .filter((f) => f.endsWith(".ipynb"))
  .sort();

/** Lines inside marker regions, found with a plain scan (not lib/homework's parser). */
function regionLinesByScan(nb: Notebook): { secret: string[]; shown: string } {
  const secret: string[] = [];
  const shown: string[] = [];
  for (const cell of nb.cells) {
    const src = cellSource(cell);
    if (cell.cell_type !== "code") {
      if (cell.metadata?.nbgrader?.solution) secret.push(...src.split("\n"));
      else shown.push(src);
      continue;
    }
    let inside = false;
    for (const line of src.split("\n")) {
      if (/^\s*\/\/\s*BEGIN\s+(SOLUTION|HIDDEN\s+TESTS)\s*$/.test(line)) inside = true;
      else if (/^\s*\/\/\s*END\s+(SOLUTION|HIDDEN\s+TESTS)\s*$/.test(line)) inside = false;
      else (inside ? secret : shown).push(line);
    }
  }
  const shownText = shown.join("\n");
  return { secret: [...new Set(secret.map((l) => l.trim()))].filter((l) => /\w/.test(l) && !shownText.includes(l)), shown: shownText };
}

function parse(source: string): ts.SourceFile {
  // `export {}` makes it a module, so top-level await parses as in tslab
  return ts.createSourceFile("cell.ts", `${source}\nexport {};\n`, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

function syntaxErrors(sf: ts.SourceFile): string[] {
  const diags = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics ?? [];
  return diags.map((d) => {
    const { line } = sf.getLineAndCharacterOfPosition(d.start ?? 0);
    return `line ${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
  });
}

function isFunctionLike(n: ts.Node): boolean {
  return ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n);
}

/** False for an identifier that names a property, member or label rather than referring to a variable. */
function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  const named = p as unknown as { name?: ts.Node; propertyName?: ts.Node; label?: ts.Node; right?: ts.Node };
  if (ts.isPropertyAccessExpression(p) || ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isMethodSignature(p) || ts.isEnumMember(p) || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p)) {
    return named.name !== id;
  }
  if (ts.isBindingElement(p) || ts.isImportSpecifier(p) || ts.isExportSpecifier(p)) return named.propertyName !== id;
  if (ts.isQualifiedName(p)) return named.right !== id;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return named.label !== id;
  return true;
}

/** Problems with the stubs of one student cell: outside a function, or a removed name still used. */
function stubProblems(instructorSrc: string, studentSrc: string): string[] {
  const problems: string[] = [];
  const sf = parse(studentSrc);
  const walk = (n: ts.Node): void => {
    if (ts.isThrowStatement(n) && /new Error\("not implemented"\)/.test(n.expression.getText(sf))) {
      let p: ts.Node | undefined = n.parent;
      while (p && !isFunctionLike(p)) p = p.parent;
      if (!p) problems.push(`stub at line ${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1} is not inside a function body`);
      else if (!(p as ts.SignatureDeclaration).type && !ts.isConstructorDeclaration(p) && !ts.isSetAccessorDeclaration(p)) {
        problems.push(`the function around the stub at line ${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1} has no declared return type (with only the stub TypeScript infers void or never, so callers stop type-checking)`);
      }
    }
    ts.forEachChild(n, walk);
  };
  walk(sf);
  // names declared inside a solution region of the instructor cell must not be used in the student cell
  const inst = parse(instructorSrc);
  const lines = instructorSrc.split("\n");
  const ranges: [number, number][] = [];
  let begin = -1;
  lines.forEach((l, k) => {
    if (/^\s*\/\/\s*BEGIN\s+SOLUTION\s*$/.test(l)) begin = k;
    else if (/^\s*\/\/\s*END\s+SOLUTION\s*$/.test(l) && begin >= 0) {
      ranges.push([begin, k]);
      begin = -1;
    }
  });
  const removed = new Set<string>();
  const collect = (n: ts.Node): void => {
    const named = (ts.isVariableDeclaration(n) || ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n)) && n.name && ts.isIdentifier(n.name) ? n.name.text : undefined;
    if (named) {
      const line = inst.getLineAndCharacterOfPosition(n.getStart(inst)).line;
      if (ranges.some(([a, b]) => line > a && line < b)) removed.add(named);
    }
    ts.forEachChild(n, collect);
  };
  collect(inst);
  const declaredInStudent = new Set<string>();
  const used = new Set<string>();
  const scan = (n: ts.Node): void => {
    if ((ts.isVariableDeclaration(n) || ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n) || ts.isParameter(n)) && n.name && ts.isIdentifier(n.name)) declaredInStudent.add(n.name.text);
    if (ts.isIdentifier(n) && isReference(n)) used.add(n.text);
    ts.forEachChild(n, scan);
  };
  scan(sf);
  for (const name of removed) {
    if (used.has(name) && !declaredInStudent.has(name)) problems.push(`"${name}" is declared inside the solution but used outside it`);
  }
  return problems;
}

test("course notebooks exist", () => {
  assert.ok(files.length > 0);
});

for (const f of files) {
  const file = path.join("notebooks", f);
  test(`${f}: homework markers and metadata are sound, the release leaks nothing, stubs keep signatures`, () => {
    const nb = readNotebook(path.join(NB_DIR, f));
    const info = analyzeHomework(nb, file);
    assert.deepEqual(info.problems, [], `${f} has homework problems`);
    assert.deepEqual(info.warnings.filter((w) => !info.testCoupling.includes(w)), [], `${f} has homework warnings`);
    const gradeIds = info.graded.map((g) => g.gradeId);
    assert.equal(new Set(gradeIds).size, gradeIds.length);
    assert.equal(info.graded.length, nb.cells.filter(isGradedCell).length, "every graded cell has an id, a grade_id and points");
    for (const g of info.graded) assert.ok(typeof g.points === "number" && g.points > 0, `${f}: ${g.gradeId} has no points`);

    const release = studentVersion(nb, file, info);
    assert.deepEqual(findLeaks(nb, release, info), []);
    // independent check: no secret line anywhere in the serialised release
    const text = JSON.stringify(release);
    const strings = [text, ...release.cells.map(cellSource)].join("\n");
    const { secret } = regionLinesByScan(nb);
    if (info.solutionCells.length > 0 || info.graded.some((g) => g.hasHidden)) assert.ok(secret.length > 0, `${f}: found no secret line to look for`);
    for (const s of secret) assert.ok(!strings.includes(s) && !text.includes(JSON.stringify(s).slice(1, -1)), `${f}: the release contains ${JSON.stringify(s)}`);
    for (const c of release.cells) {
      if (c.cell_type !== "code") continue;
      const marker = cellSource(c).split("\n").find((l) => /^\s*\/\/\s*(BEGIN|END)\s+(SOLUTION|HIDDEN\s+TESTS)/.test(l));
      assert.equal(marker, undefined, `${f}: cell "${c.id}" of the release still has a marker`);
    }
    // graded metadata kept, outputs cleared
    assert.deepEqual(
      release.cells.filter(isGradedCell).map((c) => [c.id, c.metadata.nbgrader.grade_id, c.metadata.nbgrader.points]),
      info.graded.map((g) => [g.cellId, g.gradeId, g.points]),
    );
    assert.ok(release.cells.every((c) => c.cell_type !== "code" || ((c.outputs ?? []).length === 0 && c.execution_count == null)));

    // structure of the student version
    nb.cells.forEach((cell, k) => {
      if (cell.cell_type !== "code") return;
      const before = syntaxErrors(parse(cellSource(cell)));
      const after = syntaxErrors(parse(cellSource(release.cells[k])));
      assert.deepEqual(after, before, `${f}: cell "${cell.id}" of the student version does not parse`);
      if (info.regions.get(k)?.some((r) => r.kind === "solution")) {
        assert.deepEqual(stubProblems(cellSource(cell), cellSource(release.cells[k])), [], `${f}: cell "${cell.id}"`);
      }
    });
  });
}

test("course: no graded cell relies on a name that only another graded cell imports or declares", () => {
  // tslab forgets what a failing cell declared, so e.g. an `import assert` only in ex1-tests makes
  // every later test fail for a student who fails ex1. Fix: import in every test cell (or a setup cell).
  const coupling = files.flatMap((f) => analyzeHomework(readNotebook(path.join(NB_DIR, f)), path.join("notebooks", f)).testCoupling);
  assert.deepEqual(coupling, []);
});

test("the structural check itself catches a stub outside a function and a removed name still used", () => {
  const bad1 = "// BEGIN SOLUTION\nconst k = 3;\n// END SOLUTION";
  assert.match(stubProblems(bad1, '// YOUR CODE HERE\nthrow new Error("not implemented");').join(), /not inside a function body/);
  const bad2 = "function f(xs: number[]): number {\n  // BEGIN SOLUTION\n  const total = xs.length;\n  // END SOLUTION\n  return total;\n}";
  const stub2 = 'function f(xs: number[]): number {\n  // YOUR CODE HERE\n  throw new Error("not implemented");\n  return total;\n}';
  assert.match(stubProblems(bad2, stub2).join(), /"total" is declared inside the solution but used outside it/);
  const bad3 = "function f(xs: number[]) {\n  // BEGIN SOLUTION\n  return xs.length;\n  // END SOLUTION\n}";
  assert.match(stubProblems(bad3, 'function f(xs: number[]) {\n  throw new Error("not implemented");\n}').join(), /no declared return type/);
  // names of properties in types and accesses are not uses of the removed variables
  const props = "function fit(k: number): { P: number[]; Q: number[] } {\n  // BEGIN SOLUTION\n  const P = [k];\n  const Q = [k];\n  return { P, Q };\n  // END SOLUTION\n}\nconst r = fit(2);\nr.P.length + r.Q.length";
  assert.deepEqual(stubProblems(props, 'function fit(k: number): { P: number[]; Q: number[] } {\n  // YOUR CODE HERE\n  throw new Error("not implemented");\n}\nconst r = fit(2);\nr.P.length + r.Q.length'), []);
  const good = "function f(xs: number[]): number {\n  // BEGIN SOLUTION\n  return xs.length;\n  // END SOLUTION\n}";
  assert.deepEqual(stubProblems(good, 'function f(xs: number[]): number {\n  // YOUR CODE HERE\n  throw new Error("not implemented");\n}'), []);
});

test("recsys assign releases the whole course and nothing secret ends up in the files", async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "hw-release-"));
  try {
    const io: CliIO & { stdout: string; stderr: string } = { stdout: "", stderr: "", out: (s) => void (io.stdout += s), err: (s) => void (io.stderr += s) };
    const t0 = performance.now();
    const code = await main(["assign", "--out", out], io);
    const ms = performance.now() - t0;
    assert.equal(code, 0, io.stderr);
    assert.match(io.stdout, new RegExp(`released ${files.length} notebook`));
    assert.deepEqual(fs.readdirSync(out).sort(), files);
    for (const f of files) {
      const written = fs.readFileSync(path.join(out, f), "utf8");
      for (const s of regionLinesByScan(readNotebook(path.join(NB_DIR, f))).secret) {
        assert.ok(!written.includes(JSON.stringify(s).slice(1, -1)), `${f}: the released file contains ${JSON.stringify(s)}`);
      }
    }
    console.log(`# recsys assign: ${files.length} notebooks in ${ms.toFixed(0)} ms`);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
