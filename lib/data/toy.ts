/**
 * The 4 × 5 toy album table (`data/toy-albums.json`): four listeners (An, Bhavana, Cordelia,
 * Diego) rate five albums (Ommazh, Melt-Banana, BTS, Zhou Shen, Sanam) on a 0–5 scale, with two
 * expert factors per album (lo-fi indie, slick pop; 0–1) and two survey answers per listener (how
 * much they like each style; 0–5). Small enough to follow every number of content-based filtering
 * by hand (see lib/content/regression.ts).
 *
 * File format (JSON): `{ name, description, ratingScale: [lo, hi], factorNames: string[],
 * items: [{ name, factors }], users: [{ name, factors, ratings }] }`, where `ratings` has one entry
 * per item in `items` order and `null` means "not rated".
 *
 * Inner ids follow the file's order (user u = users[u], item i = items[i]), so `matrix[u][i]`,
 * `itemFactors[i]`, `userFactors[u]` and the dataset's inner ids all line up. Raw ids and titles
 * are the names.
 */
import * as fs from "fs";
import * as path from "path";
import { RatingDataset } from "./dataset";

export const TOY_ALBUMS_FILE = "toy-albums.json";

export interface ToyTable {
  /** The ratings as a RatingDataset (scale from the file; raw ids and titles = names). */
  dataset: RatingDataset;
  /** User names in inner-id order. */
  users: string[];
  /** Item names in inner-id order. */
  items: string[];
  /** users × items ratings, NaN where not rated. */
  matrix: number[][];
  /** items × factors (expert item factors). */
  itemFactors: number[][];
  /** users × factors (survey answers). */
  userFactors: number[][];
  /** Names of the factors, e.g. ["lo-fi indie", "slick pop"]. */
  factorNames: string[];
  description: string;
}

/** Path of a file in the project's `data/` folder. */
export function projectDataFile(name: string): string {
  return path.resolve(__dirname, "../..", "data", name);
}

/** Loads the toy album table (default: `<project>/data/toy-albums.json`). */
export function loadToyAlbums(file: string = projectDataFile(TOY_ALBUMS_FILE)): ToyTable {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`cannot read the toy table ${file}: ${(e as Error).message}`);
  }
  return parseToyTable(text, file);
}

/** Parses and validates the JSON text of a toy table; errors name `file` and the bad field. */
export function parseToyTable(text: string, file = "toy table"): ToyTable {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const fail = (what: string): never => {
    throw new Error(`${file}: ${what}`);
  };
  if (!isObject(doc)) return fail("the top level must be a JSON object");
  const name = typeof doc.name === "string" && doc.name !== "" ? doc.name : path.basename(file).replace(/\.json$/i, "");
  const description = typeof doc.description === "string" ? doc.description : "";

  const scale = doc.ratingScale;
  if (!Array.isArray(scale) || scale.length !== 2 || !scale.every(isFiniteNumber) || !(scale[0] < scale[1])) {
    return fail(`"ratingScale" must be [lo, hi] with finite numbers lo < hi, got ${JSON.stringify(scale)}`);
  }
  const ratingScale: [number, number] = [scale[0], scale[1]];

  const factorNames = doc.factorNames;
  if (!Array.isArray(factorNames) || factorNames.length === 0 || !factorNames.every((f) => typeof f === "string")) {
    return fail(`"factorNames" must be a non-empty array of strings`);
  }
  const nF = factorNames.length;

  const readEntities = (key: "items" | "users"): { name: string; factors: number[]; raw: Record<string, unknown> }[] => {
    const list = doc[key];
    if (!Array.isArray(list) || list.length === 0) return fail(`"${key}" must be a non-empty array`);
    const seen = new Set<string>();
    return list.map((e, k) => {
      const where = `${key}[${k}]`;
      if (!isObject(e)) return fail(`${where} must be an object with "name" and "factors"`);
      if (typeof e.name !== "string" || e.name.trim() === "") return fail(`${where} has no "name"`);
      if (seen.has(e.name)) return fail(`${where}: the name ${JSON.stringify(e.name)} appears twice`);
      seen.add(e.name);
      const f = e.factors;
      if (!Array.isArray(f) || f.length !== nF || !f.every(isFiniteNumber)) {
        return fail(`${where} (${e.name}): "factors" must be ${nF} finite numbers (one per factor name), got ${JSON.stringify(f)}`);
      }
      return { name: e.name, factors: f.slice(), raw: e };
    });
  };
  const items = readEntities("items");
  const users = readEntities("users");

  const matrix: number[][] = [];
  const us: number[] = [];
  const is: number[] = [];
  const rs: number[] = [];
  users.forEach((u, ui) => {
    const row = u.raw.ratings;
    if (!Array.isArray(row) || row.length !== items.length) {
      return fail(`users[${ui}] (${u.name}): "ratings" must have one entry per item (${items.length}), got ${JSON.stringify(row)}`);
    }
    matrix.push(
      row.map((r, ii) => {
        if (r === null) return NaN;
        if (!isFiniteNumber(r) || r < ratingScale[0] || r > ratingScale[1]) {
          return fail(
            `users[${ui}] (${u.name}): rating of ${items[ii].name} must be null or a number in [${ratingScale[0]}, ${ratingScale[1]}], got ${JSON.stringify(r)}`,
          );
        }
        us.push(ui);
        is.push(ii);
        rs.push(r);
        return r;
      }),
    );
  });
  if (rs.length === 0) fail("no ratings at all");

  const userNames = users.map((u) => u.name);
  const itemNames = items.map((i) => i.name);
  const dataset = new RatingDataset({
    name,
    userIds: userNames,
    itemIds: itemNames,
    users: Int32Array.from(us),
    items: Int32Array.from(is),
    ratings: Float32Array.from(rs),
    ratingScale,
    titles: itemNames.slice(),
  });
  return {
    dataset,
    users: userNames,
    items: itemNames,
    matrix,
    itemFactors: items.map((i) => i.factors),
    userFactors: users.map((u) => u.factors),
    factorNames: factorNames.slice() as string[],
    description,
  };
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function isFiniteNumber(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x);
}
