/**
 * Executed copies of the course notebooks for the site: reuse a fresh copy from
 * `build/executed/` (where the notebook tests also leave theirs), execute the others through the
 * real tslab kernel, several at a time.
 *
 * An executed copy is **fresh** for its source notebook when all of these hold:
 * 1. it is at least as new as the source file (modification times);
 * 2. it has the same cells as the source: same number, and each with the same type, id and
 *    source text. So a copy made with other parameter values (the notebook tests shrink some)
 *    or from an older version of the notebook is not fresh, even if its file is newer;
 * 3. every code cell ran and succeeded (`metadata.recsys.status` is "ok" for each).
 * Changes to `lib/` are not tracked: after changing the library, rebuild with `rerun`.
 */
import fs from "fs";
import os from "os";
import path from "path";
import { cellSource, readNotebook, type Notebook } from "../jupyter/notebook";
import { describeFailure, executeNotebook } from "../jupyter/execute";

export interface Freshness {
  fresh: boolean;
  /** Why not (or "fresh"). */
  reason: string;
}

/** Whether `executed` (parsed, or read from `executedPath`) is a fresh copy of `source` (see the module comment). */
export function checkFreshness(sourcePath: string, executedPath: string): Freshness {
  if (!fs.existsSync(executedPath)) return { fresh: false, reason: "no executed copy" };
  const srcTime = fs.statSync(sourcePath).mtimeMs;
  const exeTime = fs.statSync(executedPath).mtimeMs;
  if (exeTime < srcTime) return { fresh: false, reason: "the notebook changed after it was executed" };
  let source: Notebook;
  let executed: Notebook;
  try {
    source = readNotebook(sourcePath);
    executed = readNotebook(executedPath);
  } catch (e) {
    return { fresh: false, reason: `unreadable: ${(e as Error).message}` };
  }
  return sameCellsAndOk(source, executed);
}

/** Conditions 2 and 3 of freshness, on parsed notebooks. */
export function sameCellsAndOk(source: Notebook, executed: Notebook): Freshness {
  if (source.cells.length !== executed.cells.length) {
    return { fresh: false, reason: `${executed.cells.length} cells executed, the notebook has ${source.cells.length}` };
  }
  for (let k = 0; k < source.cells.length; k++) {
    const a = source.cells[k];
    const b = executed.cells[k];
    const where = `cell ${k}${a.id ? ` (${a.id})` : ""}`;
    if (a.cell_type !== b.cell_type || (a.id ?? null) !== (b.id ?? null) || cellSource(a) !== cellSource(b)) {
      return { fresh: false, reason: `${where} differs from the executed copy` };
    }
    if (a.cell_type === "code" && b.metadata?.recsys?.status !== "ok") {
      return { fresh: false, reason: `${where} did not run successfully (${b.metadata?.recsys?.status ?? "not run"})` };
    }
  }
  return { fresh: true, reason: "fresh" };
}

export interface EnsureOptions {
  /** Where executed copies live (read and written). */
  executedDir: string;
  /** Notebooks executed at the same time (default: the number of CPUs, at most 4). */
  jobs?: number;
  /** Execute even when a fresh copy exists. */
  rerun?: boolean;
  /** Seconds a cell may run (default 180, as in the notebook tests). */
  cellTimeout?: number;
  /** Progress messages (one line each, no newline). */
  log?: (line: string) => void;
}

export interface ExecutedCopy {
  source: string;
  executedPath: string;
  notebook: Notebook;
  /** True when a fresh copy was reused. */
  reused: boolean;
  /** Seconds spent executing (0 when reused). */
  seconds: number;
}

/** Default parallelism: one kernel per core, at most 4. */
export function defaultJobs(): number {
  const cpus = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cpus));
}

/**
 * Executed copies of `sources`, in the same order: fresh ones are reused, the rest executed
 * (`jobs` at a time) into `executedDir`. Throws one Error listing every notebook that failed.
 */
export async function ensureExecuted(sources: readonly string[], options: EnsureOptions): Promise<ExecutedCopy[]> {
  const log = options.log ?? (() => {});
  const jobs = Math.max(1, Math.floor(options.jobs ?? defaultJobs()));
  fs.mkdirSync(options.executedDir, { recursive: true });
  const results: (ExecutedCopy | undefined)[] = new Array(sources.length);
  const todo: number[] = [];
  sources.forEach((source, k) => {
    const executedPath = path.join(options.executedDir, path.basename(source));
    const f = options.rerun ? { fresh: false, reason: "--rerun" } : checkFreshness(source, executedPath);
    if (f.fresh) {
      results[k] = { source, executedPath, notebook: readNotebook(executedPath), reused: true, seconds: 0 };
      log(`reuse    ${path.basename(source)} (fresh copy in ${path.relative(process.cwd(), executedPath) || executedPath})`);
    } else {
      todo.push(k);
      log(`execute  ${path.basename(source)} (${f.reason})`);
    }
  });
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const k = todo[next++];
      const source = sources[k];
      const executedPath = path.join(options.executedDir, path.basename(source));
      const r = await executeNotebook(source, { outPath: executedPath, cellTimeout: options.cellTimeout ?? 180 });
      if (r.ok && r.notebook) {
        results[k] = { source, executedPath, notebook: r.notebook, reused: false, seconds: r.seconds };
        log(`done     ${path.basename(source)} in ${r.seconds.toFixed(1)} s`);
      } else {
        failures.push(`${path.basename(source)} (after ${r.seconds.toFixed(1)} s): ${describeFailure(r)}`);
        log(`FAILED   ${path.basename(source)} after ${r.seconds.toFixed(1)} s`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, todo.length) }, worker));
  if (failures.length > 0) {
    throw new Error(`${failures.length} notebook${failures.length > 1 ? "s" : ""} failed to execute:\n${failures.join("\n\n")}`);
  }
  return results as ExecutedCopy[];
}
