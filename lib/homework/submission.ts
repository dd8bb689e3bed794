/**
 * Turning a student's submission into the notebook the autograder runs.
 *
 * Every graded test cell comes from the instructor source (hidden tests included), whatever the
 * student did to it:
 * - a submission cell is "the same cell" as a source cell when it has the same cell id, or the
 *   same `nbgrader.grade_id` (for notebooks saved without cell ids);
 * - every submission cell that matches a graded test cell is dropped (edited, moved or not), as is
 *   the grading flag of any other cell that claims `nbgrader.grade: true`;
 * - each graded test cell is then inserted right after its *anchor*: the nearest cell before it in
 *   the source that is still in the submission (usually the exercise's solution cell, wherever the
 *   student moved it; consecutive test cells keep their source order). A test cell with no anchor
 *   (everything before it was deleted or renamed) goes at the end of the notebook.
 * - outputs are cleared, missing or repeated cell ids are replaced, and the kernelspec is the
 *   course's (a student who switched kernels is graded with tslab all the same).
 * Pure functions: no I/O.
 */
import { Cell, KERNELSPEC, Notebook, cellSource, clearOutputs } from "../jupyter/notebook";
import { GradedCell, HomeworkInfo, nbgraderMeta } from "./exercises";
import { studentSource } from "./markers";

export interface PreparedSubmission {
  notebook: Notebook;
  /** What the grader changed, in words for the student (edited tests restored, cells re-inserted …). */
  notes: string[];
  /** Index of the last graded test cell in `notebook` (cells after it cannot change the score). */
  lastGraded: number;
}

function sameCell(a: Cell, b: Cell): boolean {
  if (a.id && b.id && a.id === b.id) return true;
  const ga = nbgraderMeta(a)?.grade_id;
  const gb = nbgraderMeta(b)?.grade_id;
  return typeof ga === "string" && ga !== "" && ga === gb;
}

function normalise(src: string): string {
  return src.replace(/\r\n/g, "\n").trim();
}

/** Builds the notebook to grade from the instructor `source` and a student's `submission`. */
export function prepareSubmission(source: Notebook, info: HomeworkInfo, submission: Notebook): PreparedSubmission {
  const notes: string[] = [];
  const sub = clearOutputs(submission);
  const gradedBySourceIndex = new Map<number, GradedCell>(info.graded.map((g) => [g.index, g]));

  // 1. Drop the student's copies of graded test cells; no other cell may claim to be graded.
  const seen = new Set<string>();
  const kept: Cell[] = [];
  for (const cell of sub.cells) {
    const g = info.graded.find((t) => sameCell(cell, source.cells[t.index]));
    if (g) {
      if (seen.has(g.gradeId)) continue;
      seen.add(g.gradeId);
      const visible = studentSource(g.source, info.regions.get(g.index) ?? []);
      const src = normalise(cellSource(cell));
      if (src !== normalise(visible) && src !== normalise(g.source)) {
        notes.push(`Test cell ${g.gradeId} was changed in the submission; the original test was run.`);
      }
      continue;
    }
    const meta = nbgraderMeta(cell);
    if (meta?.grade === true) {
      notes.push(`Cell ${cell.id ?? "(no id)"} claims to be a graded test but is not one in the assignment; it was not graded.`);
      cell.metadata = { ...cell.metadata, nbgrader: { ...meta, grade: false, points: 0 } };
    }
    kept.push(cell);
  }
  for (const g of info.graded) {
    if (!seen.has(g.gradeId)) notes.push(`Test cell ${g.gradeId} was missing from the submission; the original test was re-inserted.`);
  }

  // 2. Unique ids on the student's cells, never colliding with a graded cell's id.
  const reserved = new Set(info.graded.map((g) => g.cellId));
  const ids = new Set<string>();
  kept.forEach((cell, k) => {
    // nbformat: 1-64 characters out of letters, digits, "-" and "_"
    let id = typeof cell.id === "string" ? cell.id.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 56) : "";
    if (id === "") id = `cell-${k}`;
    if (ids.has(id) || reserved.has(id)) {
      let n = 1;
      while (ids.has(`${id}-${n}`) || reserved.has(`${id}-${n}`)) n++;
      id = `${id}-${n}`;
    }
    cell.id = id;
    ids.add(id);
  });

  // 3. Insert every graded test cell after its anchor (the nearest earlier source cell still present).
  const cells: Cell[] = kept.slice();
  for (const g of info.graded) {
    const testCell: Cell = JSON.parse(JSON.stringify(source.cells[g.index]));
    testCell.source = g.source;
    testCell.outputs = [];
    testCell.execution_count = null;
    delete testCell.metadata.recsys;
    delete testCell.metadata.execution;
    let at = -1;
    for (let j = g.index - 1; j >= 0 && at < 0; j--) {
      const anchor = source.cells[j];
      const gj = gradedBySourceIndex.get(j);
      at = gj ? cells.findIndex((c) => c.id === gj.cellId) : cells.findIndex((c) => sameCell(c, anchor));
    }
    if (at < 0) {
      if (cells.length > 0) notes.push(`Test cell ${g.gradeId} has no earlier cell of the assignment left in the submission; it was run at the end.`);
      cells.push(testCell);
    } else {
      cells.splice(at + 1, 0, testCell);
    }
  }

  const kernel = submission.metadata?.kernelspec?.name;
  if (kernel !== KERNELSPEC.name) {
    notes.push(`The submission's kernel is ${JSON.stringify(kernel ?? null)}; it was graded with the course kernel (${KERNELSPEC.name}).`);
  }
  const notebook: Notebook = {
    cells,
    metadata: { ...sub.metadata, kernelspec: { ...KERNELSPEC }, language_info: source.metadata.language_info ?? { name: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const gradedIds = new Set(info.graded.map((g) => g.cellId));
  let lastGraded = -1;
  cells.forEach((c, k) => {
    if (c.id && gradedIds.has(c.id)) lastGraded = k;
  });
  return { notebook, notes, lastGraded };
}
