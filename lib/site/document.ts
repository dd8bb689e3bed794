/**
 * An executed notebook prepared for publishing: its title, a one-line summary, and each cell as
 * HTML (Markdown rendered, code highlighted as TypeScript, outputs rendered by `./outputs`).
 * The page (`./page`) and the slides (`./slides`) are templates over this.
 *
 * Cell tags understood (Jupyter Book's names): `remove-cell` (not published), `remove-input`
 * (outputs only), `remove-output` (code only).
 */
import path from "path";
import { cellSource, type Cell, type Notebook } from "../jupyter/notebook";
import { studentView } from "./exercises";
import { highlightTypeScript } from "./highlight";
import { markdownBlocks, markdownToText, renderMarkdown, type MarkdownOptions } from "./markdown";
import { OutputContext, renderOutputs } from "./outputs";

export interface PublishOptions {
  /** Publish solutions and hidden tests as they are (default false: the student view). */
  solutions?: boolean;
}

export interface SiteCell {
  type: "markdown" | "code";
  id?: string;
  /** The source as published (after the student view). */
  source: string;
  /** Markdown: the rendered HTML; code: the highlighted source (inner HTML of a `<code>`), "" when its input is removed. */
  html: string;
  /** Rendered outputs (code cells). */
  outputs: string[];
  /** Tags of the cell. */
  tags: string[];
}

export interface NotebookDoc {
  /** File name without .ipynb, e.g. "00-getting-started"; also the page's base name. */
  name: string;
  /** Plain-text title. */
  title: string;
  /** Plain-text one-line summary. */
  summary: string;
  cells: SiteCell[];
  /** Number of plotly figures on the page. */
  figures: number;
  /** Seconds the execution took (sum of the cells' metadata.recsys.seconds), when known. */
  seconds?: number;
}

/** `notebooks/03-knn.ipynb` → `03-knn`. */
export function notebookName(file: string): string {
  return path.basename(file).replace(/\.ipynb$/i, "");
}

/** Tags of a cell (metadata.tags), as strings. */
export function cellTags(cell: Cell): string[] {
  const tags = cell.metadata?.tags;
  return Array.isArray(tags) ? tags.map(String) : [];
}

/** `00-getting-started` → "00 getting started" (a title when a notebook has no heading). */
function titleFromName(name: string): string {
  return name.replace(/[-_]+/g, " ").trim();
}

/** The first heading of the first Markdown cell that has one, as plain text (fallback: from the name). */
export function notebookTitle(nb: Notebook, name = "notebook"): string {
  for (const cell of nb.cells) {
    if (cell.cell_type !== "markdown") continue;
    const heading = markdownBlocks(cellSource(cell)).find((b) => b.kind === "heading");
    if (heading) return markdownToText(heading.inline);
  }
  return titleFromName(name);
}

/** At most `max` characters, cut at a word boundary with an ellipsis. */
export function truncateText(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  // cut at the last whole word (the cut itself ends a word when the next character is a space)
  const space = /\s/.test(s.charAt(max - 1)) ? cut.length : cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, "")}…`;
}

/** The sentences of a paragraph of plain text (split after . ! ? followed by space and a capital, digit or quote). */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z0-9"'“(*_`[])/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** As many leading sentences of `text` as fit in `max` characters (at least the first, truncated). */
export function leadSentences(text: string, max: number): string {
  const all = sentences(text);
  if (all.length === 0) return "";
  let out = all[0];
  for (let k = 1; k < all.length && out.length + 1 + all[k].length <= max; k++) out += ` ${all[k]}`;
  return truncateText(out, max);
}

/**
 * A one-line summary: `metadata.recsys.summary` when the notebook sets it, otherwise the first
 * sentences (as many as fit in 200 characters) of the first paragraph of the first Markdown cell
 * that has a paragraph, as plain text; "" when there is no paragraph.
 */
export function notebookSummary(nb: Notebook): string {
  const given = nb.metadata?.recsys?.summary;
  if (typeof given === "string" && given.trim() !== "") return given.trim();
  for (const cell of nb.cells) {
    if (cell.cell_type !== "markdown") continue;
    const para = markdownBlocks(cellSource(cell)).find((b) => b.kind === "paragraph");
    if (para) return leadSentences(markdownToText(para.inline), 200);
  }
  return "";
}

/** Total seconds of the executed cells, or undefined if the notebook carries no timings. */
export function executionSeconds(nb: Notebook): number | undefined {
  let total = 0;
  let any = false;
  for (const c of nb.cells) {
    const s = c.metadata?.recsys?.seconds;
    if (typeof s === "number" && Number.isFinite(s)) {
      total += s;
      any = true;
    }
  }
  return any ? total : undefined;
}

/** Markdown options for a cell: its attachments resolve `attachment:NAME` images. */
export function markdownOptionsFor(cell: Cell): MarkdownOptions {
  const attachments = cell.attachments;
  return attachments && typeof attachments === "object" ? { attachments: attachments as MarkdownOptions["attachments"] } : {};
}

/** Renders an executed notebook into a `NotebookDoc` (the student view unless `solutions`). */
export function buildDoc(executed: Notebook, name: string, options: PublishOptions = {}): NotebookDoc {
  const nb = options.solutions ? executed : studentView(executed, name);
  const ctx = new OutputContext("fig");
  const slugs = new Map<string, number>();
  const cells: SiteCell[] = [];
  for (const cell of nb.cells) {
    const tags = cellTags(cell);
    if (tags.includes("remove-cell")) continue;
    const source = cellSource(cell);
    if (cell.cell_type === "markdown") {
      if (source.trim() === "") continue;
      cells.push({ type: "markdown", id: cell.id, source, html: renderMarkdown(source, markdownOptionsFor(cell), slugs), outputs: [], tags });
    } else if (cell.cell_type === "code") {
      const outputs = tags.includes("remove-output") ? [] : renderOutputs(cell.outputs, ctx);
      const showInput = !tags.includes("remove-input") && source.trim() !== "";
      if (!showInput && outputs.length === 0) continue;
      cells.push({ type: "code", id: cell.id, source, html: showInput ? highlightTypeScript(source) : "", outputs, tags });
    }
    // raw cells are not published
  }
  return {
    name,
    title: notebookTitle(nb, name),
    summary: notebookSummary(nb),
    cells,
    figures: ctx.figureCount,
    seconds: executionSeconds(executed),
  };
}
