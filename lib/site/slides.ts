/**
 * A notebook as a slide deck for live sessions.
 *
 * Splitting rule: every Markdown heading starts a new slide (a Markdown cell with several
 * headings gives several slides); Markdown before a cell's first heading continues the current
 * prose slide, or starts one after a code slide; every code cell is a slide of its own with its
 * output, after the prose that introduces it. Cells tagged `remove-cell` are left out, and so are
 * code cells that show nothing (no input, no output). The first slide is a title slide when it
 * starts with a level-1 heading. Each slide after the first heading carries the name of its
 * section in a small label (see `Slide.section`).
 *
 * The deck is one HTML file plus `assets/` (see `./assets`: keyboard navigation, charts drawn
 * when their slide is shown).
 */
import { cellSource, type Notebook } from "../jupyter/notebook";
import { escapeHtml } from "../notebook/table";
import { cellTags, markdownOptionsFor, notebookTitle, type PublishOptions } from "./document";
import { studentView } from "./exercises";
import { highlightTypeScript } from "./highlight";
import { headingLines, markdownBlocks, markdownToText, renderMarkdown } from "./markdown";
import { OutputContext, renderOutputs } from "./outputs";
import { codeCellHtml, headHtml } from "./page";

export interface Slide {
  kind: "title" | "prose" | "code";
  /**
   * The section the slide belongs to, shown as a small label: for a heading's slide the enclosing
   * heading, for other slides the last heading; "" when that is the title (level 1) or none.
   */
  section: string;
  /** The slide's content HTML. */
  html: string;
  /** Ids of the cells on this slide. */
  cells: string[];
  /** Figures on this slide. */
  figures: number;
}

/** Splits Markdown at its top-level headings: [text before the first heading, heading chunk, …]. */
export interface MarkdownChunk {
  /** The chunk's heading as plain text, or null for the text before a cell's first heading. */
  heading: string | null;
  /** Heading level (0 without a heading). */
  level: number;
  /** The chunk's Markdown. */
  text: string;
}

/** Splits Markdown at its top-level headings: [text before the first heading, heading chunk, …]. */
export function splitAtHeadings(src: string): MarkdownChunk[] {
  const lines = src.split("\n");
  const starts = headingLines(src);
  const chunks: MarkdownChunk[] = [];
  const before = lines.slice(0, starts.length > 0 ? starts[0] : lines.length).join("\n");
  if (before.trim() !== "") chunks.push({ heading: null, level: 0, text: before });
  starts.forEach((start, k) => {
    const text = lines.slice(start, k + 1 < starts.length ? starts[k + 1] : lines.length).join("\n");
    const heading = markdownBlocks(text).find((b) => b.kind === "heading");
    chunks.push({ heading: heading ? markdownToText(heading.inline) : "", level: heading ? heading.level : 1, text });
  });
  return chunks;
}

/** The slides of an executed notebook (the student view unless `solutions`). */
export function splitSlides(executed: Notebook, name = "notebook", options: PublishOptions = {}): Slide[] {
  const nb = options.solutions ? executed : studentView(executed, name);
  const ctx = new OutputContext("fig");
  const slugs = new Map<string, number>();
  // open headings, outermost first; a slide's label is the innermost one below the title (level 1)
  const open: { level: number; text: string }[] = [];
  const label = () => {
    const top = open[open.length - 1];
    return top && top.level > 1 ? top.text : "";
  };
  type Building = Slide & { parts: string[] };
  const building: Building[] = [];
  let current: Building | null = null;
  const start = (kind: Slide["kind"], cellId: string | undefined): Building => {
    const s: Building = { kind, section: label(), html: "", cells: cellId ? [cellId] : [], figures: 0, parts: [] as string[] };
    building.push(s);
    return s;
  };
  for (const cell of nb.cells) {
    const tags = cellTags(cell);
    if (tags.includes("remove-cell")) continue;
    const src = cellSource(cell);
    if (cell.cell_type === "markdown") {
      const mdOptions = markdownOptionsFor(cell);
      for (const chunk of splitAtHeadings(src)) {
        const html = renderMarkdown(chunk.text, mdOptions, slugs);
        if (chunk.heading === null) {
          if (!current || current.kind === "code") current = start("prose", cell.id);
          else if (cell.id && !current.cells.includes(cell.id)) current.cells.push(cell.id);
          current.parts.push(html);
        } else {
          while (open.length > 0 && open[open.length - 1].level >= chunk.level) open.pop();
          current = start(building.length === 0 && chunk.level === 1 ? "title" : "prose", cell.id);
          open.push({ level: chunk.level, text: chunk.heading });
          current.parts.push(html);
        }
      }
    } else if (cell.cell_type === "code") {
      const before = ctx.figureCount;
      const outputs = tags.includes("remove-output") ? [] : renderOutputs(cell.outputs, ctx);
      const showInput = !tags.includes("remove-input") && src.trim() !== "";
      if (!showInput && outputs.length === 0) continue;
      current = start("code", cell.id);
      current.figures = ctx.figureCount - before;
      current.parts.push(codeCellHtml({ type: "code", id: cell.id, source: src, html: showInput ? highlightTypeScript(src) : "", outputs, tags }));
    }
  }
  return building.map(({ parts, ...s }) => ({ ...s, html: parts.join("\n") }));
}

export interface DeckOptions extends PublishOptions {
  /** Prefix of the asset files relative to the deck (default "assets/"). */
  assets?: string;
  /** Link back to the notebook's page, relative to the deck. */
  pageHref?: string;
  /** Link to the contents, relative to the deck. */
  indexHref?: string;
  /** Shown in the window title after the notebook title. */
  courseTitle?: string;
}

/** A rendered deck: its HTML file and its slides. */
export interface Deck {
  html: string;
  slides: Slide[];
  figures: number;
}

/** The deck of an executed notebook: one HTML file (assets referenced under `options.assets`). */
export function renderDeck(executed: Notebook, name: string, options: DeckOptions = {}): Deck {
  const slides = splitSlides(executed, name, options);
  const title = notebookTitle(executed, name);
  const assets = options.assets ?? "assets/";
  const figures = slides.reduce((n, s) => n + s.figures, 0);
  const scripts = figures > 0 ? ["plotly.min.js", "site.js", "slides.js"] : ["site.js", "slides.js"];
  const sections = slides.map((s, k) => {
    const label = s.section && s.kind !== "title" ? `<div class="section">${escapeHtml(s.section)}</div>\n` : "";
    return `<section class="slide ${s.kind}" id="slide_${k + 1}" data-figures="${s.figures}"><div class="content">\n${label}${s.html}\n</div></section>`;
  });
  const links: string[] = [];
  if (options.indexHref) links.push(`<a href="${options.indexHref}">contents</a>`);
  if (options.pageHref) links.push(`<a href="${options.pageHref}">page</a>`);
  const html = [
    "<!doctype html>",
    '<html lang="en">',
    headHtml(options.courseTitle ? `${title} · ${options.courseTitle}` : title, assets, ["slides.css", "math.css"], scripts),
    `<body class="deck" data-notebook="${escapeHtml(name)}" data-slides="${slides.length}" data-figures="${figures}">`,
    ...sections,
    '<div class="deck-ui">',
    ...links,
    '<button class="prev" type="button" aria-label="previous slide">‹</button>',
    `<span class="counter">1 / ${slides.length}</span>`,
    '<button class="next" type="button" aria-label="next slide">›</button>',
    "</div>",
    '<div class="deck-progress"><div></div></div>',
    "</body>",
    "</html>",
    "",
  ].join("\n");
  return { html, slides, figures };
}
