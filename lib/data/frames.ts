/**
 * nodejs-polars views of a MovieLens dataset, for exploring in notebooks:
 *
 * - `ratings`: userId, movieId, rating (f64), timestamp (i64, seconds since the epoch) — every
 *   rating, in file order. Ids are i32 when every raw id is a whole number (always so for
 *   MovieLens), strings otherwise.
 * - `movies`: movieId, title, year (i32, null when unknown), genres — every movie of the movies
 *   file, rated or not. `genres` is a list of strings (`list[str]`), in the dataset's genre order
 *   (u.genre order for 100K, alphabetical otherwise; "(no genres listed)" → empty list). A list is
 *   what `explode("genres")` (one row per movie × genre, ready for `groupBy("genres")`) and
 *   `pl.col("genres").lst.contains("Comedy")` want; `lst.join("|")` gives back a pipe string.
 *
 * ```ts
 * const { ratings, movies } = await loadFrames("ml-100k");
 * ratings.groupBy("movieId").agg(pl.col("rating").mean().alias("mean"), pl.len().alias("n"))
 * movies.explode("genres").groupBy("genres").len()
 * ratings.withColumns(pl.col("timestamp").mul(1000).cast(pl.Datetime("ms")).alias("time"))
 * ```
 *
 * Kept apart from `load.ts` so that code that needs no DataFrame (the CLI) never loads polars.
 */
import pl from "nodejs-polars";
import type { FetchOptions } from "./download";
import { loadMovieLens } from "./load";
import type { MovieLensData } from "./movielens";

export interface MovieLensFrames {
  ratings: pl.DataFrame;
  movies: pl.DataFrame;
}

const INT_ID = /^-?\d{1,9}$/;

function idSeries(name: string, ids: readonly string[]): pl.Series {
  let numeric = true;
  for (let k = 0; k < ids.length && numeric; k++) numeric = INT_ID.test(ids[k]);
  if (!numeric) return pl.Series(name, ids as string[], pl.Utf8);
  const out = new Int32Array(ids.length);
  for (let k = 0; k < ids.length; k++) out[k] = Number(ids[k]);
  return pl.Series(name, out);
}

/** The two DataFrames of parsed MovieLens tables. */
export function framesOf(data: MovieLensData): MovieLensFrames {
  const r = data.ratings;
  const ratings = pl.DataFrame([
    idSeries("userId", r.users),
    idSeries("movieId", r.items),
    pl.Series("rating", Float64Array.from(r.ratings)),
    pl.Series("timestamp", r.timestamps).cast(pl.Int64),
  ]);
  const m = data.movies;
  const G = m.genreNames.length;
  const genres: string[][] = m.ids.map((_, k) => {
    const out: string[] = [];
    for (let g = 0; g < G; g++) if (m.genres[k * G + g]) out.push(m.genreNames[g]);
    return out;
  });
  const years = Array.from(m.years, (y) => (Number.isNaN(y) ? null : y));
  const movies = pl.DataFrame([
    idSeries("movieId", m.ids),
    pl.Series("title", m.titles, pl.Utf8),
    pl.Series("year", years, pl.Int32),
    pl.Series("genres", genres, pl.List(pl.Utf8)),
  ]);
  return { ratings, movies };
}

const frameCache = new WeakMap<MovieLensData, MovieLensFrames>();

/**
 * DataFrames of a registered dataset ("ml-100k") or a MovieLens-format directory. Cached per
 * process: the same dataset gives the same two DataFrame objects.
 */
export async function loadFrames(nameOrDir: string, opts: FetchOptions = {}): Promise<MovieLensFrames> {
  const { data } = await loadMovieLens(nameOrDir, opts);
  let frames = frameCache.get(data);
  if (!frames) {
    frames = framesOf(data);
    frameCache.set(data, frames);
  }
  return frames;
}
