/**
 * Real-world data concerns: stoplists (exact blocked items, case-insensitive, whole words),
 * outlier users (exact removals for a constructed count distribution, both tails, boundary,
 * ddof) and recency weights (halving at one half-life) with the time-decayed popularity ranker.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fromTriples } from "../../lib/data/dataset";
import { PopularityRecommender } from "../../lib/baseline/popularity";
import type { Prediction, Recommendation, Recommender } from "../../lib/model/recommender";
import { DEFAULT_STOPLIST, StoplistRecommender, applyStoplist, parseStoplist } from "../../lib/realworld/stoplist";
import { filterOutlierUsers } from "../../lib/realworld/outliers";
import { RECENT_POPULARITY_PARAMS, RecencyPopularity, SECONDS_PER_DAY, recencyWeights } from "../../lib/realworld/recency";
import { resolveParams } from "../../lib/algorithms/params";

const DAY = SECONDS_PER_DAY;

/** Raw rows: [user, item, rating, time (days)]. */
function make(rows: [string, string, number, number][], titles?: Record<string, string>, withTimes = true) {
  return fromTriples(
    "tiny",
    rows.map((r) => r[0]),
    rows.map((r) => r[1]),
    Float32Array.from(rows, (r) => r[2]),
    {
      timestamps: withTimes ? Float64Array.from(rows, (r) => r[3] * DAY) : undefined,
      itemMeta: titles ? { titles: new Map(Object.entries(titles)) } : undefined,
    },
  );
}

const TITLES = {
  "1": "Sex and the City (2008)",
  "2": "Toy Story (1995)",
  "3": "Middlesex Murders",
  "4": "DRUGSTORE Cowboy (1989)",
  "5": "",
  "6": "Sex, Lies, and Videotape (1989)",
};
const SHOP = make(
  [
    ["1", "1", 4, 0],
    ["1", "2", 5, 0],
    ["2", "2", 3, 0],
    ["2", "3", 2, 0],
    ["2", "4", 4, 0],
    ["3", "5", 1, 0],
    ["3", "6", 5, 0],
    ["3", "2", 4, 0],
  ],
  TITLES,
);
const raw = (items: Iterable<number>) => Array.from(items, (i) => SHOP.itemIds[i]).sort();

test("stoplist: case-insensitive substring match, the first matching term, ratings removed, inner ids kept", () => {
  const r = applyStoplist(SHOP, ["Drug", "SEX"]);
  assert.deepEqual(
    r.blocked.map((b) => [SHOP.itemIds[b.item], b.term, b.ratings]),
    [["1", "sex", 1], ["3", "sex", 1], ["4", "drug", 1], ["6", "sex", 1]],
  );
  assert.deepEqual(raw(r.exclude), ["1", "3", "4", "6"]);
  assert.equal(r.removedRatings, 4);
  assert.equal(r.data.nRatings, 4);
  assert.equal(r.data.nItems, SHOP.nItems, "a subset keeps the id maps");
  assert.deepEqual(raw(new Set(r.data.items)), ["2", "5"]);
  assert.equal(r.blocked[0].title, "Sex and the City (2008)");
});

test("stoplist: wholeWords drops the false positives Middlesex and DRUGSTORE", () => {
  const r = applyStoplist(SHOP, ["sex", "drug"], { wholeWords: true });
  assert.deepEqual(raw(r.exclude), ["1", "6"]);
  assert.equal(r.removedRatings, 2);
});

test("stoplist: items without a title never match; no match returns the data itself", () => {
  // the fallback title of item 5 is "item 5", which must not count
  const r = applyStoplist(SHOP, ["item", "zzz"]);
  assert.equal(r.blocked.length, 0);
  assert.equal(r.data, SHOP);
  assert.equal(r.removedRatings, 0);
});

test("stoplist: blank terms, an empty list and blocking everything are clear errors", () => {
  assert.throws(() => applyStoplist(SHOP, ["sex", "  "]), /term 2 of 2 is blank/);
  assert.throws(() => applyStoplist(SHOP, []), /at least one term/);
  assert.throws(() => parseStoplist("sex,,drug"), /term 2 of 3 is blank/);
  const titled = make([["1", "1", 4, 0], ["2", "2", 4, 0]], { "1": "Sex and the City (2008)", "2": "Toy Story (1995)" });
  assert.throws(() => applyStoplist(titled, ["toy", "sex"]), /the terms toy, sex block every rated item/);
  assert.deepEqual(parseStoplist(" Sex , drug "), ["sex", "drug"]);
  assert.deepEqual(parseStoplist("default"), DEFAULT_STOPLIST);
});

test("StoplistRecommender: blocked items never listed, even from a model that ignores exclude", () => {
  const r = applyStoplist(SHOP, ["toy"]);
  const item2 = SHOP.innerItem("2");
  // popularity on the FULL data would put Toy Story (3 ratings) first
  const pop = new StoplistRecommender(new PopularityRecommender(), r.exclude).fit(SHOP);
  const u5 = SHOP.innerUser("3");
  const list = pop.recommend(u5, 3);
  assert.ok(!list.some((x) => x.item === item2));
  assert.equal(list.length, 3);
  assert.equal(pop.id, "popularity");
  /** Always lists items 0, 1, 2, … whatever the options say. */
  class Stubborn implements Recommender {
    readonly id = "stubborn";
    readonly predictsRatings = false;
    fit(): this {
      return this;
    }
    predict(): Prediction {
      return { value: 0, impossible: false };
    }
    recommend(_u: number, n: number): Recommendation[] {
      return Array.from({ length: Math.min(n, SHOP.nItems) }, (_, i) => ({ item: i, score: -i }));
    }
  }
  const s = new StoplistRecommender(new Stubborn(), new Set([0, 2]));
  assert.deepEqual(s.recommend(0, 3).map((x) => x.item), [1, 3, 4]);
  assert.deepEqual(s.recommend(0, 3, { exclude: new Set([3]) }).map((x) => x.item), [1, 4, 5]);
});

/** Users 0..nUsers-1 with the given rating counts (distinct items 0.., rating 3). */
function counts(cs: number[]) {
  const rows: [string, string, number, number][] = [];
  cs.forEach((c, u) => {
    for (let i = 0; i < c; i++) rows.push([String(u), String(i), 3, 0]);
  });
  return make(rows);
}

test("outliers: one heavy rater among ten equal ones is |z| = √10 > 3 away and removed", () => {
  // counts 2 ×10 and 24: mean 4, population variance (10·4 + 400)/11 = 40
  const data = counts([2, 2, 2, 2, 2, 24, 2, 2, 2, 2, 2]);
  const r = filterOutlierUsers(data);
  assert.equal(r.mean, 4);
  assert.ok(Math.abs(r.std - Math.sqrt(40)) < 1e-12);
  assert.deepEqual(r.removedUsers, [data.innerUser("5")]);
  assert.equal(r.removedRatings, 24);
  assert.equal(r.keptRatings, 20);
  assert.equal(r.keptUsers, 10);
  assert.equal(r.data.nRatings, 20);
  assert.equal(r.data.userCount(data.innerUser("5")), 0);
  assert.ok(Math.abs(r.high - (4 + 3 * Math.sqrt(40))) < 1e-12 && Math.abs(r.low - (4 - 3 * Math.sqrt(40))) < 1e-12);
  // |24 − 4| = 20: k = 3.1 → 19.6 < 20 (removed); k = 3.2 → 20.2 (kept)
  assert.equal(filterOutlierUsers(data, { k: 3.1 }).removedUsers.length, 1);
  const kept = filterOutlierUsers(data, { k: 3.2 });
  assert.equal(kept.removedUsers.length, 0);
  assert.equal(kept.data, data);
  // sample std (ddof 1): variance 44, 3.1·√44 = 20.56 > 20 → kept
  assert.equal(filterOutlierUsers(data, { k: 3.1, ddof: 1 }).removedUsers.length, 0);
});

test("outliers: the light tail is removed too; equal counts remove nobody", () => {
  const data = counts([12, 12, 12, 1, 12, 12, 12, 12, 12, 12, 12]);
  assert.deepEqual(filterOutlierUsers(data).removedUsers, [3]);
  const flat = counts([4, 4, 4]);
  const r = filterOutlierUsers(flat);
  assert.equal(r.std, 0);
  assert.deepEqual(r.removedUsers, []);
  // two moderate heavies: z ≈ 2.2, kept at k = 3, removed at k = 2
  const two = counts([2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 10, 10]);
  assert.deepEqual(filterOutlierUsers(two).removedUsers, []);
  assert.deepEqual(filterOutlierUsers(two, { k: 2 }).removedUsers, [10, 11]);
});

test("outliers: bad k is a clear error", () => {
  const data = counts([2, 3]);
  assert.throws(() => filterOutlierUsers(data, { k: 0 }), /k must be a finite number > 0/);
  assert.throws(() => filterOutlierUsers(data, { k: -1 }), /k must be a finite number > 0/);
  assert.throws(() => filterOutlierUsers(data, { k: NaN }), /k must be a finite number > 0/);
});

test("recency weights: halve at each half-life, measured from the newest rating or a given now", () => {
  const data = make([
    ["1", "a", 3, 0],
    ["1", "b", 3, 10],
    ["2", "a", 3, 20],
    ["2", "c", 3, 15],
  ]);
  const w = recencyWeights(data, { halfLifeDays: 10 });
  const expected = [0.25, 0.5, 1, Math.SQRT1_2];
  w.forEach((x, k) => assert.ok(Math.abs(x - expected[k]) < 1e-12, `w[${k}] = ${x}`));
  const later = recencyWeights(data, { halfLifeDays: 10, now: 30 * DAY });
  [0.125, 0.25, 0.5, 0.5 * Math.SQRT1_2].forEach((e, k) => assert.ok(Math.abs(later[k] - e) < 1e-12));
  // a rating after `now` counts as new
  assert.equal(recencyWeights(data, { halfLifeDays: 10, now: 10 * DAY })[2], 1);
  assert.deepEqual(Array.from(recencyWeights(data, { halfLifeDays: Infinity })), [1, 1, 1, 1]);
  assert.throws(() => recencyWeights(data, { halfLifeDays: 0 }), /halfLifeDays must be a number > 0/);
  const untimed = make([["1", "a", 3, 0]], undefined, false);
  assert.throws(() => recencyWeights(untimed, { halfLifeDays: 10 }), /has no timestamps/);
});

test("recent-popularity: recent interest outranks old fame; an infinite half-life is plain popularity", () => {
  // item a: 3 ratings at day 0; item b: 2 ratings at day 100; users 4 and 5 rated nothing of them
  const data = make([
    ["1", "a", 4, 0],
    ["2", "a", 4, 0],
    ["3", "a", 4, 0],
    ["1", "b", 4, 100],
    ["2", "b", 4, 100],
    ["4", "c", 4, 100],
    ["5", "c", 4, 90],
  ]);
  const u4 = data.innerUser("4");
  const a = data.innerItem("a");
  const b = data.innerItem("b");
  const recent = new RecencyPopularity({ halfLifeDays: 50 }).fit(data);
  // a: 3 · 2^(−2) = 0.75; b: 2
  assert.ok(Math.abs(recent.predict(0, a).value - 0.75) < 1e-12);
  assert.equal(recent.predict(0, b).value, 2);
  assert.deepEqual(recent.recommend(u4, 2).map((r) => r.item), [b, a]);
  const slow = new RecencyPopularity({ halfLifeDays: Infinity }).fit(data);
  assert.deepEqual(slow.recommend(u4, 2).map((r) => r.item), new PopularityRecommender().fit(data).recommend(u4, 2).map((r) => r.item));
  assert.deepEqual(recent.recommend(u4, 2, { exclude: new Set([b]) }).map((r) => r.item), [a]);
  assert.equal(recent.id, "recent-popularity");
  assert.equal(recent.predictsRatings, false);
  assert.throws(() => new RecencyPopularity({ halfLifeDays: -1 }), /halfLifeDays must be a number > 0/);
  assert.throws(() => new RecencyPopularity().fit(make([["1", "a", 3, 0]], undefined, false)), /no timestamps/);
  assert.deepEqual(resolveParams("recent-popularity", RECENT_POPULARITY_PARAMS), { halfLifeDays: 365 });
  assert.equal(resolveParams("recent-popularity", RECENT_POPULARITY_PARAMS, { halfLifeDays: "30" }).halfLifeDays, 30);
});
