/**
 * Benchmarks of matrix factorisation (issue: matrix factorisation from first principles to SVD++):
 * fit times on all 100,000 ratings of MovieLens 100K, 5-fold cross-validated accuracy against the
 * published Surprise table (ML-100K, 5-fold, default parameters: SVD 0.934, SVD++ 0.919,
 * NMF 0.963 RMSE — https://surpriselib.com, "Benchmarks"), top-n speed, and SVD on a
 * 20-million-rating synthetic set (time per epoch, peak memory).
 */
import type { RatingDataset } from "../lib/data/dataset";
import { loadDataset } from "../lib/data/load";
import { MOVIELENS_SIZES, syntheticRatings } from "../lib/data/synthetic";
import type { Recommender } from "../lib/model/recommender";
import { ALS } from "../lib/mf/als";
import { crossValidate } from "../lib/mf/crossval";
import { NMF } from "../lib/mf/nmf";
import { PMF, SVD, SVDOptions } from "../lib/mf/svd";
import { SVDpp } from "../lib/mf/svdpp";
import { time, type Benchmark } from "./types";

const ml100k = (): Promise<RatingDataset> => loadDataset("ml-100k");

/** Fits a model on the whole dataset; reports its last running training RMSE when it has one. */
function fit(make: () => Recommender & { epochRmse?: number[]; objective?: number[] }, data: RatingDataset) {
  const { seconds, value } = time(() => make().fit(data));
  const curve = value.epochRmse ?? [];
  return {
    seconds,
    ratings: data.nRatings,
    ...(curve.length > 0 ? { secondsPerEpoch: seconds / curve.length, lastEpochRmse: curve[curve.length - 1] } : {}),
    ...(value.objective ? { finalObjective: value.objective[value.objective.length - 1] } : {}),
  };
}

/** 5-fold CV with default parameters, compared with Surprise's published RMSE where there is one. */
function cv5(make: () => Recommender, data: RatingDataset, surpriseRmse?: number) {
  const { seconds, value } = time(() => crossValidate(make, data, 5, { seed: 0 }));
  return {
    seconds,
    rmse: value.mean.rmse,
    mae: value.mean.mae,
    rmseStd: value.std.rmse,
    meanFitSeconds: value.mean.fitSeconds,
    ...(surpriseRmse !== undefined
      ? { surpriseRmse, rmseMinusSurprise: value.mean.rmse - surpriseRmse, within0005: Math.abs(value.mean.rmse - surpriseRmse) <= 0.005 }
      : {}),
  };
}

function synthetic20m() {
  const { seconds, value } = time(() => syntheticRatings({ ...MOVIELENS_SIZES["ml-20m"], seed: 1 }));
  return { data: value, generateSeconds: seconds };
}

function svdOnLarge(input: { data: RatingDataset; generateSeconds: number }, options: SVDOptions) {
  const nEpochs = options.nEpochs ?? 2;
  const { seconds, value } = time(() => new SVD({ ...options, nEpochs }).fit(input.data));
  return {
    seconds,
    epochs: nEpochs,
    secondsPerEpoch: seconds / nEpochs,
    epochRmse: value.epochRmse,
    ratings: input.data.nRatings,
    generateSeconds: input.generateSeconds,
  };
}

export const benchmarks: Benchmark[] = [
  {
    name: "mf/svd-fit/ml-100k",
    description: "SVD fit, Surprise defaults (100 factors, 20 epochs, ratings visited in the default fixed order, as Surprise) on all 100,000 ML-100K ratings",
    target: { seconds: 0.5 },
    repeat: 5,
    setup: ml100k,
    run: (data: RatingDataset) => fit(() => new SVD(), data),
  },
  {
    name: "mf/svd-fit-user-blocks/ml-100k",
    description: "SVD fit as above with order=user-blocks (users shuffled, each user's ratings together)",
    repeat: 5,
    setup: ml100k,
    run: (data: RatingDataset) => fit(() => new SVD({ order: "user-blocks" }), data),
  },
  {
    name: "mf/pmf-fit/ml-100k",
    description: "PMF (SVD without biases) fit, 100 factors, 20 epochs, on all ML-100K ratings",
    setup: ml100k,
    run: (data: RatingDataset) => fit(() => new PMF(), data),
  },
  {
    name: "mf/svdpp-fit/ml-100k",
    description: "SVD++ fit, Surprise defaults (20 factors, 20 epochs), per-rating y updates, on all ML-100K ratings",
    target: { seconds: 3 },
    setup: ml100k,
    run: (data: RatingDataset) => fit(() => new SVDpp(), data),
  },
  {
    name: "mf/svdpp-per-user-fit/ml-100k",
    description: "SVD++ fit with the per-user y-gradient shortcut (yUpdate=per-user), on all ML-100K ratings",
    setup: ml100k,
    run: (data: RatingDataset) => fit(() => new SVDpp({ yUpdate: "per-user" }), data),
  },
  {
    name: "mf/als-fit/ml-100k",
    description: "biased ALS-WR fit, 20 factors, 10 iterations, λ = 0.1, on all ML-100K ratings",
    target: { seconds: 2 },
    setup: ml100k,
    run: (data: RatingDataset) => fit(() => new ALS(), data),
  },
  {
    name: "mf/nmf-fit/ml-100k",
    description: "NMF fit, Surprise defaults (15 factors, 50 epochs), on all ML-100K ratings",
    setup: ml100k,
    run: (data: RatingDataset) => fit(() => new NMF(), data),
  },
  {
    name: "mf/svd-recommend-all/ml-100k",
    description: "top-10 for every ML-100K user from a fitted SVD (one pass over 1,682 item vectors per user)",
    setup: async () => new SVD().fit(await ml100k()),
    run: (model: SVD) => {
      const users = model.parameters().bu.length;
      const { seconds } = time(() => {
        for (let u = 0; u < users; u++) model.recommend(u, 10);
      });
      return { seconds, users, msPerUser: (1000 * seconds) / users };
    },
  },
  ...(
    [
      ["svd", () => new SVD(), 0.934],
      ["svdpp", () => new SVDpp(), 0.919],
      ["svdpp-per-user", () => new SVDpp({ yUpdate: "per-user" }), 0.919],
      ["nmf", () => new NMF(), 0.963],
      ["pmf", () => new PMF(), undefined],
      ["als", () => new ALS(), undefined],
    ] as [string, () => Recommender, number | undefined][]
  ).map(
    ([id, make, surprise]): Benchmark => ({
      name: `mf/cv5/${id}/ml-100k`,
      description: `5-fold CV of ${id} with default parameters on ML-100K${surprise ? ` (Surprise: RMSE ${surprise})` : ""}`,
      repeat: 1,
      setup: ml100k,
      run: (data: RatingDataset) => cv5(make, data, surprise),
    }),
  ),
  {
    name: "mf/svd-2-epochs/synthetic-20m",
    description: "SVD (100 factors) for 2 epochs on 20M synthetic ratings (ML-20M shape), shuffled order: time per epoch, peak memory",
    target: { memoryMB: 2048 },
    repeat: 1,
    setup: synthetic20m,
    run: (input: { data: RatingDataset; generateSeconds: number }) => svdOnLarge(input, {}),
  },
  {
    name: "mf/svd-2-epochs-user-blocks/synthetic-20m",
    description: "as above with order=user-blocks (cache-friendly: a user's ratings read together)",
    target: { memoryMB: 2048 },
    repeat: 1,
    setup: synthetic20m,
    run: (input: { data: RatingDataset; generateSeconds: number }) => svdOnLarge(input, { order: "user-blocks" }),
  },
];
