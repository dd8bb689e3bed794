import { test } from "node:test";
import assert from "node:assert/strict";
import { RatingDataset, fromTriples } from "../../lib/data/dataset";
import {
  type Prediction,
  type Recommendation,
  type RecommendOptions,
  type Recommender,
  topNByPrediction,
} from "../../lib/model/recommender";
import { ContentFill, ExplorationSlot, hashSeedUser } from "../../lib/hybrid/coldstart";
import { ContentKNN } from "../../lib/content/contentKnn";

/** A model with known predictions f(u, i) (null = impossible, fallback 3). */
class Fake implements Recommender {
  readonly predictsRatings: boolean;
  fitted: RatingDataset | null = null;
  constructor(
    readonly id: string,
    private readonly f: (u: number, i: number) => number | null,
    ratings = true,
  ) {
    this.predictsRatings = ratings;
  }
  fit(train: RatingDataset): this {
    this.fitted = train;
    return this;
  }
  predict(u: number, i: number): Prediction {
    const v = this.f(u, i);
    return v === null ? { value: 3, impossible: true, details: "fake cannot" } : { value: v, impossible: false };
  }
  recommend(u: number, n: number, options: RecommendOptions = {}): Recommendation[] {
    // like ContentKNN: impossible items are left out of the list
    const list = topNByPrediction(this, this.fitted!, u, this.fitted!.nItems, options);
    return list.filter((r) => !this.predict(u, r.item).impossible).slice(0, n);
  }
}

/**
 * 40 users, 16 items: items 0–9 from 1990–1999, items 10–15 from 2005 (the newest year).
 * User u rated items u % 10 and (u + 3) % 10 and, if u < 6, the new item 10 + u.
 */
function yearData(withYears = true): RatingDataset {
  const users: string[] = [];
  const items: string[] = [];
  const ratings: number[] = [];
  const add = (u: number, i: number, r: number) => {
    users.push(`u${u}`);
    items.push(String(i));
    ratings.push(r);
  };
  for (let u = 0; u < 40; u++) {
    add(u, u % 10, 4);
    add(u, (u + 3) % 10, 3);
    if (u < 6) add(u, 10 + u, 5);
  }
  const years = new Map<string, number>();
  for (let i = 0; i < 16; i++) years.set(String(i), i < 10 ? 1990 + i : 2005);
  return fromTriples("years", users, items, Float32Array.from(ratings), {
    ratingScale: [1, 5],
    itemMeta: withYears ? { years } : undefined,
  });
}

// ---- exploration slot --------------------------------------------------------------------------

test("exploration: base's top n−1, then an unseen item of the newest year not already listed", () => {
  const data = yearData();
  // the base loves the new items, so its top list contains some of them: the slot must not repeat them
  const base = new Fake("base", (_u, i) => (i >= 10 ? 5 - (i - 10) / 10 : 1 + i / 10));
  const ex = new ExplorationSlot(base, { seed: 7 }).fit(data);
  assert.equal(ex.id, "exploration(base)");
  assert.equal(ex.newestYear, 2005);
  assert.deepEqual(Array.from(ex.pool), [10, 11, 12, 13, 14, 15]);
  assert.equal(base.fitted, data);
  for (let u = 0; u < 40; u++) {
    const list = ex.recommend(u, 4);
    assert.equal(list.length, 4);
    const top3 = base.recommend(u, 3);
    assert.deepEqual(list.slice(0, 3), top3, `user ${u}: first n−1 are the base's`);
    const last = list[3].item;
    assert.ok(last >= 10, `user ${u}: ${last} is from 2005`);
    assert.ok(!data.hasRated(u, last), `user ${u}: ${last} unseen`);
    assert.ok(!top3.some((r) => r.item === last), `user ${u}: ${last} not already listed`);
    assert.equal(list[3].score, base.predict(u, last).value);
  }
  assert.deepEqual(ex.predict(3, 12), base.predict(3, 12), "predict delegates");
  assert.equal(ex.predictsRatings, true);
  assert.deepEqual(ex.recommend(0, 0), []);
  // n = 1: the list is the exploration item alone
  const one = ex.recommend(5, 1);
  assert.equal(one.length, 1);
  assert.ok(one[0].item >= 10 && one[0].item !== 15);
});

test("exploration: deterministic per (seed, user); differs across users and seeds; roughly uniform", () => {
  const data = yearData();
  // the base prefers the old items, so every unseen new item is eligible for the slot
  const make = (seed: number) => new ExplorationSlot(new Fake("b", (_u, i) => (i < 10 ? 5 - i / 10 : 1)), { seed }).fit(data);
  const lastItems = (ex: ExplorationSlot) => Array.from({ length: 40 }, (_, u) => ex.recommend(u, 3)[2].item);
  const a = lastItems(make(1));
  assert.deepEqual(lastItems(make(1)), a, "same seed → same slots");
  assert.deepEqual(lastItems(make(1)), lastItems(make(1)));
  const b = lastItems(make(2));
  assert.notDeepEqual(b, a, "another seed → other slots");
  assert.ok(new Set(a).size >= 4, `users draw different items: ${a}`);
  // over many users each of the 6 new items turns up (uniform draw, 40 users of whom 34 see all 6)
  const counts = new Map<number, number>();
  for (const s of [1, 2, 3, 4, 5]) for (const x of lastItems(make(s))) counts.set(x, (counts.get(x) ?? 0) + 1);
  assert.equal(counts.size, 6);
  for (const [item, c] of counts) assert.ok(c >= 15 && c <= 55, `item ${item} drawn ${c} times of 200`);
  assert.notEqual(hashSeedUser(1, 2), hashSeedUser(2, 1));
  assert.equal(hashSeedUser(1, 2), hashSeedUser(1, 2));
});

test("exploration: respects exclude; when the pool is used up the base's n-th item keeps the slot", () => {
  const data = yearData();
  const base = new Fake("b", (_u, i) => (i < 10 ? 5 - i / 10 : 1));
  const ex = new ExplorationSlot(base, { seed: 3 }).fit(data);
  const only = ex.recommend(20, 3, { exclude: new Set([10, 11, 12, 14, 15]) });
  assert.equal(only[2].item, 13);
  assert.ok(!only.slice(0, 2).some((r) => r.item === 13));
  // nothing eligible: every new item excluded → the base's own top 3
  const none = ex.recommend(20, 3, { exclude: new Set([10, 11, 12, 13, 14, 15]) });
  assert.deepEqual(none, base.recommend(20, 3, { exclude: new Set([10, 11, 12, 13, 14, 15]) }));
  assert.equal(ex.explorationItem(20, [], new Set([10, 11, 12, 13, 14, 15])), -1);
});

test("exploration: errors without years, before fit, on a bad seed", () => {
  assert.throws(() => new ExplorationSlot(new Fake("b", () => 3)).fit(yearData(false)), /dataset years has no release years/);
  assert.throws(() => new ExplorationSlot(new Fake("b", () => 3)).recommend(0, 3), /exploration\(b\): recommend called before fit/);
  assert.throws(() => new ExplorationSlot(new Fake("b", () => 3), { seed: NaN }), /seed must be a finite number/);
  const ex = new ExplorationSlot(new Fake("b", () => 3)).fit(yearData());
  assert.throws(() => ex.recommend(99, 3), /user index 99 is outside/);
  assert.throws(() => ex.recommend(0, -1), /n must be a non-negative integer/);
});

// ---- content fill ------------------------------------------------------------------------------

/** Item i has i + 1 ratings (items 0–7), from users 0..i; `reverse` renames item i to 7 − i. */
function countData(reverse = false): RatingDataset {
  const users: string[] = [];
  const items: string[] = [];
  const ratings: number[] = [];
  for (let i = 0; i < 8; i++) {
    for (let u = 0; u <= i; u++) {
      users.push(String(u));
      items.push(String(reverse ? 7 - i : i));
      ratings.push(1 + ((u + i) % 5));
    }
  }
  // one more user, who rated only item 0
  users.push("20");
  items.push(reverse ? "7" : "0");
  ratings.push(2);
  return fromTriples("counts", users, items, Float32Array.from(ratings), { ratingScale: [1, 5] });
}

test("content fill: items with fewer than minRatings ratings use the content model, exactly at the threshold", () => {
  const data = countData(); // counts: item 0 → 2, item i → i + 1
  assert.deepEqual(Array.from(data.itemCounts), [2, 2, 3, 4, 5, 6, 7, 8]);
  const base = new Fake("cf", (_u, i) => 2 + i / 10);
  const content = new Fake("content", (_u, i) => 4.5 - i / 10);
  const fill = new ContentFill({ base, content, minRatings: 5 }).fit(data);
  assert.equal(fill.id, "content-fill(cf,content)");
  assert.equal(base.fitted, data);
  assert.equal(content.fitted, data);
  for (let i = 0; i < 8; i++) {
    const p = fill.predict(8, i);
    const cold = data.itemCounts[i] < 5;
    assert.equal(fill.isCold(i), cold);
    assert.equal(p.value, cold ? 4.5 - i / 10 : 2 + i / 10, `item ${i}`);
    if (cold) assert.match(p.details!, new RegExp(`item has ${data.itemCounts[i]} < 5 train ratings`));
  }
  assert.equal(fill.nCold, 4); // items 0–3
  const fill4 = new ContentFill({ base: new Fake("cf", (_u, i) => 2 + i / 10), content, minRatings: 4 }).fit(data);
  assert.equal(fill4.predict(8, 3).value, 2.3, "item 3 has 4 ratings: warm when minRatings = 4");
  assert.equal(fill4.predict(8, 2).value, 4.3, "item 2 has 3 ratings: cold");
});

test("content fill: recommend = top-n by its own predictions (merged lists), ties by item id", () => {
  for (const reverse of [false, true]) {
    const data = countData(reverse);
    const base = new Fake("cf", (u, i) => 1 + ((3 * i + u) % 7) / 2);
    const content = new Fake("content", (u, i) => 1 + ((5 * i + 2 * u) % 9) / 2);
    const fill = new ContentFill({ base, content, minRatings: 4 }).fit(data);
    // all scores equal: the list is by item id whichever model each item comes from
    const flat = new ContentFill({ base: new Fake("b", () => 3), content: new Fake("c", () => 3), minRatings: 4 }).fit(data);
    assert.deepEqual(flat.recommend(8, 8).map((r) => r.item), reverse ? [0, 1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5, 6, 7]);
    for (const u of [0, 3, 7, 8]) {
      for (const n of [1, 3, 8]) {
        const expected = topNByPrediction(fill, data, u, n);
        assert.deepEqual(fill.recommend(u, n), expected, `user ${u}, n ${n}`);
      }
      assert.deepEqual(fill.recommend(u, 3, { exclude: new Set([4, 5]) }), topNByPrediction(fill, data, u, 3, { exclude: new Set([4, 5]) }));
      assert.deepEqual(fill.recommend(u, 3, { minScore: 3 }), topNByPrediction(fill, data, u, 3, { minScore: 3 }));
    }
  }
});

test("content fill with ContentKNN: cold items get ContentKNN's own prediction", () => {
  const genreNames = ["A", "B"];
  const genres = new Map<string, Uint8Array>();
  for (let i = 0; i < 8; i++) genres.set(String(i), Uint8Array.from(i % 2 ? [1, 0] : [0, 1]));
  const base = countData();
  const data = fromTriples(
    "counts+genres",
    Array.from(base.users, (u) => base.userIds[u]),
    Array.from(base.items, (i) => base.itemIds[i]),
    base.ratings,
    { ratingScale: [1, 5], itemMeta: { genreNames, genres } },
  );
  const knn = new ContentKNN({ features: ["genres"] });
  const fill = new ContentFill({ base: new Fake("cf", () => 2), content: knn, minRatings: 3 }).fit(data);
  const ref = new ContentKNN({ features: ["genres"] }).fit(data);
  for (const i of [0, 1]) assert.equal(fill.predict(3, i).value, ref.predict(3, i).value, `cold item ${i}`);
  assert.equal(fill.predict(3, 5).value, 2, "warm item from the base");
});

test("content fill: errors", () => {
  const r = () => new Fake("r", () => 3);
  const ranker = new Fake("pop", () => 1, false);
  assert.throws(() => new ContentFill({ base: ranker, content: r() }), /the base model \(pop\) must predict ratings/);
  assert.throws(() => new ContentFill({ base: r(), content: ranker }), /the content model \(pop\) must predict ratings/);
  for (const m of [0, 1.5, -2, NaN]) {
    assert.throws(() => new ContentFill({ base: r(), content: r(), minRatings: m }), /minRatings must be an integer ≥ 1/);
  }
  const same = r();
  assert.throws(() => new ContentFill({ base: same, content: same }), /different model objects/);
  assert.throws(() => new ContentFill({ base: r(), content: undefined as never }), /options.content must be a Recommender/);
  assert.throws(() => new ContentFill({ base: r(), content: r() }).predict(0, 0), /predict called before fit/);
});
