/**
 * Parsers for the three MovieLens file layouts, and the step from parsed tables to a
 * `RatingDataset`.
 *
 * - 100K: `u.data` — tab-separated `user item rating timestamp`, no header;
 *   `u.item` — `|`-separated, latin-1 (UTF-8 if valid, see `textEncoding`):
 *   `id|title|release date|video release date|IMDb URL|` then one
 *   0/1 flag per genre ("the last 19 fields are the genres", README of ml-100k: the flags are taken
 *   from the end of the line, so a line with an extra field — ml-100k's own item 267 has one — still
 *   parses); `u.genre` — `name|index`.
 * - CSV (latest, 20M, 25M): `ratings.csv` with header `userId,movieId,rating,timestamp`;
 *   `movies.csv` with header `movieId,title,genres` — RFC 4180 quoting (titles with commas are
 *   quoted, `""` is a quote), genres separated by `|`, "(no genres listed)" for none; UTF-8.
 * - DAT (1M): `ratings.dat` `UserID::MovieID::Rating::Timestamp`; `movies.dat`
 *   `MovieID::Title::Genres`; latin-1 (UTF-8 if valid).
 *
 * Years come from the release date (100K, `01-Jan-1995`) or from the `(1995)` at the end of a
 * title (CSV/DAT; a series' `(2007-)` or `(1975-1979)` gives its first year); NaN when unknown.
 * Genre names are those of `u.genre` (100K, in file order, including "unknown") or the sorted set
 * of genres found in the movies file, without "(no genres listed)".
 *
 * Every malformed line is an error naming the file and line; nothing is silently dropped.
 */
import { isUtf8 } from "buffer";
import * as fs from "fs";
import * as path from "path";
import { RatingDataset, fromTriples } from "./dataset";
import { MovieLensFormat, formatFiles, formatRatingScale } from "./registry";

export interface RatingsTable {
  /** Raw user id of each rating (strings as in the file; equal ids share one string). */
  users: string[];
  /** Raw movie id of each rating (the same string objects as `MoviesTable.ids`). */
  items: string[];
  ratings: Float32Array;
  /** Seconds since the Unix epoch (NaN when the file has no timestamp column). */
  timestamps: Float64Array;
  /** 1-based source line of each rating, for error messages. */
  lines: Int32Array;
  /** Path of the ratings file. */
  file: string;
}

export interface MoviesTable {
  ids: string[];
  titles: string[];
  /** Release year, NaN when unknown. */
  years: Float64Array;
  genreNames: string[];
  /** Row-major ids.length × genreNames.length 0/1 flags. */
  genres: Uint8Array;
  /** Raw id → row. */
  index: Map<string, number>;
  /** Path of the movies file. */
  file: string;
}

export interface MovieLensData {
  name: string;
  dir: string;
  format: MovieLensFormat;
  ratingScale: [number, number];
  movies: MoviesTable;
  ratings: RatingsTable;
}

const NO_GENRES = "(no genres listed)";
const MONTHS = new Set(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]);

/**
 * The text encoding of a metadata file: UTF-8 when the bytes are valid UTF-8, latin-1 otherwise.
 * The GroupLens README calls u.item and movies.dat latin-1 (ISO-8859-1), and a latin-1 file with
 * accented letters is practically never valid UTF-8; but copies re-encoded to UTF-8 exist (the
 * ml-100k copy whose sha256 the registry records holds UTF-8 "\uFFFD" where the accented letters
 * were), and decoding those as latin-1 would turn each into three junk characters.
 */
export function textEncoding(buf: Uint8Array): "utf8" | "latin1" {
  return isUtf8(buf) ? "utf8" : "latin1";
}

function fail(file: string, line: number, message: string): Error {
  return new Error(`${file}:${line}: ${message}`);
}

/**
 * Calls `fn` for each line of `buf` (without its line ending; `\r\n` and `\n` both work) with its
 * 1-based line number. Works chunk by chunk, so files larger than the maximum string length
 * (ml-25m's ratings.csv) are fine.
 */
export function forEachLine(
  buf: Uint8Array,
  encoding: "utf8" | "latin1",
  fn: (line: string, lineNo: number) => void,
): void {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const CHUNK = 1 << 24;
  let pos = 0;
  let lineNo = 0;
  if (encoding === "utf8" && b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) pos = 3;
  while (pos < b.length) {
    let end = Math.min(pos + CHUNK, b.length);
    if (end < b.length) {
      const nl = b.lastIndexOf(10, end - 1);
      if (nl >= pos) end = nl + 1;
      else {
        const next = b.indexOf(10, end);
        end = next < 0 ? b.length : next + 1;
      }
    }
    const text = b.toString(encoding, pos, end);
    let s = 0;
    while (s < text.length) {
      let e = text.indexOf("\n", s);
      if (e < 0) e = text.length;
      const stop = e > s && text.charCodeAt(e - 1) === 13 ? e - 1 : e;
      lineNo++;
      fn(text.slice(s, stop), lineNo);
      s = e + 1;
    }
    pos = end;
  }
}

/**
 * RFC 4180 CSV: calls `onRecord(fields, line)` for every record, with the line the record starts
 * on. Quoted fields may hold commas, `""` (a quote) and line breaks. Blank lines are skipped.
 */
export function parseCsv(
  text: string,
  file: string,
  onRecord: (fields: string[], line: number) => void,
  firstLine = 1,
): void {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = firstLine;
  const n = text.length;
  while (i < n) {
    const start = line;
    // blank line
    if (text[i] === "\n" || (text[i] === "\r" && text[i + 1] === "\n")) {
      i += text[i] === "\r" ? 2 : 1;
      line++;
      continue;
    }
    const fields: string[] = [];
    for (;;) {
      let field = "";
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw fail(file, start, "unterminated quoted field");
          const q = text.indexOf('"', i);
          if (q < 0) throw fail(file, start, "unterminated quoted field");
          const chunk = text.slice(i, q);
          for (let k = 0; k < chunk.length; k++) if (chunk.charCodeAt(k) === 10) line++;
          field += chunk;
          if (text[q + 1] === '"') {
            field += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        const c = text[i];
        if (i < n && c !== "," && c !== "\n" && c !== "\r") {
          throw fail(file, line, `unexpected character ${JSON.stringify(c)} after a closing quote`);
        }
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === 44 || c === 10 || c === 13) break;
          if (c === 34) throw fail(file, line, "quote inside an unquoted field");
          j++;
        }
        field = text.slice(i, j);
        i = j;
      }
      fields.push(field);
      if (i >= n) break;
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "\r") {
        if (text[i + 1] !== "\n") throw fail(file, line, "carriage return without a line feed");
        i++;
      }
      i++; // "\n"
      line++;
      break;
    }
    onRecord(fields, start);
  }
}

function splitCsvLine(line: string, file: string, lineNo: number): string[] {
  if (line.indexOf('"') < 0) return line.split(",");
  let out: string[] = [""];
  parseCsv(line, file, (fields) => (out = fields), lineNo);
  return out;
}

/** A strict decimal number: no blanks, no hex, no "Infinity"; NaN otherwise. */
function toNumber(s: string): number {
  const n = s.length;
  if (n === 0) return NaN;
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(n - 1);
  if (!((first >= 48 && first <= 57) || first === 45 || first === 43 || first === 46)) return NaN;
  if (!((last >= 48 && last <= 57) || last === 46)) return NaN;
  if (n > 1 && first === 48 && (s.charCodeAt(1) | 32) === 120) return NaN; // 0x..
  const v = +s;
  return Number.isFinite(v) ? v : NaN;
}

/**
 * `toNumber` of s.slice(a, b) without making the substring, for plain decimals ("3", "2.5",
 * "881250949"); anything else (signs, exponents, junk) takes the strict slow path.
 */
function fastNumber(s: string, a: number, b: number): number {
  let i = a;
  let v = 0;
  let digits = 0;
  while (i < b) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    i++;
    digits++;
  }
  if (i < b && s.charCodeAt(i) === 46) {
    i++;
    let frac = 0;
    let scale = 1;
    while (i < b) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      frac = frac * 10 + (c - 48);
      scale *= 10;
      i++;
      digits++;
    }
    v += frac / scale;
  }
  if (i !== b || digits === 0 || digits > 15) return toNumber(s.slice(a, b));
  return v;
}

/** The year in "(1995)" at the end of a title ("(2007-)" / "(1975-1979)" give the first year); NaN if none. */
export function yearFromTitle(title: string): number {
  const m = /\((\d{4})(?:[-–](?:\d{4})?)?\)\s*$/.exec(title);
  return m ? Number(m[1]) : NaN;
}

/** The year of a 100K release date such as "01-Jan-1995"; NaN when empty or not such a date. */
export function yearFromReleaseDate(date: string): number {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(date.trim());
  return m && MONTHS.has(m[2].toLowerCase()) ? Number(m[3]) : NaN;
}

// ---- 100K -------------------------------------------------------------------------------------

/** `u.genre`: `name|index` lines; indices must be 0..n-1, each once. */
export function parseGenres100k(buf: Uint8Array, file: string): string[] {
  const names: string[] = [];
  const seen = new Map<number, number>();
  forEachLine(buf, textEncoding(buf), (line, lineNo) => {
    if (line.trim() === "") return;
    const f = line.split("|");
    if (f.length !== 2) throw fail(file, lineNo, `expected "name|index", found ${JSON.stringify(line)}`);
    const idx = toNumber(f[1]);
    if (!Number.isInteger(idx) || idx < 0) throw fail(file, lineNo, `genre index ${JSON.stringify(f[1])} is not a whole number`);
    if (f[0] === "") throw fail(file, lineNo, "empty genre name");
    if (seen.has(idx)) throw fail(file, lineNo, `genre index ${idx} already used on line ${seen.get(idx)}`);
    seen.set(idx, lineNo);
    names[idx] = f[0];
  });
  if (names.length === 0) throw new Error(`${file}: no genres`);
  for (let g = 0; g < names.length; g++) {
    if (names[g] === undefined) throw new Error(`${file}: genre index ${g} is missing (indices must be 0..${names.length - 1})`);
  }
  return names;
}

/**
 * `u.item` (latin-1, or UTF-8 when valid: see `textEncoding`):
 * `id|title|release date|video release date|URL|flag…` (flags = the last genreNames.length fields).
 */
export function parseItems100k(buf: Uint8Array, file: string, genreNames: string[]): MoviesTable {
  const g = genreNames.length;
  const ids: string[] = [];
  const titles: string[] = [];
  const years: number[] = [];
  const flags: number[] = [];
  const index = new Map<string, number>();
  const lineOf: number[] = [];
  forEachLine(buf, textEncoding(buf), (line, lineNo) => {
    if (line === "") return;
    const f = line.split("|");
    if (f.length < 5 + g) {
      throw fail(file, lineNo, `expected at least ${5 + g} |-separated fields (5 + ${g} genre flags), found ${f.length}`);
    }
    const id = f[0];
    if (id === "") throw fail(file, lineNo, "empty movie id");
    const prev = index.get(id);
    if (prev !== undefined) throw fail(file, lineNo, `movie id ${id} already appears on line ${lineOf[prev]}`);
    index.set(id, ids.length);
    lineOf.push(lineNo);
    ids.push(id);
    titles.push(f[1].trim());
    years.push(yearFromReleaseDate(f[2]));
    for (let k = f.length - g; k < f.length; k++) {
      const v = f[k];
      if (v !== "0" && v !== "1") {
        throw fail(file, lineNo, `genre flag ${k - (f.length - g) + 1} (${genreNames[k - (f.length - g)]}) is ${JSON.stringify(v)}, expected 0 or 1`);
      }
      flags.push(v === "1" ? 1 : 0);
    }
  });
  if (ids.length === 0) throw new Error(`${file}: no movies`);
  return {
    ids,
    titles,
    years: Float64Array.from(years),
    genreNames: genreNames.slice(),
    genres: Uint8Array.from(flags),
    index,
    file,
  };
}

// ---- CSV / DAT movies -------------------------------------------------------------------------

function moviesFromLists(
  file: string,
  rows: { id: string; title: string; genres: string[]; line: number }[],
): MoviesTable {
  if (rows.length === 0) throw new Error(`${file}: no movies`);
  const index = new Map<string, number>();
  const set = new Set<string>();
  rows.forEach((r, k) => {
    const prev = index.get(r.id);
    if (prev !== undefined) throw fail(file, r.line, `movie id ${r.id} already appears on line ${rows[prev].line}`);
    index.set(r.id, k);
    for (const g of r.genres) set.add(g);
  });
  const genreNames = Array.from(set).sort();
  const gIndex = new Map(genreNames.map((name, k) => [name, k] as [string, number]));
  const G = genreNames.length;
  const genres = new Uint8Array(rows.length * G);
  rows.forEach((r, k) => {
    for (const g of r.genres) genres[k * G + gIndex.get(g)!] = 1;
  });
  return {
    ids: rows.map((r) => r.id),
    titles: rows.map((r) => r.title),
    years: Float64Array.from(rows, (r) => yearFromTitle(r.title)),
    genreNames,
    genres,
    index,
    file,
  };
}

function splitGenres(field: string, file: string, line: number): string[] {
  const s = field.trim();
  if (s === "" || s === NO_GENRES) return [];
  const parts = s.split("|");
  for (const p of parts) {
    if (p.trim() === "") throw fail(file, line, `empty genre name in ${JSON.stringify(field)}`);
  }
  return parts.map((p) => p.trim()).filter((p) => p !== NO_GENRES);
}

/** `movies.csv` (UTF-8; latin-1 if it is not valid UTF-8): header `movieId,title,genres`; titles may be quoted. */
export function parseMoviesCsv(buf: Uint8Array, file: string): MoviesTable {
  const text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString(textEncoding(buf));
  const rows: { id: string; title: string; genres: string[]; line: number }[] = [];
  let cols: { id: number; title: number; genres: number; n: number } | undefined;
  parseCsv(text, file, (fields, line) => {
    if (!cols) {
      const at = (name: string): number => {
        const k = fields.indexOf(name);
        if (k < 0) throw fail(file, line, `header has no "${name}" column (found ${fields.join(",")})`);
        return k;
      };
      cols = { id: at("movieId"), title: at("title"), genres: at("genres"), n: fields.length };
      return;
    }
    if (fields.length !== cols.n) throw fail(file, line, `expected ${cols.n} comma-separated fields, found ${fields.length}`);
    const id = fields[cols.id];
    if (id === "") throw fail(file, line, "empty movieId");
    rows.push({ id, title: fields[cols.title].trim(), genres: splitGenres(fields[cols.genres], file, line), line });
  });
  if (!cols) throw new Error(`${file}: empty file (expected a header movieId,title,genres)`);
  return moviesFromLists(file, rows);
}

/** `movies.dat` (latin-1, or UTF-8 when valid): `MovieID::Title::Genres`. */
export function parseMoviesDat(buf: Uint8Array, file: string): MoviesTable {
  const rows: { id: string; title: string; genres: string[]; line: number }[] = [];
  forEachLine(buf, textEncoding(buf), (line, lineNo) => {
    if (line === "") return;
    const f = line.split("::");
    if (f.length < 3) throw fail(file, lineNo, `expected MovieID::Title::Genres, found ${JSON.stringify(line)}`);
    const id = f[0];
    if (id === "") throw fail(file, lineNo, "empty MovieID");
    const title = f.slice(1, f.length - 1).join("::").trim();
    rows.push({ id, title, genres: splitGenres(f[f.length - 1], file, lineNo), line: lineNo });
  });
  return moviesFromLists(file, rows);
}

// ---- ratings ----------------------------------------------------------------------------------

/**
 * Ratings of any of the three formats. Every movie id must be in `movies` (an unknown id is an
 * error naming the line); every rating must be a number inside `scale`; timestamps whole numbers.
 */
export function parseRatings(
  buf: Uint8Array,
  file: string,
  format: MovieLensFormat,
  scale: [number, number],
  movies: MoviesTable,
): RatingsTable {
  const sep = format === "100k" ? "\t" : format === "dat" ? "::" : ",";
  const sepName = format === "100k" ? "tab" : format === "dat" ? "::" : "comma";
  let cap = Math.max(1024, Math.ceil(buf.length / 20));
  let ratings = new Float32Array(cap);
  let timestamps = new Float64Array(cap);
  let lines = new Int32Array(cap);
  const users: string[] = [];
  const items: string[] = [];
  const userIntern = new Map<string, string>();
  let n = 0;
  // column positions; CSV reads them from its header
  let cu = 0;
  let ci = 1;
  let cr = 2;
  let ct = 3;
  let nf = 4;
  let header = format !== "csv";
  const [lo, hi] = scale;
  const csv = format === "csv";
  // Field boundaries of the current line (fast path: no per-field strings for the numbers).
  const starts = new Int32Array(64);
  const ends = new Int32Array(64);
  forEachLine(buf, csv ? "utf8" : "latin1", (line, lineNo) => {
    if (line === "") return;
    // A CSV line with quotes goes through the full CSV parser; every other line is split in place.
    const f = csv && line.indexOf('"') >= 0 ? splitCsvLine(line, file, lineNo) : null;
    const count = f ? f.length : fieldBounds(line, sep, starts, ends);
    if (!header) {
      header = true;
      const names: string[] = [];
      for (let k = 0; k < count; k++) names.push(f ? f[k] : line.slice(starts[k], ends[k]));
      const at = (name: string, required: boolean): number => {
        const k = names.indexOf(name);
        if (k < 0 && required) throw fail(file, lineNo, `header has no "${name}" column (found ${names.join(",")})`);
        return k;
      };
      cu = at("userId", true);
      ci = at("movieId", true);
      cr = at("rating", true);
      ct = at("timestamp", false);
      nf = count;
      if (nf > 64) throw fail(file, lineNo, `too many columns (${nf})`);
      return;
    }
    if (count !== nf) throw fail(file, lineNo, `expected ${nf} ${sepName}-separated fields, found ${count}`);
    const u = f ? f[cu] : line.slice(starts[cu], ends[cu]);
    const m = f ? f[ci] : line.slice(starts[ci], ends[ci]);
    if (u === "") throw fail(file, lineNo, "empty user id");
    const row = movies.index.get(m);
    if (row === undefined) {
      throw fail(file, lineNo, `movie id ${JSON.stringify(m)} is not in ${path.basename(movies.file)}`);
    }
    const r = f ? toNumber(f[cr]) : fastNumber(line, starts[cr], ends[cr]);
    if (Number.isNaN(r)) throw fail(file, lineNo, `rating ${JSON.stringify(f ? f[cr] : line.slice(starts[cr], ends[cr]))} is not a number`);
    if (r < lo || r > hi) throw fail(file, lineNo, `rating ${r} is outside the rating scale [${lo}, ${hi}]`);
    let t = NaN;
    if (ct >= 0) {
      t = f ? toNumber(f[ct]) : fastNumber(line, starts[ct], ends[ct]);
      if (!Number.isInteger(t)) throw fail(file, lineNo, `timestamp ${JSON.stringify(f ? f[ct] : line.slice(starts[ct], ends[ct]))} is not a whole number`);
    }
    if (n === cap) {
      cap = Math.ceil(cap * 1.5);
      ratings = grow(ratings, new Float32Array(cap));
      timestamps = grow(timestamps, new Float64Array(cap));
      lines = grow(lines, new Int32Array(cap));
    }
    let uid = userIntern.get(u);
    if (uid === undefined) {
      userIntern.set(u, u);
      uid = u;
    }
    users.push(uid);
    items.push(movies.ids[row]);
    ratings[n] = r;
    timestamps[n] = t;
    lines[n] = lineNo;
    n++;
  });
  if (!header) throw new Error(`${file}: empty file (expected a header userId,movieId,rating,timestamp)`);
  if (n === 0) throw new Error(`${file}: no ratings (the dataset is empty)`);
  return {
    users,
    items,
    ratings: ratings.slice(0, n),
    timestamps: timestamps.slice(0, n),
    lines: lines.slice(0, n),
    file,
  };
}

/** Start and end of each `sep`-separated field of a line (the first 64); returns the field count. */
function fieldBounds(line: string, sep: string, starts: Int32Array, ends: Int32Array): number {
  let a = 0;
  let k = 0;
  for (;;) {
    const b = line.indexOf(sep, a);
    if (k < starts.length) {
      starts[k] = a;
      ends[k] = b < 0 ? line.length : b;
    }
    k++;
    if (b < 0) return k;
    a = b + sep.length;
  }
}

function grow<T extends Float32Array | Float64Array | Int32Array>(old: T, fresh: T): T {
  fresh.set(old as never);
  return fresh;
}

// ---- directories ------------------------------------------------------------------------------

/** The MovieLens layout of a directory, from the ratings file it holds. */
export function detectFormat(dir: string): MovieLensFormat {
  const candidates: [string, MovieLensFormat][] = [
    ["u.data", "100k"],
    ["ratings.csv", "csv"],
    ["ratings.dat", "dat"],
  ];
  for (const [file, format] of candidates) {
    if (fs.existsSync(path.join(dir, file))) return format;
  }
  let listing = "";
  try {
    const names = fs.readdirSync(dir);
    listing = names.length ? ` (it holds ${names.slice(0, 12).join(", ")}${names.length > 12 ? ", …" : ""})` : " (it is empty)";
  } catch {
    // reported by the caller's directory check
  }
  throw new Error(`${dir} is not a MovieLens directory: found none of u.data, ratings.csv, ratings.dat${listing}`);
}

export interface ReadOptions {
  /** Layout; detected from the files when omitted. */
  format?: MovieLensFormat;
  /** Dataset name; the directory's name when omitted. */
  name?: string;
  /** Rating scale; by format when omitted ([1,5] for 100K/DAT, [0.5,5] for CSV). */
  ratingScale?: [number, number];
}

/** Parses a MovieLens directory (movies first, so every rating's movie id can be checked). */
export async function readMovieLensDir(dir: string, options: ReadOptions = {}): Promise<MovieLensData> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(dir);
  } catch {
    throw new Error(`dataset directory ${dir} does not exist`);
  }
  if (!stat.isDirectory()) throw new Error(`${dir} is not a directory`);
  const format = options.format ?? detectFormat(dir);
  const files = formatFiles(format);
  const at = (name: string): string => path.join(dir, name);
  const read = async (name: string): Promise<Buffer> => {
    try {
      return await fs.promises.readFile(at(name));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") {
        throw new Error(`${dir} has no ${name} (a ${format === "100k" ? "MovieLens 100K" : `MovieLens ${format}`} directory needs ${Object.values(files).join(", ")})`);
      }
      throw e;
    }
  };
  const scale = options.ratingScale ?? formatRatingScale(format);
  let movies: MoviesTable;
  if (format === "100k") {
    const genreNames = parseGenres100k(await read(files.genres!), at(files.genres!));
    movies = parseItems100k(await read(files.movies), at(files.movies), genreNames);
  } else if (format === "csv") {
    movies = parseMoviesCsv(await read(files.movies), at(files.movies));
  } else {
    movies = parseMoviesDat(await read(files.movies), at(files.movies));
  }
  const ratings = parseRatings(await read(files.ratings), at(files.ratings), format, scale, movies);
  return { name: options.name ?? path.basename(path.resolve(dir)), dir, format, ratingScale: scale, movies, ratings };
}

/**
 * The `RatingDataset` of parsed MovieLens tables: rated movies only, with titles, genre flags and
 * years; inner ids in numeric raw-id order (`fromTriples`).
 */
export function toRatingDataset(data: MovieLensData): RatingDataset {
  const { movies, ratings } = data;
  const G = movies.genreNames.length;
  const titles = new Map<string, string>();
  const years = new Map<string, number>();
  const genres = new Map<string, Uint8Array>();
  movies.ids.forEach((id, k) => {
    titles.set(id, movies.titles[k]);
    years.set(id, movies.years[k]);
    genres.set(id, movies.genres.subarray(k * G, (k + 1) * G));
  });
  try {
    return fromTriples(data.name, ratings.users, ratings.items, ratings.ratings, {
      timestamps: ratings.timestamps,
      ratingScale: data.ratingScale,
      itemMeta: { titles, years, genreNames: movies.genreNames, genres },
    });
  } catch (e) {
    // Say where a duplicate rating is in the file (the dataset names rating indices).
    const msg = (e as Error).message;
    const m = /\(ratings (\d+) and (\d+)\)/.exec(msg);
    if (m) {
      const a = ratings.lines[Number(m[1])];
      const b = ratings.lines[Number(m[2])];
      throw new Error(`${ratings.file}:${Math.max(a, b)}: ${msg.replace(/\(ratings \d+ and \d+\)/, `(lines ${Math.min(a, b)} and ${Math.max(a, b)})`)}`);
    }
    throw new Error(`${ratings.file}: ${msg}`);
  }
}
