/**
 * Executes notebooks headlessly through the real tslab kernel, via scripts/nbexec.py (nbclient)
 * in the project's .venv. Used by the notebook tests, the homework autograder and the site.
 */
import { spawn } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { Notebook, readNotebook, withParameters, writeNotebook } from "./notebook";
import { PROJECT_ROOT, VENV, jupyterEnv, venvBin } from "./paths";

export interface ExecuteOptions {
  /** Where to write the executed notebook (default: a temp file). */
  outPath?: string;
  /** Values for the notebook's parameters cell. */
  params?: Record<string, unknown>;
  /** Seconds one cell may run (default 120). */
  cellTimeout?: number;
  /** Seconds the whole run may take before the kernel is killed (default 600). */
  totalTimeout?: number;
  /** Run all cells even after an error (grading); default false: stop at the first error. */
  keepGoing?: boolean;
  /** Kernel working directory; the course kernel itself always works from the project root. */
  cwd?: string;
  /** Extra environment variables for the kernel. */
  env?: Record<string, string>;
}

export interface FailedCell {
  index: number;
  id?: string;
  status: "error" | "timeout";
  source: string;
  stderr: string;
}

export interface ExecuteResult {
  ok: boolean;
  /** The executed notebook (undefined only when it could not be read or the kernel never started). */
  notebook?: Notebook;
  outPath: string;
  seconds: number;
  failed: FailedCell | null;
  /** Whole-run problem: kernel did not start, total timeout, unreadable notebook. */
  error?: string;
}

/** Executes `file` and returns the executed notebook with per-cell status in metadata.recsys. */
export async function executeNotebook(file: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
  const python = venvBin("python");
  if (!fs.existsSync(python)) {
    throw new Error(`the Python environment ${VENV} is missing: run \`npm run setup\` first`);
  }
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "recsys-nb-"));
  let input = file;
  if (options.params && Object.keys(options.params).length > 0) {
    input = path.join(tmpDir, path.basename(file));
    writeNotebook(input, withParameters(readNotebook(file), options.params, file));
  }
  const outPath = options.outPath ?? path.join(tmpDir, `executed-${path.basename(file)}`);
  const args = [
    path.join(PROJECT_ROOT, "scripts", "nbexec.py"),
    input,
    outPath,
    "--cell-timeout",
    String(options.cellTimeout ?? 120),
    "--cwd",
    options.cwd ?? path.dirname(path.resolve(file)),
  ];
  if (options.keepGoing) args.push("--keep-going");
  const started = Date.now();
  const { code, stdout, stderr, timedOut } = await runProcess(
    python,
    args,
    jupyterEnv(options.env),
    (options.totalTimeout ?? 600) * 1000,
  );
  const seconds = (Date.now() - started) / 1000;
  const summaryLine = stdout.trim().split("\n").pop() ?? "";
  let summary: { ok?: boolean; failed?: FailedCell | null; error?: string } = {};
  try {
    summary = JSON.parse(summaryLine);
  } catch {
    summary = { ok: false, error: `nbexec printed no summary (exit ${code})` };
  }
  const notebook = fs.existsSync(outPath) ? readNotebook(outPath) : undefined;
  const error = timedOut
    ? `the notebook did not finish within ${options.totalTimeout ?? 600} s`
    : (summary.error ?? (code === 0 ? undefined : code === 1 ? undefined : `nbexec exited with ${code}: ${stderr.slice(-2000)}`));
  return {
    ok: code === 0 && !timedOut && summary.ok === true,
    notebook,
    outPath,
    seconds,
    failed: summary.failed ?? null,
    error,
  };
}

function runProcess(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: process.platform !== "win32" });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      // kill the whole process group: nbexec and the kernel it started
      try {
        if (child.pid && process.platform !== "win32") process.kill(-child.pid, "SIGKILL");
        else child.kill("SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** A readable description of why a run failed, for test and CLI messages. */
export function describeFailure(r: ExecuteResult): string {
  if (r.ok) return "ok";
  if (r.failed) {
    const f = r.failed;
    return `cell ${f.index}${f.id ? ` (${f.id})` : ""} ${f.status}:\n${f.source}\n--- stderr ---\n${f.stderr}`;
  }
  return r.error ?? "unknown failure";
}
