// `npm test`: set-up check, type check, then every unit test and every notebook (executed
// headlessly through the real tslab kernel) in one run of node's test runner.
// `npm test -- --unit` skips the notebooks; `npm test -- --notebooks` runs only them.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../lib/jupyter/paths";

const argv = process.argv.slice(2);
const only = argv.includes("--unit") ? "unit" : argv.includes("--notebooks") ? "notebooks" : "all";
const node = process.execPath;

function step(title: string, cmd: string, args: string[]): void {
  console.log(`\n== ${title}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: PROJECT_ROOT });
  if (r.status !== 0) {
    console.error(`\n${title} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
  console.log(`   (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

if (only !== "unit") step("set-up (Python env + tslab kernel)", node, ["--import", "tsx", "scripts/setup.ts", "--quiet"]);
step("type check", node, [path.join("node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json", "--noEmit"]);

const files: string[] = [];
for (const dir of only === "all" ? ["unit", "notebooks"] : [only]) {
  const d = path.join(PROJECT_ROOT, "test", dir);
  if (!fs.existsSync(d)) continue;
  for (const f of fs.readdirSync(d).sort()) if (f.endsWith(".test.ts")) files.push(path.join("test", dir, f));
}
console.log(`\n== tests (${files.length} files)`);
const r = spawnSync(
  node,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", ...files],
  { stdio: "inherit", cwd: PROJECT_ROOT },
);
process.exit(r.status ?? 1);
