/**
 * Benchmarks of the similarity engine and the neighbourhood algorithms (issue: similarity
 * measures, neighbourhood CF). Targets: item–item cosine on MovieLens 100K under 0.15 s and
 * user–user under 0.1 s (Surprise: ~0.5 s and ~0.2 s); an ML-1M-sized catalogue under 5 s with
 * bounded memory (top-k form).
 */
import type { RatingDataset } from "../lib/data/dataset";
import { loadDataset } from "../lib/data/load";
import { MOVIELENS_SIZES, syntheticRatings } from "../lib/data/synthetic";
import { Rng } from "../lib/random";
import type { Recommender } from "../lib/model/recommender";
import { computeSimilarity } from "../lib/similarity/matrix";
import { topKNeighbours } from "../lib/similarity/neighbours";
import type { SimilarityOptions } from "../lib/similarity/measures";
import { KNNBasic } from "../lib/knn/knnBasic";
import { KNNWithMeans } from "../lib/knn/knnWithMeans";
import { KNNBaseline } from "../lib/knn/knnBaseline";
import { BaselineOnly } from "../lib/baseline/baselines";
import { time, type Benchmark } from "./types";

/** Σ over the other side of |row|·(|row| − 1)/2: the pair updates of one dense computation. */
function pairUpdates(data: RatingDataset, userBased: boolean): number {
  const ptr = userBased ? data.itemPtr : data.userPtr;
  let s = 0;
  for (let k = 0; k + 1 < ptr.length; k++) {
    const c = ptr[k + 1] - ptr[k];
    s += (c * (c - 1)) / 2;
  }
  return s;
}

function dense(data: RatingDataset, options: SimilarityOptions) {
  const { seconds, value } = time(() => computeSimilarity(data, options));
  return { seconds, entities: value.n, pairUpdates: pairUpdates(data, options.userBased ?? true) };
}

function topK(data: RatingDataset, options: SimilarityOptions, k: number) {
  const { seconds, value } = time(() => topKNeighbours(data, options, k));
  return { seconds, entities: value.n, k, pairUpdates: pairUpdates(data, options.userBased ?? true) };
}

const ml1m = () => syntheticRatings({ ...MOVIELENS_SIZES["ml-1m"], seed: 1 });

/** One seeded 80/20 split of a dataset (for the fit + predict benchmarks). */
function split(data: RatingDataset, seed: number): { train: RatingDataset; test: Int32Array; data: RatingDataset } {
  const perm = new Rng(seed).permutation(data.nRatings);
  const cut = Math.floor(data.nRatings * 0.8);
  return { train: data.subset(perm.slice(0, cut).sort(), "train"), test: perm.slice(cut), data };
}

function fitPredict(make: () => Recommender, s: { train: RatingDataset; test: Int32Array; data: RatingDataset }) {
  const model = make();
  const fit = time(() => model.fit(s.train));
  const pred = time(() => {
    let se = 0;
    for (const k of s.test) {
      const e = model.predict(s.data.users[k], s.data.items[k]).value - s.data.ratings[k];
      se += e * e;
    }
    return Math.sqrt(se / s.test.length);
  });
  return {
    seconds: fit.seconds + pred.seconds,
    fitSeconds: Number(fit.seconds.toFixed(4)),
    predictSeconds: Number(pred.seconds.toFixed(4)),
    predictions: s.test.length,
    rmse: Number(pred.value.toFixed(4)),
  };
}

export const benchmarks: Benchmark[] = [
  {
    name: "similarity/cosine-item/ml-100k",
    description: "dense item–item cosine matrix of MovieLens 100K (1,682 items; Surprise ~0.5 s)",
    target: { seconds: 0.15 },
    repeat: 5,
    setup: () => loadDataset("ml-100k"),
    run: (data: RatingDataset) => dense(data, { measure: "cosine", userBased: false }),
  },
  {
    name: "similarity/cosine-user/ml-100k",
    description: "dense user–user cosine matrix of MovieLens 100K (943 users; Surprise ~0.2 s)",
    target: { seconds: 0.1 },
    repeat: 5,
    setup: () => loadDataset("ml-100k"),
    run: (data: RatingDataset) => dense(data, { measure: "cosine", userBased: true }),
  },
  {
    name: "similarity/pearson-item/ml-100k",
    description: "dense item–item Pearson matrix of MovieLens 100K (the most statistics per pair)",
    repeat: 5,
    setup: () => loadDataset("ml-100k"),
    run: (data: RatingDataset) => dense(data, { measure: "pearson", userBased: false }),
  },
  {
    name: "similarity/cosine-item/synthetic-1m",
    description: "dense item–item cosine of ML-1M-sized synthetic data (3,706 items, 1M ratings, 55 MB matrix)",
    target: { seconds: 5 },
    repeat: 1,
    setup: ml1m,
    run: (data: RatingDataset) => dense(data, { measure: "cosine", userBased: false }),
  },
  {
    name: "similarity/cosine-user-top50/synthetic-1m",
    description: "top-50 user–user cosine neighbours of ML-1M-sized synthetic data (6,040 users): memory O(n·k)",
    target: { seconds: 5, memoryMB: 600 },
    repeat: 1,
    setup: ml1m,
    run: (data: RatingDataset) => topK(data, { measure: "cosine", userBased: true }, 50),
  },
  {
    name: "similarity/pearson-item-top50/synthetic-1m",
    description: "top-50 item–item Pearson neighbours of ML-1M-sized synthetic data: memory O(n·k)",
    target: { seconds: 5, memoryMB: 600 },
    repeat: 1,
    setup: ml1m,
    run: (data: RatingDataset) => topK(data, { measure: "pearson", userBased: false }, 50),
  },
  {
    name: "knn/knn-basic/ml-100k-80-20",
    description: "KNNBasic (msd, user-based, k 40) fit on 80% of MovieLens 100K + 20,000 predictions",
    repeat: 3,
    setup: async () => split(await loadDataset("ml-100k"), 1),
    run: (s: ReturnType<typeof split>) => fitPredict(() => new KNNBasic(), s),
  },
  {
    name: "knn/knn-means/ml-100k-80-20",
    description: "KNNWithMeans (msd, user-based, k 40) fit on 80% of MovieLens 100K + 20,000 predictions",
    repeat: 3,
    setup: async () => split(await loadDataset("ml-100k"), 1),
    run: (s: ReturnType<typeof split>) => fitPredict(() => new KNNWithMeans(), s),
  },
  {
    name: "knn/knn-baseline/ml-100k-80-20",
    description: "KNNBaseline (msd, ALS baselines) fit on 80% of MovieLens 100K + 20,000 predictions",
    repeat: 3,
    setup: async () => split(await loadDataset("ml-100k"), 1),
    run: (s: ReturnType<typeof split>) => fitPredict(() => new KNNBaseline(), s),
  },
  {
    name: "knn/baseline/ml-100k-80-20",
    description: "BaselineOnly (ALS) fit on 80% of MovieLens 100K + 20,000 predictions",
    repeat: 3,
    setup: async () => split(await loadDataset("ml-100k"), 1),
    run: (s: ReturnType<typeof split>) => fitPredict(() => new BaselineOnly(), s),
  },
];
