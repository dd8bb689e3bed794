/**
 * A subset of the IMDb movie-review sentiment data (Maas, Daly, Pham, Huang, Ng & Potts, "Learning
 * Word Vectors for Sentiment Analysis", ACL 2011): 5,000 training and 1,000 test reviews already
 * encoded as word indices in the Keras convention (1 = start of review, 2 = out of vocabulary,
 * 3+ = the 497 most frequent words by rank; vocabulary 500).
 *
 * File format (JSON Lines): one `{"x": [indices…], "y": 0 | 1}` per line (1 = positive review).
 * The files exist only in the course's data mirror: the loader reads `file` when given, else
 * `$RECSYS_DATA_MIRROR/imdb-subset/<set>.jsonl`, else `<data dir>/imdb-subset/<set>.jsonl`.
 *
 * Sequences are cut or padded to a fixed length as Keras's `pad_sequences` does by default:
 * padding with 0 **before** short reviews and keeping the **last** `maxLen` words of long ones
 * (`padding: "pre"`, `truncating: "pre"`), so the words next to the end — where the recurrent
 * state is read — are real words.
 */
import * as fs from "fs";
import * as path from "path";
import { dataDir, dataMirror, ENV_DATA_MIRROR } from "./paths";

export const IMDB_DIR = "imdb-subset";
export const IMDB_VOCAB = 500;

export interface Reviews {
  /** n × maxLen word indices (0 = padding), row-major. */
  x: Int32Array;
  /** 1 = positive, 0 = negative. */
  y: Uint8Array;
  n: number;
  maxLen: number;
  /** Length of each review before padding/truncation. */
  lengths: Int32Array;
  /** Largest word index + 1 the model needs (the vocabulary size). */
  vocabSize: number;
}

export interface PadOptions {
  /** Sequence length after padding/truncation; default 80. */
  maxLen?: number;
  /** Where zeros go in short sequences; default "pre" (Keras). */
  padding?: "pre" | "post";
  /** Which end of long sequences is cut off; default "pre" (keep the last maxLen, Keras). */
  truncating?: "pre" | "post";
  /** Indices must be below this (default IMDB_VOCAB = 500). */
  vocabSize?: number;
}

/** Pads/truncates one sequence into `out` (length maxLen), as Keras's pad_sequences. */
export function padSequence(seq: ArrayLike<number>, maxLen: number, out: Int32Array | number[], opts: { padding?: "pre" | "post"; truncating?: "pre" | "post" } = {}): void {
  const padding = opts.padding ?? "pre", truncating = opts.truncating ?? "pre";
  const keep = Math.min(seq.length, maxLen);
  const from = truncating === "pre" ? seq.length - keep : 0;
  const at = padding === "pre" ? maxLen - keep : 0;
  for (let k = 0; k < maxLen; k++) out[k] = 0;
  for (let k = 0; k < keep; k++) out[at + k] = seq[from + k];
}

/** Parses JSON Lines text; errors name `file:line`. */
export function parseReviews(text: string, file = "reviews.jsonl", opts: PadOptions = {}): Reviews {
  const maxLen = opts.maxLen ?? 80;
  const vocab = opts.vocabSize ?? IMDB_VOCAB;
  if (!(Number.isInteger(maxLen) && maxLen > 0)) throw new Error(`parseReviews: maxLen must be a positive integer, got ${maxLen}`);
  const seqs: number[][] = [];
  const ys: number[] = [];
  const lines = text.split("\n");
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln].trim();
    if (line === "") continue;
    const where = `${file}:${ln + 1}`;
    let o: { x?: unknown; y?: unknown };
    try {
      o = JSON.parse(line) as { x?: unknown; y?: unknown };
    } catch (e) {
      throw new Error(`${where}: not valid JSON (${(e as Error).message})`);
    }
    if (o === null || typeof o !== "object" || !Array.isArray(o.x)) throw new Error(`${where}: expected {"x": [word indices], "y": 0 | 1}`);
    if (o.y !== 0 && o.y !== 1) throw new Error(`${where}: y is ${JSON.stringify(o.y)}, expected 0 or 1`);
    const x = o.x as unknown[];
    for (let k = 0; k < x.length; k++) {
      const v = x[k];
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= vocab) {
        throw new Error(`${where}: word ${k} is ${JSON.stringify(v)}, expected an integer index in [0, ${vocab})`);
      }
    }
    seqs.push(x as number[]);
    ys.push(o.y);
  }
  if (seqs.length === 0) throw new Error(`${file}: no reviews`);
  const n = seqs.length;
  const out = new Int32Array(n * maxLen), lengths = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    padSequence(seqs[i], maxLen, out.subarray(i * maxLen, (i + 1) * maxLen), opts);
    lengths[i] = seqs[i].length;
  }
  return { x: out, y: Uint8Array.from(ys), n, maxLen, lengths, vocabSize: vocab };
}

/** The file of one set: `file`, else the mirror's copy, else the data directory's copy. */
export function reviewsPath(set: "train" | "test", file?: string): string {
  if (file !== undefined && file !== "") return path.resolve(file);
  const tried: string[] = [];
  const mirror = dataMirror();
  const dirs = mirror?.kind === "dir" ? [path.join(mirror.dir, IMDB_DIR)] : [];
  dirs.push(path.join(dataDir(), IMDB_DIR));
  for (const d of dirs) {
    const p = path.join(d, `${set}.jsonl`);
    if (fs.existsSync(p)) return p;
    tried.push(p);
  }
  throw new Error(
    `IMDb subset (${set}) not found; looked at ${tried.join(" and ")}. It has no public download: ` +
      `pass its path, or set ${ENV_DATA_MIRROR} to a folder holding ${IMDB_DIR}/${set}.jsonl.`,
  );
}

/** Loads one set of the IMDb subset, padded/truncated (see `PadOptions`). */
export function loadReviews(set: "train" | "test", opts: PadOptions & { file?: string } = {}): Reviews {
  const p = reviewsPath(set, opts.file);
  return parseReviews(fs.readFileSync(p, "utf8"), p, opts);
}

/** Share of positive labels (the majority-class baseline's accuracy is max(p, 1 − p)). */
export function positiveShare(y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i];
  return y.length ? s / y.length : NaN;
}
