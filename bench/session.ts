/**
 * Benchmarks of session-based recommendation (issue: real-world recommenders, session-based part)
 * on ml-latest-small-2016: building 1-hour sessions from the 100,004 timestamped ratings, and
 * fitting + evaluating session popularity and session kNN (both modes) by Recall@20 and MRR@20
 * on the last events of the newest 20 % of the sessions (and on all their events), and GRU4Rec
 * (TensorFlow.js, default parameters; last events only — its all-events evaluation takes ~10 s).
 */
import type { RatingDataset } from "../lib/data/dataset";
import { loadDataset } from "../lib/data/load";
import { evaluateNextItem } from "../lib/session/evaluate";
import { SessionPopularity } from "../lib/session/popularity";
import { SessionKNN } from "../lib/session/sessionKnn";
import { buildSessions, sessionStats, splitSessions, type SessionSplit } from "../lib/session/sessions";
import type { SessionRecommender } from "../lib/session/types";
import { GRU4Rec } from "../lib/session/gru4rec";
import { initBackend } from "../lib/neural/backend";
import { time, type Benchmark, type BenchmarkResult } from "./types";

const DATA = "ml-latest-small-2016";

async function split(): Promise<SessionSplit> {
  return splitSessions(buildSessions(await loadDataset(DATA)));
}

/** Fit on the train sessions, then Recall@20/MRR@20 on the last events (timed together) and on all events. */
function fitAndEvaluate(make: () => SessionRecommender, sp: SessionSplit, allEvents: boolean): BenchmarkResult {
  const fit = time(() => make().fitSessions(sp.train));
  const last = evaluateNextItem(fit.value, sp.test, { k: 20, target: "last" });
  const out: BenchmarkResult = {
    seconds: fit.seconds + last.seconds,
    fitSeconds: fit.seconds,
    recall20: last.recall,
    mrr20: last.mrr,
    predictions: last.predictions,
  };
  if (allEvents) {
    const all = evaluateNextItem(fit.value, sp.test, { k: 20, target: "all" });
    Object.assign(out, { allRecall20: all.recall, allMrr20: all.mrr, allPredictions: all.predictions, allSeconds: all.seconds });
  }
  return out;
}

export const benchmarks: Benchmark[] = [
  {
    name: `session/build-sessions/${DATA}`,
    description: "sessions from 100,004 timestamped ratings (1-hour gap, minLength 2, minItemSupport 5) and the temporal 80/20 session split",
    target: { seconds: 1 },
    repeat: 5,
    setup: () => loadDataset(DATA),
    run: (data: RatingDataset) => {
      const { seconds, value } = time(() => splitSessions(buildSessions(data)));
      const st = sessionStats(value.train);
      return {
        seconds,
        trainSessions: st.sessions,
        trainEvents: st.events,
        testSessions: value.test.nSessions,
        testEvents: value.test.items.length,
        removedTestEvents: value.removedEvents,
      };
    },
  },
  ...(
    [
      ["session-pop", () => new SessionPopularity()],
      ["session-knn-item", () => new SessionKNN({ mode: "item" })],
      ["session-knn-session", () => new SessionKNN({ mode: "session" })],
    ] as [string, () => SessionRecommender][]
  ).map(
    ([id, make]): Benchmark => ({
      name: `session/${id}/${DATA}`,
      description: `${id}: fit on the train sessions + Recall@20/MRR@20 on the last events of the held-out sessions (seconds = both); all-events figures beside`,
      target: { seconds: 5 },
      setup: split,
      run: (sp: SessionSplit) => fitAndEvaluate(make, sp, true),
    }),
  ),
  {
    name: `session/gru4rec/${DATA}`,
    description: "GRU4Rec, default parameters (4 epochs, one-hot input, 100 GRU units, in-batch + 128 sampled negatives, cross-entropy): fit + Recall@20/MRR@20 on the last events",
    target: { seconds: 25 },
    repeat: 1,
    setup: async () => {
      const backend = (await initBackend()).tfBackend;
      return { sp: await split(), backend };
    },
    run: ({ sp, backend }: { sp: SessionSplit; backend: string }) => {
      const r = fitAndEvaluate(() => new GRU4Rec({ progress: { silent: true } }), sp, false);
      return { ...r, backend };
    },
  },
];
