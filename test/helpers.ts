/** Small datasets and assertions shared by the unit tests. */
import assert from "node:assert/strict";
import { RatingDataset, fromTriples } from "../lib/data/dataset";

/** A dataset from (user, item, rating) triples with raw string ids, on a 1–5 scale. */
export function tripleDataset(triples: [string, string, number][], name = "tiny"): RatingDataset {
  return fromTriples(
    name,
    triples.map((t) => t[0]),
    triples.map((t) => t[1]),
    Float32Array.from(triples.map((t) => t[2])),
    { ratingScale: [1, 5] },
  );
}

/** A dataset from (inner user, inner item, rating) rows with users u0…, items i0…, on a 1–5 scale. */
export function rowDataset(rows: [number, number, number][], nUsers: number, nItems: number, name = "toy"): RatingDataset {
  return new RatingDataset({
    name,
    userIds: Array.from({ length: nUsers }, (_, u) => `u${u}`),
    itemIds: Array.from({ length: nItems }, (_, i) => `i${i}`),
    users: Int32Array.from(rows.map((r) => r[0])),
    items: Int32Array.from(rows.map((r) => r[1])),
    ratings: Float32Array.from(rows.map((r) => r[2])),
    ratingScale: [1, 5],
  });
}

/** Asserts |actual − expected| ≤ tol, naming the quantity in the message. */
export function assertClose(actual: number, expected: number, what: string, tol = 1e-6): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected}`);
}

/**
 * The 4 × 4 table the baseline and KNN tests compute by hand (users u0…u3, items i0…i3):
 *
 *          i0  i1  i2  i3
 *     u0    4   3   .   .
 *     u1    5   3   4   .
 *     u2    2   5   1   2
 *     u3    .   3   5   4
 */
export const TINY_4X4: [string, string, number][] = [
  ["u0", "i0", 4],
  ["u0", "i1", 3],
  ["u1", "i0", 5],
  ["u1", "i1", 3],
  ["u1", "i2", 4],
  ["u2", "i0", 2],
  ["u2", "i1", 5],
  ["u2", "i2", 1],
  ["u2", "i3", 2],
  ["u3", "i1", 3],
  ["u3", "i2", 5],
  ["u3", "i3", 4],
];
