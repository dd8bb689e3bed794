/**
 * Where the project keeps its Python environment and Jupyter data. Shared by the set-up, lab and
 * test scripts, the notebook runner and the CLI.
 */
import path from "path";

/** The project root (this file is lib/jupyter/paths.ts). */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
/** The project-local Python virtual environment. */
export const VENV = path.join(PROJECT_ROOT, ".venv");
/** Jupyter data folder inside the venv: kernels/tslab/kernel.json lives here. */
export const JUPYTER_DATA = path.join(VENV, "share", "jupyter");

/** Path of an executable inside the venv (bin/ on Unix, Scripts/ on Windows). */
export function venvBin(name: string): string {
  return process.platform === "win32" ? path.join(VENV, "Scripts", `${name}.exe`) : path.join(VENV, "bin", name);
}

/** Environment for Jupyter processes: the project's kernel comes first on JUPYTER_PATH. */
export function jupyterEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const prev = process.env.JUPYTER_PATH;
  return { ...process.env, JUPYTER_PATH: prev ? `${JUPYTER_DATA}${path.delimiter}${prev}` : JUPYTER_DATA, ...extra };
}
