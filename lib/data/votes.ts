/**
 * The 1984 United States Congressional Voting Records (UCI Machine Learning Repository; J. C.
 * Schlimmer, 1987, from the Congressional Quarterly Almanac 1984): 435 members of the House, their
 * party and their 16 key votes as `y`, `n` or `?` (neither yea nor nay).
 *
 * File format (`house-votes-84.data`): one member per line, 17 comma-separated fields — the party
 * (`democrat` | `republican`) then the 16 votes in the order of `VOTE_NAMES`. The loader drops the
 * rows with any `?` (232 of 435 remain, as `dropna` does in the classic pandas version), codes
 * y → 1, n → 0, and the label republican → 1, democrat → 0.
 *
 * Where the file comes from: UCI's official copy is
 * https://archive.ics.uci.edu/ml/machine-learning-databases/voting-records/house-votes-84.data.
 * The loader reads `file` when given, else `$RECSYS_DATA_MIRROR/house-votes-84/house-votes-84.data.txt`
 * (or `.data`), else the same names under `<data dir>/house-votes-84/`.
 */
import * as fs from "fs";
import * as path from "path";
import { dataDir, dataMirror, ENV_DATA_MIRROR } from "./paths";

export const VOTES_DIR = "house-votes-84";
export const VOTES_FILE_NAMES = ["house-votes-84.data.txt", "house-votes-84.data"];
export const VOTES_URL = "https://archive.ics.uci.edu/ml/machine-learning-databases/voting-records/house-votes-84.data";

/** The 16 votes, in file order (from the dataset's `.names` file). */
export const VOTE_NAMES = [
  "handicapped-infants",
  "water-project-cost-sharing",
  "adoption-of-the-budget-resolution",
  "physician-fee-freeze",
  "el-salvador-aid",
  "religious-groups-in-schools",
  "anti-satellite-test-ban",
  "aid-to-nicaraguan-contras",
  "mx-missile",
  "immigration",
  "synfuels-corporation-cutback",
  "education-spending",
  "superfund-right-to-sue",
  "crime",
  "duty-free-exports",
  "export-administration-act-south-africa",
] as const;

export interface Votes {
  /** n × 16 votes, row-major, 1 = yea, 0 = nay. */
  x: Float32Array;
  /** 1 = republican, 0 = democrat. */
  y: Uint8Array;
  n: number;
  nFeatures: number;
  featureNames: readonly string[];
  /** Rows in the file, and rows dropped because of a `?`. */
  rowsRead: number;
  rowsDropped: number;
}

/** The file to read: `file`, else the mirror's copy, else the data directory's copy. */
export function votesPath(file?: string): string {
  if (file !== undefined && file !== "") return path.resolve(file);
  const dirs: string[] = [];
  const mirror = dataMirror();
  if (mirror?.kind === "dir") dirs.push(path.join(mirror.dir, VOTES_DIR));
  dirs.push(path.join(dataDir(), VOTES_DIR));
  const tried: string[] = [];
  for (const d of dirs) {
    for (const name of VOTES_FILE_NAMES) {
      const p = path.join(d, name);
      if (fs.existsSync(p)) return p;
      tried.push(p);
    }
  }
  throw new Error(
    `congressional votes not found; looked at ${tried.join(", ")}. Download ${VOTES_URL} into ` +
      `${path.join(dataDir(), VOTES_DIR)}, pass its path, or set ${ENV_DATA_MIRROR} to a folder holding ${VOTES_DIR}/.`,
  );
}

/** Parses the file's text; errors name `file:line`. */
export function parseVotes(text: string, file = "house-votes-84.data"): Votes {
  const rows: number[][] = [];
  const labels: number[] = [];
  let rowsRead = 0, rowsDropped = 0;
  const lines = text.split("\n");
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln].replace(/\r$/, "").trim();
    if (line === "") continue;
    const where = `${file}:${ln + 1}`;
    const cells = line.split(",").map((c) => c.trim());
    if (cells.length !== 17) throw new Error(`${where}: expected 17 comma-separated fields (party + 16 votes), got ${cells.length}`);
    const party = cells[0];
    if (party !== "democrat" && party !== "republican") throw new Error(`${where}: party ${JSON.stringify(party)} is not democrat or republican`);
    rowsRead++;
    const row: number[] = [];
    let missing = false;
    for (let k = 1; k < 17; k++) {
      const v = cells[k];
      if (v === "y") row.push(1);
      else if (v === "n") row.push(0);
      else if (v === "?") missing = true;
      else throw new Error(`${where}: vote ${k} (${VOTE_NAMES[k - 1]}) is ${JSON.stringify(v)}, expected y, n or ?`);
    }
    if (missing) {
      rowsDropped++;
      continue;
    }
    rows.push(row);
    labels.push(party === "republican" ? 1 : 0);
  }
  if (rowsRead === 0) throw new Error(`${file}: no rows`);
  if (rows.length === 0) throw new Error(`${file}: every one of the ${rowsRead} rows has a "?"`);
  const x = new Float32Array(rows.length * 16);
  rows.forEach((r, i) => x.set(r, i * 16));
  return { x, y: Uint8Array.from(labels), n: rows.length, nFeatures: 16, featureNames: VOTE_NAMES, rowsRead, rowsDropped };
}

/** Loads the votes (see `votesPath` for where the file is looked for). */
export function loadVotes(file?: string): Votes {
  const p = votesPath(file);
  return parseVotes(fs.readFileSync(p, "utf8"), p);
}
