/**
 * Session kNN: session-neighbourhood scores (cosine of binary item sets, k most similar, the most
 * recent `sampleSize` candidates) and last-item co-occurrence scores (cosine with λ) computed by
 * hand on four training sessions; exclusions; errors. On ml-latest-small-2016 (mirror): the
 * session statistics of the default rule, and both kNN modes beat session popularity on the last
 * events of held-out sessions and as a Recommender under temporal leave-one-out.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadDataset } from "../../lib/data/load";
import { evaluate } from "../../lib/eval/evaluate";
import { SessionAsRecommender } from "../../lib/session/adapter";
import { evaluateNextItem } from "../../lib/session/evaluate";
import { SessionPopularity } from "../../lib/session/popularity";
import { SessionKNN } from "../../lib/session/sessionKnn";
import { buildSessions, sessionStats, sessionsFromArrays, splitSessions } from "../../lib/session/sessions";
import { needsMirror } from "../datasets";

// T0 = {0,1,2} (ends at 2 s), T1 = {1,3} (11 s), T2 = {0,3,4} (22 s), T3 = {2,5} (31 s); item 6 unseen
const TRAIN = sessionsFromArrays(7, [[0, 1, 2], [1, 3], [0, 3, 4], [2, 5]], {
  times: [[0, 1, 2], [10, 11], [20, 21, 22], [30, 31]],
});

function close(actual: { item: number; score: number }[], expected: [number, number][]): void {
  assert.deepEqual(actual.map((r) => r.item), expected.map((e) => e[0]));
  actual.forEach((r, j) => assert.ok(Math.abs(r.score - expected[j][1]) < 1e-12, `score of item ${r.item}: ${r.score} vs ${expected[j][1]}`));
}

test("session mode: cosine of item sets, sums of neighbour similarities (by hand)", () => {
  // P = {0, 1}: overlaps T0 2, T1 1, T2 1 (T3 shares nothing)
  // sim T0 = 2/√(2·3), T1 = 1/√(2·2), T2 = 1/√(2·3)
  const s0 = 2 / Math.sqrt(6);
  const s1 = 1 / 2;
  const s2 = 1 / Math.sqrt(6);
  const m = new SessionKNN({ mode: "session" }).fitSessions(TRAIN);
  assert.equal(m.id, "session-knn");
  // item 3 ∈ T1, T2; item 2 ∈ T0; item 4 ∈ T2; items 0 and 1 are the prefix
  close(m.recommendNext([0, 1], 10), [[3, s1 + s2], [2, s0], [4, s2]]);
  close(m.recommendNext([1, 0, 1], 10, { excludePrefix: false }), [[1, s0 + s1], [0, s0 + s2], [3, s1 + s2], [2, s0], [4, s2]]);
  close(m.recommendNext([0, 1], 2), [[3, s1 + s2], [2, s0]]);
  close(m.recommendNext([0, 1], 10, { exclude: new Set([3]) }), [[2, s0], [4, s2]]);
  // k = 2 keeps T0 and T1: item 4 (only in T2) disappears
  close(new SessionKNN({ mode: "session", k: 2 }).fitSessions(TRAIN).recommendNext([0, 1], 10), [[2, s0], [3, s1]]);
  // sampleSize = 2 keeps the two most recent candidates, T2 and T1: item 2 (only in T0) disappears
  close(new SessionKNN({ mode: "session", sampleSize: 2 }).fitSessions(TRAIN).recommendNext([0, 1], 10), [[3, s1 + s2], [4, s2]]);
  // an unseen item counts in |P| but matches nothing: P = {0, 6} → T0, T2 each 1/√(2·3)
  close(m.recommendNext([0, 6], 10), [[1, s2], [2, s2], [3, s2], [4, s2]]);
  assert.deepEqual(m.recommendNext([], 5), []);
  assert.deepEqual(m.recommendNext([6], 5), []);
  // the scratch is clean after each query: the same query twice gives the same answer
  close(m.recommendNext([0, 1], 10), [[3, s1 + s2], [2, s0], [4, s2]]);
});

test("session mode: a session is a set (repeats ignored)", () => {
  const a = new SessionKNN({ mode: "session" }).fitSessions(sessionsFromArrays(4, [[0, 1, 0, 1], [1, 2]]));
  const b = new SessionKNN({ mode: "session" }).fitSessions(sessionsFromArrays(4, [[0, 1], [1, 2]]));
  assert.deepEqual(a.recommendNext([1], 4, { excludePrefix: false }), b.recommendNext([1], 4, { excludePrefix: false }));
  close(b.recommendNext([1], 4), [[0, 1 / Math.sqrt(2)], [2, 1 / Math.sqrt(2)]]);
});

test("item mode: co-occurrence with the last item, cosine-normalised with λ (by hand)", () => {
  // last item 0: S_0 = {T0, T2}; co-occurring 1 (T0), 2 (T0), 3 (T2), 4 (T2), once each;
  // |S_1| = 2, |S_2| = 2, |S_3| = 2, |S_4| = 1
  const plain = new SessionKNN({ mode: "item", lambda: 0 }).fitSessions(TRAIN);
  close(plain.recommendNext([1, 0], 10), [[4, 1 / Math.sqrt(2)], [2, 1 / 2], [3, 1 / 2]]);
  close(plain.recommendNext([0], 10), [[4, 1 / Math.sqrt(2)], [1, 1 / 2], [2, 1 / 2], [3, 1 / 2]]);
  // the last item is what counts: after [0, 3] the list is item 3's (S_3 = {T1, T2}: 1, 0, 4 once each)
  close(plain.recommendNext([0, 3], 10), [[4, 1 / Math.sqrt(2)], [1, 1 / 2]]);
  // an unseen last item falls back to the last seen one
  close(plain.recommendNext([1, 0, 6], 10), [[4, 1 / Math.sqrt(2)], [2, 1 / 2], [3, 1 / 2]]);
  const reg = new SessionKNN({ mode: "item", lambda: 3 }).fitSessions(TRAIN);
  close(reg.recommendNext([0], 2), [[4, 1 / (Math.sqrt(2) + 3)], [1, 1 / 5]]);
  // the default λ is 20 and the default mode is "item"
  const def = new SessionKNN().fitSessions(TRAIN);
  assert.equal(def.options.mode, "item");
  close(def.recommendNext([0], 1), [[4, 1 / (Math.sqrt(2) + 20)]]);
  assert.deepEqual(def.recommendNext([6], 3), []);
  assert.equal(def.support(0), 2);
});

test("SessionKNN: errors", () => {
  assert.throws(() => new SessionKNN({ mode: "user" as "item" }), /mode must be "session" or "item"/);
  assert.throws(() => new SessionKNN({ k: 0 }), /k must be an integer ≥ 1/);
  assert.throws(() => new SessionKNN({ sampleSize: -1 }), /sampleSize must be an integer ≥ 0/);
  assert.throws(() => new SessionKNN({ lambda: NaN }), /lambda must be a finite number ≥ 0/);
  assert.throws(() => new SessionKNN().recommendNext([0], 3), /call fitSessions/);
  const m = new SessionKNN().fitSessions(TRAIN);
  assert.throws(() => m.recommendNext([7], 3), /prefix event 0 is item 7, outside 0..6/);
  assert.throws(() => m.recommendNext([0.5], 3), /prefix event 0 is item 0.5/);
  assert.throws(() => m.recommendNext([0], 2.5), /n must be an integer ≥ 0/);
  assert.throws(() => new SessionKNN().fitSessions(sessionsFromArrays(3, [])), /no events/);
});

test("ml-latest-small-2016: 1-hour sessions; session kNN beats session popularity", { skip: needsMirror("ml-latest-small-2016") }, async () => {
  const data = await loadDataset("ml-latest-small-2016");
  const sessions = buildSessions(data);
  const st = sessionStats(sessions);
  assert.deepEqual([st.sessions, st.events, st.items, st.users, st.medianLength], [2824, 87275, 3347, 671, 9]);
  // every kept item has ≥ 5 events, every session ≥ 2 events in time order
  const support = new Int32Array(data.nItems);
  for (const i of sessions.items) support[i]++;
  assert.ok(support.every((c) => c === 0 || c >= 5));
  for (let s = 0; s < sessions.nSessions; s++) {
    assert.ok(sessions.ptr[s + 1] - sessions.ptr[s] >= 2);
    for (let x = sessions.ptr[s] + 1; x < sessions.ptr[s + 1]; x++) assert.ok(sessions.times[x] >= sessions.times[x - 1]);
  }
  const { train, test: held } = splitSessions(sessions);
  const pop = evaluateNextItem(new SessionPopularity().fitSessions(train), held);
  const item = evaluateNextItem(new SessionKNN().fitSessions(train), held);
  const sess = evaluateNextItem(new SessionKNN({ mode: "session" }).fitSessions(train), held);
  assert.equal(pop.predictions, held.nSessions);
  assert.ok(item.recall > pop.recall && item.mrr > pop.mrr, `item ${item.recall}/${item.mrr} vs pop ${pop.recall}/${pop.mrr}`);
  assert.ok(sess.recall > pop.recall && sess.mrr > pop.mrr, `session ${sess.recall}/${sess.mrr} vs pop ${pop.recall}/${pop.mrr}`);
  // as a Recommender: each user's latest rating predicted from their latest train session
  const hr = (make: () => SessionAsRecommender) => evaluate(make, data, "temporal-loo").metrics.hr!;
  const knnHr = hr(() => new SessionAsRecommender(new SessionKNN()));
  const popHr = hr(() => new SessionAsRecommender(new SessionPopularity()));
  assert.ok(knnHr > popHr, `temporal-loo hit rate ${knnHr} vs popularity ${popHr}`);
});
