/**
 * `SessionAsRecommender`: a session-based model used as an ordinary `Recommender`, so that the
 * course's evaluator and CLI (`recsys evaluate --algo session-knn --protocol loo`) can run it.
 *
 * - fit(train): the train ratings are cut into sessions (`buildSessions`, the gap rule and
 *   filters of sessions.ts) and the session model is fitted on all of them.
 * - recommend(u, n): the prefix is user u's LATEST session in the train ratings under the same
 *   gap rule (no length or support filter: a last session of one rating is still the user's
 *   current context), i.e. "what to watch next, given what you rated in your last sitting".
 *   With excludeSeen (default) everything u rated in the train set is excluded, and always
 *   `options.exclude`. A ranker: scores only order items, `minScore` is ignored.
 * - predict(u, i): the session model's score of item i after u's latest session (the same number
 *   `recommend` reports), `impossible` = false. An item the model does not rank at all (a
 *   session kNN ranks only items that co-occur with the prefix) gets value 0 and
 *   `impossible` = true. The full ranking of the last user asked is cached.
 */
import type { ParamSchema, ParamValue } from "../algorithms/params";
import type { RatingDataset } from "../data/dataset";
import {
  type Prediction,
  type Recommendation,
  type RecommendOptions,
  type Recommender,
  checkItem,
  checkUser,
} from "../model/recommender";
import { SESSION_KNN_MODEL_PARAMS } from "./sessionKnn";
import { type BuildSessionsOptions, buildSessions, latestSession, resolveSessionOptions } from "./sessions";
import type { SessionRecommender, Sessions } from "./types";

/** Session-building parameters shared by every session model in the registry. */
export const SESSION_BUILD_PARAMS = {
  gapSeconds: { type: "number", default: 3600, min: 0, doc: "a gap longer than this (seconds) between a user's ratings starts a new session" },
  minLength: { type: "integer", default: 2, min: 1, doc: "sessions with fewer ratings are dropped from training" },
  minItemSupport: { type: "integer", default: 5, min: 1, doc: "items with fewer events in sessions are dropped from training (iteratively, Hidasi et al. 2016)" },
} satisfies ParamSchema;

/** Parameter schema for the registry entry `session-pop`. */
export const SESSION_POP_PARAMS = { ...SESSION_BUILD_PARAMS } satisfies ParamSchema;

/** Parameter schema for the registry entry `session-knn` (model and session-building parameters). */
export const SESSION_KNN_PARAMS = { ...SESSION_KNN_MODEL_PARAMS, ...SESSION_BUILD_PARAMS } satisfies ParamSchema;

/**
 * Splits a resolved registry parameter record into the session-building options and the rest
 * (the model's own options).
 */
export function splitSessionParams(p: Record<string, ParamValue>): { build: BuildSessionsOptions; model: Record<string, ParamValue> } {
  const { gapSeconds, minLength, minItemSupport, ...model } = p;
  const build: BuildSessionsOptions = {};
  if (gapSeconds !== undefined) build.gapSeconds = Number(gapSeconds);
  if (minLength !== undefined) build.minLength = Number(minLength);
  if (minItemSupport !== undefined) build.minItemSupport = Number(minItemSupport);
  return { build, model };
}

export class SessionAsRecommender implements Recommender {
  readonly id: string;
  readonly predictsRatings = false;
  readonly sessionOptions: Readonly<Required<BuildSessionsOptions>>;
  /** The training sessions built by the last `fit`. */
  sessions: Sessions | null = null;
  private train: RatingDataset | null = null;
  private prefixes: (Int32Array | undefined)[] = [];
  private cachedUser = -1;
  private cachedScores: Map<number, number> = new Map();

  constructor(
    readonly model: SessionRecommender,
    options: BuildSessionsOptions = {},
  ) {
    if (!model || typeof model.fitSessions !== "function" || typeof model.recommendNext !== "function") {
      throw new Error("SessionAsRecommender: model must be a SessionRecommender (fitSessions and recommendNext)");
    }
    this.id = model.id;
    this.sessionOptions = resolveSessionOptions(options);
  }

  fit(train: RatingDataset): this {
    const sessions = buildSessions(train, this.sessionOptions);
    this.model.fitSessions(sessions);
    this.sessions = sessions;
    this.train = train;
    this.prefixes = new Array(train.nUsers);
    this.cachedUser = -1;
    this.cachedScores = new Map();
    return this;
  }

  private fitted(): RatingDataset {
    if (!this.train) throw new Error(`${this.id}: call fit(train) before recommend or predict`);
    return this.train;
  }

  /** Items of user u's latest train session, oldest first (ties in time by item id). */
  prefix(user: number): Int32Array {
    const train = this.fitted();
    checkUser(train, user);
    let p = this.prefixes[user];
    if (!p) {
      p = Int32Array.from(latestSession(train, user, this.sessionOptions.gapSeconds), (k) => train.items[k]);
      this.prefixes[user] = p;
    }
    return p;
  }

  recommend(user: number, n: number, options: RecommendOptions = {}): Recommendation[] {
    const train = this.fitted();
    const prefix = this.prefix(user);
    const excludeSeen = options.excludeSeen ?? true;
    let exclude = options.exclude;
    if (excludeSeen) {
      const seen = new Set<number>(options.exclude ?? []);
      for (let q = train.userPtr[user]; q < train.userPtr[user + 1]; q++) seen.add(train.userItems[q]);
      exclude = seen;
    }
    return this.model.recommendNext(prefix, n, { excludePrefix: excludeSeen, exclude });
  }

  predict(user: number, item: number): Prediction {
    const train = this.fitted();
    checkUser(train, user);
    checkItem(train, item);
    if (this.cachedUser !== user) {
      const ranking = this.model.recommendNext(this.prefix(user), train.nItems, { excludePrefix: false });
      this.cachedScores = new Map(ranking.map((r) => [r.item, r.score] as [number, number]));
      this.cachedUser = user;
    }
    const score = this.cachedScores.get(item);
    return score === undefined
      ? { value: 0, impossible: true, details: `${this.id} does not rank this item after the user's latest session` }
      : { value: score, impossible: false };
  }
}
