/**
 * Mise-en-scène visual features of MovieLens trailers (Deldjoo, Elahi, Cremonesi, Garzotto,
 * Piazzolla & Quadrana, "Content-based video recommendation system based on stylistic visual
 * features", Journal on Data Semantics 5, 2016; distributed with the "Building Recommender Systems
 * with Machine Learning and AI" course material as `LLVisualFeatures13K_Log.csv`).
 *
 * File: CSV with the header `ML_Id,f1,f2,f3,f4,f5,f6,f7` and one row per movie (13,373 rows),
 * keyed by MovieLens "latest" movieIds (they match ml-latest-small-2016); the seven features
 * (log-normalised) are, in order, `MISE_FEATURE_NAMES`.
 *
 * Where the file comes from: it has no official download URL, so it is never fetched. The loader
 * reads `file` when given; otherwise `$RECSYS_DATA_MIRROR/mise-en-scene/LLVisualFeatures13K_Log.csv`
 * when the mirror is a directory; otherwise `<data dir>/mise-en-scene/LLVisualFeatures13K_Log.csv`
 * (`RECSYS_DATA_DIR` or `<project>/data/cache`, where a user can put a copy of the file). The error
 * when none exists lists the places it looked.
 */
import * as fs from "fs";
import * as path from "path";
import { dataDir, dataMirror, ENV_DATA_MIRROR } from "./paths";

/** Path of the file inside a mirror or data directory. */
export const MISE_RELATIVE_PATH = path.join("mise-en-scene", "LLVisualFeatures13K_Log.csv");

export const MISE_FEATURE_NAMES = [
  "average shot length",
  "mean colour variance",
  "std of colour variance",
  "mean motion",
  "std of motion",
  "mean lighting key",
  "number of shots",
] as const;

const HEADER = ["ML_Id", "f1", "f2", "f3", "f4", "f5", "f6", "f7"];

/** Mise-en-scène features keyed by MovieLens movieId (as a string, like RatingDataset raw ids). */
export type MiseFeatures = Map<string, Float64Array>;

/** The file to read: `file` if given, else the mirror's copy, else the data directory's copy. */
export function miseFeaturesPath(file?: string): string {
  if (file !== undefined && file !== "") return path.resolve(file);
  const tried: string[] = [];
  const mirror = dataMirror();
  if (mirror?.kind === "dir") {
    const p = path.join(mirror.dir, MISE_RELATIVE_PATH);
    if (fs.existsSync(p)) return p;
    tried.push(`${p} (from ${ENV_DATA_MIRROR})`);
  }
  const local = path.join(dataDir(), MISE_RELATIVE_PATH);
  if (fs.existsSync(local)) return local;
  tried.push(local);
  throw new Error(
    `mise-en-scène features not found; looked at ${tried.join(" and ")}. The file LLVisualFeatures13K_Log.csv ` +
      `(Deldjoo et al.) has no official download: pass its path, or set ${ENV_DATA_MIRROR} to a directory ` +
      `holding ${MISE_RELATIVE_PATH}.`,
  );
}

/** Loads the features file (see `miseFeaturesPath` for where it is looked for). */
export function loadMiseEnScene(file?: string): MiseFeatures {
  const p = miseFeaturesPath(file);
  let text: string;
  try {
    text = fs.readFileSync(p, "utf8");
  } catch (e) {
    throw new Error(`cannot read mise-en-scène features ${p}: ${(e as Error).message}`);
  }
  return parseMiseEnScene(text, p);
}

/** Parses the CSV text; errors name `file:line`. */
export function parseMiseEnScene(text: string, file = "mise-en-scène features"): MiseFeatures {
  const lines = text.split("\n");
  const out: MiseFeatures = new Map();
  const firstLine = new Map<string, number>();
  let sawHeader = false;
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln].replace(/\r$/, "");
    const where = `${file}:${ln + 1}`;
    if (line.trim() === "") continue;
    const cells = line.split(",").map((c) => c.trim());
    if (!sawHeader) {
      if (cells.length !== HEADER.length || cells.some((c, k) => c !== HEADER[k])) {
        throw new Error(`${where}: expected the header ${HEADER.join(",")}, got ${JSON.stringify(line.slice(0, 80))}`);
      }
      sawHeader = true;
      continue;
    }
    if (cells.length !== HEADER.length) {
      throw new Error(`${where}: expected ${HEADER.length} comma-separated fields (ML_Id and 7 features), got ${cells.length}`);
    }
    const id = cells[0];
    if (!/^\d+$/.test(id)) throw new Error(`${where}: ML_Id ${JSON.stringify(id)} is not a whole number`);
    const key = String(Number(id));
    const prev = firstLine.get(key);
    if (prev !== undefined) throw new Error(`${where}: movie ${key} already appeared on line ${prev}`);
    const f = new Float64Array(7);
    for (let d = 0; d < 7; d++) {
      const s = cells[d + 1];
      const v = s === "" ? NaN : Number(s);
      if (!Number.isFinite(v)) throw new Error(`${where}: feature f${d + 1} of movie ${key} is ${JSON.stringify(s)}, not a number`);
      f[d] = v;
    }
    firstLine.set(key, ln + 1);
    out.set(key, f);
  }
  if (!sawHeader) throw new Error(`${file}: empty file (expected the header ${HEADER.join(",")})`);
  if (out.size === 0) throw new Error(`${file}: no feature rows after the header`);
  return out;
}
