/**
 * Where datasets live on disk, and where they come from.
 *
 * - `dataDir()`: the cache directory. `RECSYS_DATA_DIR` (resolved against the current directory)
 *   when set, otherwise `<project root>/data/cache`.
 * - `dataMirror()`: `RECSYS_DATA_MIRROR` when set: a directory path (relative paths are resolved
 *   against the current directory) or an http(s):// or file:// URL that replaces the official
 *   download base and holds the same zip names (e.g. `ml-100k.zip`). A directory mirror may also
 *   hold an already-extracted folder named after the dataset (e.g. `ml-latest-small-2016/`).
 *
 * The project root is found from this source file (the nearest folder upwards whose package.json
 * is the recsys-ts package), so it does not depend on the current directory.
 */
import * as fs from "fs";
import * as path from "path";
import { fileURLToPath } from "url";

export const ENV_DATA_DIR = "RECSYS_DATA_DIR";
export const ENV_DATA_MIRROR = "RECSYS_DATA_MIRROR";
const PACKAGE_NAME = "recsys-ts";

let rootCache: string | undefined;

/** The project root: the nearest folder above this file whose package.json names recsys-ts. */
export function projectRoot(): string {
  if (rootCache !== undefined) return rootCache;
  const found = findPackageRoot(__dirname) ?? findPackageRoot(process.cwd());
  rootCache = found ?? path.resolve(__dirname, "..", "..");
  return rootCache;
}

function findPackageRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const pkg = path.join(dir, "package.json");
    try {
      if (JSON.parse(fs.readFileSync(pkg, "utf8")).name === PACKAGE_NAME) return dir;
    } catch {
      // no package.json here, or not JSON: keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The dataset cache directory (not created here). `override` wins over the environment. */
export function dataDir(override?: string): string {
  const fromEnv = process.env[ENV_DATA_DIR];
  if (override !== undefined && override !== "") return path.resolve(override);
  if (fromEnv !== undefined && fromEnv.trim() !== "") return path.resolve(fromEnv.trim());
  return path.join(projectRoot(), "data", "cache");
}

export type Mirror =
  | { kind: "dir"; dir: string; spec: string }
  | { kind: "http"; base: string; spec: string };

/**
 * The mirror to use: `override` when given (`null` = no mirror, ignoring the environment),
 * otherwise `RECSYS_DATA_MIRROR`; undefined when none is set.
 */
export function dataMirror(override?: string | null): Mirror | undefined {
  const spec = override === null ? undefined : override ?? process.env[ENV_DATA_MIRROR];
  if (spec === undefined || spec.trim() === "") return undefined;
  return parseMirror(spec.trim());
}

/** Interprets a mirror spec: http(s) URL, file URL, or a directory path. */
export function parseMirror(spec: string): Mirror {
  if (/^https?:\/\//i.test(spec)) return { kind: "http", base: spec.replace(/\/+$/, ""), spec };
  if (/^file:/i.test(spec)) return { kind: "dir", dir: fileURLToPath(spec), spec };
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(spec)) {
    throw new Error(
      `${ENV_DATA_MIRROR}=${spec}: unsupported URL scheme (use a directory path, an http(s):// URL or a file:// URL)`,
    );
  }
  return { kind: "dir", dir: path.resolve(process.cwd(), spec), spec };
}
