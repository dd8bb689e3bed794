/**
 * Tables of records (`{column: value}` objects, or a nodejs-polars DataFrame via `toRecords()`):
 * `table` renders escaped HTML for notebooks, `formatTextTable` aligned plain text for the
 * terminal. Both are pure; only `showTable` needs the kernel (through `./display`, which loads
 * tslab lazily), so the CLI can import this module in plain Node.
 *
 * Cells: numbers that are not integers get `digits` decimals (default 4); integers, bigints,
 * strings and booleans print as they are; null/undefined print empty; NaN prints "NaN"; other
 * objects print as JSON. Columns whose values are all numeric are right-aligned.
 */
import { html } from "./display";

/** Record rows, or anything with `toRecords()` (a nodejs-polars DataFrame). */
export type TableRows = readonly object[] | { toRecords(): object[] };

export interface TableOptions {
  /** Columns to show, in order; default: every key, in order of first appearance. */
  columns?: string[];
  /** Decimals for non-integer numbers: one number for all columns, or per column; default 4. */
  digits?: number | Record<string, number>;
  /** Show at most this many rows (default 100) and say how many were left out. */
  maxRows?: number;
  caption?: string;
}

interface Prepared {
  columns: string[];
  cells: string[][];
  numeric: boolean[];
  /** Rows left out by maxRows. */
  omitted: number;
  total: number;
}

/** Formats one cell value (see the module comment). */
export function formatCell(v: unknown, digits = 4): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isInteger(v) || !Number.isFinite(v) ? String(v) : v.toFixed(digits);
  if (typeof v === "string") return v;
  if (typeof v === "bigint" || typeof v === "boolean") return String(v);
  if (v instanceof Date) return v.toISOString();
  try {
    return JSON.stringify(ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v) ?? String(v);
  } catch {
    return String(v);
  }
}

function prepare(rows: TableRows, opts: TableOptions): Prepared {
  // Not `"toRecords" in rows`: a polars DataFrame is a Proxy whose `has` does not see its methods.
  const toRecords = (rows as { toRecords?: unknown }).toRecords;
  const all = typeof toRecords === "function" ? (toRecords.call(rows) as object[]) : (rows as readonly object[]);
  if (!Array.isArray(all)) throw new Error("table: rows must be an array of objects or a DataFrame with toRecords()");
  const maxRows = opts.maxRows ?? 100;
  if (!(maxRows >= 0)) throw new Error(`table: maxRows must be ≥ 0, got ${maxRows}`);
  const shown = all.slice(0, maxRows) as Record<string, unknown>[];
  let columns = opts.columns;
  if (!columns) {
    const seen = new Set<string>();
    for (const r of shown) for (const k of Object.keys(r)) seen.add(k);
    columns = [...seen];
  }
  const digitsOf = (c: string): number => {
    const d = typeof opts.digits === "number" ? opts.digits : opts.digits?.[c] ?? 4;
    if (!(Number.isInteger(d) && d >= 0 && d <= 100)) throw new Error(`table: digits for column "${c}" must be an integer in 0..100, got ${d}`);
    return d;
  };
  const digits = columns.map(digitsOf);
  const numeric = columns.map((c) =>
    shown.some((r) => r[c] !== null && r[c] !== undefined) &&
    shown.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === "number" || typeof r[c] === "bigint"),
  );
  const cells = shown.map((r) => columns!.map((c, j) => formatCell(r[c], digits[j])));
  return { columns, cells, numeric, omitted: all.length - shown.length, total: all.length };
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** An HTML `<table>` of the rows, every header and cell escaped. */
export function table(rows: TableRows, opts: TableOptions = {}): string {
  const p = prepare(rows, opts);
  const align = (j: number) => ` style="text-align:${p.numeric[j] ? "right" : "left"}"`;
  const out: string[] = ['<table class="recsys-table">'];
  if (opts.caption) out.push(`<caption>${escapeHtml(opts.caption)}</caption>`);
  out.push(`<thead><tr>${p.columns.map((c, j) => `<th${align(j)}>${escapeHtml(c)}</th>`).join("")}</tr></thead>`);
  out.push("<tbody>");
  for (const row of p.cells) out.push(`<tr>${row.map((v, j) => `<td${align(j)}>${escapeHtml(v)}</td>`).join("")}</tr>`);
  if (p.total === 0) out.push(`<tr><td colspan="${Math.max(1, p.columns.length)}">(no rows)</td></tr>`);
  out.push("</tbody>");
  if (p.omitted > 0) {
    out.push(`<tfoot><tr><td colspan="${Math.max(1, p.columns.length)}">… ${p.omitted} more rows (${p.total} in all)</td></tr></tfoot>`);
  }
  out.push("</table>");
  return out.join("\n");
}

/**
 * The rows as aligned plain text: a header, a dashed rule, one line per row, columns separated
 * by two spaces, numeric columns right-aligned (widths count UTF-16 code units).
 */
export function formatTextTable(rows: TableRows, opts: TableOptions = {}): string {
  const p = prepare(rows, opts);
  const lines: string[] = [];
  if (opts.caption) lines.push(opts.caption);
  if (p.columns.length === 0) {
    lines.push("(no rows)");
    return lines.join("\n");
  }
  const widths = p.columns.map((c, j) => p.cells.reduce((w, r) => Math.max(w, r[j].length), c.length));
  const fmt = (cells: string[]) =>
    cells.map((v, j) => (p.numeric[j] ? v.padStart(widths[j]) : v.padEnd(widths[j]))).join("  ").trimEnd();
  lines.push(fmt(p.columns), widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of p.cells) lines.push(fmt(r));
  if (p.total === 0) lines.push("(no rows)");
  if (p.omitted > 0) lines.push(`… ${p.omitted} more rows (${p.total} in all)`);
  return lines.join("\n");
}

/** Displays `table(rows, opts)` as HTML in the notebook. */
export function showTable(rows: TableRows, opts: TableOptions = {}): void {
  html(table(rows, opts));
}
