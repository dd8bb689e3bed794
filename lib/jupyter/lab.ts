/** How the course starts JupyterLab (used by `npm start` and by the test that starts it headless). */
import path from "path";
import { PROJECT_ROOT } from "./paths";

/**
 * Arguments of `jupyter lab`: open on notebooks/; as root (containers, classroom VMs) Jupyter
 * refuses to start without --allow-root, so it is added there.
 */
export function labArgs(extra: string[] = []): string[] {
  const args = ["lab", `--notebook-dir=${path.join(PROJECT_ROOT, "notebooks")}`];
  if (typeof process.getuid === "function" && process.getuid() === 0) args.push("--allow-root");
  return [...args, ...extra];
}
