// Idempotent set-up of everything the course needs beside node_modules:
//   1. a project-local Python virtual environment (.venv) with requirements.txt installed
//      (re-installed only when requirements.txt changes);
//   2. the Jupyter kernel "tslab" registered inside that environment, launching the project's own
//      pinned tslab (scripts/kernel.js → node_modules/tslab) with the node that runs this script.
// Run by `npm start` and `npm test`; safe to run again at any time (`npm run setup`).
//
// Options: --python PATH (or env RECSYS_PYTHON) picks the Python used to create .venv;
//          --force re-installs the Python packages.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { JUPYTER_DATA, PROJECT_ROOT as ROOT, VENV, jupyterEnv, venvBin } from "../lib/jupyter/paths";

const args = process.argv.slice(2);
const force = args.includes("--force");
const quiet = args.includes("--quiet");
const pyArg = args.indexOf("--python") >= 0 ? args[args.indexOf("--python") + 1] : process.env.RECSYS_PYTHON;
const log = (msg: string) => quiet || console.log(`[setup] ${msg}`);

function fail(msg: string): never {
  console.error(`\n[setup] ${msg}\n`);
  process.exit(1);
}

function run(cmd: string, argv: string[], opts: { capture?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(cmd, argv, { stdio: opts.capture ? "pipe" : "inherit", encoding: "utf8", env: opts.env });
  if (r.error) return { ok: false, out: String(r.error.message) };
  return { ok: r.status === 0, out: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

// ---- Node -------------------------------------------------------------------------------------
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  fail(`Node.js ${process.versions.node} is too old: the course needs Node.js 20.19 or newer (https://nodejs.org).`);
}
if (!fs.existsSync(path.join(ROOT, "node_modules", "tslab", "dist", "main.js"))) {
  fail("node_modules is missing or incomplete: run `npm install` (or `npm ci`) in the project folder first.");
}

// ---- Python and the virtual environment --------------------------------------------------------
function findPython(): string | null {
  const candidates = pyArg ? [pyArg] : process.platform === "win32" ? ["py", "python"] : ["python3", "python"];
  for (const c of candidates) {
    const r = run(c, ["-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"], { capture: true });
    if (r.ok) {
      const [maj, min] = r.out.trim().split(".").map(Number);
      if (maj === 3 && min >= 9) return c;
      log(`${c} is Python ${r.out.trim()}; need 3.9 or newer`);
    }
  }
  return null;
}

const python = venvBin("python");
if (!fs.existsSync(python)) {
  const base = findPython();
  if (!base) {
    fail(
      "Python 3.9+ with the venv module was not found. Install it and run this again:\n" +
        "  Debian/Ubuntu: sudo apt install python3 python3-venv\n" +
        "  macOS:         brew install python\n" +
        "  conda:         conda env create -f environment.yml && conda activate recsys-ts\n" +
        "or point set-up at a Python with --python /path/to/python3 (or RECSYS_PYTHON).",
    );
  }
  log(`creating ${path.relative(ROOT, VENV)} with ${base}`);
  const venvArgs = ["-m", "venv", VENV];
  // Inside a conda env, reuse its packages so nothing is downloaded twice.
  if (process.env.CONDA_PREFIX) venvArgs.push("--system-site-packages");
  const r = run(base, venvArgs);
  if (!r.ok) {
    fs.rmSync(VENV, { recursive: true, force: true });
    fail(`could not create the virtual environment with ${base} (on Debian/Ubuntu: sudo apt install python3-venv).`);
  }
}

const reqFile = path.join(ROOT, "requirements.txt");
const reqHash = createHash("sha256").update(fs.readFileSync(reqFile)).digest("hex");
const stamp = path.join(VENV, ".recsys-requirements.sha256");
const installed = fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8").trim() === reqHash;
if (force || !installed) {
  log("installing the Python packages from requirements.txt (JupyterLab, nbclient, plotly) …");
  const quietPip = process.env.CI ? ["-q"] : [];
  const r = run(python, ["-m", "pip", "install", "--disable-pip-version-check", ...quietPip, "-r", reqFile]);
  if (!r.ok) fail("pip install -r requirements.txt failed (see above). Check your network or pip configuration.");
  fs.writeFileSync(stamp, reqHash + "\n");
} else {
  log("Python packages are up to date");
}

// ---- The kernel ---------------------------------------------------------------------------------
// Written by hand rather than by `tslab install` so that it is exactly one kernel, launched by
// the node that runs set-up (also right under nvm) and by scripts/kernel.js, which starts the
// project's pinned tslab with the project root as working directory.
const kernelDir = path.join(JUPYTER_DATA, "kernels", "tslab");
const spec = {
  argv: [process.execPath, path.join(ROOT, "scripts", "kernel.js"), "kernel", "--config-path", "{connection_file}"],
  display_name: "TypeScript (recsys-ts)",
  language: "typescript",
  metadata: { "recsys-ts": { root: ROOT } },
};
const specFile = path.join(kernelDir, "kernel.json");
const specText = JSON.stringify(spec, null, 1) + "\n";
if (!fs.existsSync(specFile) || fs.readFileSync(specFile, "utf8") !== specText) {
  fs.mkdirSync(kernelDir, { recursive: true });
  const tmp = `${specFile}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, specText);
  fs.renameSync(tmp, specFile);
  log(`registered the tslab kernel in ${path.relative(ROOT, kernelDir)}`);
} else {
  log("tslab kernel already registered");
}

const check = run(venvBin("jupyter"), ["kernelspec", "list", "--json"], {
  capture: true,
  env: jupyterEnv(),
});
if (!check.ok || !check.out.includes(kernelDir)) {
  fail(`Jupyter does not see the tslab kernel at ${kernelDir}:\n${check.out}`);
}
log("ready");

