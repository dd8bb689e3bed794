// `npm test`: set-up check, type check, then every unit test and every notebook (executed
// headlessly through the real tslab kernel) in one run of node's test runner.
// `npm test -- --unit` runs only the unit tests; `npm test -- --notebooks` the notebooks and the
// browser tests of the static site built from them.
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

// Browser tests run after the notebooks: they reuse the executed copies the notebook tests leave
// in build/executed/ to build the static site.
const groups = only === "all" ? [["unit", "notebooks"], ["browser"]] : only === "unit" ? [["unit"]] : [["notebooks"], ["browser"]];
const resultsDir = path.join(PROJECT_ROOT, "build", "test-results");
fs.mkdirSync(resultsDir, { recursive: true });
let passed = 0;
let failed = 0;
let status = 0;
groups.forEach((dirs, g) => {
  const files: string[] = [];
  for (const dir of dirs) {
    const d = path.join(PROJECT_ROOT, "test", dir);
    if (!fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d).sort()) if (f.endsWith(".test.ts")) files.push(path.join("test", dir, f));
  }
  if (files.length === 0) return;
  console.log(`\n== tests: ${dirs.join(" + ")} (${files.length} files)`);
  const tap = path.join(resultsDir, `${dirs.join("-")}.tap`);
  const r = spawnSync(
    node,
    ["--import", "tsx", "--test", "--test-concurrency=2",
      "--test-reporter=spec", "--test-reporter-destination=stdout",
      "--test-reporter=tap", `--test-reporter-destination=${tap}`, ...files],
    { stdio: "inherit", cwd: PROJECT_ROOT },
  );
  if (r.status !== 0) status = r.status ?? 1;
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, "utf8") : "";
  passed += Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
  failed += Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0) + Number(/^# cancelled (\d+)/m.exec(text)?.[1] ?? 0);
});
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(status !== 0 ? status : failed > 0 ? 1 : 0);
