/**
 * Where tests find the real public datasets: the folder or URL in RECSYS_DATA_MIRROR (CI sets it
 * to the shared mirror beside the clone), else a `shared/datasets` folder beside the project.
 * Without either, tests that need data only the mirror has (the 2016 latest-small release,
 * mise-en-scène features) are skipped with a message, and MovieLens 100K is downloaded.
 */
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const beside = path.resolve(ROOT, "..", "shared", "datasets");

/** The mirror to use in tests ("" when there is none). */
export const MIRROR: string = process.env.RECSYS_DATA_MIRROR || (fs.existsSync(beside) ? beside : "");

/** A local mirror directory (for tests that read files from it directly), or "". */
export const MIRROR_DIR: string = MIRROR && fs.existsSync(MIRROR) && fs.statSync(MIRROR).isDirectory() ? path.resolve(MIRROR) : "";

/** `skip` option for tests that need a file of the local mirror. */
export function needsMirror(relative: string): false | string {
  return MIRROR_DIR && fs.existsSync(path.join(MIRROR_DIR, relative))
    ? false
    : `needs ${relative} in a local RECSYS_DATA_MIRROR folder`;
}
