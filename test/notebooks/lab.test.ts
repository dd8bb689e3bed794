/**
 * The first README command ends in `jupyter lab`: start it headless on a free loopback port and
 * check that it serves, that it offers the project's tslab kernel, and that the plotly renderer
 * extension (which draws our application/vnd.plotly.v1+json outputs) is installed and enabled.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { labArgs } from "../../lib/jupyter/lab";
import { PROJECT_ROOT, jupyterEnv, venvBin } from "../../lib/jupyter/paths";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

test("JupyterLab serves the course with the tslab kernel and the plotly renderer", { timeout: 90_000 }, async () => {
  const ext = spawnSync(venvBin("jupyter"), ["labextension", "list"], { env: jupyterEnv(), encoding: "utf8" });
  assert.match(`${ext.stdout}${ext.stderr}`, /jupyterlab-plotly.*enabled/, "plotly JupyterLab extension missing");

  const port = await freePort();
  const token = "recsys-test-token";
  const lab = spawn(
    venvBin("jupyter"),
    labArgs(["--no-browser", "--ip=127.0.0.1", `--port=${port}`, `--IdentityProvider.token=${token}`]),
    { env: jupyterEnv(), cwd: PROJECT_ROOT, stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  lab.stderr.on("data", (d) => (log += d));
  let exited = false;
  lab.on("exit", () => (exited = true));
  try {
    const base = `http://127.0.0.1:${port}`;
    let specs: any = null;
    for (let attempt = 0; attempt < 120 && !specs && !exited; attempt++) {
      await new Promise((r) => setTimeout(r, 500));
      try {
        const res = await fetch(`${base}/api/kernelspecs?token=${token}`);
        if (res.ok) specs = await res.json();
      } catch {
        /* not listening yet */
      }
    }
    assert.ok(specs, `JupyterLab did not answer on port ${port}:\n${log.slice(-3000)}`);
    const tslab = specs.kernelspecs.tslab;
    assert.ok(tslab, `no tslab kernel in ${Object.keys(specs.kernelspecs).join(", ")}`);
    assert.equal(tslab.spec.display_name, "TypeScript (recsys-ts)");
    assert.ok(tslab.spec.argv.some((a: string) => a.endsWith(path.join("scripts", "kernel.js"))));
    const page = await fetch(`${base}/lab?token=${token}`);
    assert.equal(page.status, 200);
    const contents = (await (await fetch(`${base}/api/contents?token=${token}`)).json()) as { content: { name: string }[] };
    const names = contents.content.map((c: { name: string }) => c.name);
    assert.ok(names.includes("00-getting-started.ipynb"), `notebooks listed: ${names.join(", ")}`);
  } finally {
    if (lab.exitCode === null && lab.signalCode === null) {
      const exited = new Promise((r) => lab.once("exit", r));
      lab.kill("SIGTERM");
      await exited;
    }
  }
});
