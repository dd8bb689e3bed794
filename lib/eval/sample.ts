/**
 * A chosen user's top-n recommendations with titles, for showing next to the metrics (the
 * course's "sample top-N" for user 85).
 */
import type { RatingDataset } from "../data/dataset";
import type { Recommender } from "../model/recommender";

export interface SampleRow {
  rank: number;
  /** Raw item id. */
  item: string;
  title: string;
  score: number;
}

/**
 * Top-n of a model already fitted on `data` for the user with raw id `rawUserId`, leaving out
 * the items the user rated; `minScore` applies to rating predictors only (as in `recommend`).
 * Throws a clear error for an unknown user id.
 */
export function sampleTopN(
  model: Recommender,
  data: RatingDataset,
  rawUserId: string | number,
  n = 10,
  options: { minScore?: number } = {},
): SampleRow[] {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`sampleTopN: n must be an integer ≥ 1, got ${n}`);
  const u = data.innerUser(rawUserId);
  const recs = model.recommend(u, n, { excludeSeen: true, minScore: model.predictsRatings ? options.minScore : undefined });
  return recs.map((r, k) => ({ rank: k + 1, item: data.itemIds[r.item], title: data.title(r.item), score: r.score }));
}
