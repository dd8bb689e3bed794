import fs from "node:fs";
import path from "node:path";

/**
 * What each course notebook must record when executed headlessly, with tolerances. Every notebook
 * notebooks/NAME.ipynb needs a file test/notebooks/expect/NAME.ts whose default export is its
 * `NotebookExpectations` (a test enforces it), so no notebook runs unchecked.
 *
 * An expectation is a number/string/boolean (exact), `{ approx, tol }` (|value − approx| ≤ tol),
 * `{ min, max }` (a range, either bound optional), or a function that asserts on the value.
 */
export type Expectation =
  | number
  | string
  | boolean
  | { approx: number; tol: number }
  | { min?: number; max?: number }
  | ((value: unknown) => void);

export interface NotebookExpectations {
  /** Values for the notebook's parameters cell (smaller settings for tests). */
  params?: Record<string, unknown>;
  /** Records the notebook must publish, by name. */
  records: Record<string, Expectation>;
  /** At least this many plotly figures must be displayed (each is validated). */
  minFigures?: number;
}

/** Expectations by notebook name, read from test/notebooks/expect/*.ts. */
export function loadExpectations(): Record<string, NotebookExpectations> {
  const dir = path.join(__dirname, "expect");
  const out: Record<string, NotebookExpectations> = {};
  for (const f of fs.readdirSync(dir).sort()) {
    if (f.endsWith(".ts")) out[f.replace(/\.ts$/, "")] = (require(path.join(dir, f)) as { default: NotebookExpectations }).default;
  }
  return out;
}
