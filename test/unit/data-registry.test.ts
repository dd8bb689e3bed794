import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "path";
import {
  datasetNames,
  formatFiles,
  formatRatingScale,
  getDatasetInfo,
  integrityCheck,
  isDatasetName,
} from "../../lib/data/registry";
import { dataDir, dataMirror, parseMirror, projectRoot } from "../../lib/data/paths";

test("the five GroupLens datasets are registered with their official URLs and layouts", () => {
  const names = datasetNames();
  for (const name of ["ml-100k", "ml-latest-small", "ml-1m", "ml-20m", "ml-25m"]) {
    assert.ok(names.includes(name), name);
    const info = getDatasetInfo(name);
    assert.equal(info.url, `https://files.grouplens.org/datasets/movielens/${name}.zip`);
    assert.equal(info.zipName, `${name}.zip`);
    assert.equal(info.zipRoot, name);
    assert.match(info.citation, /Harper and Joseph A\. Konstan\. 2015/);
    assert.match(info.licence, /GroupLens/);
  }
  assert.equal(names[0], "ml-100k"); // the course default comes first
  assert.equal(getDatasetInfo("ml-100k").format, "100k");
  assert.equal(getDatasetInfo("ml-1m").format, "dat");
  for (const n of ["ml-latest-small", "ml-20m", "ml-25m"]) assert.equal(getDatasetInfo(n).format, "csv");
  assert.deepEqual(getDatasetInfo("ml-100k").ratingScale, [1, 5]);
  assert.deepEqual(getDatasetInfo("ml-1m").ratingScale, [1, 5]);
  for (const n of ["ml-latest-small", "ml-20m", "ml-25m"]) assert.deepEqual(getDatasetInfo(n).ratingScale, [0.5, 5]);
});

test("ml-100k carries its known facts and file hashes; the integrity check kind follows from them", () => {
  const info = getDatasetInfo("ml-100k");
  assert.deepEqual(info.facts, { ratings: 100_000, users: 943, items: 1_682, movies: 1_682, genres: 19 });
  assert.equal(info.sha256!["u.data"], "06416e597f82b7342361e41163890c81036900f418ad91315590814211dca490");
  assert.equal(info.sha256!["u.item"], "a4a4510a66ae9f7f208dbce7ebabc119533be5389bcc73090d21ea7af595933a");
  assert.equal(integrityCheck(info), "sha256");
  assert.equal(integrityCheck(getDatasetInfo("ml-1m")), "counts");
  assert.equal(integrityCheck(getDatasetInfo("ml-latest-small")), "structural");
  assert.equal(getDatasetInfo("ml-latest-small").checkFacts, false);
  const old = getDatasetInfo("ml-latest-small-2016");
  assert.equal(old.url, undefined); // mirror only
  assert.equal(integrityCheck(old), "sha256");
  assert.equal(old.facts.ratings, 100_004);
});

test("unknown names are errors listing the known ones", () => {
  assert.equal(isDatasetName("ml-100k"), true);
  assert.equal(isDatasetName("ml-99k"), false);
  assert.throws(() => getDatasetInfo("ml-99k"), /unknown dataset "ml-99k"; known datasets: ml-100k, ml-latest-small, .*ml-25m/);
});

test("file layouts and rating scales per format", () => {
  assert.deepEqual(formatFiles("100k"), { ratings: "u.data", movies: "u.item", genres: "u.genre" });
  assert.deepEqual(formatFiles("csv"), { ratings: "ratings.csv", movies: "movies.csv" });
  assert.deepEqual(formatFiles("dat"), { ratings: "ratings.dat", movies: "movies.dat" });
  assert.deepEqual(formatRatingScale("100k"), [1, 5]);
  assert.deepEqual(formatRatingScale("csv"), [0.5, 5]);
});

test("cache directory and mirror come from the environment, with the project root as the default", () => {
  const saved = { dir: process.env.RECSYS_DATA_DIR, mirror: process.env.RECSYS_DATA_MIRROR };
  try {
    delete process.env.RECSYS_DATA_DIR;
    delete process.env.RECSYS_DATA_MIRROR;
    const root = projectRoot();
    assert.equal(root, path.resolve(__dirname, "..", ".."));
    assert.equal(dataDir(), path.join(root, "data", "cache"));
    assert.equal(dataMirror(), undefined);
    process.env.RECSYS_DATA_DIR = "some/rel";
    assert.equal(dataDir(), path.resolve(process.cwd(), "some/rel"));
    assert.equal(dataDir("/x/y"), "/x/y");
    process.env.RECSYS_DATA_MIRROR = "mirror/rel";
    assert.deepEqual(dataMirror(), { kind: "dir", dir: path.resolve(process.cwd(), "mirror/rel"), spec: "mirror/rel" });
    assert.equal(dataMirror(null), undefined); // null ignores the environment
    assert.deepEqual(parseMirror("http://127.0.0.1:8080/data/"), { kind: "http", base: "http://127.0.0.1:8080/data", spec: "http://127.0.0.1:8080/data/" });
    assert.deepEqual(parseMirror("file:///srv/datasets"), { kind: "dir", dir: "/srv/datasets", spec: "file:///srv/datasets" });
    assert.throws(() => parseMirror("ftp://host/x"), /unsupported URL scheme/);
  } finally {
    for (const [k, v] of [["RECSYS_DATA_DIR", saved.dir], ["RECSYS_DATA_MIRROR", saved.mirror]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});
