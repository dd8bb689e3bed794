/**
 * The static site and slides, on small hand-made notebooks (no kernel, no browser): each output
 * type, escaping, records skipped, plotly figures embedded, navigation, the index, slide
 * splitting, the student view, freshness of executed copies and the site folder's safety.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Cell, Notebook, Output } from "../../lib/jupyter/notebook";
import { writeNotebook } from "../../lib/jupyter/notebook";
import { PLOTLY_MIME } from "../../lib/notebook/display";
import { RECORD_MIME } from "../../lib/notebook/record";
import { table } from "../../lib/notebook/table";
import { applyCarriageReturns, jsonForScript, OutputContext, renderOutputs, stripAnsi, visibleTraceCount } from "../../lib/site/outputs";
import { headingLines, markdownToText, renderMarkdown, renderMarkdownInline, rewriteNotebookLink, slugify } from "../../lib/site/markdown";
import { highlightTypeScript } from "../../lib/site/highlight";
import { buildDoc, leadSentences, notebookSummary, notebookTitle, sentences, truncateText } from "../../lib/site/document";
import { studentView } from "../../lib/site/exercises";
import { renderDeck, splitAtHeadings, splitSlides } from "../../lib/site/slides";
import { buildSite, MARKER_FILE, renderSite, replaceSiteDir, resolveNotebook } from "../../lib/site/build";
import { checkFreshness, ensureExecuted, sameCellsAndOk } from "../../lib/site/executed";
import { main, type CliIO } from "../../lib/cli/main";

// ---------------------------------------------------------------------------------------------
// helpers

function md(id: string, source: string, extra: Partial<Cell> = {}): Cell {
  return { cell_type: "markdown", id, source, metadata: {}, ...extra };
}
function code(id: string, source: string, outputs: Output[] = [], metadata: Record<string, unknown> = {}): Cell {
  return { cell_type: "code", id, source, metadata: { recsys: { status: "ok", seconds: 0.5 }, ...metadata }, outputs, execution_count: 1 };
}
function nb(cells: Cell[], metadata: Record<string, unknown> = {}): Notebook {
  return { cells, metadata: { kernelspec: { name: "tslab", display_name: "TypeScript (recsys-ts)", language: "typescript" }, ...metadata }, nbformat: 4, nbformat_minor: 5 };
}
const stdout = (text: string | string[]): Output => ({ output_type: "stream", name: "stdout", text });
const display = (data: Record<string, unknown>): Output => ({ output_type: "display_data", data, metadata: {} });
const figure = (traces: number, extra: Record<string, unknown> = {}) => ({
  data: Array.from({ length: traces }, (_, k) => ({ type: "bar", x: [1, 2], y: [k, k + 1], name: `t${k}` })),
  layout: { height: 300, title: { text: "chart" } },
  ...extra,
});

/** The JSON of every embedded figure in a page, by div id. */
function embeddedFigures(html: string): Map<string, { data: unknown[]; layout: unknown }> {
  const out = new Map<string, { data: unknown[]; layout: unknown }>();
  const re = /<script type="application\/json" class="plotly-figure" data-for="([^"]+)">([\s\S]*?)<\/script>/g;
  for (let m = re.exec(html); m; m = re.exec(html)) out.set(m[1], JSON.parse(m[2]));
  return out;
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "recsys-site-test-"));
}

// ---------------------------------------------------------------------------------------------
// outputs

test("stream text is escaped, ANSI codes removed, carriage returns applied, consecutive streams merged", () => {
  const html = renderOutputs(
    [stdout("a <script>alert('x')</script> & \x1b[31mred\x1b[0m\n"), stdout(["loading 10%\rloading 100%\n"]), { output_type: "stream", name: "stderr", text: "warn <b>\n" }],
    new OutputContext(),
  );
  assert.equal(html.length, 2, "two stdout outputs merge into one, stderr is separate");
  assert.equal(html[0], `<pre class="output stream stdout">a &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; red\nloading 100%\n</pre>`);
  assert.equal(html[1], `<pre class="output stream stderr">warn &lt;b&gt;\n</pre>`);
});

test("carriage returns overwrite the line like a terminal; ANSI stripping keeps text", () => {
  assert.equal(applyCarriageReturns("abcdef\rXY\n12\r3"), "XYcdef\n32");
  assert.equal(applyCarriageReturns("a\r\nb"), "a\nb");
  assert.equal(stripAnsi("\x1b[1;32mok\x1b[0m \x1b]0;title\x07done"), "ok done");
});

test("text/html tables are kept as produced; plain text and JSON are escaped", () => {
  const tableHtml = table([{ title: "A <b> & c", n: 3 }], { caption: "cap" });
  const html = renderOutputs(
    [display({ "text/html": tableHtml, "text/plain": "ignored" }), display({ "text/plain": "x < y" }), display({ "application/json": { k: "<v>" } })],
    new OutputContext(),
  );
  assert.equal(html[0], `<div class="output html">${tableHtml}</div>`);
  assert.match(html[0], /<table class="recsys-table">/);
  assert.match(html[0], /A &lt;b&gt; &amp; c/, "the table's own escaping is kept");
  assert.equal(html[1], `<pre class="output text">x &lt; y</pre>`);
  assert.equal(html[2], `<pre class="output json">{\n  &quot;k&quot;: &quot;&lt;v&gt;&quot;\n}</pre>`);
});

test("records and unknown MIME types render nothing", () => {
  const html = renderOutputs(
    [display({ [RECORD_MIME]: { name: "rmse", value: 0.9 } }), display({ "application/x-unknown": "?" }), stdout("visible\n")],
    new OutputContext(),
  );
  assert.deepEqual(html, [`<pre class="output stream stdout">visible\n</pre>`]);
});

test("a plotly figure becomes a div plus its JSON, with unique ids and the visible trace count", () => {
  const ctx = new OutputContext();
  const fig = figure(2);
  (fig.data[0] as Record<string, unknown>).name = "</script><script>alert(1)</script>";
  const hidden = figure(3);
  (hidden.data[1] as Record<string, unknown>).visible = "legendonly";
  (hidden.data[2] as Record<string, unknown>).visible = false;
  const html = renderOutputs([display({ [PLOTLY_MIME]: fig }), display({ [PLOTLY_MIME]: JSON.stringify(hidden) })], ctx).join("\n");
  assert.equal(ctx.figureCount, 2);
  assert.match(html, /<div class="plotly-chart" id="fig_1" data-traces="2"><\/div>/);
  assert.match(html, /<div class="plotly-chart" id="fig_2" data-traces="1"><\/div>/);
  assert.equal((html.match(/<\/script>/g) ?? []).length, 2, "a </script> inside the figure cannot close the element");
  const figs = embeddedFigures(html);
  assert.deepEqual(figs.get("fig_1"), fig, "the embedded JSON is the figure");
  assert.deepEqual(figs.get("fig_2"), hidden, "a figure given as a JSON string is embedded as the same figure");
  assert.equal(visibleTraceCount(hidden), 1);
});

test("jsonForScript round-trips and never contains <, > or & literally", () => {
  const value = { s: "</script>&<!--\u2028", n: [1, 2.5, null] };
  const text = jsonForScript(value);
  assert.doesNotMatch(text, /[<>&\u2028]/);
  assert.deepEqual(JSON.parse(text), value);
});

test("images become data URIs (SVG too, never inline); Markdown output is rendered", () => {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`;
  const html = renderOutputs(
    [display({ "image/png": "iVBORw0KGgo=\n", "text/plain": "<Figure>" }), display({ "image/svg+xml": svg }), display({ "text/markdown": "**bold** $x^2$" })],
    new OutputContext(),
  );
  assert.equal(html[0], `<div class="output image"><img alt="figure" src="data:image/png;base64,iVBORw0KGgo="></div>`);
  assert.equal(html[1], `<div class="output image"><img alt="figure" src="data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}"></div>`);
  assert.match(html[2], /^<div class="output markdown"><p><strong>bold<\/strong> <math>/);
});

test("error outputs show the traceback without ANSI codes, or ename: evalue", () => {
  const html = renderOutputs(
    [
      { output_type: "error", ename: "TypeError", evalue: "x is <undefined>", traceback: ["\x1b[31mTypeError\x1b[0m: x is <undefined>", "  at cell 3"] },
      { output_type: "error", ename: "Error", evalue: "boom", traceback: [] },
    ],
    new OutputContext(),
  );
  assert.deepEqual(html, [
    `<pre class="output error">TypeError: x is &lt;undefined&gt;\n  at cell 3</pre>`,
    `<pre class="output error">Error: boom</pre>`,
  ]);
});

// ---------------------------------------------------------------------------------------------
// markdown and code

test("Markdown: math to MathML, dollars that are not math stay text, escaped dollars, code spans untouched", () => {
  assert.match(renderMarkdown("Bias $b_u$ here."), /^<p>Bias <math>.*<\/math> here\.<\/p>\n$/);
  assert.equal(renderMarkdown("It costs $5 and $6 today."), "<p>It costs $5 and $6 today.</p>\n");
  assert.equal(renderMarkdown("A \\$ sign."), "<p>A $ sign.</p>\n");
  assert.equal(renderMarkdown("`$x$` stays"), "<p><code>$x$</code> stays</p>\n");
  const block = renderMarkdown("Before\n\n$$\n\\sum_i x_i\n$$\n\nAfter");
  assert.match(block, /<div class="math-display"><math display="block"/);
  assert.match(block, /<p>After<\/p>/);
  assert.match(renderMarkdown("$\\frac{1}{$"), /class="math-error"/, "bad TeX is shown as an error, not thrown");
});

test("Markdown: headings get unique ids across cells, notebook links go to pages, raw HTML kept in cells", () => {
  const slugs = new Map<string, number>();
  assert.equal(renderMarkdown("## 1. Top-N lists", {}, slugs), `<h2 id="1-top-n-lists">1. Top-N lists</h2>\n`);
  assert.equal(renderMarkdown("## 1. Top-N lists", {}, slugs), `<h2 id="1-top-n-lists-1">1. Top-N lists</h2>\n`);
  assert.equal(slugify("Précision & rappel!"), "precision-rappel");
  assert.equal(rewriteNotebookLink("03-knn.ipynb#ex-1"), "03-knn.html#ex-1");
  assert.equal(rewriteNotebookLink("https://example.org/a.ipynb"), "https://example.org/a.ipynb");
  assert.match(renderMarkdown("see [knn](03-knn.ipynb)"), /href="03-knn.html"/);
  assert.match(renderMarkdown("<details><summary>hint</summary>x</details>"), /<details><summary>hint<\/summary>/);
  assert.equal(renderMarkdownInline("a <script> **b**"), "a &lt;script&gt; <strong>b</strong>", "titles and summaries escape raw HTML");
  assert.equal(markdownToText("Use **`fit`** on [data](x) with $k$"), "Use fit on data with $k$");
  assert.deepEqual(headingLines("# A\ntext\n```\n# not a heading\n```\n## B"), [0, 5]);
});

test("attachments: attachment:NAME images resolve to data URIs", () => {
  const html = renderMarkdown("![plot](attachment:p.png)", { attachments: { "p.png": { "image/png": "AAAA" } } });
  assert.equal(html, `<p><img src="data:image/png;base64,AAAA" alt="plot"></p>\n`);
});

test("TypeScript is highlighted and escaped", () => {
  const html = highlightTypeScript(`const a: number = 1; // <b>\nif (a < 2) "x";`);
  assert.match(html, /<span class="hljs-keyword">const<\/span>/);
  assert.match(html, /<span class="hljs-comment">\/\/ &lt;b&gt;<\/span>/);
  assert.match(html, /a &lt; <span class="hljs-number">2<\/span>/);
  assert.doesNotMatch(html, /<b>/);
});

// ---------------------------------------------------------------------------------------------
// titles, summaries, documents

test("title is the first heading; summary the leading sentences of the first paragraph", () => {
  const book = nb([md("t", "# 05 · Content-based: *features*\n\nItems have genres. Users like some. That is all we need, and then quite a lot more words follow here.")]);
  assert.equal(notebookTitle(book), "05 · Content-based: features");
  assert.equal(notebookSummary(book), "Items have genres. Users like some. That is all we need, and then quite a lot more words follow here.");
  assert.equal(notebookTitle(nb([code("c", "1")]), "07-no-title"), "07 no title");
  assert.equal(notebookSummary(nb([md("t", "# Only a title")])), "");
  assert.equal(notebookSummary(nb([md("t", "# T\n\nText.")], { recsys: { summary: "Given summary." } })), "Given summary.");
  assert.deepEqual(sentences("One. Two? 3 three! e.g. lower stays"), ["One.", "Two?", "3 three! e.g. lower stays"]);
  assert.equal(leadSentences("A short one. " + "B".repeat(300) + ".", 200), "A short one.");
  assert.equal(leadSentences("One two. Three four. Five.", 20), "One two. Three four.");
  assert.equal(truncateText("word ".repeat(100).trim(), 20), "word word word word…");
  assert.ok(leadSentences("x".repeat(500), 200).length <= 200);
});

test("buildDoc: cell tags remove cells, inputs or outputs; figures counted; timings summed", () => {
  const book = nb([
    md("t", "# T\n\nIntro."),
    code("hidden", "secret()", [stdout("s\n")], { tags: ["remove-cell"] }),
    code("noinput", "setup()", [stdout("only output\n")], { tags: ["remove-input"] }),
    code("nooutput", "show(fig)", [display({ [PLOTLY_MIME]: figure(1) })], { tags: ["remove-output"] }),
    code("plot", "show(fig)", [display({ [PLOTLY_MIME]: figure(2) })]),
    code("empty", "", []),
  ]);
  const doc = buildDoc(book, "05-x");
  assert.deepEqual(doc.cells.map((c) => c.id), ["t", "noinput", "nooutput", "plot"]);
  assert.equal(doc.cells[1].html, "");
  assert.deepEqual(doc.cells[2].outputs, []);
  assert.equal(doc.figures, 1);
  assert.equal(doc.seconds, 2.5);
});

// ---------------------------------------------------------------------------------------------
// exercises

const EXERCISE = nb([
  md("ex-md", "**Exercise 1.** Write `twice`."),
  code(
    "ex1-solution",
    "function twice(x: number): number {\n  // BEGIN SOLUTION\n  return 2 * x;\n  // END SOLUTION\n}\ntwice(21)",
    [stdout("42\n")],
    { nbgrader: { grade: false, grade_id: "ex1-solution", locked: false, schema_version: 3, solution: true } },
  ),
  code(
    "ex1-tests",
    'assert.equal(twice(1), 2);\n// BEGIN HIDDEN TESTS\nassert.equal(twice(-3), -6);\n// END HIDDEN TESTS',
    [],
    { nbgrader: { grade: true, grade_id: "ex1-tests", locked: true, points: 1, schema_version: 3, solution: false } },
  ),
  code("plain", "twice(1)", [stdout("2\n")]),
]);

test("student view: solutions become stubs, hidden tests go, their outputs are dropped; the input is not modified", () => {
  const before = JSON.stringify(EXERCISE);
  const s = studentView(EXERCISE);
  assert.equal(
    s.cells[1].source,
    'function twice(x: number): number {\n  // YOUR CODE HERE\n  throw new Error("not implemented");\n}\ntwice(21)',
  );
  assert.deepEqual(s.cells[1].outputs, []);
  assert.equal(s.cells[2].source, "assert.equal(twice(1), 2);");
  assert.deepEqual(s.cells[3].outputs, [stdout("2\n")], "other cells keep their outputs");
  assert.equal(JSON.stringify(EXERCISE), before);
  assert.throws(() => studentView(nb([code("bad", "// BEGIN SOLUTION\nx")]), "nb.ipynb"), /nb.ipynb: cell 0 \(bad\), line 1: \/\/ BEGIN SOLUTION is never closed/);
  assert.throws(() => studentView(nb([code("typo", "// End solution\nx")]), "nb.ipynb"), /malformed marker/);
  const whole = studentView(nb([code("s", "const answer = 42;", [], { nbgrader: { solution: true } })]));
  assert.equal(whole.cells[0].source, '// YOUR CODE HERE\nthrow new Error("not implemented");');
});

test("the site publishes the student view unless solutions are asked for", () => {
  const student = buildDoc(EXERCISE, "x");
  const teacher = buildDoc(EXERCISE, "x", { solutions: true });
  const text = (d: typeof student) => d.cells.map((c) => c.source + c.outputs.join("")).join("\n");
  assert.doesNotMatch(text(student), /return 2 \* x|twice\(-3\)|42/);
  assert.match(text(teacher), /return 2 \* x/);
  assert.match(text(teacher), /twice\(-3\)/);
});

// ---------------------------------------------------------------------------------------------
// site: pages, navigation, index

const COURSE = [
  { name: "00-intro", notebook: nb([md("t", "# 00 · Intro\n\nFirst <notebook>. More."), code("c", "1 + 1", [stdout("2\n")])]) },
  { name: "01-charts", notebook: nb([md("t", "# 01 · Charts\n\nTwo charts."), code("c", "show()", [display({ [PLOTLY_MIME]: figure(1) }), display({ [PLOTLY_MIME]: figure(3) })])]) },
  { name: "02-end", notebook: nb([md("t", "# 02 · End & more\n\nThe end.")]) },
];

function file(files: { path: string; content?: string }[], p: string): string {
  const f = files.find((x) => x.path === p);
  assert.ok(f, `no file ${p} in ${files.map((x) => x.path).join(", ")}`);
  return f.content ?? "";
}

test("renderSite: index in order with titles and summaries, pages with previous/next links, slides and assets", () => {
  const { files, pages } = renderSite(COURSE, { title: "My <course>" });
  assert.deepEqual(pages.map((p) => [p.page, p.deck, p.figures]), [
    ["00-intro.html", "slides/00-intro.html", 0],
    ["01-charts.html", "slides/01-charts.html", 2],
    ["02-end.html", "slides/02-end.html", 0],
  ]);
  const index = file(files, "index.html");
  const order = ["00-intro.html", "01-charts.html", "02-end.html"].map((p) => index.indexOf(`href="${p}"`));
  assert.ok(order.every((i) => i > 0) && order[0] < order[1] && order[1] < order[2], "index lists the notebooks in order");
  assert.match(index, /<title>My &lt;course&gt;<\/title>/);
  assert.match(index, /<span class="summary">First &lt;notebook&gt;\. More\.<\/span>/);
  assert.match(index, /02 · End &amp; more/);

  const first = file(files, "00-intro.html");
  const middle = file(files, "01-charts.html");
  const last = file(files, "02-end.html");
  assert.doesNotMatch(first, /rel="prev"/);
  assert.match(first, /<a class="next" rel="next" href="01-charts.html">/);
  assert.match(middle, /<a class="prev" rel="prev" href="00-intro.html">/);
  assert.match(middle, /<a class="next" rel="next" href="02-end.html">/);
  assert.doesNotMatch(last, /rel="next"/);
  assert.match(middle, /href="slides\/01-charts.html"/);
  assert.match(middle, /<script src="assets\/plotly.min.js" defer><\/script>/);
  assert.doesNotMatch(first, /plotly.min.js/, "pages without charts do not load plotly.js");
  assert.deepEqual([...embeddedFigures(middle).values()].map((f) => f.data.length), [1, 3]);

  const paths = files.map((f) => f.path);
  for (const a of ["assets/site.css", "assets/site.js", "assets/slides.css", "assets/slides.js", "assets/math.css", "assets/plotly.min.js"]) assert.ok(paths.includes(a), a);
  assert.doesNotMatch(file(files, "assets/math.css"), /@font-face/, "no web font: blocked from file://");
});

test("every local link and script of the site points at a file of the site (relative links only, no network)", () => {
  const { files } = renderSite(COURSE);
  const paths = new Set(files.map((f) => f.path));
  for (const f of files.filter((x) => x.path.endsWith(".html"))) {
    const html = f.content ?? "";
    const refs = [...html.matchAll(/(?:href|src)="([^"]*)"/g)].map((m) => m[1]);
    for (const ref of refs) {
      if (ref.startsWith("data:")) continue;
      assert.doesNotMatch(ref, /^(?:[a-z]+:)?\/\//i, `${f.path} links outside the site: ${ref}`);
      assert.ok(!ref.startsWith("/"), `${f.path} has an absolute link ${ref}`);
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(f.path), ref.split("#")[0]));
      assert.ok(paths.has(target), `${f.path} links to ${ref}, which is not in the site`);
    }
  }
});

test("renderSite without slides and with a chart-less course ships no plotly.js; duplicate names are an error", () => {
  const { files, pages } = renderSite([COURSE[0], COURSE[2]], { slides: false });
  assert.ok(!files.some((f) => f.path.startsWith("slides/") || f.path === "assets/plotly.min.js"));
  assert.equal(pages[0].deck, undefined);
  assert.doesNotMatch(file(files, "index.html"), /slides\//);
  assert.throws(() => renderSite([COURSE[0], COURSE[0]]), /two notebooks are named 00-intro/);
  assert.throws(() => renderSite([]), /no notebooks/);
});

// ---------------------------------------------------------------------------------------------
// slides

test("slides: one per heading, code with its output on the next slide, sections labelled", () => {
  const book = nb([
    md("title", "# 03 · Decks\n\nWhat this is about."),
    md("two", "## A\n\ntext a\n\n### A.1\n\ntext a1"),
    code("c1", "plotIt()", [display({ [PLOTLY_MIME]: figure(2) }), display({ [RECORD_MIME]: { name: "r", value: 1 } })]),
    md("more", "More about A.1, no heading."),
    md("more2", "And a second paragraph cell."),
    code("c2", "", [stdout("output only\n")]),
    code("c3", "", []),
    md("b", "## B\n```\n# not a heading\n```"),
  ]);
  const slides = splitSlides(book, "03-decks");
  assert.deepEqual(
    slides.map((s) => [s.kind, s.section, s.cells.join("+"), s.figures]),
    [
      ["title", "", "title", 0],
      ["prose", "", "two", 0],
      ["prose", "A", "two", 0],
      ["code", "A.1", "c1", 1],
      ["prose", "A.1", "more+more2", 0],
      ["code", "A.1", "c2", 0],
      ["prose", "", "b", 0],
    ],
  );
  assert.match(slides[2].html, /<h3 id="a-1">A.1<\/h3>/);
  assert.doesNotMatch(slides[2].html, /text a</);
  assert.match(slides[3].html, /<pre class="source"><code class="language-typescript">/);
  assert.match(slides[3].html, /class="plotly-chart"/);
  assert.match(slides[6].html, /# not a heading/);
  assert.deepEqual(splitAtHeadings("intro\n# H1\nx\n## H2").map((c) => [c.heading, c.level]), [[null, 0], ["H1", 1], ["H2", 2]]);
});

test("the deck: a section per slide, navigation controls, plotly only with charts, student view by default", () => {
  const deck = renderDeck(EXERCISE, "ex", { assets: "../assets/", pageHref: "../ex.html" });
  assert.equal(deck.slides.length, 4);
  assert.equal((deck.html.match(/<section class="slide /g) ?? []).length, 4);
  assert.match(deck.html, /<body class="deck" data-notebook="ex" data-slides="4" data-figures="0">/);
  assert.match(deck.html, /<script src="..\/assets\/slides.js" defer><\/script>/);
  assert.doesNotMatch(deck.html, /plotly.min.js/);
  assert.match(deck.html, /<a href="..\/ex.html">page<\/a>/);
  assert.doesNotMatch(deck.html, /return 2 \* x/);
  const withChart = renderDeck(COURSE[1].notebook, "01-charts");
  assert.match(withChart.html, /<script src="assets\/plotly.min.js" defer><\/script>/);
  assert.equal(withChart.figures, 2);
});

// ---------------------------------------------------------------------------------------------
// executed copies, building, CLI

test("freshness: same cells and every code cell ok; other parameters, failures and missing runs are stale", () => {
  const source = nb([md("m", "# T"), { ...code("p", "const N = 100;"), outputs: [], metadata: { tags: ["parameters"] } }]);
  const executed = nb([md("m", "# T"), code("p", "const N = 100;", [], { tags: ["parameters"] })]);
  assert.deepEqual(sameCellsAndOk(source, executed), { fresh: true, reason: "fresh" });
  const shrunk = nb([md("m", "# T"), code("p", "const N = 5;")]);
  assert.match(sameCellsAndOk(source, shrunk).reason, /cell 1 \(p\) differs/);
  const failed = nb([md("m", "# T"), code("p", "const N = 100;", [], { recsys: { status: "error", seconds: 1 } })]);
  assert.match(sameCellsAndOk(source, failed).reason, /did not run successfully \(error\)/);
  const notRun = nb([md("m", "# T"), { ...code("p", "const N = 100;"), metadata: {} }]);
  assert.match(sameCellsAndOk(source, notRun).reason, /not run/);
  assert.match(sameCellsAndOk(source, nb([md("m", "# T")])).reason, /1 cells executed, the notebook has 2/);
});

test("freshness on files: an older executed copy is stale, a newer identical one is fresh", () => {
  const dir = tmpDir();
  try {
    const src = path.join(dir, "src", "07-x.ipynb");
    const exe = path.join(dir, "exe", "07-x.ipynb");
    writeNotebook(src, nb([md("m", "# T"), { ...code("c", "1"), outputs: [], execution_count: null, metadata: {} }]));
    assert.deepEqual(checkFreshness(src, exe), { fresh: false, reason: "no executed copy" });
    writeNotebook(exe, nb([md("m", "# T"), code("c", "1", [stdout("1\n")])]));
    const now = Date.now() / 1000;
    fs.utimesSync(src, now, now);
    fs.utimesSync(exe, now - 60, now - 60);
    assert.deepEqual(checkFreshness(src, exe), { fresh: false, reason: "the notebook changed after it was executed" });
    fs.utimesSync(exe, now + 60, now + 60);
    assert.deepEqual(checkFreshness(src, exe), { fresh: true, reason: "fresh" });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("buildSite reuses fresh executed copies (no kernel) and writes a site that can be rebuilt in place", async () => {
  const dir = tmpDir();
  try {
    const srcDir = path.join(dir, "notebooks");
    const exeDir = path.join(dir, "executed");
    COURSE.forEach(({ name, notebook }) => {
      const clean: Notebook = JSON.parse(JSON.stringify(notebook));
      for (const c of clean.cells) if (c.cell_type === "code") Object.assign(c, { outputs: [], execution_count: null, metadata: {} });
      writeNotebook(path.join(srcDir, `${name}.ipynb`), clean);
      writeNotebook(path.join(exeDir, `${name}.ipynb`), notebook);
      const t = Date.now() / 1000;
      fs.utimesSync(path.join(exeDir, `${name}.ipynb`), t + 5, t + 5);
    });
    const out = path.join(dir, "site");
    const log: string[] = [];
    const r = await buildSite({ outDir: out, notebooksDir: srcDir, executedDir: exeDir, log: (l) => log.push(l) });
    assert.equal(r.reused, 3);
    assert.equal(r.executed, 0);
    assert.equal(log.filter((l) => l.startsWith("reuse")).length, 3);
    for (const f of ["index.html", "00-intro.html", "slides/02-end.html", "assets/plotly.min.js", MARKER_FILE]) assert.ok(fs.existsSync(path.join(out, f)), f);
    fs.writeFileSync(path.join(out, "stale.html"), "old");
    await buildSite({ outDir: out, notebooksDir: srcDir, executedDir: exeDir });
    assert.ok(!fs.existsSync(path.join(out, "stale.html")), "a rebuild replaces the folder");
    const copies = await ensureExecuted([path.join(srcDir, "01-charts.ipynb")], { executedDir: exeDir });
    assert.equal(copies[0].reused, true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("replaceSiteDir refuses a non-empty folder it did not make", () => {
  const dir = tmpDir();
  try {
    fs.writeFileSync(path.join(dir, "precious.txt"), "keep");
    assert.throws(() => replaceSiteDir(dir, [{ path: "index.html", content: "x" }], {}), /is not empty and was not made by `recsys site`/);
    assert.equal(fs.readFileSync(path.join(dir, "precious.txt"), "utf8"), "keep");
    const out = path.join(dir, "site");
    replaceSiteDir(out, [{ path: "a/b.html", content: "x" }], { ok: true });
    assert.equal(fs.readFileSync(path.join(out, "a", "b.html"), "utf8"), "x");
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, MARKER_FILE), "utf8")), { ok: true });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("resolveNotebook: a path, an exact name or a unique prefix; clear errors otherwise", () => {
  const dir = tmpDir();
  try {
    for (const n of ["03-knn", "03-knn-more", "04-mf"]) writeNotebook(path.join(dir, `${n}.ipynb`), nb([]));
    assert.equal(resolveNotebook("04", dir), path.join(dir, "04-mf.ipynb"));
    assert.equal(resolveNotebook("03-knn", dir), path.join(dir, "03-knn.ipynb"), "an exact name wins over a longer match");
    assert.throws(() => resolveNotebook("03", dir), /"03" matches several notebooks: 03-knn, 03-knn-more/);
    assert.throws(() => resolveNotebook("09", dir), /no notebook matches "09"; notebooks: 03-knn, 03-knn-more, 04-mf/);
    assert.throws(() => resolveNotebook(path.join(dir, "nope.ipynb"), dir), /does not exist/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("CLI: site and slides are registered, print help, and reject bad usage", async () => {
  const run = async (argv: string[]) => {
    let out = "";
    let err = "";
    const io: CliIO = { out: (t) => void (out += t), err: (t) => void (err += t) };
    const code = await main(argv, io);
    return { code, out, err };
  };
  const help = await run(["--help"]);
  assert.match(help.out, /\n  site +build the static course site/);
  assert.match(help.out, /\n  slides +turn a notebook into a slide deck/);
  const siteHelp = await run(["site", "--help"]);
  assert.equal(siteHelp.code, 0);
  assert.match(siteHelp.out, /--out <dir>/);
  assert.equal((await run(["site", "--jobs", "0"])).code, 2);
  const noArg = await run(["slides"]);
  assert.equal(noArg.code, 2);
  assert.match(noArg.err, /missing argument: expected <notebook>/);
});
