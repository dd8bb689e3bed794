import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../lib/random";
import type { Recommendation } from "../../lib/model/recommender";
import type { TopNLists } from "../../lib/metrics/topn";
import { rankingMetrics } from "../../lib/metrics/ranking";
import { precisionRecallCurve } from "../../lib/eval/curves";

const close = (a: number, b: number, msg?: string): void => assert.ok(Math.abs(a - b) < 1e-12, msg ?? `${a} ≠ ${b}`);
const rec = (items: number[]): Recommendation[] => items.map((item, k) => ({ item, score: 10 - k }));

/**
 * u0: list 5, 3, 8, 1 with relevant {3, 1, 7}: hits at ranks 2 and 4 (the list ends at 4).
 * u1: list 2 with relevant {2}: a hit at rank 1.
 * u2: no relevant item (skipped). u3: relevant {4} but no list (zero hits).
 */
function example(): { lists: TopNLists; relevant: Map<number, Set<number>> } {
  const lists: TopNLists = new Map([
    [0, rec([5, 3, 8, 1])],
    [1, rec([2])],
    [2, rec([6, 7])],
  ]);
  const relevant = new Map([
    [0, new Set([3, 1, 7])],
    [1, new Set([2])],
    [2, new Set<number>()],
    [3, new Set([4])],
  ]);
  return { lists, relevant };
}

test("precisionRecallCurve: hand-computed points", () => {
  const { lists, relevant } = example();
  const c = precisionRecallCurve(lists, relevant, 5);
  assert.equal(c.length, 5);
  assert.deepEqual(c.map((p) => p.n), [1, 2, 3, 4, 5]);
  for (const p of c) {
    assert.equal(p.users, 3);
    assert.equal(p.skipped, 1);
  }
  // N = 1: only u1 hits → P = (0 + 1 + 0)/3, R = (0 + 1 + 0)/3, F1 = (0 + 1 + 0)/3
  close(c[0].precision, 1 / 3);
  close(c[0].recall, 1 / 3);
  close(c[0].f1, 1 / 3);
  // N = 2: u0 1 hit (p 1/2, r 1/3, F1 2/5); u1 (p 1/2, r 1, F1 2/3); u3 zeros
  close(c[1].precision, (1 / 2 + 1 / 2) / 3);
  close(c[1].recall, (1 / 3 + 1) / 3);
  close(c[1].f1, (2 / 5 + 2 / 3) / 3);
  // N = 4: u0 2 hits (p 1/2, r 2/3, F1 4/7); u1 (p 1/4, r 1, F1 2/5)
  close(c[3].precision, (1 / 2 + 1 / 4) / 3);
  close(c[3].recall, (2 / 3 + 1) / 3);
  close(c[3].f1, (4 / 7 + 2 / 5) / 3);
  // N = 5, past the end of both lists: still divided by N (p 2/5 and 1/5), recall unchanged
  close(c[4].precision, (2 / 5 + 1 / 5) / 3);
  close(c[4].recall, (2 / 3 + 1) / 3);
  close(c[4].f1, (1 / 2 + 1 / 3) / 3);
});

test("precisionRecallCurve: each point equals rankingMetrics at that N (random lists)", () => {
  const rng = new Rng(7);
  for (let t = 0; t < 20; t++) {
    const nItems = 30;
    const lists: TopNLists = new Map();
    const relevant = new Map<number, Set<number>>();
    for (let u = 0; u < 25; u++) {
      if (rng.next() < 0.9) lists.set(u, rec(Array.from(rng.sample(nItems, rng.int(13)))));
      relevant.set(u, new Set(Array.from(rng.sample(nItems, rng.int(6)))));
    }
    if (![...relevant.values()].some((s) => s.size > 0)) continue;
    const curve = precisionRecallCurve(lists, relevant, 12);
    for (const p of curve) {
      const r = rankingMetrics(lists, relevant, p.n);
      close(p.precision, r.precision, `precision@${p.n}`);
      close(p.recall, r.recall, `recall@${p.n}`);
      close(p.f1, r.f1, `f1@${p.n}`);
      assert.equal(p.users, r.users);
      assert.equal(p.skipped, r.skipped);
    }
    // recall never decreases with N
    for (let n = 1; n < curve.length; n++) assert.ok(curve[n].recall >= curve[n - 1].recall);
  }
});

test("precisionRecallCurve: a perfect list has precision 1 up to |R| and recall 1 from there", () => {
  const relevant = new Map([[0, new Set([4, 9, 2])]]);
  const lists: TopNLists = new Map([[0, rec([9, 2, 4, 1, 0])]]);
  const c = precisionRecallCurve(lists, relevant, 5);
  assert.deepEqual(c.map((p) => p.precision), [1, 1, 1, 3 / 4, 3 / 5]);
  assert.deepEqual(c.map((p) => p.recall), [1 / 3, 2 / 3, 1, 1, 1]);
  close(c[2].f1, 1);
});

test("precisionRecallCurve: clear errors", () => {
  const { lists, relevant } = example();
  assert.throws(() => precisionRecallCurve(lists, relevant, 0), /maxN must be an integer ≥ 1, got 0/);
  assert.throws(() => precisionRecallCurve(lists, relevant, 2.5), /maxN must be an integer ≥ 1/);
  assert.throws(
    () => precisionRecallCurve(new Map([[0, rec([1, 1])]]), new Map([[0, new Set([1])]]), 3),
    /list of user 0 holds item 1 twice/,
  );
  assert.throws(
    () => precisionRecallCurve(lists, new Map([[0, new Set<number>()], [1, new Set<number>()]]), 3),
    /none of the 2 users has a relevant item/,
  );
});
