/**
 * End-to-end: every notebook in notebooks/ is committed clean and executes top to bottom through
 * the real tslab kernel (nbclient), publishing the records listed in expectations.ts; every
 * plotly figure it displays is valid figure JSON.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { commitProblems, readNotebook, outputText } from "../../lib/jupyter/notebook";
import { describeFailure, executeNotebook } from "../../lib/jupyter/execute";
import { PROJECT_ROOT } from "../../lib/jupyter/paths";
import { readRecords } from "../../lib/notebook/record";
import { validateFigure } from "../../lib/plot/figure";
import { Expectation, loadExpectations } from "./expectations";

const NB_DIR = path.join(PROJECT_ROOT, "notebooks");
const EXPECTATIONS = loadExpectations();
const notebooks = fs
  .readdirSync(NB_DIR)
  .filter((f) => f.endsWith(".ipynb"))
  .sort();
// RECSYS_NOTEBOOKS=01,03 executes only the notebooks whose names contain one of these (authoring).
const only = (process.env.RECSYS_NOTEBOOKS ?? "").split(",").filter(Boolean);
const PLOTLY = "application/vnd.plotly.v1+json";

function check(name: string, value: unknown, exp: Expectation): void {
  if (typeof exp === "function") return exp(value);
  if (typeof exp === "object") {
    assert.equal(typeof value, "number", `record ${name} should be a number, got ${JSON.stringify(value)}`);
    const v = value as number;
    if ("approx" in exp) {
      assert.ok(Math.abs(v - exp.approx) <= exp.tol, `record ${name} = ${v}, expected ${exp.approx} ± ${exp.tol}`);
    } else {
      if (exp.min !== undefined) assert.ok(v >= exp.min, `record ${name} = ${v} < min ${exp.min}`);
      if (exp.max !== undefined) assert.ok(v <= exp.max, `record ${name} = ${v} > max ${exp.max}`);
    }
    return;
  }
  assert.equal(value, exp, `record ${name}`);
}

test("notebooks exist and each has expectations", () => {
  assert.ok(notebooks.length > 0, "no notebooks found");
  for (const f of notebooks) {
    assert.ok(EXPECTATIONS[f.replace(/\.ipynb$/, "")], `${f} has no test/notebooks/expect/${f.replace(/\.ipynb$/, ".ts")}`);
  }
});

test("committed notebooks carry no outputs, have cell ids and the tslab kernel", () => {
  for (const f of notebooks) {
    assert.deepEqual(commitProblems(readNotebook(path.join(NB_DIR, f))), [], f);
  }
});

for (const f of notebooks) {
  const name = f.replace(/\.ipynb$/, "");
  const skip = only.length > 0 && !only.some((o) => name.includes(o)) ? "not selected by RECSYS_NOTEBOOKS" : false;
  test(`notebook ${name} executes and records its results`, { timeout: 600_000, skip }, async () => {
    const exp = EXPECTATIONS[name];
    assert.ok(exp, `no expectations for ${name}`);
    const outDir = path.join(PROJECT_ROOT, "build", "executed");
    const r = await executeNotebook(path.join(NB_DIR, f), {
      params: exp.params,
      outPath: path.join(outDir, f),
      cellTimeout: 180,
    });
    assert.ok(r.ok, `${f} failed after ${r.seconds.toFixed(1)} s: ${describeFailure(r)}`);
    const nb = r.notebook!;
    const records = readRecords(nb);
    for (const [key, e] of Object.entries(exp.records)) {
      assert.ok(key in records, `${f} did not record ${key} (recorded: ${Object.keys(records).join(", ")})`);
      check(key, records[key], e);
    }
    let figures = 0;
    const stderr: string[] = [];
    for (const cell of nb.cells) {
      for (const out of cell.outputs ?? []) {
        if (out.data && PLOTLY in out.data) {
          validateFigure(out.data[PLOTLY] as any);
          figures++;
        }
        if (out.output_type === "stream" && out.name === "stderr") stderr.push(outputText(out));
      }
    }
    assert.ok(figures >= (exp.minFigures ?? 0), `${f} displayed ${figures} figures, expected ≥ ${exp.minFigures}`);
    assert.deepEqual(stderr, [], `${f} wrote to stderr`);
    console.log(`# ${f}: ${r.seconds.toFixed(1)} s, ${figures} figures, ${Object.keys(records).length} records`);
  });
}
