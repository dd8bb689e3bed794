/**
 * What each course notebook must record when executed headlessly, with tolerances. Every notebook
 * in notebooks/ needs an entry here (a test enforces it), so no notebook runs unchecked.
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

export const EXPECTATIONS: Record<string, NotebookExpectations> = {
  "00-getting-started": {
    records: {
      ratings: 100000,
      users: 943,
      items: 1682,
      genres: 19,
      ratingScale: (v) => {
        if (JSON.stringify(v) !== "[1,5]") throw new Error(`ratingScale ${JSON.stringify(v)} != [1,5]`);
      },
      meanRating: { approx: 3.52986, tol: 1e-4 },
      mostRatedTitle: "Star Wars (1977)",
      mostRatedCount: 583,
      dramaMovies: 725,
    },
    minFigures: 5,
  },
};
