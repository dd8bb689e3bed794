/**
 * HTML templates of the static site: the index (notebooks in order, a one-line summary each)
 * and one page per notebook with previous/next navigation. Links are relative, so the site
 * works from file:// and from any static host; every text that comes from a notebook's prose is
 * escaped (titles, summaries), cell HTML comes from `./document`.
 */
import { escapeHtml } from "../notebook/table";
import type { NotebookDoc, SiteCell } from "./document";

/** What the index and the pager need to know about a notebook. */
export interface PageLink {
  name: string;
  title: string;
  summary: string;
}

export interface PageContext {
  /** Course title, shown in the top bar and the index. */
  courseTitle: string;
  prev?: PageLink;
  next?: PageLink;
  /** Link to this notebook's slide deck, relative to the page (e.g. "slides/03-knn.html"). */
  slidesHref?: string;
}

/** `<head>` shared by pages: UTF-8, viewport, an empty icon (no favicon request), styles and scripts. */
export function headHtml(title: string, assets: string, styles: string[], scripts: string[]): string {
  return [
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    '<link rel="icon" href="data:,">',
    ...styles.map((s) => `<link rel="stylesheet" href="${assets}${s}">`),
    ...scripts.map((s) => `<script src="${assets}${s}" defer></script>`),
    "</head>",
  ].join("\n");
}

/** The page file of a notebook, relative to the site root. */
export function pageHref(name: string): string {
  return `${encodeURIComponent(name)}.html`;
}

/** A code cell: highlighted source and its outputs. */
export function codeCellHtml(cell: SiteCell): string {
  const parts: string[] = [];
  if (cell.html !== "") parts.push(`<pre class="source"><code class="language-typescript">${cell.html}</code></pre>`);
  if (cell.outputs.length > 0) parts.push(`<div class="outputs">\n${cell.outputs.join("\n")}\n</div>`);
  return parts.join("\n");
}

function cellHtml(cell: SiteCell): string {
  const id = cell.id ? ` id="cell_${escapeHtml(cell.id)}"` : ""; // "_": never a heading id
  if (cell.type === "markdown") return `<section class="cell markdown"${id}>\n${cell.html}</section>`;
  return `<section class="cell code"${id}>\n${codeCellHtml(cell)}\n</section>`;
}

function pagerHtml(ctx: PageContext): string {
  const link = (l: PageLink | undefined, rel: "prev" | "next") =>
    l
      ? `<a class="${rel}" rel="${rel}" href="${pageHref(l.name)}"><span>${rel === "prev" ? "← Previous" : "Next →"}</span>${escapeHtml(l.title)}</a>`
      : "";
  return `<nav class="pager" aria-label="notebooks">${link(ctx.prev, "prev")}${link(ctx.next, "next")}</nav>`;
}

function topBar(ctx: PageContext, extra: string[]): string {
  return [
    '<header class="topbar">',
    `<a class="course" href="index.html">${escapeHtml(ctx.courseTitle)}</a>`,
    `<nav>${extra.join("")}</nav>`,
    "</header>",
  ].join("\n");
}

/** The page of one notebook. */
export function notebookPageHtml(doc: NotebookDoc, ctx: PageContext): string {
  const nav: string[] = [];
  if (ctx.prev) nav.push(`<a class="prev" rel="prev" href="${pageHref(ctx.prev.name)}">← Previous</a>`);
  nav.push('<a href="index.html">Contents</a>');
  if (ctx.slidesHref) nav.push(`<a class="slides" href="${ctx.slidesHref}">Slides</a>`);
  if (ctx.next) nav.push(`<a class="next" rel="next" href="${pageHref(ctx.next.name)}">Next →</a>`);
  const scripts = doc.figures > 0 ? ["plotly.min.js", "site.js"] : ["site.js"];
  const timing = doc.seconds !== undefined ? `, executed in ${doc.seconds.toFixed(1)} s` : "";
  return [
    "<!doctype html>",
    '<html lang="en">',
    headHtml(`${doc.title} · ${ctx.courseTitle}`, "assets/", ["site.css", "math.css"], scripts),
    `<body class="page" data-notebook="${escapeHtml(doc.name)}" data-figures="${doc.figures}">`,
    topBar(ctx, nav),
    '<main class="notebook">',
    ...doc.cells.map(cellHtml),
    pagerHtml(ctx),
    "</main>",
    `<footer>From <code>notebooks/${escapeHtml(doc.name)}.ipynb</code>${timing}.</footer>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

export interface IndexContext {
  courseTitle: string;
  /** One line under the title. */
  intro?: string;
  /** Whether each notebook has a deck in slides/. */
  slides: boolean;
}

/** The index: notebooks in order, each with its title, summary and links. */
export function indexPageHtml(docs: readonly PageLink[], ctx: IndexContext): string {
  const items = docs.map((d) => {
    const slides = ctx.slides ? ` · <a class="slides" href="slides/${pageHref(d.name)}">slides</a>` : "";
    return [
      `<li data-notebook="${escapeHtml(d.name)}">`,
      `<a class="title" href="${pageHref(d.name)}">${escapeHtml(d.title)}</a>`,
      d.summary ? `<span class="summary">${escapeHtml(d.summary)}</span>` : "",
      `<span class="links"><code>${escapeHtml(d.name)}.ipynb</code>${slides}</span>`,
      "</li>",
    ].join("\n");
  });
  return [
    "<!doctype html>",
    '<html lang="en">',
    headHtml(ctx.courseTitle, "assets/", ["site.css"], []),
    '<body class="index">',
    topBar({ courseTitle: ctx.courseTitle }, []),
    "<main>",
    `<h1>${escapeHtml(ctx.courseTitle)}</h1>`,
    ctx.intro ? `<p class="intro">${escapeHtml(ctx.intro)}</p>` : "",
    `<ol class="toc">\n${items.join("\n")}\n</ol>`,
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
