/**
 * Getting a dataset onto disk: download (or take from a mirror), extract, check, publish.
 *
 * - Downloads use Node's global `fetch`, write to `<file>.tmp-<pid>` and rename when complete;
 *   extraction goes to a temporary folder that is renamed into place only after the integrity
 *   check passed. A failed or interrupted step leaves no partial file behind.
 * - `RECSYS_DATA_MIRROR` (see `paths.ts`) replaces the official download base. When it is set
 *   there is no fallback to the internet: a mirror without the file is an error saying so.
 * - Progress goes to the `onProgress` callback when one is given; otherwise a progress bar is
 *   drawn on stderr only when stderr is a terminal (and `CI` is not set), so logs stay clean.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { DatasetInfo, formatFiles } from "./registry";
import { ENV_DATA_MIRROR, Mirror, dataDir, dataMirror } from "./paths";
import { extractZip } from "./zip";

export interface DownloadProgress {
  /** What is being fetched (a URL). */
  url: string;
  /** Bytes received so far. */
  received: number;
  /** Total bytes when the server said (Content-Length), else undefined. */
  total: number | undefined;
}

export interface DownloadOptions {
  onProgress?: (p: DownloadProgress) => void;
  /** Short label for the progress bar (defaults to the file name of the URL). */
  label?: string;
  /** How long to wait for the response headers and then for each chunk (default 60 s). */
  timeoutMs?: number;
  /** Set when `url` is on a mirror: errors then talk about the mirror. */
  mirror?: Mirror;
}

/** sha256 (hex) of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash("sha256");
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

function describeCause(err: unknown): string {
  const e = err as { message?: string; code?: string; cause?: unknown; errors?: unknown[]; name?: string };
  if (e && e.name === "AbortError") return "timed out";
  const cause = (e?.cause ?? e) as { message?: string; code?: string; errors?: unknown[] };
  if (cause && Array.isArray(cause.errors) && cause.errors.length > 0) return describeCause(cause.errors[0]);
  if (cause?.message) return cause.message;
  if (cause?.code) return cause.code;
  return String(err);
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_FAIL",
  "ETIMEDOUT",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EPERM",
  "EACCES",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
]);

function errorCode(err: unknown): string | undefined {
  const e = err as { code?: string; cause?: unknown; errors?: unknown[]; name?: string };
  if (!e || typeof e !== "object") return undefined;
  if (e.name === "AbortError" || e.name === "TimeoutError") return "ETIMEDOUT";
  if (typeof e.code === "string") return e.code;
  if (Array.isArray(e.errors) && e.errors.length > 0) return errorCode(e.errors[0]);
  return e.cause ? errorCode(e.cause) : undefined;
}

/**
 * The error for a request that failed before any response: when the cause is a network failure
 * (refused, no DNS, unreachable, timed out) the message says the machine seems offline.
 */
export function offlineError(url: string, err: unknown, zipName: string, mirror?: Mirror): Error {
  const why = describeCause(err);
  const code = errorCode(err);
  if (code === undefined || !NETWORK_CODES.has(code)) {
    return new Error(
      `could not download ${url}: ${why}` +
        (mirror ? ` (from the mirror ${ENV_DATA_MIRROR}=${mirror.spec})` : `. ${ENV_DATA_MIRROR} can point at a local copy of ${zipName}.`),
    );
  }
  if (mirror) {
    return new Error(
      `could not download ${url}: ${why}. The mirror ${ENV_DATA_MIRROR}=${mirror.spec} cannot be reached; ` +
        `this machine seems to be offline or the mirror server is down. Point ${ENV_DATA_MIRROR} at a ` +
        `reachable URL or at a local directory that holds ${zipName}.`,
    );
  }
  return new Error(
    `could not download ${url}: ${why}. This machine seems to be offline (or the server is unreachable). ` +
      `To use a local copy, set ${ENV_DATA_MIRROR} to a directory (or an http(s)/file URL) that holds ${zipName}, ` +
      `e.g. ${ENV_DATA_MIRROR}=/path/to/datasets.`,
  );
}

function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}
export { humanBytes as formatBytes };

/** A progress bar on stderr, redrawn at most 10 times a second; `done()` ends its line. */
function stderrProgressBar(label: string): { update: (p: DownloadProgress) => void; done: () => void } {
  let last = 0;
  let drawn = false;
  const draw = (p: DownloadProgress): void => {
    const width = 30;
    let line: string;
    if (p.total) {
      const frac = Math.min(1, p.received / p.total);
      const fill = Math.round(frac * width);
      line = `${label} [${"=".repeat(fill)}${" ".repeat(width - fill)}] ${(100 * frac).toFixed(0).padStart(3)}% ${humanBytes(p.received)} / ${humanBytes(p.total)}`;
    } else {
      line = `${label} ${humanBytes(p.received)}`;
    }
    process.stderr.write(`\r${line}\x1b[K`);
    drawn = true;
  };
  return {
    update(p) {
      const now = Date.now();
      if (now - last >= 100 || (p.total !== undefined && p.received === p.total)) {
        last = now;
        draw(p);
      }
    },
    done() {
      if (drawn) process.stderr.write("\n");
    },
  };
}

/** The reporter to use: the callback, or a stderr bar when stderr is a terminal, or nothing. */
function progressReporter(opts: DownloadOptions, label: string): { update: (p: DownloadProgress) => void; done: () => void } {
  if (opts.onProgress) return { update: opts.onProgress, done: () => undefined };
  if (process.stderr.isTTY && !process.env.CI) return stderrProgressBar(label);
  return { update: () => undefined, done: () => undefined };
}

async function removeQuietly(p: string): Promise<void> {
  await fs.promises.rm(p, { recursive: true, force: true }).catch(() => undefined);
}

/**
 * Downloads an http(s) URL to `dest` atomically (temp file + rename). Returns the number of bytes.
 * Errors: no connection → `offlineError`; HTTP status ≠ 200 → an error with the status (a 404 on a
 * mirror says the mirror does not have the file); a body shorter than Content-Length → truncated.
 */
export async function downloadFile(url: string, dest: string, opts: DownloadOptions = {}): Promise<number> {
  const zipName = path.basename(new URL(url).pathname) || url;
  const label = opts.label ?? zipName;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), timeoutMs);
  const tmp = `${dest}.tmp-${process.pid}`;
  const reporter = progressReporter(opts, label);
  let res: Response;
  try {
    res = await fetch(url, { signal: controller.signal, redirect: "follow" });
  } catch (err) {
    clearTimeout(timer);
    throw offlineError(url, err, zipName, opts.mirror);
  }
  let fh: fs.promises.FileHandle | undefined;
  try {
    if (res.status !== 200) {
      if (res.status === 404 && opts.mirror) {
        throw new Error(`the mirror ${ENV_DATA_MIRROR}=${opts.mirror.spec} does not have ${zipName} (HTTP 404 for ${url})`);
      }
      throw new Error(`could not download ${url}: HTTP ${res.status} ${res.statusText}`);
    }
    if (!res.body) throw new Error(`could not download ${url}: empty response`);
    const lengthHeader = res.headers.get("content-length");
    const total = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
    await fs.promises.mkdir(path.dirname(dest), { recursive: true });
    fh = await fs.promises.open(tmp, "w");
    let received = 0;
    reporter.update({ url, received, total });
    const reader = res.body.getReader();
    for (;;) {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(), timeoutMs);
      let chunk: { done: boolean; value?: Uint8Array };
      try {
        chunk = await reader.read();
      } catch (err) {
        throw new Error(`download of ${url} was interrupted after ${humanBytes(received)}: ${describeCause(err)}`);
      }
      if (chunk.done || !chunk.value) break;
      await fh.write(chunk.value);
      received += chunk.value.length;
      reporter.update({ url, received, total });
    }
    if (total !== undefined && received !== total) {
      throw new Error(`download of ${url} is truncated: got ${received} of ${total} bytes`);
    }
    await fh.close();
    fh = undefined;
    await fs.promises.rename(tmp, dest);
    return received;
  } catch (err) {
    controller.abort();
    if (fh) await fh.close().catch(() => undefined);
    await removeQuietly(tmp);
    throw err;
  } finally {
    clearTimeout(timer);
    reporter.done();
  }
}

// ---- datasets ---------------------------------------------------------------------------------

export interface FetchOptions {
  /** Progress of a download (otherwise a bar on stderr when it is a terminal). */
  onProgress?: (p: DownloadProgress) => void;
  /** Cache directory; default `RECSYS_DATA_DIR` or `<project root>/data/cache`. */
  dataDir?: string;
  /** Mirror (directory or URL); default `RECSYS_DATA_MIRROR`; `null` ignores the environment. */
  mirror?: string | null;
}

/** Where a dataset is: its folder, and whether it was just checked (`verified` holds the check's result). */
export interface Obtained<T> {
  dir: string;
  /** "cache": already extracted in the cache; "extracted": extracted now; "mirror-folder": used in place. */
  source: "cache" | "extracted" | "mirror-folder";
  verified?: T;
}

function hasFiles(dir: string, info: DatasetInfo): boolean {
  const files = Object.values(formatFiles(info.format));
  return files.every((f) => fs.existsSync(path.join(dir, f)));
}

/** The extracted folder of a dataset in the cache, if it is there. */
export function cachedDir(info: DatasetInfo, opts: { dataDir?: string } = {}): string | undefined {
  const dir = path.join(dataDir(opts.dataDir), info.name);
  return hasFiles(dir, info) ? dir : undefined;
}

/** Where the configured mirror holds a dataset ("zip", "folder"), for directory mirrors; else undefined. */
export function onMirror(info: DatasetInfo, opts: { mirror?: string | null } = {}): "zip" | "folder" | undefined {
  const mirror = dataMirror(opts.mirror);
  if (mirror?.kind !== "dir") return undefined;
  if (hasFiles(path.join(mirror.dir, info.name), info)) return "folder";
  return fs.existsSync(path.join(mirror.dir, info.zipName)) ? "zip" : undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes what a killed process left in the cache: `<zip>.tmp-<pid>` downloads and
 * `.<name>.extract-<pid>-<hex>` folders whose process no longer runs.
 */
async function removeStaleTemps(root: string, info: DatasetInfo): Promise<void> {
  let names: string[];
  try {
    names = await fs.promises.readdir(root);
  } catch {
    return;
  }
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const download = new RegExp(`^${esc(info.zipName)}\\.tmp-(\\d+)$`);
  const extract = new RegExp(`^\\.${esc(info.name)}\\.extract-(\\d+)-[0-9a-f]+$`);
  for (const name of names) {
    const m = download.exec(name) ?? extract.exec(name);
    if (m && Number(m[1]) !== process.pid && !processAlive(Number(m[1]))) await removeQuietly(path.join(root, name));
  }
}

const inflight = new Map<string, Promise<Obtained<unknown>>>();

/**
 * Makes sure a dataset's folder exists and returns it: the cache folder when present; otherwise a
 * mirror's extracted folder (used in place, after `verify`); otherwise the zip from the mirror or
 * the official URL, extracted to a temporary folder, checked with `verify`, and renamed into the
 * cache. `verify(dir)` throws when the files are not right; its result is handed back.
 */
export async function obtainDataset<T>(
  info: DatasetInfo,
  opts: FetchOptions,
  verify: (dir: string) => Promise<T>,
): Promise<Obtained<T>> {
  const root = dataDir(opts.dataDir);
  const key = `${root}\0${info.name}`;
  const running = inflight.get(key);
  if (running) return running as Promise<Obtained<T>>;
  const job = obtain(info, opts, root, verify).finally(() => inflight.delete(key));
  inflight.set(key, job);
  return job;
}

async function obtain<T>(
  info: DatasetInfo,
  opts: FetchOptions,
  root: string,
  verify: (dir: string) => Promise<T>,
): Promise<Obtained<T>> {
  const finalDir = path.join(root, info.name);
  if (hasFiles(finalDir, info)) return { dir: finalDir, source: "cache" };
  const mirror = dataMirror(opts.mirror);
  await removeStaleTemps(root, info);

  let zipPath: string;
  let downloaded = false;
  if (mirror?.kind === "dir") {
    const folder = path.join(mirror.dir, info.name);
    if (hasFiles(folder, info)) {
      const verified = await verify(folder);
      return { dir: folder, source: "mirror-folder", verified };
    }
    zipPath = path.join(mirror.dir, info.zipName);
    if (!fs.existsSync(zipPath)) {
      throw new Error(
        `the mirror ${ENV_DATA_MIRROR}=${mirror.spec} has no ${info.zipName} (looked for ${zipPath}) ` +
          `and no extracted folder ${info.name}/ there`,
      );
    }
  } else {
    zipPath = path.join(root, info.zipName);
    if (!fs.existsSync(zipPath)) {
      let url: string;
      if (mirror) url = `${mirror.base}/${info.zipName}`;
      else if (info.url) url = info.url;
      else {
        throw new Error(
          `${info.name} has no public download: set ${ENV_DATA_MIRROR} to a directory that holds ` +
            `${info.zipName} or an extracted ${info.name}/ folder, or load the folder directly by its path`,
        );
      }
      await downloadFile(url, zipPath, { onProgress: opts.onProgress, mirror, label: info.zipName });
      downloaded = true;
    } else {
      downloaded = true; // left by an earlier run that stopped before extracting: reuse, then remove
    }
  }

  const tmp = path.join(root, `.${info.name}.extract-${process.pid}-${crypto.randomBytes(4).toString("hex")}`);
  try {
    await extractZip(zipPath, tmp);
    const inner = hasFiles(path.join(tmp, info.zipRoot), info) ? path.join(tmp, info.zipRoot) : tmp;
    if (!hasFiles(inner, info)) {
      const need = Object.values(formatFiles(info.format)).join(", ");
      throw new Error(`${zipPath} does not hold the files of ${info.name} (expected ${info.zipRoot}/ with ${need})`);
    }
    const verified = await verify(inner);
    try {
      await fs.promises.rename(inner, finalDir);
    } catch (err) {
      // Another process may have published the same dataset meanwhile: use theirs.
      if (!hasFiles(finalDir, info)) {
        throw new Error(
          `cannot publish ${info.name} to ${finalDir}: ${(err as Error).message}` +
            (fs.existsSync(finalDir) ? ` (a folder of that name exists without the dataset's files: remove it and try again)` : ""),
        );
      }
    }
    if (downloaded) await removeQuietly(zipPath);
    return { dir: finalDir, source: "extracted", verified };
  } catch (err) {
    if (downloaded) await removeQuietly(zipPath);
    throw err;
  } finally {
    await removeQuietly(tmp);
  }
}
