import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadToyAlbums, parseToyTable } from "../../lib/data/toy";

test("toy album table: names, ratings, factors and the dataset line up", () => {
  const t = loadToyAlbums();
  assert.deepEqual(t.users, ["An", "Bhavana", "Cordelia", "Diego"]);
  assert.deepEqual(t.items, ["Ommazh", "Melt-Banana", "BTS", "Zhou Shen", "Sanam"]);
  assert.deepEqual(t.factorNames, ["lo-fi indie", "slick pop"]);
  const N = NaN;
  assert.deepEqual(t.matrix, [
    [5, 5, 0, 1, 1],
    [4, 5, N, 1, 1],
    [N, 2, 4, 5, 4],
    [2, N, 5, N, 4],
  ]);
  assert.deepEqual(t.itemFactors, [
    [0.8, 0.1],
    [0.95, 0.01],
    [0.05, 0.99],
    [0.02, 0.95],
    [0.2, 0.9],
  ]);
  assert.deepEqual(t.userFactors, [
    [5, 1],
    [4, 0],
    [2, 5],
    [2, 4],
  ]);
  const ds = t.dataset;
  assert.equal(ds.nUsers, 4);
  assert.equal(ds.nItems, 5);
  assert.equal(ds.nRatings, 16);
  assert.deepEqual(ds.ratingScale, [0, 5]);
  assert.deepEqual([...ds.titles], t.items);
  // inner ids follow the table's order (not sorted names), and every cell agrees with the dataset
  assert.equal(ds.innerItem("Ommazh"), 0);
  assert.equal(ds.innerItem("Sanam"), 4);
  assert.equal(ds.innerUser("Diego"), 3);
  for (let u = 0; u < 4; u++) {
    for (let i = 0; i < 5; i++) {
      const r = ds.rating(u, i);
      if (Number.isNaN(t.matrix[u][i])) assert.ok(Number.isNaN(r), `${t.users[u]} × ${t.items[i]} should be unrated`);
      else assert.equal(r, t.matrix[u][i]);
    }
  }
  assert.equal(ds.rating(ds.innerUser("Bhavana"), ds.innerItem("BTS")), NaN);
});

const good = () => JSON.parse(fs.readFileSync(path.resolve(__dirname, "../..", "data", "toy-albums.json"), "utf8"));

test("toy table: malformed files give errors naming the file and the field", () => {
  const bad = (mutate: (d: any) => void, pattern: RegExp) => {
    const d = good();
    mutate(d);
    assert.throws(() => parseToyTable(JSON.stringify(d), "toy.json"), (e: Error) => {
      assert.match(e.message, /^toy\.json: /);
      assert.match(e.message, pattern);
      return true;
    });
  };
  bad((d) => (d.users[1].ratings = [4, 5, null, 1]), /users\[1\] \(Bhavana\).*one entry per item \(5\)/);
  bad((d) => (d.users[0].ratings[2] = 7), /rating of BTS must be null or a number in \[0, 5\]/);
  bad((d) => (d.users[0].ratings[2] = "4"), /rating of BTS/);
  bad((d) => (d.items[3].factors = [0.02]), /items\[3\] \(Zhou Shen\).*2 finite numbers/);
  bad((d) => (d.users[2].name = "An"), /appears twice/);
  bad((d) => (d.ratingScale = [5, 0]), /ratingScale/);
  bad((d) => delete d.factorNames, /factorNames/);
  bad((d) => (d.items = []), /"items" must be a non-empty array/);
  assert.throws(() => parseToyTable("{ not json", "toy.json"), /toy\.json: not valid JSON/);
});

test("toy table: a file that does not exist is named in the error", () => {
  const missing = path.join(os.tmpdir(), `no-such-toy-${process.pid}.json`);
  assert.throws(() => loadToyAlbums(missing), (e: Error) => e.message.includes(missing));
});

test("toy table: a valid file elsewhere loads with its own names", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "toy-"));
  const d = good();
  d.name = "mini";
  d.users = d.users.slice(0, 2);
  const file = path.join(dir, "mini.json");
  fs.writeFileSync(file, JSON.stringify(d));
  const t = loadToyAlbums(file);
  assert.equal(t.dataset.name, "mini");
  assert.equal(t.dataset.nUsers, 2);
  assert.equal(t.dataset.nRatings, 9);
  fs.rmSync(dir, { recursive: true });
});
