/**
 * Next-item evaluation of session-based recommenders on held-out sessions.
 *
 * For each prediction the model sees a prefix x₁ … x_t of a test session and ranks items for
 * x_{t+1} (the target); with rank(target) its 1-based position in the model's top-k list,
 *
 *     Recall@k = (1/|T|) Σ_T 1[rank ≤ k]            (the share of targets in the top k; with one
 *                                                   target per prediction also the hit rate)
 *     MRR@k    = (1/|T|) Σ_T 1/rank · 1[rank ≤ k]   (reciprocal rank, 0 outside the top k)
 *
 * over the set T of predictions (Hidasi et al. 2016, "Session-based recommendations with
 * recurrent neural networks", ICLR, §4: Recall@20 and MRR@20; Ludewig & Jannach 2018,
 * "Evaluation of session-based recommendation algorithms", UMUAI 28, §4).
 * - target "last": one prediction per test session — prefix = every event but the last, target =
 *   the last event (Ludewig & Jannach's "last item" measure, and the protocol);
 * - target "all": every position after the first — prefixes x₁…x_t for t = 1 … L−1, each
 *   predicting x_{t+1} (GRU4Rec's protocol). The prefixes of one session are asked in order, each
 *   one event longer than the previous (models may cache their state from one to the next).
 * Test sessions with fewer than 2 events give no prediction.
 */
import type { NextItemOptions, SessionRecommender, Sessions } from "./types";

export interface NextItemEvalOptions {
  /** List length (default 20). */
  k?: number;
  /** "last" (default): the last event of each session; "all": every event after the first. */
  target?: "last" | "all";
  /** Passed to the model (default true: items of the prefix are not recommended). */
  excludePrefix?: boolean;
  /** Called after each test session with (sessions done, total sessions). */
  onProgress?: (done: number, total: number) => void;
}

export interface NextItemResult {
  /** Recall@k (= hit rate@k with one target per prediction). */
  recall: number;
  /** MRR@k. */
  mrr: number;
  /** Number of predictions (targets) evaluated. */
  predictions: number;
  /** Test sessions that gave at least one prediction. */
  sessions: number;
  k: number;
  target: "last" | "all";
  /** Wall-clock seconds of the whole evaluation. */
  seconds: number;
}

/** 1-based rank of `target` in a list of recommendations, 0 when absent. */
export function rankOf(list: readonly { item: number }[], target: number): number {
  for (let r = 0; r < list.length; r++) if (list[r].item === target) return r + 1;
  return 0;
}

/**
 * Recall@k and MRR@k of a fitted session model on `test` (see the module comment). Throws on a
 * bad k or target, or when no test session has 2 events.
 */
export function evaluateNextItem(model: SessionRecommender, test: Sessions, options: NextItemEvalOptions = {}): NextItemResult {
  const k = options.k ?? 20;
  const target = options.target ?? "last";
  if (!Number.isInteger(k) || k < 1) throw new Error(`evaluateNextItem: k must be an integer ≥ 1, got ${k}`);
  if (target !== "last" && target !== "all") throw new Error(`evaluateNextItem: target must be "last" or "all", got ${target}`);
  const next: NextItemOptions = { excludePrefix: options.excludePrefix ?? true };
  const t0 = performance.now();
  let hits = 0;
  let rr = 0;
  let predictions = 0;
  let sessions = 0;
  const { ptr, items } = test;
  for (let s = 0; s < test.nSessions; s++) {
    const a = ptr[s];
    const b = ptr[s + 1];
    if (b - a >= 2) {
      sessions++;
      for (let t = target === "last" ? b - 1 : a + 1; t < b; t++) {
        const rank = rankOf(model.recommendNext(items.subarray(a, t), k, next), items[t]);
        if (rank > 0 && rank <= k) {
          hits++;
          rr += 1 / rank;
        }
        predictions++;
      }
    }
    options.onProgress?.(s + 1, test.nSessions);
  }
  if (predictions === 0) throw new Error("evaluateNextItem: no test session has 2 events, so there is nothing to predict");
  return { recall: hits / predictions, mrr: rr / predictions, predictions, sessions, k, target, seconds: (performance.now() - t0) / 1000 };
}
