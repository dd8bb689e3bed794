/**
 * Notebook outputs → HTML for the static site and the slides.
 *
 * One MIME type is chosen per output, in the order Jupyter prefers rich ones: plotly figure,
 * HTML, SVG, PNG, JPEG, GIF, Markdown, JSON, plain text. Records (`RECORD_MIME`, data for tests
 * and graders) render as nothing, and so do outputs with no MIME type the site knows.
 *
 * - stream text, plain text, JSON and errors are escaped into `<pre>`; ANSI colour codes are
 *   removed and carriage returns applied the way a terminal would (a progress line redrawn with
 *   `\r` keeps its last state); consecutive stream outputs of the same stream are merged;
 * - `text/html` (our tables: `recsys-table`) is kept as the notebook produced it;
 * - images become `<img>` with a data: URI (SVG too, so that no script in it runs);
 * - a plotly figure becomes an empty `<div class="plotly-chart">` plus its `{data, layout}` JSON
 *   in a `<script type="application/json">` right after it, which the page's script draws with
 *   the bundled plotly.js (no fetch, so pages work from file://).
 */
import type { Output } from "../jupyter/notebook";
import { PLOTLY_MIME } from "../notebook/display";
import { RECORD_MIME } from "../notebook/record";
import { escapeHtml } from "../notebook/table";
import { renderMarkdown } from "./markdown";

/** MIME types the site renders, most preferred first. */
export const MIME_ORDER = [
  PLOTLY_MIME,
  "text/html",
  "image/svg+xml",
  "image/png",
  "image/jpeg",
  "image/gif",
  "text/markdown",
  "application/json",
  "text/plain",
] as const;

/** State shared by all outputs of one page: figure ids must be unique in it. */
export class OutputContext {
  private figures = 0;
  constructor(readonly idPrefix = "fig") {}
  /** A new figure id (`fig_1`, `fig_2`, …: the underscore keeps them apart from heading ids, which have none). */
  nextFigureId(): string {
    return `${this.idPrefix}_${++this.figures}`;
  }
  /** How many figures were rendered so far. */
  get figureCount(): number {
    return this.figures;
  }
}

/** Joins nbformat's string-or-lines. */
function joined(v: unknown): string {
  if (Array.isArray(v)) return v.join("");
  return typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);
}

/** Removes ANSI escape sequences (colours, cursor moves). */
export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, "").replace(/\x1b\][^\x07]*(\x07|\x1b\\)/g, "");
}

/** Applies carriage returns per line: what follows the last `\r` of a line overwrites the line. */
export function applyCarriageReturns(s: string): string {
  if (!s.includes("\r")) return s;
  return s
    .replace(/\r\n/g, "\n")
    .split("\n")
    .map((line) => {
      const parts = line.split("\r");
      let out = "";
      for (const p of parts) out = p + out.slice(p.length);
      return out;
    })
    .join("\n");
}

/** Terminal text → escaped HTML. */
export function terminalText(s: string): string {
  return escapeHtml(applyCarriageReturns(stripAnsi(s)));
}

/**
 * JSON safe to put inside `<script type="application/json">`: `<`, `>`, `&` and the line
 * separators are written as \u escapes, so no `</script>` can end the element early.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Traces plotly draws: those not hidden by `visible: false` or `visible: "legendonly"`. */
export function visibleTraceCount(figure: { data?: unknown }): number {
  const data = Array.isArray(figure.data) ? figure.data : [];
  return data.filter((t) => {
    const v = (t as { visible?: unknown } | null)?.visible;
    return v !== false && v !== "legendonly";
  }).length;
}

/** The MIME type an output will be shown as, or null when it shows nothing. */
export function chooseMime(data: Record<string, unknown>): string | null {
  for (const m of MIME_ORDER) if (m in data) return m;
  return null;
}

function renderPlotly(raw: unknown, ctx: OutputContext): string {
  const fig = (typeof raw === "string" ? JSON.parse(raw) : raw) as { data?: unknown; layout?: unknown };
  if (!fig || typeof fig !== "object" || !Array.isArray(fig.data)) {
    throw new Error("a plotly output has no data array");
  }
  const id = ctx.nextFigureId();
  const figure = { data: fig.data, layout: fig.layout && typeof fig.layout === "object" ? fig.layout : {} };
  return (
    `<div class="output plotly"><div class="plotly-chart" id="${id}" data-traces="${visibleTraceCount(figure)}"></div>` +
    `<script type="application/json" class="plotly-figure" data-for="${id}">${jsonForScript(figure)}</script></div>`
  );
}

function renderData(data: Record<string, unknown>, ctx: OutputContext): string {
  const mime = chooseMime(data);
  if (mime === null) return "";
  const value = data[mime];
  switch (mime) {
    case PLOTLY_MIME:
      return renderPlotly(value, ctx);
    case "text/html":
      return `<div class="output html">${joined(value)}</div>`;
    case "image/svg+xml":
      return `<div class="output image"><img alt="figure" src="data:image/svg+xml;base64,${Buffer.from(joined(value), "utf8").toString("base64")}"></div>`;
    case "image/png":
    case "image/jpeg":
    case "image/gif":
      return `<div class="output image"><img alt="figure" src="data:${mime};base64,${joined(value).replace(/\s+/g, "")}"></div>`;
    case "text/markdown":
      return `<div class="output markdown">${renderMarkdown(joined(value))}</div>`;
    case "application/json":
      return `<pre class="output json">${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
    default:
      return `<pre class="output text">${terminalText(joined(value))}</pre>`;
  }
}

/**
 * HTML for each shown output of a code cell, in order (records and unknown types produce no
 * entry). Consecutive stream outputs to the same stream are merged first.
 */
export function renderOutputs(outputs: readonly Output[] | undefined, ctx: OutputContext): string[] {
  const html: string[] = [];
  let stream: { name: string; text: string } | null = null;
  const flush = () => {
    if (stream && stream.text !== "") {
      const cls = stream.name === "stderr" ? "stderr" : "stdout";
      html.push(`<pre class="output stream ${cls}">${terminalText(stream.text)}</pre>`);
    }
    stream = null;
  };
  for (const out of outputs ?? []) {
    if (out.output_type === "stream") {
      const name = out.name ?? "stdout";
      const text = joined(out.text);
      if (stream && stream.name === name) stream.text += text;
      else {
        flush();
        stream = { name, text };
      }
      continue;
    }
    flush();
    if (out.output_type === "error") {
      // a traceback already starts with "ename: evalue"; without one, show that line
      const trace = (out.traceback ?? []).map(joined).join("\n");
      const text = trace.trim() !== "" ? trace : `${out.ename ?? "Error"}: ${out.evalue ?? ""}`;
      html.push(`<pre class="output error">${terminalText(text)}</pre>`);
      continue;
    }
    if (out.output_type === "display_data" || out.output_type === "execute_result" || out.output_type === "update_display_data") {
      const data = out.data ?? {};
      if (RECORD_MIME in data && chooseMime(data) === null) continue;
      const rendered = renderData(data, ctx);
      if (rendered) html.push(rendered);
    }
  }
  flush();
  return html;
}
