/**
 * The course library in one import, for notebooks (`import { … } from "./lib/index"`) and for
 * programs. Each line re-exports one module; the modules themselves stay small and import each
 * other by file.
 */
// data
export * from "./data/dataset";
export * from "./data/load";
export * from "./data/frames";
export * from "./data/registry";
export * from "./data/synthetic";
export { dataDir, dataMirror, ENV_DATA_DIR, ENV_DATA_MIRROR } from "./data/paths";
export * from "./random";
// the recommender contract and algorithms
export * from "./model/recommender";
export * from "./algorithms/registry";
export { RandomRecommender } from "./baseline/random";
export { PopularityRecommender } from "./baseline/popularity";
export * from "./cooccurrence/itemsim";
export * from "./baseline/baselines";
export * from "./similarity/measures";
export * from "./similarity/matrix";
export * from "./similarity/neighbours";
export * from "./knn/base";
export * from "./knn/knnBasic";
export * from "./knn/knnWithMeans";
export * from "./knn/knnWithZScore";
export * from "./knn/knnBaseline";
export * from "./knn/userCF";
export * from "./knn/itemCF";
export * from "./content/features";
export * from "./content/regression";
export * from "./content/contentSimilarity";
export * from "./content/contentKnn";
export * from "./content/perUserRegression";
export * from "./data/toy";
export * from "./data/mise";
export * from "./mf/svd";
export * from "./mf/svdpp";
export * from "./mf/als";
export * from "./mf/nmf";
export * from "./mf/crossval";
export * as byhand from "./mf/byhand";
export * from "./hybrid/hybrid";
export * from "./hybrid/coldstart";
// evaluation
export * from "./split/common";
export * from "./split/holdout";
export * from "./split/leaveOneOut";
export * from "./split/kfold";
export * from "./split/perUser";
export * from "./split/temporal";
export * from "./metrics/accuracy";
export * from "./metrics/topn";
export * from "./metrics/hits";
export * from "./metrics/coverage";
export * from "./metrics/diversity";
export * from "./metrics/novelty";
export * from "./metrics/ranking";
export * from "./eval/evaluate";
export * from "./eval/bakeoff";
export * from "./eval/format";
export * from "./eval/sample";
export * from "./eval/cosine";
export * from "./eval/curves";
// real-world concerns: stoplists, outliers, time, churn
export * from "./realworld/stoplist";
export * from "./realworld/outliers";
export * from "./realworld/recency";
export * from "./realworld/churn";
export * from "./realworld/listReport";
// session-based recommendation (the GRU model: import "./lib/session/gru4rec")
export * from "./session/types";
export * from "./session/sessions";
export * from "./session/popularity";
export * from "./session/sessionKnn";
export * from "./session/evaluate";
export * from "./session/adapter";
// notebooks: figures, display, records, progress, tables
export * as plot from "./plot/figure";
export * from "./notebook/display";
export * from "./notebook/record";
export * from "./notebook/progress";
export * from "./notebook/table";
