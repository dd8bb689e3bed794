/**
 * The student view of an executed notebook, for publishing (site and slides). It applies the
 * same markers and stubs as `recsys assign` (lib/homework/markers: solution regions become the
 * stub, hidden-test regions are removed, a solution cell without markers becomes the stub, a
 * Markdown solution cell "YOUR ANSWER HERE"), but unlike the release it keeps the outputs of every
 * other cell: only the cells changed this way lose theirs (they would show the answer).
 *
 * Pure: returns a copy. Broken markers throw an Error naming the notebook, cell and line.
 */
import { cellSource, type Notebook } from "../jupyter/notebook";
import { isSolutionCell } from "../homework/exercises";
import { MARKDOWN_STUB, STUB_LINES, regionsOrThrow, studentSource } from "../homework/markers";

/** The notebook as students see it, outputs kept except those of changed cells. */
export function studentView(nb: Notebook, file = "notebook"): Notebook {
  const copy: Notebook = JSON.parse(JSON.stringify(nb));
  copy.cells.forEach((cell, k) => {
    const where = `${file}: cell ${k}${cell.id ? ` (${cell.id})` : ""}`;
    if (cell.cell_type === "markdown") {
      if (isSolutionCell(cell)) {
        cell.source = MARKDOWN_STUB;
        delete cell.attachments;
      }
      return;
    }
    if (cell.cell_type !== "code") return;
    const src = cellSource(cell);
    const regions = regionsOrThrow(src, where);
    let published: string;
    if (regions.length > 0) published = studentSource(src, regions);
    else if (isSolutionCell(cell)) published = STUB_LINES.join("\n");
    else return;
    cell.source = published;
    cell.outputs = [];
  });
  return copy;
}
