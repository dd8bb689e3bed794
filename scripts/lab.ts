// Opens the course in JupyterLab (`npm start` runs set-up first).
// Extra arguments go to `jupyter lab`, e.g. `npm start -- --no-browser --port 8899`.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { labArgs } from "../lib/jupyter/lab";
import { PROJECT_ROOT, jupyterEnv, venvBin } from "../lib/jupyter/paths";

const jupyter = venvBin("jupyter");
if (!fs.existsSync(jupyter)) {
  console.error("[lab] the Python environment is missing: run `npm run setup` (or `npm start`) first.");
  process.exit(1);
}
const args = labArgs(process.argv.slice(2));
console.log(`[lab] jupyter ${args.join(" ")}`);
console.log('[lab] open 00-getting-started.ipynb; its kernel is "TypeScript (recsys-ts)". Ctrl-C stops the server.');
const child = spawn(jupyter, args, { stdio: "inherit", env: jupyterEnv(), cwd: PROJECT_ROOT });
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(signal ? 0 : (code ?? 0)));
