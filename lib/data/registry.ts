/**
 * The datasets the course knows by name: where each comes from, how its files are laid out and
 * parsed, and the facts used to check a download.
 *
 * Integrity check after extraction (see `integrityCheck`):
 * - "sha256": the extracted files listed in `sha256` must have exactly these hashes (ml-100k's
 *   `u.data` and `u.item`, the 2016 latest-small `ratings.csv`), and the counts in `facts` must match;
 * - "counts": no published hash is known, but the release is frozen: the files must parse and the
 *   counts in `facts` (from the dataset's README) must match (ml-1m, ml-20m, ml-25m);
 * - "structural": the files must parse and hold at least one rating (ml-latest-small, which
 *   GroupLens updates from time to time; its `facts` describe the 2018 release and are not checked).
 *
 * Sources: the GroupLens dataset pages and the README of each zip; Harper & Konstan (2015).
 */

/**
 * How a MovieLens directory is laid out:
 * - "100k": `u.data` (TSV user item rating timestamp), `u.item` (pipe-separated, latin-1), `u.genre`;
 * - "csv": `ratings.csv` (userId,movieId,rating,timestamp) and `movies.csv` (movieId,title,genres), UTF-8;
 * - "dat": `ratings.dat` and `movies.dat` with `::` separators, latin-1 (MovieLens 1M).
 */
export type MovieLensFormat = "100k" | "csv" | "dat";

export interface DatasetFacts {
  ratings?: number;
  users?: number;
  /** Items with at least one rating (the items of the RatingDataset). */
  items?: number;
  /** Movies listed in the movies file (u.item / movies.csv / movies.dat), rated or not. */
  movies?: number;
  genres?: number;
}

export interface DatasetInfo {
  name: string;
  title: string;
  description: string;
  /** Official download URL of the zip; undefined when there is no public download. */
  url?: string;
  /** File name of the zip (also its name in a mirror). */
  zipName: string;
  /** Folder inside the zip that holds the files. */
  zipRoot: string;
  /** Approximate size of the zip in bytes (for `recsys data list`). */
  approxBytes?: number;
  format: MovieLensFormat;
  /** [min, max] of the rating scale. */
  ratingScale: [number, number];
  /** Expected sha256 (hex) of extracted files, by file name inside the dataset folder. */
  sha256?: Record<string, string>;
  /** Known counts of this release. */
  facts: DatasetFacts;
  /** Whether `facts` are checked after extraction (false for releases that change). */
  checkFacts: boolean;
  licence: string;
  citation: string;
}

const BASE_URL = "https://files.grouplens.org/datasets/movielens";

export const MOVIELENS_CITATION =
  "F. Maxwell Harper and Joseph A. Konstan. 2015. The MovieLens Datasets: History and Context. " +
  "ACM Transactions on Interactive Intelligent Systems (TiiS) 5, 4, Article 19. https://doi.org/10.1145/2827872";

const GROUPLENS_LICENCE =
  "MovieLens data by GroupLens Research, University of Minnesota (https://grouplens.org/datasets/movielens/). " +
  "Usage licence: research use; no commercial use and no redistribution without GroupLens' permission; " +
  "acknowledge the use of the data and cite Harper & Konstan (2015). See the README in the zip.";

function movielens(
  name: string,
  rest: Omit<DatasetInfo, "name" | "zipName" | "zipRoot" | "licence" | "citation" | "url"> & { url?: string | null },
): DatasetInfo {
  const { url, ...others } = rest;
  return {
    name,
    zipName: `${name}.zip`,
    zipRoot: name,
    url: url === null ? undefined : url ?? `${BASE_URL}/${name}.zip`,
    licence: GROUPLENS_LICENCE,
    citation: MOVIELENS_CITATION,
    ...others,
  };
}

const DATASETS: DatasetInfo[] = [
  movielens("ml-100k", {
    title: "MovieLens 100K",
    description: "100,000 ratings (1-5) of 1,682 movies by 943 users, 1997-98; the course default",
    approxBytes: 4_924_029,
    format: "100k",
    ratingScale: [1, 5],
    sha256: {
      "u.data": "06416e597f82b7342361e41163890c81036900f418ad91315590814211dca490",
      "u.item": "a4a4510a66ae9f7f208dbce7ebabc119533be5389bcc73090d21ea7af595933a",
    },
    facts: { ratings: 100_000, users: 943, items: 1_682, movies: 1_682, genres: 19 },
    checkFacts: true,
  }),
  movielens("ml-latest-small", {
    title: "MovieLens latest-small",
    description: "about 100,000 ratings (0.5-5) of ~9,700 movies by ~600 users; current GroupLens release",
    approxBytes: 978_202,
    format: "csv",
    ratingScale: [0.5, 5],
    // The 2018 release; GroupLens may publish a newer one under the same URL, so these are not checked.
    facts: { ratings: 100_836, users: 610, items: 9_724, movies: 9_742 },
    checkFacts: false,
  }),
  movielens("ml-latest-small-2016", {
    title: "MovieLens latest-small (October 2016)",
    description: "100,004 ratings (0.5-5) of 9,066 movies by 671 users; the release the classic course used (mirror only)",
    url: null,
    format: "csv",
    ratingScale: [0.5, 5],
    sha256: { "ratings.csv": "b4239649fbf90ebf405c56c3ae1d929d9e7c86fc1a3a80cbef1c884df593ef73" },
    facts: { ratings: 100_004, users: 671, items: 9_066, movies: 9_125 },
    checkFacts: true,
  }),
  movielens("ml-1m", {
    title: "MovieLens 1M",
    description: "1,000,209 ratings (1-5) of 3,706 movies by 6,040 users, 2000-03",
    approxBytes: 5_917_549,
    format: "dat",
    ratingScale: [1, 5],
    facts: { ratings: 1_000_209, users: 6_040, items: 3_706, movies: 3_883 },
    checkFacts: true,
  }),
  movielens("ml-20m", {
    title: "MovieLens 20M",
    description: "20,000,263 ratings (0.5-5) of 26,744 movies by 138,493 users, 1995-2015",
    approxBytes: 198_702_078,
    format: "csv",
    ratingScale: [0.5, 5],
    facts: { ratings: 20_000_263, users: 138_493, items: 26_744, movies: 27_278 },
    checkFacts: true,
  }),
  movielens("ml-25m", {
    title: "MovieLens 25M",
    description: "25,000,095 ratings (0.5-5) of 59,047 movies by 162,541 users, 1995-2019",
    approxBytes: 261_978_986,
    format: "csv",
    ratingScale: [0.5, 5],
    facts: { ratings: 25_000_095, users: 162_541, items: 59_047, movies: 62_423 },
    checkFacts: true,
  }),
];

const BY_NAME = new Map(DATASETS.map((d) => [d.name, d] as [string, DatasetInfo]));

/** Names of the registered datasets, in display order. */
export function datasetNames(): string[] {
  return DATASETS.map((d) => d.name);
}

export function isDatasetName(name: string): boolean {
  return BY_NAME.has(name);
}

/** The registry entry of a dataset; throws an error listing the known names if there is none. */
export function getDatasetInfo(name: string): DatasetInfo {
  const info = BY_NAME.get(name);
  if (!info) throw new Error(`unknown dataset "${name}"; known datasets: ${datasetNames().join(", ")}`);
  return info;
}

/** The files a dataset directory of this format must contain (names inside the folder). */
export function formatFiles(format: MovieLensFormat): { ratings: string; movies: string; genres?: string } {
  switch (format) {
    case "100k":
      return { ratings: "u.data", movies: "u.item", genres: "u.genre" };
    case "csv":
      return { ratings: "ratings.csv", movies: "movies.csv" };
    case "dat":
      return { ratings: "ratings.dat", movies: "movies.dat" };
  }
}

/** The rating scale MovieLens uses for a file format: whole stars for 100K/1M, half stars since. */
export function formatRatingScale(format: MovieLensFormat): [number, number] {
  return format === "csv" ? [0.5, 5] : [1, 5];
}

/** Which integrity check `fetchDataset` applies after extraction (see the module comment). */
export function integrityCheck(info: DatasetInfo): "sha256" | "counts" | "structural" {
  if (info.sha256 && Object.keys(info.sha256).length > 0) return "sha256";
  return info.checkFacts ? "counts" : "structural";
}
