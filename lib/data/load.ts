/**
 * The entry points notebooks and the CLI use to get data:
 *
 * ```ts
 * const ds = await loadDataset("ml-100k");          // registered name: fetched and cached on first use
 * const ds2 = await loadDataset("/path/to/ml-latest-small");   // or any MovieLens-format directory
 * datasetStats(ds);   // { ratings, users, items, density, ratingScale, firstTimestamp, lastTimestamp }
 * ```
 *
 * A registered name always means the registry entry (to load a directory that happens to have the
 * same name, write it as a path: "./ml-100k"). Parsed datasets are kept in memory per process:
 * loading the same directory again returns the same `RatingDataset` object.
 */
import * as fs from "fs";
import * as path from "path";
import { RatingDataset } from "./dataset";
import { FetchOptions, obtainDataset, sha256File } from "./download";
import { DatasetInfo, datasetNames, getDatasetInfo, isDatasetName } from "./registry";
import { MovieLensData, readMovieLensDir, toRatingDataset } from "./movielens";

export type { FetchOptions, DownloadProgress } from "./download";

/** Parsed tables and the dataset built from them (what the in-memory cache keeps). */
export interface LoadedMovieLens {
  data: MovieLensData;
  dataset: RatingDataset;
  /** The registry entry, when loaded by name. */
  info?: DatasetInfo;
}

const loaded = new Map<string, Promise<LoadedMovieLens>>();

/** Forgets every dataset parsed in this process (the next load parses again). */
export function forgetLoadedDatasets(): void {
  loaded.clear();
}

/** Parses a dataset directory and checks it against the registry entry's hashes and facts. */
async function verifyDataset(info: DatasetInfo, dir: string): Promise<LoadedMovieLens> {
  for (const [file, expected] of Object.entries(info.sha256 ?? {})) {
    const actual = await sha256File(path.join(dir, file));
    if (actual !== expected) {
      throw new Error(
        `integrity check failed for ${info.name}: ${file} has sha256 ${actual}, expected ${expected} ` +
          `(in ${dir}: the download or the mirror's copy is corrupt or a different release; ` +
          `if this folder is in the cache, delete it to fetch the dataset again)`,
      );
    }
  }
  const data = await readMovieLensDir(dir, { format: info.format, name: info.name, ratingScale: info.ratingScale });
  const dataset = toRatingDataset(data);
  if (info.checkFacts) {
    const actual: Record<string, number> = {
      ratings: dataset.nRatings,
      users: dataset.nUsers,
      items: dataset.nItems,
      movies: data.movies.ids.length,
      genres: data.movies.genreNames.length,
    };
    for (const [what, expected] of Object.entries(info.facts)) {
      if (expected !== undefined && actual[what] !== expected) {
        throw new Error(`integrity check failed for ${info.name}: ${actual[what]} ${what}, expected ${expected} (in ${dir})`);
      }
    }
  }
  return { data, dataset, info };
}

/**
 * Makes sure a registered dataset is on disk (downloading and extracting it on first use, see
 * `download.ts`) and returns its folder.
 */
export async function fetchDataset(name: string | DatasetInfo, opts: FetchOptions = {}): Promise<string> {
  return (await fetchAndVerify(name, opts)).dir;
}

async function fetchAndVerify(name: string | DatasetInfo, opts: FetchOptions): Promise<{ dir: string; info: DatasetInfo }> {
  const info = typeof name === "string" ? getDatasetInfo(name) : name;
  const got = await obtainDataset(info, opts, (dir) => verifyDataset(info, dir));
  const key = path.resolve(got.dir);
  if (got.verified && !loaded.has(key)) {
    const v = got.verified;
    v.data.dir = got.dir;
    loaded.set(key, Promise.resolve(v));
  }
  return { dir: got.dir, info };
}

function looksLikePath(s: string): boolean {
  return s.includes("/") || s.includes("\\") || s.startsWith(".") || path.isAbsolute(s);
}

/**
 * Parsed tables + `RatingDataset` of a registered name or a MovieLens-format directory
 * (u.data / ratings.csv / ratings.dat, detected). Cached per process.
 */
export async function loadMovieLens(nameOrDir: string | DatasetInfo, opts: FetchOptions = {}): Promise<LoadedMovieLens> {
  let dir: string;
  let info: DatasetInfo | undefined;
  if (typeof nameOrDir !== "string" || (isDatasetName(nameOrDir) && !looksLikePath(nameOrDir))) {
    ({ dir, info } = await fetchAndVerify(nameOrDir, opts));
  } else if (fs.existsSync(nameOrDir)) {
    dir = nameOrDir;
  } else {
    throw new Error(
      `"${nameOrDir}" is neither a registered dataset (see datasetNames(): ${datasetNames().join(", ")}) nor an existing directory`,
    );
  }
  const key = path.resolve(dir);
  let job = loaded.get(key);
  if (!job) {
    job = info
      ? verifyDataset(info, dir)
      : readMovieLensDir(dir).then((data) => ({ data, dataset: toRatingDataset(data) }));
    loaded.set(key, job);
    job.catch(() => loaded.delete(key));
  }
  return job;
}

/** The `RatingDataset` of a registered name ("ml-100k") or of a MovieLens-format directory. */
export async function loadDataset(nameOrDir: string | DatasetInfo, opts: FetchOptions = {}): Promise<RatingDataset> {
  return (await loadMovieLens(nameOrDir, opts)).dataset;
}

export interface DatasetStats {
  ratings: number;
  users: number;
  items: number;
  /** ratings / (users × items). */
  density: number;
  ratingScale: [number, number];
  /** Earliest / latest rating time in seconds since the epoch; null when the data has no times. */
  firstTimestamp: number | null;
  lastTimestamp: number | null;
}

/** Counts, density, rating scale and time range of a dataset. */
export function datasetStats(ds: RatingDataset): DatasetStats {
  let lo = Infinity;
  let hi = -Infinity;
  const t = ds.timestamps;
  for (let k = 0; k < t.length; k++) {
    const x = t[k];
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return {
    ratings: ds.nRatings,
    users: ds.nUsers,
    items: ds.nItems,
    density: ds.density,
    ratingScale: [ds.ratingScale[0], ds.ratingScale[1]],
    firstTimestamp: Number.isFinite(lo) ? lo : null,
    lastTimestamp: Number.isFinite(hi) ? hi : null,
  };
}
