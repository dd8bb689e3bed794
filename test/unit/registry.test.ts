import { test } from "node:test";
import assert from "node:assert/strict";
import {
  algorithmsHelp,
  createAlgorithm,
  getAlgorithm,
  listAlgorithms,
  parseParams,
} from "../../lib/algorithms/registry";
import { type ParamSchema, describeParams, resolveParams, splitPairs } from "../../lib/algorithms/params";
import { RandomRecommender } from "../../lib/baseline/random";
import { ItemSimRecommender } from "../../lib/cooccurrence/itemsim";
import { fromTriples } from "../../lib/data/dataset";
import { initBackend } from "../../lib/neural/backend";

test("every registered algorithm creates, fits and predicts a model of its own id and kind", async () => {
  await initBackend(); // the TensorFlow.js models need it
  const ids = listAlgorithms().map((a) => a.id);
  for (const id of ["random", "popularity", "itemsim", "content-knn", "svd", "svdpp", "als", "nmf", "baseline", "knn-basic", "knn-means", "knn-zscore", "knn-baseline", "usercf", "itemcf", "dotbias", "ncf", "rbm", "autorec", "recent-popularity", "hybrid", "session-pop", "session-knn", "gru4rec"]) assert.ok(ids.includes(id), `${id} missing`);
  assert.equal(new Set(ids).size, ids.length, "duplicate ids");
  // content algorithms need item metadata (two genres, release years), time-aware ones timestamps
  const d = fromTriples("t", ["1", "1", "2", "3"], ["a", "b", "a", "b"], Float32Array.from([5, 3, 4, 1]), {
    timestamps: Float64Array.from([1e9, 1e9 + 3600, 1e9 + 86400, 1e9 + 2 * 86400]),
    itemMeta: {
      genreNames: ["Drama", "Comedy"],
      genres: new Map([["a", Uint8Array.from([1, 0])], ["b", Uint8Array.from([1, 1])]]),
      years: new Map([["a", 1995], ["b", 1999]]),
    },
  });
  for (const a of listAlgorithms()) {
    assert.equal(getAlgorithm(a.id), a);
    assert.ok(a.title.length > 0 && a.description.length > 0);
    for (const [name, spec] of Object.entries(a.params)) {
      assert.ok(spec.doc.length > 0, `${a.id}.${name} has no doc`);
      if (spec.type === "enum") assert.ok(spec.choices.includes(spec.default));
    }
    // session models drop items seen in fewer than 5 sessions by default: none would survive here
    const m = createAlgorithm(a.id, "minItemSupport" in a.params ? { minItemSupport: 1 } : {});
    assert.equal(m.id, a.id);
    assert.equal(m.predictsRatings, a.kind === "rating");
    m.fit(d);
    assert.ok(Array.isArray(m.recommend(0, 3)));
  }
  assert.match(algorithmsHelp(), /itemsim — .*\[ranking\][\s\S]*minRating/);
});

test("unknown algorithm: the error lists the valid ids", () => {
  assert.throws(() => getAlgorithm("no-such-algo"), (e: Error) => {
    assert.match(e.message, /unknown algorithm "no-such-algo"/);
    for (const a of listAlgorithms()) assert.ok(e.message.includes(a.id));
    return true;
  });
  assert.throws(() => createAlgorithm("nope"), /valid ids: .*popularity/);
  assert.throws(() => parseParams("nope", []), /valid ids/);
});

test("parseParams: comma-separated and repeated pairs, defaults filled in, values typed", () => {
  assert.deepEqual(parseParams("itemsim", []), { minRating: 0, storage: "auto" });
  assert.deepEqual(parseParams("itemsim", ["minRating=4,storage=sparse"]), { minRating: 4, storage: "sparse" });
  assert.deepEqual(parseParams("itemsim", ["storage=dense", " minRating = 3.5 "]), { minRating: 3.5, storage: "dense" });
  assert.deepEqual(parseParams("itemsim", ["minRating=-Infinity"]), { minRating: -Infinity, storage: "auto" });
  assert.deepEqual(parseParams("random", ["seed=42"]), { seed: 42 });
  assert.deepEqual(parseParams("popularity", []), {});
});

test("parseParams: bad values, unknown parameters and malformed pairs are clear errors", () => {
  assert.throws(() => parseParams("itemsim", ["minRating=abc"]), /parameter minRating of algorithm itemsim must be a number, got "abc"/);
  assert.throws(() => parseParams("itemsim", ["minRating="]), /minRating .*must be a number/);
  assert.throws(() => parseParams("random", ["seed=1.5"]), /seed .*integer/);
  assert.throws(() => parseParams("random", ["seed=-1"]), /seed .*\[0, 4294967295\]/);
  assert.throws(() => parseParams("itemsim", ["storage=huge"]), /storage .*one of auto, dense, sparse/);
  assert.throws(
    () => parseParams("itemsim", ["k=40"]),
    (e: Error) => {
      assert.match(e.message, /unknown parameter "k" for algorithm itemsim/);
      assert.match(e.message, /valid parameters: minRating \(number, default 0\), storage \(one of auto\|dense\|sparse, default auto\)/);
      return true;
    },
  );
  assert.throws(() => parseParams("popularity", ["x=1"]), /popularity takes no parameters/);
  assert.throws(() => parseParams("itemsim", ["minRating"]), /"minRating" .*key=value/);
  assert.throws(() => parseParams("itemsim", ["minRating=1", "minRating=2"]), /given twice/);
});

test("createAlgorithm takes a record or CLI pairs and passes the parameters to the model", () => {
  const a = createAlgorithm("random", { seed: 7 });
  assert.ok(a instanceof RandomRecommender);
  assert.equal(a.seed, 7);
  const b = createAlgorithm("random", ["seed=8"]);
  assert.equal((b as RandomRecommender).seed, 8);
  const c = createAlgorithm("itemsim", { minRating: "4", storage: "sparse" }) as ItemSimRecommender;
  assert.equal(c.minRating, 4);
  assert.equal(c.storage, "sparse");
  assert.equal((createAlgorithm("itemsim", { minRating: undefined }) as ItemSimRecommender).minRating, 0);
  assert.throws(() => createAlgorithm("random", { seed: "x" }), /seed .*integer/);
  assert.throws(() => createAlgorithm("random", { sed: 1 }), /unknown parameter "sed" .*valid parameters: seed/);
});

test("params module: booleans, integers with ranges, enums and strings against a schema", () => {
  const schema: ParamSchema = {
    k: { type: "integer", default: 40, min: 1, doc: "neighbours" },
    sim: { type: "enum", default: "cosine", choices: ["cosine", "pearson", "msd"], doc: "similarity" },
    user_based: { type: "boolean", default: true, doc: "user- or item-based" },
    shrink: { type: "number", default: 0, min: 0, max: 1000, doc: "shrinkage" },
    name: { type: "string", default: "", doc: "a label" },
  };
  const parse = (pairs: string[]) => resolveParams("knn", schema, splitPairs("knn", pairs));
  assert.deepEqual(parse(["k=20,sim=pearson", "user_based=false"]), {
    k: 20,
    sim: "pearson",
    user_based: false,
    shrink: 0,
    name: "",
  });
  for (const [s, v] of [["true", true], ["False", false], ["1", true], ["0", false], ["yes", true], ["no", false]] as const) {
    assert.equal(parse([`user_based=${s}`]).user_based, v);
  }
  assert.throws(() => parse(["user_based=maybe"]), /user_based .*true or false/);
  assert.throws(() => parse(["k=0"]), /k .*\[1, ∞\]/);
  assert.throws(() => parse(["shrink=2000"]), /shrink .*\[0, 1000\]/);
  assert.throws(() => parse(["k=NaN"]), /k .*integer/);
  assert.equal(parse(["name=a b"]).name, "a b");
  // either spelling of a name: snake_case (as in Surprise) or camelCase
  assert.equal(parse(["userBased=false"]).user_based, false);
  assert.equal(parseParams("svd", ["n_factors=50,n_epochs=5"]).nFactors, 50);
  assert.equal(parseParams("svd", ["n_factors=50,n_epochs=5"]).nEpochs, 5);
  assert.throws(() => parseParams("svd", ["n_factors=50,nFactors=60"]), /given twice/);
  // a piece without "=" continues the previous value, so list values need no quoting
  assert.deepEqual(parse(["name=genres,years,k=3"]), { k: 3, sim: "cosine", user_based: true, shrink: 0, name: "genres,years" });
  assert.throws(() => parse(["genres,k=3"]), /"genres" .*key=value/);
  assert.deepEqual(resolveParams("knn", schema, { k: 5, user_based: false }).k, 5);
  assert.throws(() => resolveParams("knn", schema, { user_based: "perhaps" }), /true or false/);
  assert.throws(() => resolveParams("knn", schema, { k: true }), /k .*integer/);
  assert.equal(
    describeParams(schema),
    "k (integer, in [1, ∞], default 40), sim (one of cosine|pearson|msd, default cosine), user_based (boolean, default true), shrink (number, in [0, 1000], default 0), name (string, default \"\")",
  );
  assert.equal(describeParams({}), "none");
});
