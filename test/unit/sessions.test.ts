/**
 * Sessions: boundaries exactly at the gap rule (a gap equal to gapSeconds stays in the session),
 * ties in time ordered by item id, minLength and the iterative item-support filter, errors on
 * missing times and bad options; the CSR constructors' checks; the temporal session split with
 * unseen-item removal; session popularity's ranking; Recall@k / MRR@k by hand for a fake model
 * ("last" and "all"); and the Recommender adapter (latest session as prefix, seen items excluded).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fromTriples } from "../../lib/data/dataset";
import type { Recommendation } from "../../lib/model/recommender";
import { SessionAsRecommender, SESSION_KNN_PARAMS, splitSessionParams } from "../../lib/session/adapter";
import { evaluateNextItem } from "../../lib/session/evaluate";
import { SessionPopularity } from "../../lib/session/popularity";
import {
  buildSessions,
  latestSession,
  makeSessions,
  sessionItems,
  sessionStats,
  sessionsFromArrays,
  splitSessions,
} from "../../lib/session/sessions";
import type { NextItemOptions, SessionRecommender, Sessions } from "../../lib/session/types";

/** Rows [user, raw item, time]; every rating is 4. */
function make(rows: [string, string, number][], withTimes = true) {
  return fromTriples(
    "timed",
    rows.map((r) => r[0]),
    rows.map((r) => r[1]),
    new Float32Array(rows.length).fill(4),
    { timestamps: withTimes ? Float64Array.from(rows, (r) => r[2]) : undefined },
  );
}

// Raw items 1..7 get inner ids 0..6, raw 11, 12, 13 get 7, 8, 9.
const DATA = make([
  // user A: 0 s (raw 3), 0 s (raw 1: same second, smaller id first), 100 s, +3600 s exactly (same session), +3601 s (new session)
  ["A", "3", 0],
  ["A", "1", 0],
  ["A", "2", 100],
  ["A", "4", 3700],
  ["A", "5", 7301],
  ["A", "6", 7302],
  // user B: two single-rating sessions
  ["B", "1", 50],
  ["B", "2", 20000],
  // user C: one session starting at 10 s
  ["C", "2", 10],
  ["C", "1", 20],
  ["C", "7", 30],
  // users D, E, F: for the iterative support filter
  ["D", "11", 1000],
  ["D", "12", 1001],
  ["E", "11", 2000],
  ["E", "13", 2001],
  ["F", "12", 3000],
  ["F", "1", 3001],
  ["F", "2", 3002],
]);
const raw = (s: Sessions, q: number) => Array.from(sessionItems(s, q), (i) => Number(DATA.itemIds[i]));
const all = (s: Sessions) => Array.from({ length: s.nSessions }, (_, q) => raw(s, q));
const user = (s: Sessions, q: number) => DATA.userIds[s.users[q]];

test("buildSessions: a gap longer than gapSeconds starts a session, a gap of exactly gapSeconds does not; ties by item id", () => {
  const s = buildSessions(DATA, { gapSeconds: 3600, minLength: 2, minItemSupport: 1 });
  assert.equal(s.nItems, DATA.nItems);
  // ordered by start time: A (0), C (10), D (1000), E (2000), F (3000), A's second (7301)
  assert.deepEqual(all(s), [[1, 3, 2, 4], [2, 1, 7], [11, 12], [11, 13], [12, 1, 2], [5, 6]]);
  assert.deepEqual(Array.from({ length: s.nSessions }, (_, q) => user(s, q)), ["A", "C", "D", "E", "F", "A"]);
  assert.deepEqual(Array.from(s.times.subarray(s.ptr[0], s.ptr[1])), [0, 0, 100, 3700]);
  assert.equal(s.ptr[s.nSessions], s.items.length);
  // one second less: A's first sitting splits before raw 4, which then stands alone and is dropped
  const t = buildSessions(DATA, { gapSeconds: 3599, minItemSupport: 1 });
  assert.deepEqual(all(t)[0], [1, 3, 2]);
  assert.ok(!all(t).some((x) => x.includes(4)));
  // B's two single ratings are sessions of length 1: kept only with minLength 1
  const ones = buildSessions(DATA, { gapSeconds: 3600, minLength: 1, minItemSupport: 1 });
  assert.equal(ones.nSessions, 8);
  assert.deepEqual(
    Array.from({ length: ones.nSessions }, (_, q) => user(ones, q)).filter((u) => u === "B").length,
    2,
  );
  // gapSeconds = Infinity: one session per user
  assert.equal(buildSessions(DATA, { gapSeconds: Infinity, minLength: 1, minItemSupport: 1 }).nSessions, 6);
});

test("buildSessions: the item-support filter is applied iteratively with minLength", () => {
  // round 1 drops raw 3,4,5,6,7 (1 event) and 13 → E = [11] is dropped → raw 11 has 1 event →
  // D = [12] is dropped → raw 12 has 1 event → F = [1, 2]; raw 1 and 2 keep 3 events each
  const s = buildSessions(DATA, { gapSeconds: 3600, minItemSupport: 2 });
  assert.deepEqual(all(s), [[1, 2], [2, 1], [1, 2]]);
  assert.deepEqual(Array.from(s.users, (u) => DATA.userIds[u]), ["A", "C", "F"]);
  assert.deepEqual(Array.from(s.times), [0, 100, 10, 20, 3001, 3002]);
  // nothing survives a support of 4
  assert.throws(() => buildSessions(DATA, { minItemSupport: 4 }), /no session .* survives/);
});

test("buildSessions and latestSession: errors and the latest session of a user", () => {
  assert.throws(() => buildSessions(make([["A", "1", 0], ["A", "2", 1]], false)), /no timestamps/);
  assert.throws(() => buildSessions(make([["A", "1", 0], ["A", "2", NaN], ["B", "1", 0]])), /rating 1 .* timestamp NaN/);
  assert.throws(() => buildSessions(DATA, { gapSeconds: -1 }), /gapSeconds must be a number ≥ 0/);
  assert.throws(() => buildSessions(DATA, { minLength: 0 }), /minLength must be an integer ≥ 1/);
  assert.throws(() => buildSessions(DATA, { minItemSupport: 1.5 }), /minItemSupport must be an integer ≥ 1/);
  const ids = (u: string, gap: number) => latestSession(DATA, DATA.innerUser(u), gap).map((k) => Number(DATA.itemIds[DATA.items[k]]));
  assert.deepEqual(ids("A", 3600), [5, 6]);
  assert.deepEqual(ids("A", Infinity), [1, 3, 2, 4, 5, 6]);
  assert.deepEqual(ids("B", 3600), [2]);
});

test("sessionStats: counts, mean, median and max length, duration", () => {
  const s = sessionsFromArrays(6, [[0, 1], [1, 2, 3], [4, 1, 2, 0, 3], [2, 2]], { times: [[0, 10], [0, 1, 2], [5, 5, 5, 5, 9], [0, 0]], users: [0, 0, 1, 2] });
  assert.deepEqual(sessionStats(s), {
    sessions: 4,
    events: 12,
    items: 5,
    users: 3,
    meanLength: 3,
    medianLength: 2.5,
    maxLength: 5,
    meanDurationSeconds: (10 + 2 + 4 + 0) / 4,
  });
});

test("makeSessions / sessionsFromArrays: defaults and validation", () => {
  const s = sessionsFromArrays(4, [[0, 1], [3]]);
  assert.deepEqual(Array.from(s.ptr), [0, 2, 3]);
  assert.deepEqual(Array.from(s.times), [0, 1, 0]);
  assert.deepEqual(Array.from(s.users), [0, 1]);
  assert.throws(() => sessionsFromArrays(3, [[0, 3]]), /event 1 has item 3, outside 0..2/);
  assert.throws(() => sessionsFromArrays(3, [[0, 1]], { times: [[5, 4]] }), /not in time order/);
  assert.throws(() => sessionsFromArrays(3, [[0, 1]], { times: [[5, NaN]] }), /not a finite number/);
  assert.throws(() => sessionsFromArrays(3, [[0, 1]], { times: [[5]] }), /2 items but 1 times/);
  assert.throws(() => sessionsFromArrays(3, [[0, 1]], { users: [0, 1] }), /users has length 2/);
  assert.throws(() => makeSessions({ nItems: 3, ptr: [0, 2, 1], items: [0] }), /ptr ends at 1|decreases/);
  assert.throws(() => makeSessions({ nItems: 3, ptr: [1, 2], items: [0, 1] }), /ptr must start with 0/);
});

test("splitSessions: the newest sessions by start time are the test set; unseen items removed, short sessions dropped", () => {
  const s = sessionsFromArrays(
    7,
    [[0, 1, 2], [1, 3], [2, 4, 5], [0, 5, 1], [6, 3]],
    { times: [[0, 1, 2], [10, 11], [5, 6, 7], [20, 21, 22], [15, 16]], users: [0, 1, 2, 3, 4] },
  );
  const sp = splitSessions(s, { testSize: 0.4 });
  // starts 0, 10, 5, 20, 15 → the newest two are sessions 3 (20) and 4 (15)
  assert.deepEqual(Array.from(sp.train.users), [0, 1, 2]);
  assert.deepEqual(Array.from(sp.train.items), [0, 1, 2, 1, 3, 2, 4, 5]);
  // session 4 = [6, 3]: item 6 never occurs in train → [3] → too short, dropped
  assert.deepEqual(Array.from(sp.test.users), [3]);
  assert.deepEqual(Array.from(sp.test.items), [0, 5, 1]);
  assert.deepEqual(Array.from(sp.test.times), [20, 21, 22]);
  assert.equal(sp.removedEvents, 1);
  assert.equal(sp.droppedSessions, 1);
  assert.equal(sp.cutoff, 15);
  assert.equal(splitSessions(s).test.nSessions, 1); // default 0.2 → 1 session (the newest)
  assert.throws(() => splitSessions(s, { testSize: 1 }), /testSize must be a number strictly between 0 and 1/);
  assert.throws(() => splitSessions(s, { testSize: 0.05 }), /leaves the test set empty/);
  const unseen = sessionsFromArrays(4, [[0, 1], [2, 3]], { times: [[0, 1], [5, 6]] });
  assert.throws(() => splitSessions(unseen, { testSize: 0.5 }), /no test session keeps 2 events/);
});

test("SessionPopularity: most frequent items first, ties by id, prefix and exclusions skipped", () => {
  const s = sessionsFromArrays(5, [[0, 1], [1, 2], [1, 2, 3], [3]]);
  const m = new SessionPopularity().fitSessions(s);
  assert.equal(m.id, "session-pop");
  assert.deepEqual(m.recommendNext([], 10), [
    { item: 1, score: 3 },
    { item: 2, score: 2 },
    { item: 3, score: 2 },
    { item: 0, score: 1 },
  ]);
  assert.deepEqual(m.recommendNext([2], 2).map((r) => r.item), [1, 3]);
  assert.deepEqual(m.recommendNext([2], 2, { excludePrefix: false }).map((r) => r.item), [1, 2]);
  assert.deepEqual(m.recommendNext([0], 3, { exclude: new Set([1]) }).map((r) => r.item), [2, 3]);
  // the prefix mask is cleared after each call
  assert.deepEqual(m.recommendNext([], 1).map((r) => r.item), [1]);
  assert.throws(() => m.recommendNext([5], 3), /prefix event 0 is item 5, outside 0..4/);
  assert.throws(() => m.recommendNext([0], -1), /n must be an integer ≥ 0/);
  assert.throws(() => new SessionPopularity().recommendNext([], 3), /call fitSessions/);
});

/** Always the list 3, 1, 4, 0, 2 (cut to n); records the prefixes and options it was asked with. */
class FixedList implements SessionRecommender {
  readonly id = "fixed";
  calls: { prefix: number[]; n: number; options?: NextItemOptions }[] = [];
  fitSessions(): this {
    return this;
  }
  recommendNext(prefix: ArrayLike<number>, n: number, options?: NextItemOptions): Recommendation[] {
    this.calls.push({ prefix: Array.from(prefix), n, options });
    return [3, 1, 4, 0, 2].slice(0, n).map((item, r) => ({ item, score: 5 - r }));
  }
}

test("evaluateNextItem: Recall@k and MRR@k by hand, last and all events", () => {
  const test = sessionsFromArrays(6, [[0, 1], [2, 3], [1, 4, 5], [0, 2], [5]]);
  // last targets 1 (rank 2), 3 (rank 1), 5 (not listed), 2 (rank 5); the 1-event session gives none
  const m = new FixedList();
  const r3 = evaluateNextItem(m, test, { k: 3 });
  assert.equal(r3.predictions, 4);
  assert.equal(r3.sessions, 4);
  assert.equal(r3.recall, 2 / 4);
  assert.equal(r3.mrr, (1 / 2 + 1) / 4);
  assert.deepEqual(m.calls.map((c) => c.prefix), [[0], [2], [1, 4], [0]]);
  assert.ok(m.calls.every((c) => c.n === 3 && c.options?.excludePrefix === true));
  const r5 = evaluateNextItem(new FixedList(), test, { k: 5 });
  assert.equal(r5.recall, 3 / 4);
  assert.ok(Math.abs(r5.mrr - (1 / 2 + 1 + 1 / 5) / 4) < 1e-12);
  // all: targets 1 (2), 3 (1), 4 (3), 5 (–), 2 (5 > k) → 3 hits of 5
  const mAll = new FixedList();
  const all3 = evaluateNextItem(mAll, test, { k: 3, target: "all", excludePrefix: false });
  assert.equal(all3.predictions, 5);
  assert.equal(all3.recall, 3 / 5);
  assert.ok(Math.abs(all3.mrr - (1 / 2 + 1 + 1 / 3) / 5) < 1e-12);
  assert.deepEqual(mAll.calls.map((c) => c.prefix), [[0], [2], [1], [1, 4], [0]]);
  assert.equal(mAll.calls[0].options?.excludePrefix, false);
  const seen: number[] = [];
  evaluateNextItem(new FixedList(), test, { onProgress: (d, t) => seen.push(d * 10 + t) });
  assert.deepEqual(seen, [15, 25, 35, 45, 55]);
  assert.throws(() => evaluateNextItem(m, test, { k: 0 }), /k must be an integer ≥ 1/);
  assert.throws(() => evaluateNextItem(m, test, { target: "first" as "last" }), /target must be "last" or "all"/);
  assert.throws(() => evaluateNextItem(m, sessionsFromArrays(3, [[1]])), /no test session has 2 events/);
});

/** A session model that records what the adapter asks and answers with popularity. */
class Spy extends SessionPopularity {
  asked: { prefix: number[]; options?: NextItemOptions }[] = [];
  fittedOn: Sessions | null = null;
  override fitSessions(train: Sessions): this {
    this.fittedOn = train;
    return super.fitSessions(train);
  }
  override recommendNext(prefix: ArrayLike<number>, n: number, options?: NextItemOptions): Recommendation[] {
    this.asked.push({ prefix: Array.from(prefix), options });
    return super.recommendNext(prefix, n, options);
  }
}

test("SessionAsRecommender: fits on sessions of the train set, uses the latest session, excludes seen items", () => {
  const data = make([
    ["A", "1", 0],
    ["A", "2", 10],
    ["A", "3", 20],
    ["A", "4", 10000],
    ["A", "5", 10010],
    ["B", "1", 0],
    ["B", "2", 5],
    ["B", "4", 100],
    ["B", "6", 110],
    ["C", "2", 50],
    ["C", "3", 60],
    ["C", "5", 70],
    ["C", "6", 80],
    ["D", "7", 0], // a single rating: no training session
  ]);
  const spy = new Spy();
  const rec = new SessionAsRecommender(spy, { gapSeconds: 3600, minItemSupport: 1 });
  assert.equal(rec.id, "session-pop");
  assert.equal(rec.predictsRatings, false);
  assert.throws(() => rec.recommend(0, 3), /call fit/);
  rec.fit(data);
  assert.equal(spy.fittedOn!.nSessions, 4); // A twice, B, C
  const A = data.innerUser("A");
  const inner = (rawIds: number[]) => rawIds.map((r) => data.innerItem(r));
  assert.deepEqual(Array.from(rec.prefix(A)), inner([4, 5]));
  // every item but 6 is seen by A: only 6 can be recommended
  assert.deepEqual(rec.recommend(A, 3), [{ item: data.innerItem(6), score: 2 }]);
  const asked = spy.asked[spy.asked.length - 1];
  assert.deepEqual(asked.prefix, inner([4, 5]));
  assert.equal(asked.options?.excludePrefix, true);
  assert.deepEqual([...asked.options!.exclude!].sort(), inner([1, 2, 3, 4, 5]).sort());
  // without excludeSeen only options.exclude applies
  const free = rec.recommend(A, 3, { excludeSeen: false, exclude: new Set(inner([2])) });
  // raw 2 (3 events) excluded, then raw 1, 3, 4, 5, 6 with 2 events each, by id
  assert.deepEqual(free.map((r) => Number(data.itemIds[r.item])), [1, 3, 4]);
  assert.equal(spy.asked[spy.asked.length - 1].options?.excludePrefix, false);
  // predict = the model's score; items it does not rank are impossible
  assert.deepEqual(rec.predict(A, data.innerItem(2)), { value: 3, impossible: false });
  assert.throws(() => rec.predict(99, 0), /user index 99/);
  assert.throws(() => rec.recommend(-1, 3), /user index -1/);
  assert.deepEqual(rec.predict(A, data.innerItem(7)).impossible, true); // raw 7 is in no session
  assert.deepEqual(Array.from(rec.prefix(data.innerUser("D"))), inner([7]));
  assert.throws(() => new SessionAsRecommender({} as SessionRecommender), /must be a SessionRecommender/);
});

test("session parameter schema: defaults and the split into build and model options", () => {
  assert.equal(SESSION_KNN_PARAMS.gapSeconds.default, 3600);
  assert.equal(SESSION_KNN_PARAMS.mode.default, "item");
  const { build, model } = splitSessionParams({ mode: "session", k: 10, gapSeconds: 60, minLength: 3, minItemSupport: 1 });
  assert.deepEqual(build, { gapSeconds: 60, minLength: 3, minItemSupport: 1 });
  assert.deepEqual(model, { mode: "session", k: 10 });
});
