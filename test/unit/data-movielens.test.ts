import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  detectFormat,
  forEachLine,
  parseCsv,
  parseItems100k,
  readMovieLensDir,
  textEncoding,
  toRatingDataset,
  yearFromReleaseDate,
  yearFromTitle,
} from "../../lib/data/movielens";

const FIX = path.join(__dirname, "..", "fixtures", "movielens");

function tempDir(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "recsys-ml-"));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

async function load(files: Record<string, string | Buffer>) {
  const dir = tempDir(files);
  try {
    return toRatingDataset(await readMovieLensDir(dir));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const GENRES_5 = "unknown|0\nAction|1\nComedy|2\nDrama|3\nRomance|4\n";
const ITEMS_2 = "1|A (1990)|01-Jan-1990||url|0|1|0|0|0\n2|B (1991)|01-Jan-1991||url|0|0|1|0|0\n";
const MOVIES_CSV = "movieId,title,genres\n1,A (1990),Drama\n2,B (1991),Comedy\n";
const MOVIES_DAT = "1::A (1990)::Drama\n2::B (1991)::Comedy\n";

test("100K layout: u.data/u.item/u.genre with a latin-1 title, rated items only, numeric id order", async () => {
  const dir = path.join(FIX, "mini-100k");
  assert.equal(detectFormat(dir), "100k");
  const data = await readMovieLensDir(dir);
  assert.equal(data.format, "100k");
  assert.deepEqual(data.ratingScale, [1, 5]);
  assert.equal(data.movies.ids.length, 5); // movie 5 is in u.item but never rated
  const ds = toRatingDataset(data);
  assert.equal(ds.name, "mini-100k");
  assert.equal(ds.nRatings, 8);
  assert.deepEqual(ds.userIds, ["7", "22", "196"]);
  assert.deepEqual(ds.itemIds, ["1", "2", "3", "10"]); // numeric order, not "1","10","2","3"
  assert.deepEqual(ds.genreNames, ["unknown", "Action", "Comedy", "Drama", "Romance"]);
  // the first line of u.data is "196 10 3 881250949"
  assert.equal(ds.userIds[ds.users[0]], "196");
  assert.equal(ds.itemIds[ds.items[0]], "10");
  assert.equal(ds.ratings[0], 3);
  assert.equal(ds.timestamps[0], 881250949);
  assert.equal(ds.rating(ds.innerUser(196), ds.innerItem(1)), 4);
  assert.equal(ds.globalMean, (3 + 1 + 5 + 4 + 2 + 5 + 4 + 3) / 8);
  // byte 0xE9 in u.item is latin-1 "é"
  assert.equal(ds.titles[ds.innerItem(2)], "Misérables, Les (1995)");
  assert.equal(ds.titles[ds.innerItem(1)], "Toy Story (1995)");
  assert.deepEqual(Array.from(ds.years), [1995, 1995, NaN, 1995]);
  assert.deepEqual(Array.from(ds.itemGenres(ds.innerItem(10))), [0, 1, 0, 1, 0]);
  assert.deepEqual(Array.from(ds.itemGenres(ds.innerItem(2))), [0, 0, 0, 1, 1]);
  assert.deepEqual(Array.from(ds.itemGenres(ds.innerItem(3))), [1, 0, 0, 0, 0]);
  assert.deepEqual(ds.ratingScale, [1, 5]);
});

test("CSV layout: quoted titles with commas and quotes, half stars, years from titles, no-genre movies", async () => {
  const dir = path.join(FIX, "mini-csv");
  assert.equal(detectFormat(dir), "csv");
  const data = await readMovieLensDir(dir);
  const ds = toRatingDataset(data);
  assert.equal(ds.nRatings, 7);
  assert.equal(ds.nUsers, 3);
  assert.deepEqual(ds.itemIds, ["1", "29", "200", "89045", "108548", "143410"]); // 300 is never rated
  assert.deepEqual(ds.ratingScale, [0.5, 5]);
  const t = (id: string) => ds.titles[ds.innerItem(id)];
  const y = (id: string) => ds.years[ds.innerItem(id)];
  assert.equal(t("29"), "City of Lost Children, The (Cité des enfants perdus, La) (1995)");
  assert.equal(t("200"), 'The "Quoted" Movie (2001)');
  assert.equal(t("89045"), "Rocky VI (1986)"); // trailing blank trimmed
  assert.equal(y("29"), 1995);
  assert.equal(y("89045"), 1986);
  assert.equal(y("108548"), 2007); // "(2007-)": a series, first year
  assert.ok(Number.isNaN(y("143410"))); // "Hyena Road": no year
  // all genres of movies.csv, sorted, without "(no genres listed)" (Western comes from unrated movie 300)
  assert.deepEqual(ds.genreNames, ["Adventure", "Animation", "Children", "Comedy", "Drama", "Fantasy", "Mystery", "Sci-Fi", "Western"]);
  assert.deepEqual(Array.from(ds.itemGenres(ds.innerItem("143410"))), [0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(ds.itemGenres(ds.innerItem("29"))), [1, 0, 0, 0, 1, 1, 1, 1, 0]);
  assert.equal(ds.rating(ds.innerUser(1), ds.innerItem(29)), 2.5);
  assert.equal(ds.rating(ds.innerUser(2), ds.innerItem(89045)), 0.5);
  assert.equal(ds.timestamps[0], 1260759144);
});

test("DAT layout (MovieLens 1M): :: separators, latin-1 titles", async () => {
  const dir = path.join(FIX, "mini-dat");
  assert.equal(detectFormat(dir), "dat");
  const ds = toRatingDataset(await readMovieLensDir(dir));
  assert.deepEqual(ds.ratingScale, [1, 5]);
  assert.equal(ds.nRatings, 4);
  assert.deepEqual(ds.itemIds, ["1", "2", "73"]);
  assert.equal(ds.titles[ds.innerItem(73)], "Misérables, Les (1995)");
  assert.equal(ds.years[ds.innerItem(73)], 1995);
  assert.deepEqual(ds.genreNames, ["Adventure", "Animation", "Children's", "Comedy", "Drama", "Fantasy", "Musical"]);
  assert.deepEqual(Array.from(ds.itemGenres(ds.innerItem(73))), [0, 0, 0, 0, 1, 0, 1]);
  assert.equal(ds.rating(ds.innerUser(2), ds.innerItem(2)), 2);
});

test("malformed lines are errors naming the file and the line", async () => {
  await assert.rejects(
    load({ "u.genre": GENRES_5, "u.item": ITEMS_2, "u.data": "1\t1\t3\t100\n1\t2\t4\t101\n2\t1\t5\n" }),
    /u\.data:3: expected 4 tab-separated fields, found 3/,
  );
  await assert.rejects(
    load({ "ratings.csv": "userId,movieId,rating,timestamp\n1,1,3,100\n1,2,4,101\n2,1,abc,102\n", "movies.csv": MOVIES_CSV }),
    /ratings\.csv:4: rating "abc" is not a number/,
  );
  await assert.rejects(
    load({ "ratings.csv": "userId,movieId,rating,timestamp\n1,1,7,100\n", "movies.csv": MOVIES_CSV }),
    /ratings\.csv:2: rating 7 is outside the rating scale \[0\.5, 5\]/,
  );
  await assert.rejects(
    load({ "ratings.csv": "userId,movieId,rating,timestamp\n1,1,3,100.5\n", "movies.csv": MOVIES_CSV }),
    /ratings\.csv:2: timestamp "100\.5" is not a whole number/,
  );
  await assert.rejects(
    load({ "ratings.dat": "1::1::3::100\n1::999::4::101\n", "movies.dat": MOVIES_DAT }),
    /ratings\.dat:2: movie id "999" is not in movies\.dat/,
  );
  await assert.rejects(
    load({ "u.genre": GENRES_5, "u.item": "1|A|||url|0|1|0|0|0\n2|B|||url|0|0|x|0|0\n", "u.data": "1\t1\t3\t100\n" }),
    /u\.item:2: genre flag 3 \(Comedy\) is "x", expected 0 or 1/,
  );
  await assert.rejects(
    load({ "u.genre": GENRES_5, "u.item": "1|A|||url|0|1|0|0|0\n2|B|||0|0\n", "u.data": "1\t1\t3\t100\n" }),
    /u\.item:2: expected at least 10 \|-separated fields/,
  );
  await assert.rejects(
    load({ "ratings.csv": "userId,movieId,rating,timestamp\n1,1,3,100\n", "movies.csv": 'movieId,title,genres\n1,A,Drama\n2,"B (1991),Comedy\n' }),
    /movies\.csv:3: unterminated quoted field/,
  );
  await assert.rejects(
    load({ "ratings.csv": "userId,movieId,rating,timestamp\n1,1,3,100\n", "movies.csv": "movieId,title,genres\n1,A,Drama\n2,B,Comedy\n1,C,Drama\n" }),
    /movies\.csv:4: movie id 1 already appears on line 2/,
  );
  await assert.rejects(
    load({ "ratings.csv": "userId,movieId,rating,timestamp\n1,1,3,100\n", "movies.csv": "movieId,title,genres\n1,A,Drama,extra\n" }),
    /movies\.csv:2: expected 3 comma-separated fields, found 4/,
  );
  await assert.rejects(
    load({ "ratings.csv": "user,movieId,rating,timestamp\n1,1,3,100\n", "movies.csv": MOVIES_CSV }),
    /ratings\.csv:1: header has no "userId" column/,
  );
  await assert.rejects(
    load({ "movies.dat": "1::A (1990)::Drama\n2::B (1991)\n", "ratings.dat": "1::1::3::100\n" }),
    /movies\.dat:2: expected MovieID::Title::Genres/,
  );
});

test("a duplicate rating names both lines; an empty file is an error", async () => {
  await assert.rejects(
    load({ "ratings.csv": "userId,movieId,rating,timestamp\n1,1,3,100\n1,2,4,101\n\n2,1,5,102\n1,1,2,103\n", "movies.csv": MOVIES_CSV }),
    /ratings\.csv:6: .*user 1 rated item 1 more than once \(lines 2 and 6\)/,
  );
  await assert.rejects(
    load({ "ratings.csv": "userId,movieId,rating,timestamp\n", "movies.csv": MOVIES_CSV }),
    /ratings\.csv: no ratings \(the dataset is empty\)/,
  );
  await assert.rejects(load({ "u.genre": GENRES_5, "u.item": ITEMS_2, "u.data": "\n" }), /u\.data: no ratings/);
  await assert.rejects(load({ "ratings.dat": "1::1::3::100\n", "movies.dat": "" }), /movies\.dat: no movies/);
});

test("missing files and non-MovieLens directories are explained", async () => {
  await assert.rejects(load({ "u.data": "1\t1\t3\t100\n", "u.item": ITEMS_2 }), /has no u\.genre/);
  await assert.rejects(load({ "notes.txt": "hello" }), /is not a MovieLens directory: found none of u\.data, ratings\.csv, ratings\.dat \(it holds notes\.txt\)/);
  await assert.rejects(readMovieLensDir(path.join(os.tmpdir(), "recsys-no-such-dir-xyz")), /does not exist/);
});

test("u.item genre flags are the last fields of a line (ml-100k's item 267 has one field too many)", () => {
  const genres = ["unknown", "Action", "Comedy"];
  const text = "1|A (1990)|01-Jan-1990||url|0|1|0\n267|unknown|a||b|0|1|0|0\n";
  const m = parseItems100k(Buffer.from(text, "latin1"), "u.item", genres);
  assert.deepEqual(m.ids, ["1", "267"]);
  assert.deepEqual(Array.from(m.genres), [0, 1, 0, 1, 0, 0]);
  assert.equal(m.years[0], 1990);
  assert.ok(Number.isNaN(m.years[1])); // "a" is not a date
});

test("text encoding: UTF-8 when valid, otherwise latin-1", () => {
  assert.equal(textEncoding(Buffer.from("Mis\xe9rables", "latin1")), "latin1");
  assert.equal(textEncoding(Buffer.from("Misérables", "utf8")), "utf8");
  assert.equal(textEncoding(Buffer.from("plain ascii")), "utf8");
  const m = parseItems100k(Buffer.from("1|Caf\u00e9 (1993)|||url|1\n", "utf8"), "u.item", ["unknown"]);
  assert.equal(m.titles[0], "Café (1993)");
  const l = parseItems100k(Buffer.from("1|Caf\u00e9 (1993)|||url|1\n", "latin1"), "u.item", ["unknown"]);
  assert.equal(l.titles[0], "Café (1993)");
});

test("parseCsv: quotes, doubled quotes, commas and line breaks inside quotes, CRLF, blank lines", () => {
  const records: [string[], number][] = [];
  parseCsv('a,b,c\r\n1,"x, y",""\r\n\r\n2,"say ""hi""","two\nlines"\n3,,\n4,last', "t.csv", (f, line) => records.push([f, line]));
  assert.deepEqual(records, [
    [["a", "b", "c"], 1],
    [["1", "x, y", ""], 2],
    [["2", 'say "hi"', "two\nlines"], 4],
    [["3", "", ""], 6],
    [["4", "last"], 7],
  ]);
  assert.throws(() => parseCsv('a,b\n1,x"y\n', "t.csv", () => undefined), /t\.csv:2: quote inside an unquoted field/);
  assert.throws(() => parseCsv('a,b\n1,"x"y\n', "t.csv", () => undefined), /t\.csv:2: unexpected character "y" after a closing quote/);
});

test("years from titles and from 100K release dates", () => {
  assert.equal(yearFromTitle("Toy Story (1995)"), 1995);
  assert.equal(yearFromTitle("Léon: The Professional (a.k.a. The Professional) (Léon) (1994)"), 1994);
  assert.equal(yearFromTitle("Rocky VI (1986) "), 1986);
  assert.equal(yearFromTitle("Fawlty Towers (1975-1979)"), 1975);
  assert.equal(yearFromTitle("Big Bang Theory, The (2007-)"), 2007);
  assert.ok(Number.isNaN(yearFromTitle("Hyena Road")));
  assert.ok(Number.isNaN(yearFromTitle("2001: A Space Odyssey")));
  assert.equal(yearFromReleaseDate("01-Jan-1995"), 1995);
  assert.equal(yearFromReleaseDate("8-Mar-1996"), 1996);
  assert.ok(Number.isNaN(yearFromReleaseDate("")));
  assert.ok(Number.isNaN(yearFromReleaseDate("01-Foo-1995")));
});

test("forEachLine crosses its 16 MB chunks without splitting or losing a line", () => {
  const n = 1_600_000; // 11 bytes a line: ~17.6 MB, two chunks
  const buf = Buffer.alloc(n * 11);
  for (let k = 1, p = 0; k <= n; k++, p += 11) {
    let x = k;
    for (let d = 8; d >= 0; d--, x = Math.floor(x / 10)) buf[p + d] = 48 + (x % 10);
    buf[p + 9] = 13; // CRLF on every line
    buf[p + 10] = 10;
  }
  assert.ok(buf.length > 1 << 24);
  let count = 0;
  let bad = 0;
  forEachLine(buf, "latin1", (line, lineNo) => {
    count++;
    if (Number(line) !== lineNo || line.length !== 9) bad++;
  });
  assert.equal(count, n);
  assert.equal(bad, 0);
});
