/**
 * Runs a notebook for grading through scripts/nbexec.py --grade (nbclient in the project's .venv,
 * always with the course's tslab kernel): every cell up to the last graded one gets a status,
 * a cell over the per-cell limit is interrupted (the kernel is restarted and earlier cells are
 * replayed when the interrupt does not help), and the whole run stays within the per-notebook
 * limit. As a last resort the process group is killed a little after that limit.
 */
import { spawn } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { KERNELSPEC, Notebook, readNotebook, writeNotebook } from "../jupyter/notebook";
import { PROJECT_ROOT, VENV, jupyterEnv, venvBin } from "../jupyter/paths";

export interface GradeRunOptions {
  /** Seconds one cell may run (default 60). */
  cellTimeout?: number;
  /** Seconds the whole notebook may run, restarts included (default 600). */
  notebookTimeout?: number;
  /** Index of the last cell to run (default: all). */
  lastCell?: number;
  /** Kernel restarts allowed after a crash or hang (default 3). */
  maxRestarts?: number;
}

export interface GradeRun {
  /** The executed notebook (undefined when the run failed as a whole). */
  notebook?: Notebook;
  seconds: number;
  /** Timeouts, interrupts and restarts, from nbexec's summary. */
  events: { index: number; id?: string; event: string }[];
  /** A whole-run problem: the kernel did not start, the run was killed, no summary. */
  error?: string;
}

/** Seconds allowed beyond the notebook limit for kernel start-up and shutdown before the kill. */
const KILL_MARGIN = 90;

/** Runs `nb` in grading mode; never throws for problems of the notebook itself. */
export async function runForGrading(nb: Notebook, options: GradeRunOptions = {}): Promise<GradeRun> {
  const python = venvBin("python");
  if (!fs.existsSync(python)) throw new Error(`the Python environment ${VENV} is missing: run \`npm run setup\` first`);
  const cellTimeout = options.cellTimeout ?? 60;
  const notebookTimeout = options.notebookTimeout ?? 600;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "recsys-grade-"));
  try {
    const input = path.join(dir, "submission.ipynb");
    const output = path.join(dir, "graded.ipynb");
    writeNotebook(input, nb);
    const args = [
      path.join(PROJECT_ROOT, "scripts", "nbexec.py"),
      input,
      output,
      "--grade",
      "--kernel",
      KERNELSPEC.name,
      "--cwd",
      dir,
      "--cell-timeout",
      String(cellTimeout),
      "--total-timeout",
      String(notebookTimeout),
      "--max-restarts",
      String(options.maxRestarts ?? 3),
    ];
    if (options.lastCell !== undefined) args.push("--last-cell", String(options.lastCell));
    const started = Date.now();
    const r = await runProcess(python, args, jupyterEnv(), (notebookTimeout + KILL_MARGIN) * 1000);
    const seconds = (Date.now() - started) / 1000;
    let summary: { error?: string; events?: GradeRun["events"] } = {};
    try {
      summary = JSON.parse(r.stdout.trim().split("\n").pop() ?? "");
    } catch {
      summary = { error: `the grading run printed no summary (exit ${r.code})${r.stderr ? `: ${r.stderr.slice(-1500)}` : ""}` };
    }
    if (r.timedOut) summary.error = `the grading run was killed after ${Math.round(seconds)} s`;
    let notebook: Notebook | undefined;
    if (!summary.error && fs.existsSync(output)) {
      try {
        notebook = readNotebook(output);
      } catch (e) {
        summary.error = (e as Error).message;
      }
    }
    if (!notebook && !summary.error) summary.error = `the grading run wrote no notebook (exit ${r.code})`;
    return { notebook, seconds, events: summary.events ?? [], error: summary.error };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function runProcess(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const detached = process.platform !== "win32";
    const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"], detached });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const kill = () => {
      // nbexec's group, then every kernel it announced (kernels run in their own session)
      const groups = [child.pid, ...[...stderr.matchAll(/^recsys-kernel-pgid (\d+)$/gm)].map((m) => Number(m[1]))];
      for (const g of groups) {
        try {
          if (g && detached) process.kill(-g, "SIGKILL");
          else if (g === child.pid) child.kill("SIGKILL");
        } catch {
          // already gone
        }
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    // a grader interrupted with Ctrl-C must not leave kernels behind
    const onExit = () => kill();
    process.once("exit", onExit);
    child.on("error", (e) => {
      clearTimeout(timer);
      process.removeListener("exit", onExit);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      process.removeListener("exit", onExit);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}
