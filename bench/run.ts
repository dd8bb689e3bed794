/**
 * `npm run -s bench [-- --only <text>] [--repeat N]`: runs every benchmark (each in its own child
 * process, so peak memory is its own) and prints one JSON document on stdout:
 *   {"machine": {...}, "results": [{name, description, seconds (median), runs, maxRSSMB, target, ok, ...}]}
 * Progress goes to stderr. Compare ratios within one run: these machines are noisy.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Benchmark, BenchmarkResult } from "./types";

// One line per benchmark module.
const MODULES: (() => Benchmark[])[] = [
  () => (require("./eval") as typeof import("./eval")).benchmarks,
  () => (require("./similarity") as typeof import("./similarity")).benchmarks,
  () => (require("./mf") as typeof import("./mf")).benchmarks,
  () => (require("./neural") as typeof import("./neural")).benchmarks,
  () => (require("./neural-recs") as typeof import("./neural-recs")).benchmarks,
  () => (require("./session") as typeof import("./session")).benchmarks,
];

function all(): Benchmark[] {
  return MODULES.flatMap((load) => load());
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function child(name: string, repeat: number | undefined): Promise<void> {
  const b = all().find((x) => x.name === name);
  if (!b) throw new Error(`unknown benchmark ${name}`);
  const input = b.setup ? await b.setup() : undefined;
  const runs: BenchmarkResult[] = [];
  for (let k = 0; k < (repeat ?? b.repeat ?? 3); k++) runs.push(await b.run(input));
  const maxRSSMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ runs, maxRSSMB }) + "\n");
}

function main(): void {
  const args = process.argv.slice(2);
  const opt = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  if (opt("--child")) {
    child(opt("--child")!, opt("--repeat") ? Number(opt("--repeat")) : undefined).catch((e) => {
      console.error(e instanceof Error ? e.stack : e);
      process.exit(1);
    });
    return;
  }
  const only = opt("--only");
  const selected = all().filter((b) => !only || b.name.includes(only));
  if (selected.length === 0) {
    console.error(`no benchmark matches "${only}"; benchmarks: ${all().map((b) => b.name).join(", ")}`);
    process.exit(2);
  }
  const results: Record<string, unknown>[] = [];
  let failed = 0;
  for (const b of selected) {
    process.stderr.write(`bench ${b.name} … `);
    const argv = ["--import", "tsx", path.join(__dirname, "run.ts"), "--child", b.name];
    if (opt("--repeat")) argv.push("--repeat", opt("--repeat")!);
    const r = spawnSync(process.execPath, ["--max-old-space-size=8192", ...argv], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) {
      failed++;
      process.stderr.write(`failed (exit ${r.status})\n`);
      results.push({ name: b.name, description: b.description, error: `exit ${r.status}` });
      continue;
    }
    const { runs, maxRSSMB } = JSON.parse(r.stdout.trim().split("\n").pop()!) as { runs: BenchmarkResult[]; maxRSSMB: number };
    const seconds = median(runs.map((x) => x.seconds));
    const ok =
      (b.target?.seconds === undefined || seconds <= b.target.seconds) &&
      (b.target?.memoryMB === undefined || maxRSSMB <= b.target.memoryMB);
    const { seconds: _s, ...extra } = runs[runs.length - 1];
    results.push({
      name: b.name,
      description: b.description,
      seconds: Number(seconds.toFixed(4)),
      runs: runs.map((x) => Number(x.seconds.toFixed(4))),
      maxRSSMB: Math.round(maxRSSMB),
      target: b.target ?? null,
      ok,
      ...extra,
    });
    process.stderr.write(`${seconds.toFixed(3)} s, ${Math.round(maxRSSMB)} MB${ok ? "" : "  (OVER TARGET)"}\n`);
  }
  const machine = { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGB: Math.round(os.totalmem() / 2 ** 30), loadavg: os.loadavg() };
  const json = JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2) + "\n";
  process.stdout.write(json);
  // Also kept as a file (npm prints its own banner on stdout unless run with -s).
  const outFile = path.join(__dirname, "..", "build", "bench.json");
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(`${outFile}.tmp-${process.pid}`, json);
  fs.renameSync(`${outFile}.tmp-${process.pid}`, outFile);
  process.stderr.write(`results written to ${path.relative(process.cwd(), outFile)}\n`);
  process.exit(failed > 0 ? 1 : 0);
}

main();
