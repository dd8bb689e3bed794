import { test } from "node:test";
import assert from "node:assert/strict";
import { RatingDataset, fromTriples } from "../../lib/data/dataset";
import { syntheticRatings } from "../../lib/data/synthetic";
import { Rng } from "../../lib/random";
import { SVDpp, SVDppOptions, SVDppRates, svdppEpoch } from "../../lib/mf/svdpp";
import { sgdEpoch } from "../../lib/mf/svd";
import { evaluateRatings } from "../../lib/mf/crossval";

const close = (a: number, b: number, tol: number, what = ""): void =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} ≠ ${b} (tolerance ${tol})`);

const synth = syntheticRatings({ users: 40, items: 30, ratings: 500, seed: 5 });

const rates: SVDppRates = {
  lrBu: 0.011,
  lrBi: 0.012,
  lrPu: 0.013,
  lrQi: 0.014,
  lrYj: 0.015,
  regBu: 0.021,
  regBi: 0.022,
  regPu: 0.023,
  regQi: 0.024,
  regYj: 0.025,
};

/**
 * SVD++ exactly as Surprise's loop does it: for every rating, recompute z_u = |N(u)|^-½ Σ y_j,
 * then update b_u, b_i, p_u, q_i and EVERY y_j of N(u). Users in inner-id order, each user's
 * ratings in CSR order (what `shuffle: false` visits). Initialisation as documented: P, Q, Y
 * drawn from N(initMean, initStdDev) in that order, row-major.
 */
function naiveSvdpp(train: RatingDataset, k: number, epochs: number, seed: number, r: SVDppRates) {
  const rng = new Rng(seed);
  const nU = train.nUsers;
  const nI = train.nItems;
  const P = Float64Array.from({ length: nU * k }, () => rng.normal(0, 0.1));
  const Q = Float64Array.from({ length: nI * k }, () => rng.normal(0, 0.1));
  const Y = Float64Array.from({ length: nI * k }, () => rng.normal(0, 0.1));
  const bu = new Float64Array(nU);
  const bi = new Float64Array(nI);
  const mu = train.globalMean;
  for (let e = 0; e < epochs; e++) {
    for (let u = 0; u < nU; u++) {
      const { items: Iu, ratings } = train.userRow(u);
      const s = 1 / Math.sqrt(Iu.length);
      for (let t = 0; t < Iu.length; t++) {
        const i = Iu[t];
        const z = new Float64Array(k);
        for (const j of Iu) for (let f = 0; f < k; f++) z[f] += Y[j * k + f] * s;
        let dot = 0;
        for (let f = 0; f < k; f++) dot += Q[i * k + f] * (P[u * k + f] + z[f]);
        const err = ratings[t] - (mu + bu[u] + bi[i] + dot);
        bu[u] += r.lrBu * (err - r.regBu * bu[u]);
        bi[i] += r.lrBi * (err - r.regBi * bi[i]);
        for (let f = 0; f < k; f++) {
          const pf = P[u * k + f];
          const qf = Q[i * k + f];
          P[u * k + f] += r.lrPu * (err * qf - r.regPu * pf);
          Q[i * k + f] += r.lrQi * (err * (pf + z[f]) - r.regQi * qf);
          for (const j of Iu) Y[j * k + f] += r.lrYj * ((err * qf) * s - r.regYj * Y[j * k + f]);
        }
      }
    }
  }
  return { P, Q, Y, bu, bi };
}

test("SVD++ per-rating y updates (O(ratings·k)) equal Surprise's literal O(Σ|N(u)|²·k) loop", () => {
  const k = 5;
  const model = new SVDpp({ nFactors: k, nEpochs: 3, seed: 9, shuffle: false, ...rates }).fit(synth);
  const ref = naiveSvdpp(synth, k, 3, 9, rates);
  const p = model.parameters();
  const { explicitUserFactors, implicitItemFactors } = model.implicitParameters();
  for (let u = 0; u < synth.nUsers; u++) close(p.bu[u], ref.bu[u], 1e-10, `b_${u}`);
  for (let i = 0; i < synth.nItems; i++) close(p.bi[i], ref.bi[i], 1e-10, `b_${i}`);
  for (let x = 0; x < ref.P.length; x++) close(explicitUserFactors[x], ref.P[x], 1e-10, `P[${x}]`);
  for (let x = 0; x < ref.Q.length; x++) close(p.itemFactors[x], ref.Q[x], 1e-10, `Q[${x}]`);
  for (let x = 0; x < ref.Y.length; x++) close(implicitItemFactors[x], ref.Y[x], 1e-10, `Y[${x}]`);
});

test("SVD++ predicts μ + b_u + b_i + q_i·(p_u + |N(u)|^-½ Σ_{j∈N(u)} y_j)", () => {
  const k = 4;
  const model = new SVDpp({ nFactors: k, nEpochs: 5 }).fit(synth);
  const p = model.parameters();
  const { explicitUserFactors: P, implicitItemFactors: Y } = model.implicitParameters();
  for (const [u, i] of [
    [0, 0],
    [3, 7],
    [11, 20],
  ]) {
    const Nu = synth.userRow(u).items;
    let est = p.mu + p.bu[u] + p.bi[i];
    for (let f = 0; f < k; f++) {
      let z = 0;
      for (const j of Nu) z += Y[j * k + f];
      est += p.itemFactors[i * k + f] * (P[u * k + f] + z / Math.sqrt(Nu.length));
    }
    close(model.predict(u, i).value, Math.min(5, Math.max(1, est)), 1e-12, `r̂(${u}, ${i})`);
  }
});

test("with y ≡ 0 and γ_y = 0, an SVD++ epoch performs exactly SVD's updates", () => {
  const k = 6;
  const rng = new Rng(4);
  const nU = synth.nUsers;
  const nI = synth.nItems;
  const P = Float64Array.from({ length: nU * k }, () => rng.normal(0, 0.1));
  const Q = Float64Array.from({ length: nI * k }, () => rng.normal(0, 0.1));
  const Y = new Float64Array(nI * k);
  const bu = new Float64Array(nU);
  const bi = new Float64Array(nI);
  const W = new Float64Array((nU + nI) * k);
  W.set(P, 0);
  W.set(Q, nU * k);
  const bu2 = bu.slice();
  const bi2 = bi.slice();
  const noY = { ...rates, lrYj: 0, regYj: 0 };
  const users = Int32Array.from({ length: nU }, (_, u) => u).filter((u) => synth.userCount(u) > 0);
  const pos = Int32Array.from({ length: synth.nRatings }, (_, x) => x);
  for (const perRating of [true, false]) {
    svdppEpoch(synth, users, pos, P, Q, Y, bu, bi, synth.globalMean, k, noY, perRating, new Float64Array(2 * k));
    // SVD over the same order: grouped by user (CSR order)
    sgdEpoch(synth.users, synth.items, synth.ratings, synth.userEntry, W, nU * k, bu2, bi2, synth.globalMean, k, true, rates);
    for (let x = 0; x < P.length; x++) close(P[x], W[x], 1e-12, `p[${x}]`);
    for (let x = 0; x < Q.length; x++) close(Q[x], W[nU * k + x], 1e-12, `q[${x}]`);
    for (let u = 0; u < nU; u++) close(bu[u], bu2[u], 1e-12, `b_u`);
    for (let i = 0; i < nI; i++) close(bi[i], bi2[i], 1e-12, `b_i`);
    assert.ok(Y.every((y) => y === 0));
  }
});

test("per-user and per-rating y updates coincide when every user has one rating, differ otherwise", () => {
  const oneEach = fromTriples(
    "one rating per user",
    ["a", "b", "c", "d", "e", "f"],
    ["x", "y", "x", "z", "y", "x"],
    Float32Array.from([5, 3, 4, 1, 2, 4]),
    { ratingScale: [1, 5] },
  );
  const fit = (data: RatingDataset, yUpdate: SVDppOptions["yUpdate"]) =>
    new SVDpp({ nFactors: 3, nEpochs: 4, seed: 2, yUpdate }).fit(data);
  const a = fit(oneEach, "per-rating");
  const b = fit(oneEach, "per-user");
  const ya = a.implicitParameters().implicitItemFactors;
  const yb = b.implicitParameters().implicitItemFactors;
  for (let x = 0; x < ya.length; x++) close(ya[x], yb[x], 1e-14, `Y[${x}]`);
  const c = fit(synth, "per-rating").implicitParameters().implicitItemFactors;
  const d = fit(synth, "per-user").implicitParameters().implicitItemFactors;
  assert.ok(c.some((v, x) => Math.abs(v - d[x]) > 1e-6), "several ratings per user: the variants differ");
});

test("SVD++: seeded, training error falls, unknown users fall back to μ + b_i", () => {
  const a = new SVDpp({ nFactors: 5, nEpochs: 10, seed: 3 }).fit(synth);
  const b = new SVDpp({ nFactors: 5, nEpochs: 10, seed: 3 }).fit(synth);
  const c = new SVDpp({ nFactors: 5, nEpochs: 10, seed: 4 }).fit(synth);
  assert.deepEqual(a.epochRmse, b.epochRmse);
  assert.notDeepEqual(a.epochRmse, c.epochRmse);
  assert.ok(a.epochRmse[9] < a.epochRmse[0]);
  const short = evaluateRatings(new SVDpp({ nFactors: 5, nEpochs: 2 }).fit(synth), synth).rmse;
  const long = evaluateRatings(new SVDpp({ nFactors: 5, nEpochs: 20 }).fit(synth), synth).rmse;
  assert.ok(long < short);
  // drop user 0 from the train set
  const keep = Int32Array.from({ length: synth.nRatings }, (_, x) => x).filter((x) => synth.users[x] !== 0);
  const train = synth.subset(keep);
  const m = new SVDpp({ nFactors: 5, nEpochs: 3 }).fit(train);
  const p = m.parameters();
  const pred = m.predict(0, 2);
  assert.equal(pred.impossible, true);
  close(pred.value, Math.min(5, Math.max(1, train.globalMean + p.bi[2])), 1e-12);
  assert.throws(() => new SVDpp({ yUpdate: "sometimes" as never }), /yUpdate/);
  assert.throws(() => new SVDpp({ lrYj: -0.1 }), /lrYj/);
});
