/** Benchmarks of the evaluation framework (issue: evaluation framework and first recommenders). */
import { createAlgorithm } from "../lib/algorithms/registry";
import { loadDataset } from "../lib/data/load";
import { MOVIELENS_SIZES, syntheticRatings } from "../lib/data/synthetic";
import type { RatingDataset } from "../lib/data/dataset";
import { evaluate } from "../lib/eval/evaluate";
import { time, type Benchmark } from "./types";

function course(algo: string, data: RatingDataset) {
  const { seconds, value } = time(() => evaluate(() => createAlgorithm(algo), data, "course", { seed: 1 }));
  return { seconds, hr: value.metrics.hr, rmse: value.metrics.rmse, coverage: value.metrics.coverage };
}

export const benchmarks: Benchmark[] = [
  {
    name: "course-protocol/random/ml-100k",
    description: "full course protocol (accuracy, LOO hit rates, coverage/diversity/novelty) for random on MovieLens 100K",
    target: { seconds: 3 },
    setup: () => loadDataset("ml-100k"),
    run: (data: RatingDataset) => course("random", data),
  },
  {
    name: "course-protocol/popularity/ml-100k",
    description: "full course protocol for popularity on MovieLens 100K",
    target: { seconds: 3 },
    setup: () => loadDataset("ml-100k"),
    run: (data: RatingDataset) => course("popularity", data),
  },
  {
    name: "course-protocol/popularity/synthetic-1m",
    description: "course protocol for popularity on ML-1M-sized synthetic data (6,040 users × 3,706 items, 1M ratings): memory stays bounded",
    target: { memoryMB: 600 },
    repeat: 1,
    setup: () => syntheticRatings({ ...MOVIELENS_SIZES["ml-1m"], seed: 1 }),
    run: (data: RatingDataset) => course("popularity", data),
  },
  {
    name: "course-protocol/random/synthetic-1m",
    description: "course protocol for random on ML-1M-sized synthetic data: top-n scored one user at a time, never users × items",
    target: { memoryMB: 600 },
    repeat: 1,
    setup: () => syntheticRatings({ ...MOVIELENS_SIZES["ml-1m"], seed: 1 }),
    run: (data: RatingDataset) => course("random", data),
  },
];
