/**
 * Sessions from timestamped ratings, their statistics, and the temporal session split.
 *
 * Rule (`buildSessions`): each user's ratings are put in time order (ties in time — MovieLens
 * stores whole seconds and a fifth of its consecutive ratings share one — broken by the smaller
 * inner item id, i.e. the smaller raw movieId); a new session starts whenever the gap to the
 * user's previous rating is LONGER than `gapSeconds` (a gap of exactly `gapSeconds` stays in the
 * session). This is the inactivity-timeout definition of a session used for web logs (Catledge &
 * Pitkow 1995, "Characterizing browsing strategies in the World-Wide Web"; 30 minutes is the usual
 * web-analytics timeout) and by session-based recommendation on data without session ids
 * (Ludewig & Jannach 2018, "Evaluation of session-based recommendation algorithms", UMUAI 28).
 *
 * Default gap: one hour. On ml-latest-small-2016 (671 users, 100,004 ratings) the 99,333 gaps
 * between a user's consecutive ratings are sharply bimodal: 22 % are 0 s (same second), 72 %
 * under 30 s, 93.5 % under 10 minutes; then a valley — 1.5 % lie between 10 minutes and 12 hours
 * (0.2 % between 30 minutes and 1 hour) — and 4.5 % are longer than a day. MovieLens users rate
 * in bursts (many ratings in one sitting), so any timeout from ~30 minutes to a few hours finds
 * the same sittings (6,511 raw sessions at 30 min, 6,346 at 1 h, 6,029 at 3 h); one hour sits in
 * the valley and forgives a pause. With the default filters that data gives 2,824 sessions
 * (87,275 events, 3,347 items, all 671 users; length median 9, mean 31, max 1,033; about half of
 * the raw sessions are single ratings).
 *
 * Filtering (Hidasi et al. 2016, "Session-based recommendations with recurrent neural networks",
 * ICLR, §4: sessions of length 1 and items with fewer than 5 events removed): sessions shorter
 * than `minLength` are dropped, then the events of items with fewer than `minItemSupport` events
 * in the remaining sessions, then again the sessions that became too short … until nothing
 * changes (so every kept item has ≥ minItemSupport events and every kept session ≥ minLength).
 * Boundaries come from the unfiltered ratings: removing an event never merges two sessions.
 */
import type { RatingDataset } from "../data/dataset";
import type { Sessions } from "./types";

export interface BuildSessionsOptions {
  /** A gap longer than this many seconds between two consecutive ratings of a user starts a new session (default 3600; Infinity = one session per user). */
  gapSeconds?: number;
  /** Sessions with fewer events are dropped (default 2: a session of one event has no next item). */
  minLength?: number;
  /** Items with fewer events (in the kept sessions) are removed, iteratively with minLength (default 5, as Hidasi et al. 2016; 1 = keep all). */
  minItemSupport?: number;
}

export const SESSION_DEFAULTS = { gapSeconds: 3600, minLength: 2, minItemSupport: 5 } as const;

type ResolvedBuild = { gapSeconds: number; minLength: number; minItemSupport: number };

/** Fills in and checks the session-building options; throws an Error naming a bad one and its valid range. */
export function resolveSessionOptions(options: BuildSessionsOptions = {}): ResolvedBuild {
  const gapSeconds = options.gapSeconds ?? SESSION_DEFAULTS.gapSeconds;
  const minLength = options.minLength ?? SESSION_DEFAULTS.minLength;
  const minItemSupport = options.minItemSupport ?? SESSION_DEFAULTS.minItemSupport;
  if (typeof gapSeconds !== "number" || !(gapSeconds >= 0)) {
    throw new Error(`sessions: gapSeconds must be a number ≥ 0 (seconds; Infinity = one session per user), got ${gapSeconds}`);
  }
  if (!Number.isInteger(minLength) || minLength < 1) throw new Error(`sessions: minLength must be an integer ≥ 1, got ${minLength}`);
  if (!Number.isInteger(minItemSupport) || minItemSupport < 1) {
    throw new Error(`sessions: minItemSupport must be an integer ≥ 1, got ${minItemSupport}`);
  }
  return { gapSeconds, minLength, minItemSupport };
}

/** Throws unless every rating of `data` has a finite timestamp. */
function checkTimes(data: RatingDataset, what: string): void {
  const t = data.timestamps;
  for (let k = 0; k < data.nRatings; k++) {
    if (!Number.isFinite(t[k])) {
      throw new Error(
        !data.hasTimestamps
          ? `${what}: dataset ${data.name} has no timestamps (sessions need the time of every rating)`
          : `${what}: rating ${k} of dataset ${data.name} has timestamp ${t[k]}, not a finite number`,
      );
    }
  }
}

/**
 * The indices (into the dataset's rating arrays) of user u's ratings, oldest first; equal
 * timestamps ordered by item id. The user's CSR row is already sorted by item, and the sort is
 * stable, so the tie rule comes for free (the comparator states it anyway).
 */
export function userTimeline(data: RatingDataset, u: number): number[] {
  const out: number[] = [];
  for (let p = data.userPtr[u]; p < data.userPtr[u + 1]; p++) out.push(data.userEntry[p]);
  const t = data.timestamps;
  const it = data.items;
  return out.sort((a, b) => t[a] - t[b] || it[a] - it[b]);
}

/**
 * The rating indices of user u's LATEST session under the gap rule (oldest first; no length or
 * support filter, so it may hold a single rating; empty for a user without ratings).
 */
export function latestSession(data: RatingDataset, u: number, gapSeconds: number = SESSION_DEFAULTS.gapSeconds): number[] {
  const line = userTimeline(data, u);
  const t = data.timestamps;
  let a = line.length - 1;
  while (a > 0 && !(t[line[a]] - t[line[a - 1]] > gapSeconds)) a--;
  return line.slice(Math.max(a, 0));
}

/**
 * Sessions of a timestamped rating dataset under the gap rule of the module comment, filtered by
 * `minLength` and `minItemSupport`. Item ids stay the dataset's inner ids (nItems = data.nItems).
 * Sessions come out ordered by start time (ties by user). Throws when a timestamp is missing, an
 * option is out of range, or no session survives the filters.
 * Cost O(R log R) for R ratings (the per-user sorts), memory O(R).
 */
export function buildSessions(data: RatingDataset, options: BuildSessionsOptions = {}): Sessions {
  const o = resolveSessionOptions(options);
  checkTimes(data, "buildSessions");
  const R = data.nRatings;
  const t = data.timestamps;
  // every rating once, user by user, each user in time order; raw session starts at the gaps
  const evItem = new Int32Array(R);
  const evTime = new Float64Array(R);
  const evUser = new Int32Array(R);
  const starts: number[] = [];
  let e = 0;
  for (let u = 0; u < data.nUsers; u++) {
    const line = userTimeline(data, u);
    for (let j = 0; j < line.length; j++) {
      const k = line[j];
      if (j === 0 || t[k] - t[line[j - 1]] > o.gapSeconds) starts.push(e);
      evItem[e] = data.items[k];
      evTime[e] = t[k];
      evUser[e] = u;
      e++;
    }
  }
  starts.push(R);
  const nRaw = starts.length - 1;
  const keep = new Uint8Array(R).fill(1);
  const len = new Int32Array(nRaw);
  for (let s = 0; s < nRaw; s++) len[s] = starts[s + 1] - starts[s];
  const support = new Int32Array(data.nItems);
  for (;;) {
    // 1. drop short sessions
    for (let s = 0; s < nRaw; s++) {
      if (len[s] > 0 && len[s] < o.minLength) {
        for (let x = starts[s]; x < starts[s + 1]; x++) keep[x] = 0;
        len[s] = 0;
      }
    }
    if (o.minItemSupport <= 1) break;
    // 2. drop the events of rare items
    support.fill(0);
    for (let x = 0; x < R; x++) if (keep[x]) support[evItem[x]]++;
    let dropped = 0;
    for (let s = 0; s < nRaw; s++) {
      if (len[s] === 0) continue;
      for (let x = starts[s]; x < starts[s + 1]; x++) {
        if (keep[x] && support[evItem[x]] < o.minItemSupport) {
          keep[x] = 0;
          len[s]--;
          dropped++;
        }
      }
    }
    if (dropped === 0) break;
  }
  const order: number[] = [];
  const first = new Float64Array(nRaw);
  for (let s = 0; s < nRaw; s++) {
    if (len[s] === 0) continue;
    let x = starts[s];
    while (!keep[x]) x++;
    first[s] = evTime[x];
    order.push(s);
  }
  if (order.length === 0) {
    throw new Error(
      `buildSessions: no session of dataset ${data.name} survives gapSeconds=${o.gapSeconds}, minLength=${o.minLength}, minItemSupport=${o.minItemSupport}`,
    );
  }
  order.sort((a, b) => first[a] - first[b] || evUser[starts[a]] - evUser[starts[b]]);
  const nSessions = order.length;
  const ptr = new Int32Array(nSessions + 1);
  for (let j = 0; j < nSessions; j++) ptr[j + 1] = ptr[j] + len[order[j]];
  const items = new Int32Array(ptr[nSessions]);
  const times = new Float64Array(ptr[nSessions]);
  const users = new Int32Array(nSessions);
  for (let j = 0; j < nSessions; j++) {
    const s = order[j];
    users[j] = evUser[starts[s]];
    let y = ptr[j];
    for (let x = starts[s]; x < starts[s + 1]; x++) {
      if (!keep[x]) continue;
      items[y] = evItem[x];
      times[y] = evTime[x];
      y++;
    }
  }
  return { nItems: data.nItems, nSessions, ptr, items, times, users };
}

export interface SessionsInit {
  nItems: number;
  ptr: ArrayLike<number>;
  items: ArrayLike<number>;
  /** Default: event j of every session at time j (seconds), i.e. sessions start together. */
  times?: ArrayLike<number>;
  /** Default: session s belongs to user s. */
  users?: ArrayLike<number>;
}

/**
 * Validated `Sessions` from CSR arrays (copied into typed arrays): ptr starts at 0, never
 * decreases and ends at items.length; items are integers in [0, nItems); times are finite and
 * non-decreasing within each session; users are integers ≥ 0, one per session.
 */
export function makeSessions(init: SessionsInit): Sessions {
  const { nItems } = init;
  if (!Number.isInteger(nItems) || nItems < 0) throw new Error(`sessions: nItems must be an integer ≥ 0, got ${nItems}`);
  const ptr = Int32Array.from(init.ptr);
  const nSessions = ptr.length - 1;
  if (nSessions < 0 || ptr[0] !== 0) throw new Error("sessions: ptr must start with 0 (length nSessions + 1)");
  const nEvents = init.items.length;
  if (ptr[nSessions] !== nEvents) throw new Error(`sessions: ptr ends at ${ptr[nSessions]}, expected items.length = ${nEvents}`);
  for (let s = 0; s < nSessions; s++) {
    if (ptr[s + 1] < ptr[s]) throw new Error(`sessions: ptr decreases at session ${s} (${ptr[s]} → ${ptr[s + 1]})`);
  }
  const items = new Int32Array(nEvents);
  for (let x = 0; x < nEvents; x++) {
    const i = init.items[x];
    if (!Number.isInteger(i) || i < 0 || i >= nItems) throw new Error(`sessions: event ${x} has item ${i}, outside 0..${nItems - 1}`);
    items[x] = i;
  }
  const times = new Float64Array(nEvents);
  if (init.times) {
    if (init.times.length !== nEvents) throw new Error(`sessions: times has length ${init.times.length}, expected ${nEvents}`);
    for (let x = 0; x < nEvents; x++) times[x] = init.times[x];
  } else {
    for (let s = 0; s < nSessions; s++) for (let x = ptr[s]; x < ptr[s + 1]; x++) times[x] = x - ptr[s];
  }
  for (let s = 0; s < nSessions; s++) {
    for (let x = ptr[s]; x < ptr[s + 1]; x++) {
      if (!Number.isFinite(times[x])) throw new Error(`sessions: event ${x} has time ${times[x]}, not a finite number`);
      if (x > ptr[s] && times[x] < times[x - 1]) throw new Error(`sessions: session ${s} is not in time order at event ${x}`);
    }
  }
  const users = new Int32Array(nSessions);
  if (init.users) {
    if (init.users.length !== nSessions) throw new Error(`sessions: users has length ${init.users.length}, expected nSessions = ${nSessions}`);
    for (let s = 0; s < nSessions; s++) {
      const u = init.users[s];
      if (!Number.isInteger(u) || u < 0) throw new Error(`sessions: session ${s} has user ${u}, not an integer ≥ 0`);
      users[s] = u;
    }
  } else for (let s = 0; s < nSessions; s++) users[s] = s;
  return { nItems, nSessions, ptr, items, times, users };
}

/**
 * Validated `Sessions` from one array of item ids per session (oldest first), e.g.
 * `sessionsFromArrays(5, [[0, 1, 2], [1, 3]])`. Optional per-session times (same shapes) and
 * users; see `makeSessions` for the defaults and checks.
 */
export function sessionsFromArrays(
  nItems: number,
  sessions: readonly ArrayLike<number>[],
  options: { times?: readonly ArrayLike<number>[]; users?: ArrayLike<number> } = {},
): Sessions {
  const ptr = [0];
  const items: number[] = [];
  for (const s of sessions) {
    for (let j = 0; j < s.length; j++) items.push(s[j]);
    ptr.push(items.length);
  }
  let times: number[] | undefined;
  if (options.times) {
    if (options.times.length !== sessions.length) {
      throw new Error(`sessions: times has ${options.times.length} sessions, expected ${sessions.length}`);
    }
    times = [];
    options.times.forEach((ts, s) => {
      if (ts.length !== sessions[s].length) throw new Error(`sessions: session ${s} has ${sessions[s].length} items but ${ts.length} times`);
      for (let j = 0; j < ts.length; j++) times!.push(ts[j]);
    });
  }
  return makeSessions({ nItems, ptr, items, times, users: options.users });
}

/** The item ids of session s (a view). */
export function sessionItems(s: Sessions, session: number): Int32Array {
  return s.items.subarray(s.ptr[session], s.ptr[session + 1]);
}

export interface SessionStats {
  sessions: number;
  events: number;
  /** Distinct items that occur in some session. */
  items: number;
  /** Distinct users with a session. */
  users: number;
  meanLength: number;
  /** Median session length (mean of the two middle ones for an even count). */
  medianLength: number;
  maxLength: number;
  /** Mean of (last − first event time) in seconds. */
  meanDurationSeconds: number;
}

/** Counts and lengths of a set of sessions (for the notebook's table). */
export function sessionStats(s: Sessions): SessionStats {
  const n = s.nSessions;
  const lengths = new Int32Array(n);
  let maxLength = 0;
  let duration = 0;
  for (let j = 0; j < n; j++) {
    const a = s.ptr[j];
    const b = s.ptr[j + 1];
    lengths[j] = b - a;
    if (b - a > maxLength) maxLength = b - a;
    if (b > a) duration += s.times[b - 1] - s.times[a];
  }
  lengths.sort();
  const median = n === 0 ? NaN : n % 2 ? lengths[n >> 1] : (lengths[n / 2 - 1] + lengths[n / 2]) / 2;
  const seen = new Uint8Array(s.nItems);
  let items = 0;
  for (let x = 0; x < s.items.length; x++) {
    if (!seen[s.items[x]]) {
      seen[s.items[x]] = 1;
      items++;
    }
  }
  return {
    sessions: n,
    events: s.items.length,
    items,
    users: new Set(Array.from(s.users)).size,
    meanLength: n === 0 ? NaN : s.items.length / n,
    medianLength: median,
    maxLength,
    meanDurationSeconds: n === 0 ? NaN : duration / n,
  };
}

/** The sessions `which` (indices into s), in that order, as a new `Sessions`. */
export function selectSessions(s: Sessions, which: ArrayLike<number>): Sessions {
  const m = which.length;
  const ptr = new Int32Array(m + 1);
  for (let j = 0; j < m; j++) {
    const q = which[j];
    if (!(q >= 0 && q < s.nSessions) || !Number.isInteger(q)) throw new Error(`selectSessions: session ${q} is outside 0..${s.nSessions - 1}`);
    ptr[j + 1] = ptr[j] + s.ptr[q + 1] - s.ptr[q];
  }
  const items = new Int32Array(ptr[m]);
  const times = new Float64Array(ptr[m]);
  const users = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    const q = which[j];
    items.set(s.items.subarray(s.ptr[q], s.ptr[q + 1]), ptr[j]);
    times.set(s.times.subarray(s.ptr[q], s.ptr[q + 1]), ptr[j]);
    users[j] = s.users[q];
  }
  return { nItems: s.nItems, nSessions: m, ptr, items, times, users };
}

export interface SessionSplit {
  train: Sessions;
  test: Sessions;
  /** Start time of the oldest test session (every train session starts at or before it). */
  cutoff: number;
  /** Test events removed because their item never occurs in the train sessions. */
  removedEvents: number;
  /** Test sessions dropped because fewer than 2 events were left. */
  droppedSessions: number;
}

/**
 * Temporal split of sessions (Hidasi et al. 2016 hold out the sessions of the last day; Ludewig &
 * Jannach 2018 the last days of each slice): sessions are ordered by start time (ties by their
 * index), the newest round(testSize × nSessions) form the test set, the others the train set.
 * From the test sessions every event whose item never occurs in a train session is removed (no
 * model can learn it), then test sessions with fewer than 2 events are dropped (nothing to
 * predict). Sessions keep their relative order. Throws on a bad testSize or an empty side.
 */
export function splitSessions(s: Sessions, options: { testSize?: number } = {}): SessionSplit {
  const testSize = options.testSize ?? 0.2;
  if (typeof testSize !== "number" || !(testSize > 0 && testSize < 1)) {
    throw new Error(`splitSessions: testSize must be a number strictly between 0 and 1, got ${testSize}`);
  }
  const n = s.nSessions;
  const nTest = Math.round(testSize * n);
  if (nTest === 0 || nTest === n) {
    throw new Error(`splitSessions: testSize ${testSize} of ${n} sessions leaves the ${nTest === 0 ? "test" : "train"} set empty`);
  }
  const start = (q: number) => (s.ptr[q + 1] > s.ptr[q] ? s.times[s.ptr[q]] : -Infinity);
  const order = Array.from({ length: n }, (_, q) => q).sort((a, b) => start(a) - start(b) || a - b);
  const trainIdx = order.slice(0, n - nTest).sort((a, b) => a - b);
  const testIdx = order.slice(n - nTest).sort((a, b) => a - b);
  const train = selectSessions(s, trainIdx);
  const inTrain = new Uint8Array(s.nItems);
  for (let x = 0; x < train.items.length; x++) inTrain[train.items[x]] = 1;
  const ptr = [0];
  const items: number[] = [];
  const times: number[] = [];
  const users: number[] = [];
  let removedEvents = 0;
  let droppedSessions = 0;
  for (const q of testIdx) {
    const before = items.length;
    for (let x = s.ptr[q]; x < s.ptr[q + 1]; x++) {
      if (inTrain[s.items[x]]) {
        items.push(s.items[x]);
        times.push(s.times[x]);
      } else removedEvents++;
    }
    if (items.length - before < 2) {
      items.length = before;
      times.length = before;
      droppedSessions++;
      continue;
    }
    ptr.push(items.length);
    users.push(s.users[q]);
  }
  if (users.length === 0) throw new Error(`splitSessions: no test session keeps 2 events whose items occur in the train sessions`);
  const test: Sessions = {
    nItems: s.nItems,
    nSessions: users.length,
    ptr: Int32Array.from(ptr),
    items: Int32Array.from(items),
    times: Float64Array.from(times),
    users: Int32Array.from(users),
  };
  return { train, test, cutoff: start(order[n - nTest]), removedEvents, droppedSessions };
}

/**
 * Checks a prefix (every event an integer item id in [0, nItems)) and a list length n (an integer
 * ≥ 0); throws an Error naming the model and the bad value.
 */
export function checkPrefix(model: string, prefix: ArrayLike<number>, nItems: number, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new Error(`${model}: n must be an integer ≥ 0, got ${n}`);
  if (prefix == null || typeof prefix.length !== "number") throw new Error(`${model}: the prefix must be an array of item ids`);
  for (let j = 0; j < prefix.length; j++) {
    const i = prefix[j];
    if (!Number.isInteger(i) || i < 0 || i >= nItems) {
      throw new Error(`${model}: prefix event ${j} is item ${i}, outside 0..${nItems - 1}`);
    }
  }
}

/** Sets mark[i] = 1 for every item of the prefix and returns mark (the caller clears it again). */
export function prefixMask(prefix: ArrayLike<number>, mark: Uint8Array): Uint8Array {
  for (let j = 0; j < prefix.length; j++) mark[prefix[j]] = 1;
  return mark;
}
