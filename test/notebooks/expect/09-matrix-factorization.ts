import assert from "node:assert/strict";
import type { NotebookExpectations } from "../expectations";

// MovieLens 100K, one seeded 80/20 hold-out. The RMSE ranges are a few times wider than what a
// change of seed moves them (about ±0.005) but narrow enough to catch a broken trainer; the
// qualitative claims the text makes (over-fitting without λ, tuning helps RMSE, rarely rated
// movies in the tuned list, a readable first principal axis) are checked as such.
const expectations: NotebookExpectations = {
  records: {
    rmseRandom: { min: 1.4, max: 1.65 },
    rmseBaseline: { min: 0.935, max: 0.96 },
    rmsePMF: { min: 0.93, max: 0.98 },
    rmseNMF: { min: 0.95, max: 1.0 },
    rmseALS: { min: 0.91, max: 0.945 },
    rmseSVD: { min: 0.925, max: 0.955 },
    rmseSVDpp: { min: 0.91, max: 0.94 },
    maeSVD: { min: 0.725, max: 0.76 },
    rmseOrder: (v) => {
      const order = v as string[];
      const at = (name: string) => order.indexOf(name);
      assert.ok(at("SVD++") < at("SVD") && at("SVD") < at("Baseline") && at("Baseline") < at("Random"), `RMSE order ${order.join(" < ")}`);
    },
    sampleTopTitle: (v) => assert.ok(typeof v === "string" && v.length > 0, "a title"),
    // over-fitting without regularisation: an early minimum, then the validation error climbs
    bestEpochNoReg: { min: 4, max: 20 },
    minValidationNoReg: { min: 0.93, max: 0.97 },
    finalValidationNoReg: { min: 1.0 },
    finalTrainNoReg: { max: 0.45 },
    finalValidationReg: { max: 0.93 },
    rmseByFactors: (v) => {
      const r = v as number[];
      assert.ok(Array.isArray(r) && r.length >= 3, "one RMSE per number of factors");
      for (const x of r) assert.ok(x > 0.92 && x < 0.96, `held-out RMSE ${x}`);
      assert.ok(Math.max(...r) - Math.min(...r) < 0.02, "held-out RMSE is nearly flat in the number of factors");
    },
    gridBestParams: (v) => {
      const p = v as Record<string, number>;
      assert.deepEqual(Object.keys(p).sort(), ["lrAll", "nEpochs", "regAll"]);
      assert.equal(p.regAll, 0.1, "the larger λ wins");
    },
    gridBestRmse: { min: 0.92, max: 0.95 },
    defaultTestRmse: { min: 0.93, max: 0.955 },
    tunedTestRmse: { min: 0.9, max: 0.93 },
    topNOverlap: { min: 1, max: 9 },
    rareInTunedList: { min: 1 },
    pc1Explained: { min: 0.1, max: 0.5 },
    pc1Ends: (v) => {
      const ends = v as { low: string[]; high: string[] };
      const all = [ends.low, ends.high];
      const art = all.findIndex((side) => side.some((t) => /Clockwork Orange|Trainspotting|Boogie Nights|Brazil/.test(t)));
      const mainstream = all.findIndex((side) => side.some((t) => /Independence Day|Twister|Pretty Woman|American President/.test(t)));
      assert.ok(art >= 0 && mainstream >= 0 && art !== mainstream, `first principal axis: ${JSON.stringify(ends)}`);
    },
  },
  minFigures: 4,
};

export default expectations;
