import { test } from "node:test";
import assert from "node:assert/strict";
import { topNByPrediction } from "../../lib/model/recommender";
import {
  AutoRec,
  accumulateUserGradient,
  decodeItem,
  encodeUser,
  reconstructionLoss,
  type AutoRecParameters,
} from "../../lib/neural/autorec";
import { Rng } from "../../lib/random";
import { rowDataset } from "../helpers";

/** Rank-1 ratings r = 3 + 2·a_u·b_i (a, b = ±1 by group), 60% observed; the rest returned as a test set. */
function rankOne(nUsers: number, nItems: number, seed: number) {
  const rng = new Rng(seed);
  const a = Array.from({ length: nUsers }, (_, u) => (u % 2 === 0 ? 1 : -1));
  const b = Array.from({ length: nItems }, (_, i) => (i % 3 === 0 ? -1 : 1));
  const rows: [number, number, number][] = [];
  const test: [number, number, number][] = [];
  for (let u = 0; u < nUsers; u++) {
    for (let i = 0; i < nItems; i++) {
      const r = 3 + 2 * a[u] * b[i];
      (rng.next() < 0.6 ? rows : test).push([u, i, r]);
    }
  }
  return { data: rowDataset(rows, nUsers, nItems), test };
}

function randomParams(rng: Rng, nItems: number, H: number): AutoRecParameters {
  const f = (n: number) => Float32Array.from({ length: n }, () => rng.normal(0, 0.5));
  return { hidden: H, nItems, encoder: f(nItems * H), encoderBias: f(H), decoder: f(nItems * H), decoderBias: f(nItems) };
}

test("the masked loss ignores missing entries; the zeros loss counts them as 0", () => {
  const items = [1, 3];
  const ratings = [4, 2];
  const out = [0.5, 3.5, 9, 2.5, -1];
  // by hand: masked (3.5−4)² + (2.5−2)² = 0.5; zeros adds 0.5² + 9² + 1² = 82.25
  assert.equal(reconstructionLoss(out, items, ratings, true), 0.5);
  assert.equal(reconstructionLoss(out, items, ratings, false), 0.5 + 82.25);
  // changing the output of a missing item changes only the zeros loss
  const other = [100, 3.5, -7, 2.5, 42];
  assert.equal(reconstructionLoss(other, items, ratings, true), 0.5);
  assert.notEqual(reconstructionLoss(other, items, ratings, false), reconstructionLoss(out, items, ratings, false));
});

test("the gradient of one user's loss matches finite differences (masked and zeros)", () => {
  const rng = new Rng(5);
  const nItems = 6, H = 3;
  const items = [0, 2, 5];
  const ratings = [4, 1, 3];
  for (const masked of [true, false]) {
    const p = randomParams(rng, nItems, H);
    const loss = (): number => {
      const a = encodeUser(p, items, ratings, new Float64Array(H));
      const out = Array.from({ length: nItems }, (_, i) => decodeItem(p, i, a));
      return reconstructionLoss(out, items, ratings, masked);
    };
    const g = { encoder: new Float64Array(nItems * H), encoderBias: new Float64Array(H), decoder: new Float64Array(nItems * H), decoderBias: new Float64Array(nItems) };
    accumulateUserGradient(p, items, ratings, masked, g, new Float64Array(H), new Float64Array(H));
    for (const key of ["encoder", "encoderBias", "decoder", "decoderBias"] as const) {
      const theta = p[key];
      for (let x = 0; x < theta.length; x++) {
        const keep = theta[x];
        const h = 1e-2;
        theta[x] = keep + h;
        const up = loss();
        theta[x] = keep - h;
        const down = loss();
        theta[x] = keep;
        const numeric = (up - down) / (Math.fround(keep + h) - Math.fround(keep - h)); // the float32 steps actually taken
        assert.ok(Math.abs(numeric - g[key][x]) < 2e-3 * Math.max(1, Math.abs(numeric)), `${masked ? "masked" : "zeros"} ${key}[${x}]: analytic ${g[key][x]}, numeric ${numeric}`);
      }
    }
    // masked: the decoder rows of unrated items get no gradient at all
    if (masked) for (const i of [1, 3, 4]) for (let j = 0; j < H; j++) assert.equal(g.decoder[i * H + j], 0);
  }
});

test("masked AutoRec learns a rank-1 pattern; the zeros version collapses towards 0", () => {
  const { data, test: held } = rankOne(40, 15, 2);
  const masked = new AutoRec({ hidden: 8, epochs: 150, learningRate: 0.01, batchSize: 8, lambda: 0.1, seed: 1 }).fit(data);
  const zeros = new AutoRec({ hidden: 8, epochs: 150, learningRate: 0.01, batchSize: 8, lambda: 0.1, seed: 1, masked: false }).fit(data);
  const rmse = (m: AutoRec) => Math.sqrt(held.reduce((s, [u, i, r]) => s + (m.predict(u, i).value - r) ** 2, 0) / held.length);
  const meanRaw = (m: AutoRec) => held.reduce((s, [u, i]) => s + m.rawPredict(u, i), 0) / held.length;
  const baseline = Math.sqrt(held.reduce((s, [, , r]) => s + (data.globalMean - r) ** 2, 0) / held.length);
  assert.ok(rmse(masked) < 0.5 * baseline, `masked rmse ${rmse(masked)} vs mean baseline ${baseline}`);
  // zeros: 40% of each user's vector is 0, so unobserved outputs are pulled well below the ratings' mean (3.7)
  assert.ok(meanRaw(zeros) < 0.75 * meanRaw(masked), `zeros mean output ${meanRaw(zeros)}, masked ${meanRaw(masked)}`);
  assert.ok(rmse(zeros) > rmse(masked));
  assert.ok(masked.epochRmse[masked.epochRmse.length - 1] < masked.epochRmse[0]);
});

test("predictions come from the user's own row; same seed repeats", () => {
  const { data } = rankOne(12, 9, 4);
  const opts = { hidden: 4, epochs: 5, learningRate: 0.01, batchSize: 5, lambda: 0.1, seed: 3 };
  const m = new AutoRec(opts).fit(data);
  const p = m.parameters();
  for (const u of [0, 5, 11]) {
    const row = data.userRow(u);
    const a = encodeUser(p, row.items, row.ratings, new Float64Array(4));
    const rec = m.reconstruct(u);
    for (let i = 0; i < 9; i++) {
      assert.ok(Math.abs(m.rawPredict(u, i) - decodeItem(p, i, a)) < 1e-12);
      assert.equal(rec[i], m.rawPredict(u, i));
    }
  }
  const again = new AutoRec(opts).fit(data).parameters();
  assert.deepEqual(again.decoder, p.decoder);
  assert.deepEqual(again.encoder, p.encoder);
  const other = new AutoRec({ ...opts, seed: 4 }).fit(data).parameters();
  assert.notDeepEqual(other.decoder, p.decoder);
});

test("recommend agrees with brute force; unknown users and items fall back; bad options throw", () => {
  const { data } = rankOne(10, 8, 6);
  const keep = Int32Array.from(Array.from({ length: data.nRatings }, (_, k) => k).filter((k) => data.users[k] !== 9 && data.items[k] !== 7));
  const train = data.subset(keep, "train");
  const m = new AutoRec({ hidden: 3, epochs: 3, batchSize: 4 }).fit(train);
  for (const u of [0, 4, 9]) {
    assert.deepEqual(m.recommend(u, 3), topNByPrediction(m, train, u, 3));
    assert.deepEqual(m.recommend(u, 8, { excludeSeen: false, minScore: 3 }), topNByPrediction(m, train, u, 8, { excludeSeen: false, minScore: 3 }));
  }
  assert.equal(m.predict(9, 0).impossible, true);
  assert.equal(m.predict(0, 7).impossible, true);
  assert.throws(() => new AutoRec().predict(0, 0), /fit/);
  assert.throws(() => new AutoRec({ lambda: -1 }), /lambda/);
  assert.throws(() => new AutoRec({ batchSize: 0 }), /batchSize/);
});
