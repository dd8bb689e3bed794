/**
 * The static files every site and deck carries in `assets/`: the site's and the slides' style
 * sheets and scripts (written here, small and dependency-free), the MathML style sheet from
 * temml, and plotly.js (the minified bundle from the `plotly.js-dist-min` package, copied once,
 * so charts draw with no network).
 *
 * The scripts read each chart's figure JSON from the `<script type="application/json">` after
 * its `<div>` (no fetch: pages work from file://), draw it with `Plotly.newPlot`, and set
 * `data-rendered` on the div (or `data-error`); when every chart of a page is drawn,
 * `document.body.dataset.charts` becomes "done". Slides draw a slide's charts when it is shown.
 */
import fs from "fs";

/** A file of the site: text content, or a file to copy. */
export interface SiteFile {
  /** Path relative to the site root, with "/" separators. */
  path: string;
  content?: string;
  copyFrom?: string;
}

/** Absolute path of the plotly.js bundle to copy. */
export function plotlyBundlePath(): string {
  try {
    return require.resolve("plotly.js-dist-min/plotly.min.js");
  } catch {
    throw new Error("plotly.js is missing: the package plotly.js-dist-min is not installed (run `npm install`)");
  }
}

/**
 * temml's MathML style sheet (Temml-Local.css: system math fonts) without its @font-face rule:
 * a web font loaded from file:// is blocked by the browser's CORS check, and the font it names
 * only serves \mathscr.
 */
export function mathCss(): string {
  let file: string;
  try {
    file = require.resolve("temml/dist/Temml-Local.css");
  } catch {
    throw new Error("temml is missing: the package temml is not installed (run `npm install`)");
  }
  return fs.readFileSync(file, "utf8").replace(/@font-face\s*{[^}]*}/g, "");
}

/** Shared by pages and slides: code colours (highlight.js classes) and notebook outputs. */
const COMMON_CSS = String.raw`
.hljs-keyword, .hljs-built_in, .hljs-type, .hljs-literal { color: #0b57d0; }
.hljs-string, .hljs-regexp, .hljs-template-string { color: #0a7d3b; }
.hljs-subst { color: #1f2328; }
.hljs-number { color: #b35900; }
.hljs-comment { color: #6e7781; font-style: italic; }
.hljs-title, .hljs-title.function_, .hljs-title.class_ { color: #8250df; }
.hljs-attr, .hljs-property, .hljs-params { color: #1f2328; }
.hljs-variable, .hljs-template-variable { color: #953800; }
.hljs-meta { color: #6e7781; }
.hljs-operator, .hljs-punctuation { color: #1f2328; }
.output { margin: 0.4em 0; overflow-x: auto; }
pre.output { white-space: pre-wrap; word-break: break-word; }
pre.output.stderr { background: #fff1f0; color: #86181d; }
pre.output.error { background: #fff1f0; color: #86181d; }
.output.image img { max-width: 100%; height: auto; }
.plotly-chart { width: 100%; min-height: 120px; }
table.recsys-table { border-collapse: collapse; margin: 0.5em 0; font-variant-numeric: tabular-nums; }
table.recsys-table caption { caption-side: top; text-align: left; font-style: italic; color: #57606a; padding-bottom: 0.3em; }
table.recsys-table th, table.recsys-table td { padding: 0.25em 0.7em; border-bottom: 1px solid #d0d7de; }
table.recsys-table thead th { border-bottom: 2px solid #8c959f; }
table.recsys-table tbody tr:nth-child(even) { background: #f6f8fa; }
table.recsys-table tfoot td { color: #57606a; font-style: italic; }
math { font-size: 1.1em; }
.math-display { overflow-x: auto; margin: 0.8em 0; }
code.math-error { color: #cf222e; }
`;

/** Style sheet of the index and notebook pages. */
export const SITE_CSS =
  String.raw`
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 17px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: #1f2328; background: #fff; }
a { color: #0b57d0; }
header.topbar { position: sticky; top: 0; z-index: 10; display: flex; gap: 1em; align-items: center; justify-content: space-between; padding: 0.5em 1.2em; background: #1f2328; color: #fff; font-size: 15px; }
header.topbar a { color: #fff; text-decoration: none; }
header.topbar a:hover { text-decoration: underline; }
header.topbar .course { font-weight: 600; }
header.topbar nav { display: flex; gap: 1em; flex-wrap: wrap; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5em 1.2em 3em; }
h1 { font-size: 2em; line-height: 1.25; margin: 0.6em 0 0.4em; }
h2 { font-size: 1.5em; margin: 1.6em 0 0.5em; padding-bottom: 0.2em; border-bottom: 1px solid #d8dee4; }
h3 { font-size: 1.2em; margin: 1.4em 0 0.4em; }
code { font: 0.9em/1.5 ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; }
:not(pre) > code { background: #eff1f3; padding: 0.1em 0.3em; border-radius: 4px; }
pre { font: 14px/1.5 ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; margin: 0; padding: 0.7em 0.9em; border-radius: 6px; overflow-x: auto; }
.cell { margin: 1em 0; }
.cell.code pre.source { background: #f6f8fa; border: 1px solid #d8dee4; }
.cell.code .outputs { border-left: 3px solid #d8dee4; padding-left: 0.8em; margin-top: 0.4em; }
.cell.code .outputs pre.output { background: transparent; padding: 0.3em 0; }
.cell.code .outputs pre.output.stderr, .cell.code .outputs pre.output.error { background: #fff1f0; padding: 0.3em 0.6em; }
.cell.markdown img { max-width: 100%; }
.cell.markdown blockquote { margin: 0.8em 0; padding: 0 1em; color: #57606a; border-left: 4px solid #d0d7de; }
.cell.markdown table { border-collapse: collapse; }
.cell.markdown th, .cell.markdown td { border: 1px solid #d0d7de; padding: 0.25em 0.6em; }
nav.pager { display: flex; justify-content: space-between; gap: 1em; margin: 2em 0 0; padding-top: 1em; border-top: 1px solid #d8dee4; }
nav.pager a { display: block; max-width: 48%; text-decoration: none; }
nav.pager a span { display: block; font-size: 0.8em; color: #57606a; }
nav.pager a.next { text-align: right; margin-left: auto; }
h1, h2, h3, h4, .cell, .plotly-chart { scroll-margin-top: 3.5em; }
ol.toc { list-style: none; padding: 0; }
ol.toc li { margin: 0 0 0.6em; padding: 0.5em 0.9em; border: 1px solid #d8dee4; border-radius: 8px; }
ol.toc li a.title { font-size: 1.08em; font-weight: 600; text-decoration: none; }
ol.toc li .summary { display: block; color: #3d444d; font-size: 0.95em; line-height: 1.45; margin-top: 0.1em; }
ol.toc li .links { display: block; font-size: 0.8em; margin-top: 0.15em; color: #57606a; }
footer { max-width: 60rem; margin: 0 auto; padding: 1em 1.2em 2em; color: #57606a; font-size: 0.85em; }
@media (max-width: 600px) { body { font-size: 16px; } main { padding: 1em 0.8em 2em; } }
` + COMMON_CSS;

/** Script of the notebook pages: draws every chart. */
export const SITE_JS = String.raw`(function () {
  "use strict";
  function figures(root) {
    return Array.prototype.slice.call(root.querySelectorAll("script.plotly-figure"));
  }
  function draw(script, adjust) {
    var div = document.getElementById(script.getAttribute("data-for"));
    if (!div || div.getAttribute("data-rendered") || div.getAttribute("data-drawing")) return Promise.resolve();
    if (!window.Plotly) {
      div.setAttribute("data-error", "plotly.js did not load");
      console.error("plotly.js did not load: cannot draw " + div.id);
      return Promise.resolve();
    }
    var fig;
    try {
      fig = JSON.parse(script.textContent);
    } catch (e) {
      div.setAttribute("data-error", String(e));
      console.error("figure " + div.id + ": " + e);
      return Promise.resolve();
    }
    var layout = fig.layout || {};
    if (adjust) layout = adjust(layout, div);
    div.setAttribute("data-drawing", "1");
    return window.Plotly.newPlot(div, fig.data, layout, { responsive: true, displaylogo: false }).then(
      function () {
        div.removeAttribute("data-drawing");
        div.setAttribute("data-rendered", "1");
      },
      function (e) {
        div.removeAttribute("data-drawing");
        div.setAttribute("data-error", String(e));
        console.error("figure " + div.id + ": " + e);
      }
    );
  }
  window.recsysCharts = { figures: figures, draw: draw };
  if (document.body.classList.contains("deck")) return;
  function drawAll() {
    Promise.all(figures(document).map(function (s) { return draw(s); })).then(function () {
      document.body.setAttribute("data-charts", "done");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();
`;

/** Style sheet of the slide decks: one slide fills the window, large type. */
export const SLIDES_CSS =
  String.raw`
*, *::before, *::after { box-sizing: border-box; }
html, body { margin: 0; height: 100%; overflow: hidden; background: #fff; }
body.deck { font: clamp(18px, 2.3vw, 34px)/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: #1f2328; }
a { color: #0b57d0; }
.slide { display: none; position: absolute; inset: 0; padding: 3.2vh 5vw 9vh; overflow: auto; }
.slide.active { display: block; }
.slide .content { max-width: 90rem; margin: 0 auto; }
.slide .section { font-size: 0.6em; color: #57606a; text-transform: none; margin-bottom: 0.4em; border-bottom: 2px solid #0b57d0; display: inline-block; }
.slide h1 { font-size: 2em; line-height: 1.15; margin: 0.2em 0 0.5em; }
.slide h2 { font-size: 1.55em; line-height: 1.2; margin: 0.1em 0 0.5em; }
.slide h3, .slide h4 { font-size: 1.25em; margin: 0.1em 0 0.5em; }
.slide.title { display: none; }
.slide.title.active { display: flex; flex-direction: column; justify-content: center; }
.slide.title h1 { font-size: 2.4em; }
.slide p, .slide li { margin: 0.35em 0; }
code { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.88em; }
:not(pre) > code { background: #eff1f3; padding: 0.05em 0.25em; border-radius: 4px; }
pre { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.72em; line-height: 1.4; margin: 0.3em 0; padding: 0.5em 0.8em; border-radius: 8px; overflow-x: auto; }
pre code { font-size: 1em; }
pre.source { background: #f6f8fa; border: 1px solid #d8dee4; white-space: pre-wrap; overflow-wrap: anywhere; }
.outputs { margin-top: 0.4em; }
.outputs pre.output { background: #fbfbfc; border-left: 4px solid #d8dee4; border-radius: 0; }
table.recsys-table { font-size: 0.7em; }
.slide .content > table { border-collapse: collapse; margin: 0.4em 0; }
.slide .content > table th, .slide .content > table td { padding: 0.15em 0.6em; border-bottom: 1px solid #d0d7de; text-align: left; }
.slide .content > table thead th { border-bottom: 2px solid #8c959f; }
.deck-ui { position: fixed; right: 1.2vw; bottom: 1.2vh; display: flex; gap: 0.5em; align-items: center; font-size: 16px; color: #57606a; z-index: 5; background: rgba(255, 255, 255, 0.85); border-radius: 8px; padding: 0.2em 0.4em; }
.deck-ui button { font: inherit; border: 1px solid #d0d7de; background: #fff; border-radius: 6px; padding: 0.15em 0.7em; cursor: pointer; }
.deck-ui a { color: #57606a; }
.deck-progress { position: fixed; left: 0; bottom: 0; height: 5px; width: 100%; background: #eaeef2; z-index: 5; }
.deck-progress div { height: 100%; width: 0; background: #0b57d0; transition: width 0.2s; }
@media print { html, body { overflow: visible; height: auto; } .slide { display: block !important; position: relative; page-break-after: always; height: 100vh; } .deck-ui, .deck-progress { display: none; } }
` + COMMON_CSS;

/**
 * Script of the slide decks: shows one slide at a time. Keys: → ↓ Space PageDown Enter (next),
 * ← ↑ Shift+Space PageUp Backspace (previous), Home, End. The slide number is kept in the URL's
 * hash (#3), so a reload stays on the slide. Charts are drawn when their slide is first shown,
 * sized to the window; text that does not fit is made smaller (down to 60 %).
 */
export const SLIDES_JS = String.raw`(function () {
  "use strict";
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  var counter = document.querySelector(".deck-ui .counter");
  var bar = document.querySelector(".deck-progress div");
  var current = -1;
  function fromHash() {
    var n = parseInt(String(location.hash).replace("#", ""), 10);
    return isFinite(n) ? n - 1 : 0;
  }
  function chartLayout(layout, div) {
    var copy = JSON.parse(JSON.stringify(layout || {}));
    var h = window.innerHeight;
    var code = div.closest(".slide").querySelector("pre.source");
    copy.height = Math.max(260, Math.round(h * (code ? 0.52 : 0.7)));
    delete copy.width;
    copy.font = copy.font || {};
    if (!copy.font.size) copy.font.size = Math.max(14, Math.min(22, Math.round(h / 45)));
    return copy;
  }
  function fit(slide) {
    var content = slide.querySelector(".content");
    if (!content) return;
    var size = 100;
    content.style.fontSize = "";
    while (slide.scrollHeight > slide.clientHeight + 2 && size > 60) {
      size -= 5;
      content.style.fontSize = size + "%";
    }
  }
  function show(n) {
    if (slides.length === 0) return;
    n = Math.max(0, Math.min(slides.length - 1, n));
    if (n === current) return;
    if (current >= 0) slides[current].classList.remove("active");
    current = n;
    var slide = slides[n];
    slide.classList.add("active");
    slide.scrollTop = 0;
    document.body.setAttribute("data-slide", String(n + 1));
    if (counter) counter.textContent = n + 1 + " / " + slides.length;
    if (bar) bar.style.width = (100 * (n + 1)) / slides.length + "%";
    var hash = "#" + (n + 1);
    if (location.hash !== hash) {
      try {
        history.replaceState(null, "", hash);
      } catch (e) {
        location.replace(hash);
      }
    }
    var charts = window.recsysCharts;
    var pending = charts ? charts.figures(slide).map(function (s) { return charts.draw(s, chartLayout); }) : [];
    slide.setAttribute("data-charts", "drawing");
    Promise.all(pending).then(function () {
      fit(slide);
      slide.setAttribute("data-charts", "done");
    });
  }
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var k = e.key;
    if (k === "ArrowRight" || k === "ArrowDown" || k === "PageDown" || k === "Enter" || (k === " " && !e.shiftKey)) show(current + 1);
    else if (k === "ArrowLeft" || k === "ArrowUp" || k === "PageUp" || k === "Backspace" || (k === " " && e.shiftKey)) show(current - 1);
    else if (k === "Home") show(0);
    else if (k === "End") show(slides.length - 1);
    else return;
    e.preventDefault();
  });
  var prev = document.querySelector(".deck-ui .prev");
  var next = document.querySelector(".deck-ui .next");
  // blur after a click, so that Space afterwards does not press the button again
  if (prev) prev.addEventListener("click", function () { prev.blur(); show(current - 1); });
  if (next) next.addEventListener("click", function () { next.blur(); show(current + 1); });
  window.addEventListener("hashchange", function () { show(fromHash()); });
  window.recsysDeck = { show: function (n) { show(n - 1); }, current: function () { return current + 1; }, count: slides.length };
  show(fromHash());
})();
`;

/** The asset files (paths relative to the site root); plotly.js only when some page has a chart. */
export function assetFiles(withPlotly: boolean): SiteFile[] {
  const files: SiteFile[] = [
    { path: "assets/site.css", content: SITE_CSS },
    { path: "assets/site.js", content: SITE_JS },
    { path: "assets/slides.css", content: SLIDES_CSS },
    { path: "assets/slides.js", content: SLIDES_JS },
    { path: "assets/math.css", content: mathCss() },
  ];
  if (withPlotly) files.push({ path: "assets/plotly.min.js", copyFrom: plotlyBundlePath() });
  return files;
}
