/**
 * The course site and slides in a real browser: builds the site for the real notebooks (reusing
 * fresh executed copies from build/executed/, executing the others), then drives Debian's
 * Chromium headless through playwright-core (never downloading a browser) over file:// URLs:
 * the index and every page load without console errors, failed or non-local requests; every
 * plotly chart draws a non-empty SVG (or WebGL canvas) with as many traces as its figure JSON
 * in the page; previous/next links chain the pages in order; a slide deck steps with the
 * keyboard. Screenshots of the index, a chart page and a slide go to build/screenshots/.
 *
 * Without Chromium (RECSYS_CHROMIUM or /usr/bin/chromium) or playwright-core the tests are
 * skipped with a message saying so, except in CI (CI=true), where that is a failure.
 *
 *   node --import tsx --test test/browser/site.test.ts
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { PROJECT_ROOT } from "../../lib/jupyter/paths";
import { buildSite, type SiteResult } from "../../lib/site/build";

const CHROMIUM = process.env.RECSYS_CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const SITE_DIR = path.join(PROJECT_ROOT, "build", "browser-site");
const SHOTS_DIR = path.join(PROJECT_ROOT, "build", "screenshots");

/** Why the browser tests cannot run here, or false. */
function whyskip(): string | false {
  if (!fs.existsSync(CHROMIUM)) {
    return `Chromium not found at ${CHROMIUM}: browser tests skipped (install Debian's chromium package, or set RECSYS_CHROMIUM to a Chromium binary)`;
  }
  try {
    require.resolve("playwright-core");
  } catch {
    return "playwright-core is not installed: browser tests skipped (run npm install)";
  }
  return false;
}
// In CI (CI=true) a missing browser is a failure, so that a forgotten install step cannot pass as a skip.
const missing = whyskip();
if (missing) console.log(missing);
if (missing && process.env.CI === "true") {
  test("the browser tests can run in CI", () => {
    assert.fail(`${missing} -- CI must install it (apt-get install -y chromium)`);
  });
}

let site: SiteResult;
let context: BrowserContext;
let userDataDir: string;
const started = Date.now();

before(
  async () => {
    if (missing) return;
    const t0 = Date.now();
    site = await buildSite({ outDir: SITE_DIR, log: (line) => console.log(`site: ${line}`) });
    console.log(
      `site: ${site.pages.length} notebooks (${site.executed} executed, ${site.reused} reused) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    fs.mkdirSync(SHOTS_DIR, { recursive: true });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "recsys-chromium-"));
    const { chromium } = require("playwright-core") as typeof import("playwright-core");
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
    });
  },
  { timeout: 20 * 60_000 },
);

after(async () => {
  if (context) await context.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  if (!missing) console.log(`browser tests: ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
});

const url = (rel: string) => pathToFileURL(path.join(SITE_DIR, rel)).href;

/** A page that records console errors, uncaught exceptions, failed and non-local requests. */
async function openPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on("request", (r) => {
    if (!/^(file|data|blob):/.test(r.url())) problems.push(`network request: ${r.url()}`);
  });
  return { page, problems };
}

interface ChartCheck {
  id: string;
  expected: number;
  total: number;
  rendered: string | null;
  error: string | null;
  svgWidth: number;
  svgHeight: number;
  svgTraces: number;
  glTraces: number;
  marks: number;
  fullData: number;
}

/** Inspects every chart under `root` (a CSS selector): its figure JSON vs what plotly drew. */
const INSPECT_CHARTS = (root: string) => `(() => {
  const glTypes = ["scattergl", "splom", "heatmapgl", "pointcloud", "parcoords", "scatter3d", "surface", "mesh3d"];
  const visible = (t) => t.visible !== false && t.visible !== "legendonly";
  return Array.from(document.querySelectorAll(${JSON.stringify(root)} + " .plotly-chart")).map((div) => {
    const script = document.querySelector('script.plotly-figure[data-for="' + div.id + '"]');
    const fig = JSON.parse(script.textContent);
    const svg = div.querySelector("svg.main-svg");
    const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
    const gl = fig.data.filter((t) => visible(t) && glTypes.includes(t.type)).length;
    const canvas = Array.from(div.querySelectorAll("canvas")).some((c) => c.width > 0 && c.height > 0);
    return {
      id: div.id,
      expected: fig.data.filter(visible).length,
      total: fig.data.length,
      rendered: div.getAttribute("data-rendered"),
      error: div.getAttribute("data-error"),
      svgWidth: box.width,
      svgHeight: box.height,
      svgTraces: div.querySelectorAll("g.trace").length + div.querySelectorAll("g.hm").length,
      glTraces: canvas ? gl : 0,
      marks: div.querySelectorAll("g.trace path, g.trace rect, g.hm image, g.trace text").length + (canvas ? 1 : 0),
      fullData: div._fullData ? div._fullData.length : -1,
    };
  });
})()`;

function checkCharts(where: string, charts: ChartCheck[]): void {
  for (const c of charts) {
    const what = `${where} chart ${c.id}`;
    assert.equal(c.error, null, `${what} failed to draw: ${c.error}`);
    assert.equal(c.rendered, "1", `${what} was not drawn`);
    assert.ok(c.svgWidth > 0 && c.svgHeight > 0, `${what}: empty SVG (${c.svgWidth}×${c.svgHeight})`);
    assert.ok(c.marks > 0, `${what}: the SVG has no marks`);
    assert.equal(c.fullData, c.total, `${what}: plotly knows ${c.fullData} traces, the figure JSON has ${c.total}`);
    assert.equal(c.svgTraces + c.glTraces, c.expected, `${what}: ${c.svgTraces + c.glTraces} traces drawn, the figure JSON has ${c.expected} visible`);
  }
}

test("the index lists every notebook in order and loads cleanly", { skip: missing }, async () => {
  const { page, problems } = await openPage();
  await page.goto(url("index.html"));
  const names = await page.$$eval("ol.toc li", (lis) => lis.map((li) => li.getAttribute("data-notebook")));
  assert.deepEqual(names, site.pages.map((p) => p.name));
  const summaries = await page.$$eval("ol.toc li .summary", (els) => els.length);
  assert.ok(summaries > 0, "no summaries on the index");
  await page.screenshot({ path: path.join(SHOTS_DIR, "index.png") });
  assert.deepEqual(problems, []);
  await page.close();
});

test("every notebook page loads without errors and every chart draws its traces", { skip: missing, timeout: 10 * 60_000 }, async () => {
  let shot = false;
  let charts = 0;
  for (const p of site.pages) {
    const { page, problems } = await openPage();
    await page.goto(url(p.page));
    await page.waitForSelector("body[data-charts=done]", { timeout: 60_000 });
    const found = (await page.evaluate(INSPECT_CHARTS("main"))) as ChartCheck[];
    assert.equal(found.length, p.figures, `${p.page}: ${found.length} charts in the page, ${p.figures} figures in the notebook`);
    checkCharts(p.page, found);
    charts += found.length;
    const cells = await page.$$eval("main .cell", (els) => els.length);
    assert.ok(cells > 0, `${p.page} has no cells`);
    if (!shot && found.length > 0) {
      await page.locator(`#${found[0].id}`).scrollIntoViewIfNeeded();
      await page.evaluate("window.scrollBy(0, -160)");
      await page.screenshot({ path: path.join(SHOTS_DIR, "chart-page.png") });
      shot = true;
    }
    assert.deepEqual(problems, [], `${p.page}`);
    await page.close();
  }
  console.log(`${site.pages.length} pages, ${charts} charts checked`);
});

test("previous/next links chain the pages in order", { skip: missing }, async () => {
  const { page, problems } = await openPage();
  await page.goto(url("index.html"));
  // click, then wait until the new page has loaded and drawn (leaving earlier would abort its script loads)
  const follow = async (selector: string, expected: string, why: string) => {
    await page.click(selector);
    await page.waitForURL((u) => path.basename(u.pathname) === expected, { timeout: 30_000 }).catch(() => {});
    assert.equal(path.basename(new URL(page.url()).pathname), expected, why);
    await page.waitForLoadState("load");
    if (expected !== "index.html") await page.waitForSelector("body[data-charts=done]", { timeout: 60_000 });
  };
  await follow("ol.toc li:first-child a.title", site.pages[0].page, "the first notebook from the index");
  assert.equal(await page.locator("nav.pager a.prev").count(), 0, "the first page has no previous link");
  for (let k = 1; k < site.pages.length; k++) {
    await follow("nav.pager a.next", site.pages[k].page, `next from ${site.pages[k - 1].page}`);
  }
  assert.equal(await page.locator("nav.pager a.next").count(), 0, "the last page has no next link");
  if (site.pages.length > 1) {
    await follow("nav.pager a.prev", site.pages[site.pages.length - 2].page, `previous from ${site.pages[site.pages.length - 1].page}`);
  }
  await follow("header.topbar a.course", "index.html", "the course title leads to the index");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a slide deck steps through with the keyboard and draws its charts", { skip: missing, timeout: 5 * 60_000 }, async () => {
  const deckPage = site.pages.find((p) => p.deck && p.figures > 0) ?? site.pages[0];
  assert.ok(deckPage.deck, "the site has no decks");
  const { page, problems } = await openPage();
  await page.goto(url(deckPage.deck));
  const n = Number(await page.getAttribute("body", "data-slides"));
  assert.equal(n, deckPage.slides);
  assert.ok(n >= 2, `${deckPage.deck} has ${n} slides`);
  const state = async () => {
    const active = await page.$$eval(".slide.active", (els) => els.map((e) => e.id));
    assert.equal(active.length, 1, `exactly one slide is shown, got ${active.join(", ")}`);
    const counter = await page.textContent(".deck-ui .counter");
    const k = Number(active[0].replace("slide_", ""));
    assert.equal(counter, `${k} / ${n}`);
    return k;
  };
  assert.equal(await state(), 1);
  const press = async (key: string, expected: number) => {
    await page.keyboard.press(key);
    assert.equal(await state(), expected, `after ${key}`);
  };
  await press("ArrowRight", 2);
  await press("ArrowLeft", 1);
  await press("ArrowLeft", 1);
  await press("Space", Math.min(2, n));
  await press("PageUp", 1);
  await press("PageDown", Math.min(2, n));
  await press("ArrowUp", 1);
  await press("ArrowDown", Math.min(2, n));
  await press("End", n);
  await press("ArrowRight", n);
  await press("Home", 1);
  await page.click(".deck-ui button.next");
  assert.equal(await state(), 2, "the next button");
  await page.click(".deck-ui button.prev");
  assert.equal(await state(), 1, "the previous button");

  let shot = false;
  let charts = 0;
  for (let k = 1; k <= n; k++) {
    if (k > 1) await press("ArrowRight", k);
    assert.ok(page.url().endsWith(`#${k}`), `the URL keeps the slide number: ${page.url()}`);
    const figures = Number(await page.getAttribute(`#slide_${k}`, "data-figures"));
    if (figures > 0) {
      await page.waitForSelector(`#slide_${k}[data-charts=done]`, { timeout: 30_000 });
      const found = (await page.evaluate(INSPECT_CHARTS(`#slide_${k}`))) as ChartCheck[];
      assert.equal(found.length, figures);
      checkCharts(`${deckPage.deck} slide ${k}`, found);
      charts += found.length;
      if (!shot) {
        await page.screenshot({ path: path.join(SHOTS_DIR, "slide.png") });
        shot = true;
      }
    }
  }
  if (!shot) await page.screenshot({ path: path.join(SHOTS_DIR, "slide.png") });
  // a reload keeps the slide
  await page.goto(`${url(deckPage.deck)}#2`);
  assert.equal(await state(), 2);
  console.log(`${deckPage.deck}: ${n} slides, ${charts} charts checked`);
  assert.deepEqual(problems, []);
  await page.close();
});
