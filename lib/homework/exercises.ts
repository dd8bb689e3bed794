/**
 * What an instructor notebook holds for homework, nbgrader style, and what is wrong with it.
 *
 * - A graded test cell is a code cell whose metadata has `nbgrader.grade: true`, a unique
 *   `nbgrader.grade_id` and `nbgrader.points` (a number ≥ 0). It may hold one or more
 *   `// BEGIN HIDDEN TESTS` … `// END HIDDEN TESTS` regions, and no solution region.
 * - A solution cell is a code cell with `// BEGIN SOLUTION` … `// END SOLUTION` regions (normally
 *   with `nbgrader.solution: true`). A cell marked `nbgrader.solution: true` without markers is
 *   replaced as a whole in the student version (nbgrader's behaviour); a markdown solution cell
 *   becomes "YOUR ANSWER HERE".
 *
 * Problems (errors) name the notebook, the cell id and the line. Pure functions, no I/O.
 */
import { Cell, Notebook, cellSource } from "../jupyter/notebook";
import { Region, findRegions, parseMarker, regionLines, splitLines } from "./markers";

export class HomeworkError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "HomeworkError";
  }
}

export interface GradedCell {
  /** Position of the cell in the instructor notebook. */
  index: number;
  cellId: string;
  gradeId: string;
  points: number;
  /** The full instructor source (hidden tests included): what the autograder runs. */
  source: string;
  /** Whether the cell has hidden tests. */
  hasHidden: boolean;
}

export interface HomeworkInfo {
  graded: GradedCell[];
  /** Marked regions by cell index (code cells with at least one region). */
  regions: Map<number, Region[]>;
  /** Cells whose student version differs: solution regions, whole solution cells, markdown answers. */
  solutionCells: number[];
  /** Names declared in solution cells (functions, classes, consts …): tests that use them depend on a solution. */
  solutionNames: Set<string>;
  totalPoints: number;
  /** Errors: the notebook cannot be released or graded. */
  problems: string[];
  /** Questionable but workable (also lists every `testCoupling`). */
  warnings: string[];
  /**
   * Graded cells that use a name only another graded cell declares or imports (typically `assert`):
   * grading works, but failing one exercise fails the other too. `recsys validate` treats these as errors.
   */
  testCoupling: string[];
}

export function nbgraderMeta(cell: Cell): Record<string, any> | undefined {
  const m = cell.metadata?.nbgrader;
  return m && typeof m === "object" ? m : undefined;
}

/** True for a cell that claims to be a graded test (`nbgrader.grade: true`). */
export function isGradedCell(cell: Cell): boolean {
  return nbgraderMeta(cell)?.grade === true;
}

/** True for a cell that nbgrader metadata marks as a solution (`nbgrader.solution: true`). */
export function isSolutionCell(cell: Cell): boolean {
  return nbgraderMeta(cell)?.solution === true;
}

/** How a cell is named in messages: its id, else its grade_id, else its position. */
export function cellLabel(cell: Cell, index: number): string {
  return cell.id ? `cell "${cell.id}"` : nbgraderMeta(cell)?.grade_id ? `cell "${nbgraderMeta(cell)!.grade_id}"` : `cell #${index}`;
}

const DECLARATION = /^(?:export\s+)?(?:declare\s+)?(?:async\s+)?(?:function\s*\*?\s*|class\s+|interface\s+|type\s+|enum\s+|(?:const|let|var)\s+)([A-Za-z_$][\w$]*)/gm;

/**
 * Identifiers declared at the top level of a cell (lines starting in column 0 with `function`,
 * `class`, `interface`, `type`, `enum`, `const`, `let` or `var`): the names later cells can use.
 */
export function declaredNames(source: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(DECLARATION)) names.push(m[1]);
  return names;
}

const IMPORT = /^\s*import\s+(?:type\s+)?([^;]*?)\s+from\s/gm;

/** Names a cell imports (`import a from`, `import * as a from`, `import { b, c as d } from`). */
export function importedNames(source: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(IMPORT)) {
    const clause = m[1];
    const braces = /\{([^}]*)\}/.exec(clause);
    if (braces) {
      for (const part of braces[1].split(",")) {
        const name = part.trim().split(/\s+as\s+/).pop()?.trim();
        if (name && /^[A-Za-z_$][\w$]*$/.test(name)) names.push(name);
      }
    }
    const rest = clause.replace(/\{[^}]*\}/, "").split(",").map((x) => x.trim()).filter(Boolean);
    for (const r of rest) {
      const name = r.replace(/^\*\s+as\s+/, "").trim();
      if (/^[A-Za-z_$][\w$]*$/.test(name)) names.push(name);
    }
  }
  return names;
}

/** Whether `source` mentions identifier `name` as a whole word. */
export function mentions(source: string, name: string): boolean {
  return new RegExp(`(^|[^\\w$])${name.replace(/\$/g, "\\$")}($|[^\\w$])`).test(source);
}

/** Analyses an instructor notebook: graded cells, solution cells and every problem found. */
export function analyzeHomework(nb: Notebook, file = "notebook"): HomeworkInfo {
  const graded: GradedCell[] = [];
  const regions = new Map<number, Region[]>();
  const solutionCells: number[] = [];
  const solutionNames = new Set<string>();
  const problems: string[] = [];
  const warnings: string[] = [];
  const cellIds = new Map<string, number>();
  const gradeIds = new Map<string, number>();

  nb.cells.forEach((cell, index) => {
    const label = cellLabel(cell, index);
    const where = `${file}: ${label}`;
    const src = cellSource(cell);
    const meta = nbgraderMeta(cell);
    if (cell.id) {
      if (cellIds.has(cell.id)) problems.push(`${where}: the cell id is also used by cell #${cellIds.get(cell.id)}`);
      else cellIds.set(cell.id, index);
    }

    if (cell.cell_type !== "code") {
      splitLines(src).forEach((line, k) => {
        if (parseMarker(line)) problems.push(`${where}, line ${k + 1}: ${line.trim()} in a ${cell.cell_type} cell (markers work only in code cells)`);
      });
      if (isGradedCell(cell)) problems.push(`${where}: graded ${cell.cell_type} cells (manual grading) are not supported; grade code cells`);
      if (isSolutionCell(cell)) solutionCells.push(index);
      return;
    }

    const found = findRegions(src, where);
    problems.push(...found.problems);
    if (found.regions.length > 0) regions.set(index, found.regions);
    const hasSolution = found.regions.some((r) => r.kind === "solution");
    const hasHidden = found.regions.some((r) => r.kind === "hidden");

    if (isGradedCell(cell)) {
      if (isSolutionCell(cell)) problems.push(`${where}: a cell cannot be both a solution (nbgrader.solution) and a graded test (nbgrader.grade)`);
      if (hasSolution) problems.push(`${where}: a graded test cell cannot hold a // BEGIN SOLUTION region`);
      if (!cell.id) problems.push(`${where}: a graded test cell needs a cell id (nbformat 4.5)`);
      const gradeId = meta?.grade_id;
      const points = meta?.points;
      if (typeof gradeId !== "string" || gradeId.trim() === "") {
        problems.push(`${where}: a graded test cell needs nbgrader.grade_id (a non-empty string)`);
      } else if (gradeIds.has(gradeId)) {
        problems.push(`${where}: grade_id "${gradeId}" is also used by cell #${gradeIds.get(gradeId)}`);
      } else {
        gradeIds.set(gradeId, index);
      }
      if (typeof points !== "number" || !Number.isFinite(points) || points < 0) {
        problems.push(`${where}: a graded test cell needs nbgrader.points (a number ≥ 0), got ${JSON.stringify(points)}`);
      }
      if (cell.id && typeof gradeId === "string" && gradeId.trim() !== "") {
        graded.push({
          index,
          cellId: cell.id,
          gradeId,
          points: typeof points === "number" && Number.isFinite(points) ? points : 0,
          source: src,
          hasHidden,
        });
      }
      return;
    }

    if (hasHidden) {
      problems.push(
        `${where}: // BEGIN HIDDEN TESTS outside a graded test cell (hidden tests run only in cells with nbgrader.grade: true)`,
      );
    }
    if (hasSolution || isSolutionCell(cell)) {
      solutionCells.push(index);
      for (const n of declaredNames(src)) solutionNames.add(n);
      if (hasSolution && !isSolutionCell(cell)) {
        warnings.push(`${where}: has // BEGIN SOLUTION but no nbgrader.solution: true metadata (it is still stubbed)`);
      }
      if (!hasSolution) {
        warnings.push(`${where}: nbgrader.solution: true without markers: the whole cell is replaced by the stub`);
      }
      for (const r of found.regions) {
        if (r.kind === "solution" && regionLines(src, [r]).every((l) => l.trim() === "")) {
          warnings.push(`${where}, line ${r.begin + 1}: empty solution region`);
        }
      }
    }
  });

  // A graded cell must not rely on a name that only another graded cell declares or imports:
  // tslab forgets everything a failing cell declares, so failing one exercise would fail the next.
  const testCoupling: string[] = [];
  const elsewhere = new Set<string>();
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type === "code" && !isGradedCell(cell)) for (const n of [...declaredNames(cellSource(cell)), ...importedNames(cellSource(cell))]) elsewhere.add(n);
  });
  for (const g of graded) {
    const own = new Set([...declaredNames(g.source), ...importedNames(g.source)]);
    for (const h of graded) {
      if (h === g) continue;
      for (const n of new Set([...declaredNames(h.source), ...importedNames(h.source)])) {
        if (!own.has(n) && !elsewhere.has(n) && mentions(g.source, n)) {
          testCoupling.push(
            `${file}: cell "${g.cellId}" uses ${n}, which only the graded cell "${h.cellId}" declares or imports: when ${h.gradeId} fails, ` +
              `${g.gradeId} fails too (tslab forgets what a failing cell declares); import or declare ${n} in this cell or in an ungraded cell`,
          );
        }
      }
    }
  }

  warnings.push(...testCoupling);
  const totalPoints = graded.reduce((s, g) => s + g.points, 0);
  return { graded, regions, solutionCells, solutionNames, totalPoints, problems, warnings, testCoupling };
}

/** analyzeHomework, throwing a HomeworkError that lists every problem. */
export function checkHomework(nb: Notebook, file = "notebook"): HomeworkInfo {
  const info = analyzeHomework(nb, file);
  if (info.problems.length > 0) throw new HomeworkError(info.problems);
  return info;
}

/**
 * Whether a graded test cell must fail against the stubs: it has hidden tests, or its source
 * uses a name declared in a solution cell.
 */
export function dependsOnSolution(g: GradedCell, info: HomeworkInfo): boolean {
  if (g.hasHidden) return true;
  for (const n of info.solutionNames) if (mentions(g.source, n)) return true;
  return false;
}
