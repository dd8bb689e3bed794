/**
 * Formatting of evaluation results: an aligned plain-text table for the terminal (`toText`) and
 * an escaped HTML table for notebooks and reports (`toHTML`). JSON needs no formatter: results
 * are plain objects, `JSON.stringify(result)` works.
 *
 * Columns: the algorithm name, then every metric that at least one row has (in `METRIC_NAMES`
 * order; a row without it shows "—"), then fit and total seconds. Under kfold a metric shows
 * "mean ± std".
 */
import type { BakeOffResult, BakeOffRow } from "./bakeoff";
import { EvalResult, METRIC_NAMES, MetricName } from "./evaluate";
import { escapeHtml } from "../notebook/table";

const LABELS: Record<MetricName, string> = {
  rmse: "RMSE",
  mae: "MAE",
  hr: "HR",
  chr: "cHR",
  arhr: "ARHR",
  coverage: "Coverage",
  catalogCoverage: "Catalog cov.",
  diversity: "Diversity",
  novelty: "Novelty",
  noveltyBits: "Novelty (bits)",
  precision: "P@{n}",
  recall: "R@{n}",
  f1: "F1@{n}",
  ndcg: "NDCG@{n}",
  map: "MAP@{n}",
};
const DIGITS: Partial<Record<MetricName, number>> = { novelty: 1, noveltyBits: 2 };

interface Grid {
  caption: string;
  header: string[];
  rows: string[][];
}

function asBakeOff(result: BakeOffResult | EvalResult): BakeOffResult {
  if ("rows" in result) return result;
  return { protocol: result.protocol, dataset: result.dataset, options: result.options, rows: [{ name: result.model, ...result }] };
}

function grid(input: BakeOffResult | EvalResult): Grid {
  const result = asBakeOff(input);
  const o = result.options;
  const metrics = METRIC_NAMES.filter((m) => result.rows.some((r) => r.metrics[m] !== undefined));
  const header = ["Algorithm", ...metrics.map((m) => LABELS[m].replace("{n}", String(o.n))), "Fit s", "Total s"];
  const cell = (r: BakeOffRow, m: MetricName): string => {
    const v = r.metrics[m];
    if (v === undefined) return "—";
    const d = DIGITS[m] ?? 4;
    const s = r.std?.[m];
    return s === undefined ? v.toFixed(d) : `${v.toFixed(d)} ± ${s.toFixed(d)}`;
  };
  const rows = result.rows.map((r) => [
    r.name,
    ...metrics.map((m) => cell(r, m)),
    r.seconds.fit.toFixed(2),
    r.seconds.total.toFixed(2),
  ]);
  const extra =
    result.protocol === "kfold"
      ? `, ${o.folds} folds`
      : result.protocol === "loo" || result.protocol === "temporal-loo"
        ? ""
        : result.protocol === "temporal"
          ? `, newest ${o.testSize} as test`
          : `, test ${o.testSize}`;
  const sample = o.sampleUsers === null ? "" : `, ${o.sampleUsers} sampled users`;
  const caption = `${result.protocol} protocol on ${result.dataset} (top-${o.n}, seed ${o.seed}${extra}${sample})`;
  return { caption, header, rows };
}

/** An aligned plain-text table (name column left-aligned, numbers right-aligned). */
export function toText(result: BakeOffResult | EvalResult): string {
  const g = grid(result);
  const widths = g.header.map((h, c) => Math.max(h.length, ...g.rows.map((r) => r[c].length)));
  const line = (cells: string[]): string =>
    cells.map((x, c) => (c === 0 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join("  ").trimEnd();
  return [g.caption, line(g.header), widths.map((w) => "-".repeat(w)).join("  "), ...g.rows.map(line)].join("\n") + "\n";
}

/** An HTML `<table>` (class "recsys-eval") with a caption; every text is escaped. */
export function toHTML(result: BakeOffResult | EvalResult): string {
  const g = grid(result);
  const th = g.header.map((h, c) => `<th style="text-align:${c === 0 ? "left" : "right"}">${escapeHtml(h)}</th>`).join("");
  const body = g.rows
    .map((r) => `<tr>${r.map((x, c) => `<td style="text-align:${c === 0 ? "left" : "right"}">${escapeHtml(x)}</td>`).join("")}</tr>`)
    .join("\n");
  return `<table class="recsys-eval">\n<caption>${escapeHtml(g.caption)}</caption>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}
