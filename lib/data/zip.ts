/**
 * A small streaming zip reader: lists a zip's central directory and extracts its files to disk,
 * inflating with Node's zlib one entry at a time (so a 250 MB zip with a 700 MB file inside never
 * sits in memory), checking each file's size and CRC-32.
 *
 * Format: PKWARE APPNOTE.TXT (end of central directory record, central directory file headers,
 * local file headers, ZIP64 extensions). Supports methods 0 (stored) and 8 (deflate); encrypted
 * entries, other methods and unsafe paths (absolute, or with "..") are errors.
 */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { Transform, TransformCallback, PassThrough } from "stream";
import { pipeline } from "stream/promises";

export interface ZipEntry {
  /** Path inside the zip, with "/" separators. */
  name: string;
  /** 0 = stored, 8 = deflate. */
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  localHeaderOffset: number;
  isDirectory: boolean;
  encrypted: boolean;
}

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

async function readAt(fh: fs.promises.FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === length ? buf : buf.subarray(0, got);
}

function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error("zip: 64-bit field too large");
  return Number(v);
}

/** The entries of a zip file, from its central directory. */
export async function listZip(file: string): Promise<ZipEntry[]> {
  const fh = await fs.promises.open(file, "r");
  try {
    const size = (await fh.stat()).size;
    const tailLen = Math.min(size, 22 + 0xffff + 20);
    const tail = await readAt(fh, size - tailLen, tailLen);
    let eocd = -1;
    for (let p = tail.length - 22; p >= 0; p--) {
      if (tail.readUInt32LE(p) === SIG_EOCD) {
        eocd = p;
        break;
      }
    }
    if (eocd < 0) throw new Error(`${file} is not a zip file (no end of central directory record)`);
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = eocd - 20;
      if (loc < 0 || tail.readUInt32LE(loc) !== SIG_ZIP64_LOCATOR) {
        throw new Error(`${file}: ZIP64 archive without a ZIP64 end of central directory locator`);
      }
      const rec = await readAt(fh, u64(tail, loc + 8), 56);
      if (rec.length < 56 || rec.readUInt32LE(0) !== SIG_ZIP64_EOCD) throw new Error(`${file}: bad ZIP64 end of central directory record`);
      count = u64(rec, 32);
      cdSize = u64(rec, 40);
      cdOffset = u64(rec, 48);
    }
    if (cdOffset + cdSize > size) throw new Error(`${file} is truncated (central directory beyond the end of the file)`);
    const cd = await readAt(fh, cdOffset, cdSize);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let k = 0; k < count; k++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL) throw new Error(`${file}: corrupt central directory (entry ${k})`);
      const flags = cd.readUInt16LE(p + 8);
      const method = cd.readUInt16LE(p + 10);
      const crc = cd.readUInt32LE(p + 16);
      let compressedSize = cd.readUInt32LE(p + 20);
      let usize = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      let offset = cd.readUInt32LE(p + 42);
      const rawName = cd.subarray(p + 46, p + 46 + nameLen);
      const name = rawName.toString(flags & 0x800 ? "utf8" : "latin1").replace(/\\/g, "/");
      // ZIP64 extended information: the 64-bit values of the fields that hold 0xffffffff, in order.
      let e = p + 46 + nameLen;
      const extraEnd = e + extraLen;
      while (e + 4 <= extraEnd) {
        const id = cd.readUInt16LE(e);
        const len = cd.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          if (usize === 0xffffffff) (usize = u64(cd, q)), (q += 8);
          if (compressedSize === 0xffffffff) (compressedSize = u64(cd, q)), (q += 8);
          if (offset === 0xffffffff) offset = u64(cd, q);
        }
        e += 4 + len;
      }
      entries.push({
        name,
        method,
        compressedSize,
        size: usize,
        crc32: crc,
        localHeaderOffset: offset,
        isDirectory: name.endsWith("/"),
        encrypted: (flags & 1) !== 0,
      });
      p = extraEnd + commentLen;
    }
    return entries;
  } finally {
    await fh.close();
  }
}

/** A relative, normalised path for an entry, or an error if it would escape the target folder. */
function safeRelative(name: string, file: string): string {
  const parts = name.split("/").filter((s) => s !== "" && s !== ".");
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name) || parts.some((s) => s === "..")) {
    throw new Error(`${file}: unsafe path ${JSON.stringify(name)} in zip (absolute or with "..")`);
  }
  return parts.join("/");
}

class CheckSize extends Transform {
  private got = 0;
  private crc = 0;
  constructor(private readonly entry: ZipEntry, private readonly file: string) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.got += chunk.length;
    this.crc = zlib.crc32(chunk, this.crc);
    if (this.got > this.entry.size) {
      cb(new Error(`${this.file}: ${this.entry.name} is larger than its recorded size ${this.entry.size}`));
      return;
    }
    cb(null, chunk);
  }
  override _flush(cb: TransformCallback): void {
    if (this.got !== this.entry.size) {
      cb(new Error(`${this.file}: ${this.entry.name} has ${this.got} bytes, expected ${this.entry.size} (truncated or corrupt zip)`));
    } else if (this.crc >>> 0 !== this.entry.crc32 >>> 0) {
      cb(new Error(`${this.file}: CRC-32 mismatch in ${this.entry.name} (corrupt zip)`));
    } else cb();
  }
}

/**
 * Extracts every file of `zipFile` under `destDir` (created if needed), keeping the zip's folder
 * structure. Returns the relative paths written. Not atomic by itself: callers extract into a
 * temporary folder and rename it.
 */
export async function extractZip(zipFile: string, destDir: string): Promise<string[]> {
  const entries = await listZip(zipFile);
  await fs.promises.mkdir(destDir, { recursive: true });
  const written: string[] = [];
  const fh = await fs.promises.open(zipFile, "r");
  try {
    for (const entry of entries) {
      const rel = safeRelative(entry.name, zipFile);
      if (rel === "") continue;
      const target = path.join(destDir, rel);
      if (entry.isDirectory) {
        await fs.promises.mkdir(target, { recursive: true });
        continue;
      }
      if (entry.encrypted) throw new Error(`${zipFile}: ${entry.name} is encrypted`);
      if (entry.method !== 0 && entry.method !== 8) {
        throw new Error(`${zipFile}: ${entry.name} uses compression method ${entry.method} (only stored and deflate are supported)`);
      }
      const local = await readAt(fh, entry.localHeaderOffset, 30);
      if (local.length < 30 || local.readUInt32LE(0) !== SIG_LOCAL) throw new Error(`${zipFile}: bad local header for ${entry.name}`);
      const dataStart = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      const out = fs.createWriteStream(target, { flags: "wx" });
      const source =
        entry.compressedSize > 0
          ? fs.createReadStream(zipFile, { start: dataStart, end: dataStart + entry.compressedSize - 1 })
          : emptyStream();
      const decode = entry.method === 8 ? zlib.createInflateRaw() : new PassThrough();
      await pipeline(source, decode, new CheckSize(entry, zipFile), out);
      written.push(rel);
    }
  } finally {
    await fh.close();
  }
  return written;
}

function emptyStream(): PassThrough {
  const s = new PassThrough();
  s.end();
  return s;
}
