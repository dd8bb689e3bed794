import { MIRROR, needsMirror } from "../datasets";
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import pl from "nodejs-polars";
import { fromTriples } from "../../lib/data/dataset";
import { datasetStats, fetchDataset, forgetLoadedDatasets, loadDataset, loadMovieLens } from "../../lib/data/load";
import { loadFrames } from "../../lib/data/frames";

// Real data comes from the shared mirror; the cache is a fresh temp dir (never the repo's data/cache).
const SHARED = MIRROR;
const DATA = fs.mkdtempSync(path.join(os.tmpdir(), "recsys-load-"));
process.env.RECSYS_DATA_MIRROR = SHARED;
process.env.RECSYS_DATA_DIR = DATA;
process.on("exit", () => fs.rmSync(DATA, { recursive: true, force: true }));
const LATEST_2016 = path.join(SHARED, "ml-latest-small-2016");

/** Min and max of the 4th column of u.data, read independently of the parser. */
function udataTimeRange(file: string): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const line of fs.readFileSync(file, "latin1").split("\n")) {
    if (!line) continue;
    const t = Number(line.split("\t")[3]);
    lo = Math.min(lo, t);
    hi = Math.max(hi, t);
  }
  return [lo, hi];
}

test("ml-100k from RECSYS_DATA_MIRROR into a temp RECSYS_DATA_DIR: counts, genres, scale, first rating, titles", async (t) => {
  const t0 = performance.now();
  const ds = await loadDataset("ml-100k");
  const total = performance.now() - t0;
  const dir = path.join(DATA, "ml-100k");
  assert.ok(fs.existsSync(path.join(dir, "u.data")), "extracted into RECSYS_DATA_DIR");
  assert.deepEqual(fs.readdirSync(DATA), ["ml-100k"]);
  assert.equal(ds.name, "ml-100k");
  assert.equal(ds.nRatings, 100_000);
  assert.equal(ds.nUsers, 943);
  assert.equal(ds.nItems, 1_682);
  assert.equal(ds.genreNames.length, 19);
  assert.equal(ds.genreNames[0], "unknown");
  assert.equal(ds.genreNames[18], "Western");
  assert.deepEqual(ds.ratingScale, [1, 5]);
  // first line of u.data: 196 242 3 881250949
  assert.equal(ds.userIds[ds.users[0]], "196");
  assert.equal(ds.itemIds[ds.items[0]], "242");
  assert.equal(ds.ratings[0], 3);
  assert.equal(ds.timestamps[0], 881250949);
  assert.equal(ds.rating(ds.innerUser(196), ds.innerItem(242)), 3);
  const toy = ds.innerItem(1);
  assert.equal(ds.titles[toy], "Toy Story (1995)");
  assert.equal(ds.years[toy], 1995);
  // Toy Story: Animation, Children's, Comedy
  const g = ds.itemGenres(toy);
  assert.deepEqual(ds.genreNames.filter((_, k) => g[k] === 1), ["Animation", "Children's", "Comedy"]);
  // item 267 "unknown" has no release date and the "unknown" genre
  const unknown = ds.innerItem(267);
  assert.ok(Number.isNaN(ds.years[unknown]));
  assert.deepEqual(Array.from(ds.itemGenres(unknown)), [1, ...new Array(18).fill(0)]);

  const stats = datasetStats(ds);
  const [first, last] = udataTimeRange(path.join(dir, "u.data"));
  assert.deepEqual(stats, {
    ratings: 100_000,
    users: 943,
    items: 1_682,
    density: 100_000 / (943 * 1_682),
    ratingScale: [1, 5],
    firstTimestamp: first,
    lastTimestamp: last,
  });

  // parse time on its own (files already extracted): a fresh parse of the folder
  forgetLoadedDatasets();
  const t1 = performance.now();
  const again = await loadDataset(dir);
  const parse = performance.now() - t1;
  t.diagnostic(`ml-100k: first load (extract + sha256 + parse) ${total.toFixed(0)} ms, parse + build ${parse.toFixed(0)} ms`);
  assert.equal(again.nRatings, 100_000);
  assert.ok(parse < 1000, `parsing ml-100k took ${parse} ms`);
});

test("the same name gives the same object (parsed once per process)", async () => {
  const a = await loadDataset("ml-100k");
  const b = await loadDataset("ml-100k");
  assert.equal(a, b);
  assert.equal(await loadDataset(path.join(DATA, "ml-100k")), a); // same folder, same object
  forgetLoadedDatasets();
  const c = await loadDataset("ml-100k");
  assert.notEqual(c, a);
  assert.equal(c.nRatings, a.nRatings);
});

test("ml-latest-small-2016 loads from its directory (format detected) and by name from the mirror folder", { skip: needsMirror("ml-latest-small-2016/ratings.csv") }, async () => {
  const byName = await loadMovieLens("ml-latest-small-2016");
  assert.equal(byName.data.dir, LATEST_2016); // used in place, not copied
  assert.ok(!fs.existsSync(path.join(DATA, "ml-latest-small-2016")));
  const ds = await loadDataset(LATEST_2016);
  assert.equal(ds, byName.dataset);
  assert.equal(ds.nRatings, 100_004);
  assert.equal(ds.nUsers, 671);
  assert.equal(ds.nItems, 9_066);
  assert.equal(byName.data.movies.ids.length, 9_125);
  assert.deepEqual(ds.ratingScale, [0.5, 5]);
  assert.equal(ds.genreNames.length, 19); // 20 names in movies.csv minus "(no genres listed)"
  assert.ok(!ds.genreNames.includes("(no genres listed)"));
  assert.deepEqual(ds.genreNames, ds.genreNames.slice().sort());
  assert.equal(ds.titles[ds.innerItem(29)], "City of Lost Children, The (Cité des enfants perdus, La) (1995)");
  assert.equal(ds.years[ds.innerItem(1)], 1995);
  // first line of ratings.csv: 1,31,2.5,1260759144
  assert.equal(ds.userIds[ds.users[0]], "1");
  assert.equal(ds.itemIds[ds.items[0]], "31");
  assert.equal(ds.ratings[0], 2.5);
  assert.equal(ds.timestamps[0], 1260759144);
});

test("polars views: ratings and movies frames agree with the RatingDataset", async () => {
  const ds = await loadDataset("ml-100k");
  const { ratings, movies } = await loadFrames("ml-100k");
  assert.equal(await loadFrames("ml-100k").then((f) => f.ratings), ratings); // cached
  assert.deepEqual(ratings.columns, ["userId", "movieId", "rating", "timestamp"]);
  assert.deepEqual(movies.columns, ["movieId", "title", "year", "genres"]);
  assert.equal(ratings.height, 100_000);
  assert.equal(movies.height, 1_682);
  assert.equal(String(ratings.getColumn("timestamp").dtype), String(pl.Int64));
  assert.deepEqual(ratings.row(0), [196, 242, 3, 881250949]);
  // mean rating per movie from polars = the dataset's item means
  const means = ratings.groupBy("movieId").agg(pl.col("rating").mean().alias("m")).sort("movieId");
  const dsMeans = ds.itemMeans();
  const ids = means.getColumn("movieId").toArray() as number[];
  const m = means.getColumn("m").toArray() as number[];
  for (let k = 0; k < ids.length; k += 97) assert.ok(Math.abs(m[k] - dsMeans[ds.innerItem(ids[k])]) < 1e-9);
  // exploding genres gives one row per set flag
  let flags = 0;
  for (const x of ds.genres) flags += x;
  assert.equal(movies.explode("genres").height, flags);
  assert.deepEqual(movies.row(0).slice(0, 3), [1, "Toy Story (1995)", 1995]);
  assert.deepEqual(movies.getColumn("genres").toArray()[0], ["Animation", "Children's", "Comedy"]);
  assert.equal(movies.filter(pl.col("year").isNull()).getColumn("movieId").toArray()[0], 267);
});

test("polars views of a CSV directory: no-genre movies get an empty list and a null year when the title has none", async () => {
  const { movies, ratings } = await loadFrames(path.join(__dirname, "..", "fixtures", "movielens", "mini-csv"));
  assert.equal(ratings.height, 7);
  assert.equal(movies.height, 7); // unrated movie 300 is kept in the movies frame
  const hyena = movies.filter(pl.col("movieId").eq(143410));
  assert.deepEqual(hyena.getColumn("genres").toArray()[0], []);
  assert.equal(hyena.getColumn("year").toArray()[0], null);
  assert.deepEqual(ratings.getColumn("rating").toArray(), [2.5, 3, 0.5, 5, 4.5, 4, 1.5]);
});

test("bad names and empty data are clear errors; stats without timestamps are null", async () => {
  await assert.rejects(loadDataset("ml-99k"), /"ml-99k" is neither a registered dataset \(see datasetNames\(\): ml-100k, .*\) nor an existing directory/);
  await assert.rejects(fetchDataset("ml-99k"), /unknown dataset "ml-99k"; known datasets: ml-100k/);
  const ds = fromTriples("t", ["1", "2"], ["a", "a"], Float32Array.from([3, 4]), { ratingScale: [1, 5] });
  const s = datasetStats(ds);
  assert.equal(s.firstTimestamp, null);
  assert.equal(s.lastTimestamp, null);
  assert.equal(s.density, 1);
});
