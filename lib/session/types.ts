/**
 * Sessions and session-based recommenders (issue: real-world recommenders, session-based part).
 *
 * A session is a run of one user's events in time order; a session-based recommender predicts
 * the next item from the events of the current session only (Hidasi et al. 2016, "Session-based
 * recommendations with recurrent neural networks", ICLR; Ludewig & Jannach 2018, "Evaluation of
 * session-based recommendation algorithms", UMUAI 28).
 *
 * Item ids are the inner item ids of the `RatingDataset` the sessions were built from, so titles,
 * genres and years stay available through that dataset.
 */
import type { Recommendation } from "../model/recommender";

/** Sessions in CSR form: session s holds the events ptr[s] … ptr[s+1]−1, oldest first. */
export interface Sessions {
  /** Size of the item id space (the dataset's nItems); every item id is in [0, nItems). */
  readonly nItems: number;
  /** Number of sessions. */
  readonly nSessions: number;
  /** Offsets into `items`/`times`, length nSessions + 1. */
  readonly ptr: Int32Array;
  /** Item of each event, sessions one after another, each in time order. */
  readonly items: Int32Array;
  /** Time of each event (seconds since the Unix epoch). */
  readonly times: Float64Array;
  /** Inner user id of each session. */
  readonly users: Int32Array;
}

export interface NextItemOptions {
  /** Leave out the items already in the prefix (default true: a MovieLens user rates a movie once). */
  excludePrefix?: boolean;
  /** Items never to recommend. */
  exclude?: ReadonlySet<number>;
}

/** A model that ranks the next item of a session from the session's events so far. */
export interface SessionRecommender {
  /** Registry-style id, e.g. "session-knn". */
  readonly id: string;
  /** Learns from training sessions. Returns the model for chaining. */
  fitSessions(train: Sessions): this;
  /**
   * The n most likely next items after `prefix` (item ids, oldest first; may be empty), best first.
   * Scores only order items. Memory O(items) per call; never materialises sessions × items.
   */
  recommendNext(prefix: ArrayLike<number>, n: number, options?: NextItemOptions): Recommendation[];
}
