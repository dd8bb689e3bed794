/**
 * Builds the static course site and slide decks.
 *
 *     site/
 *       index.html               the notebooks in order, a one-line summary each
 *       NN-name.html             one page per notebook, previous/next links
 *       slides/NN-name.html      one deck per notebook
 *       assets/                  site.css, site.js, slides.css, slides.js, math.css, plotly.min.js
 *       .recsys-site.json        what was built (also marks the folder as ours: a rebuild replaces it)
 *
 * `renderSite` is pure (executed notebooks in, files out); `buildSite` finds the notebooks,
 * gets executed copies (`./executed`), renders and writes the folder (to a temporary sibling that
 * then replaces the old one, so a failed build leaves the previous site intact).
 */
import fs from "fs";
import path from "path";
import type { Notebook } from "../jupyter/notebook";
import { PROJECT_ROOT } from "../jupyter/paths";
import { assetFiles, type SiteFile } from "./assets";
import { buildDoc, notebookName, type PublishOptions } from "./document";
import { ensureExecuted, type EnsureOptions } from "./executed";
import { indexPageHtml, notebookPageHtml, pageHref, type PageLink } from "./page";
import { renderDeck } from "./slides";

export const DEFAULT_COURSE_TITLE = "recsys-ts: recommender systems in TypeScript";
export const MARKER_FILE = ".recsys-site.json";

export interface RenderOptions extends PublishOptions {
  /** Course title (default `DEFAULT_COURSE_TITLE`). */
  title?: string;
  /** Also render a slide deck per notebook into slides/ (default true). */
  slides?: boolean;
}

export interface SitePage {
  name: string;
  title: string;
  summary: string;
  /** The page, relative to the site root. */
  page: string;
  /** The deck, relative to the site root, when decks are built. */
  deck?: string;
  figures: number;
  slides: number;
}

/** Renders the site's files from executed notebooks, in the order given. */
export function renderSite(notebooks: readonly { name: string; notebook: Notebook }[], options: RenderOptions = {}): { files: SiteFile[]; pages: SitePage[] } {
  if (notebooks.length === 0) throw new Error("renderSite: no notebooks to publish");
  const seen = new Set<string>();
  for (const n of notebooks) {
    if (seen.has(n.name)) throw new Error(`renderSite: two notebooks are named ${n.name}`);
    seen.add(n.name);
  }
  const courseTitle = options.title ?? DEFAULT_COURSE_TITLE;
  const withSlides = options.slides ?? true;
  const docs = notebooks.map((n) => buildDoc(n.notebook, n.name, options));
  const links: PageLink[] = docs.map((d) => ({ name: d.name, title: d.title, summary: d.summary }));
  const files: SiteFile[] = [];
  const pages: SitePage[] = [];
  let anyFigure = false;
  docs.forEach((doc, k) => {
    const page = pageHref(doc.name);
    const deckPath = `slides/${page}`;
    files.push({
      path: page,
      content: notebookPageHtml(doc, {
        courseTitle,
        prev: links[k - 1],
        next: links[k + 1],
        slidesHref: withSlides ? deckPath : undefined,
      }),
    });
    let slideCount = 0;
    if (withSlides) {
      const deck = renderDeck(notebooks[k].notebook, doc.name, {
        ...options,
        assets: "../assets/",
        pageHref: `../${page}`,
        indexHref: "../index.html",
        courseTitle,
      });
      files.push({ path: deckPath, content: deck.html });
      slideCount = deck.slides.length;
      anyFigure ||= deck.figures > 0;
    }
    anyFigure ||= doc.figures > 0;
    pages.push({ name: doc.name, title: doc.title, summary: doc.summary, page, deck: withSlides ? deckPath : undefined, figures: doc.figures, slides: slideCount });
  });
  files.push({
    path: "index.html",
    content: indexPageHtml(links, {
      courseTitle,
      intro: "The course notebooks in order, executed, with their outputs and interactive charts.",
      slides: withSlides,
    }),
  });
  files.push(...assetFiles(anyFigure));
  return { files, pages };
}

/** Writes files under `dir` (creating folders). */
export function writeFiles(dir: string, files: readonly SiteFile[]): void {
  for (const f of files) {
    const target = path.join(dir, ...f.path.split("/"));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (f.copyFrom !== undefined) fs.copyFileSync(f.copyFrom, target);
    else fs.writeFileSync(target, f.content ?? "");
  }
}

/** Throws unless `outDir` is missing, empty, or a site made by this builder (see `replaceSiteDir`). */
export function assertReplaceable(outDir: string): void {
  const out = path.resolve(outDir);
  if (!fs.existsSync(out)) return;
  if (!fs.statSync(out).isDirectory()) throw new Error(`${outDir} exists and is not a folder`);
  const entries = fs.readdirSync(out);
  if (entries.length > 0 && !entries.includes(MARKER_FILE)) {
    throw new Error(`${outDir} is not empty and was not made by \`recsys site\` (no ${MARKER_FILE}): choose another --out or empty it`);
  }
}

/**
 * Writes a whole site into `outDir`, replacing it. Refuses to replace a folder that is not empty
 * and was not made by this builder (it has no `.recsys-site.json`), so `--out .` cannot wipe a
 * project.
 */
export function replaceSiteDir(outDir: string, files: readonly SiteFile[], info: unknown): void {
  assertReplaceable(outDir);
  const out = path.resolve(outDir);
  const tmp = `${out}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  try {
    writeFiles(tmp, files);
    fs.writeFileSync(path.join(tmp, MARKER_FILE), JSON.stringify(info, null, 1) + "\n");
    fs.rmSync(out, { recursive: true, force: true });
    fs.renameSync(tmp, out);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** The course notebooks: every `*.ipynb` directly in `dir`, sorted by name (without the extension). */
export function listNotebooks(dir: string): string[] {
  if (!fs.existsSync(dir)) throw new Error(`notebook folder ${dir} does not exist`);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb") && !f.startsWith("."))
    .map((f) => path.join(dir, f))
    .sort((a, b) => (notebookName(a) < notebookName(b) ? -1 : notebookName(a) > notebookName(b) ? 1 : 0));
  if (files.length === 0) throw new Error(`no notebooks (*.ipynb) in ${dir}`);
  return files;
}

export interface SiteOptions extends RenderOptions, Omit<EnsureOptions, "executedDir"> {
  /** Output folder (replaced). */
  outDir: string;
  /** Folder of the notebooks (default <project>/notebooks). */
  notebooksDir?: string;
  /** Explicit notebook files instead of the whole folder. */
  notebooks?: string[];
  /** Executed copies (default <project>/build/executed). */
  executedDir?: string;
}

export interface SiteResult {
  outDir: string;
  pages: SitePage[];
  /** Notebooks executed for this build / reused from fresh copies. */
  executed: number;
  reused: number;
  /** Wall-clock seconds: getting executed copies, rendering and writing. */
  executeSeconds: number;
  renderSeconds: number;
}

/** Default folder of executed copies (shared with the notebook tests). */
export function defaultExecutedDir(): string {
  return path.join(PROJECT_ROOT, "build", "executed");
}

/** Executes (or reuses) every notebook and writes the site; see the module comment. */
export async function buildSite(options: SiteOptions): Promise<SiteResult> {
  const sources = options.notebooks ?? listNotebooks(options.notebooksDir ?? path.join(PROJECT_ROOT, "notebooks"));
  assertReplaceable(options.outDir); // before spending minutes executing
  const t0 = Date.now();
  const copies = await ensureExecuted(sources, { ...options, executedDir: options.executedDir ?? defaultExecutedDir() });
  const t1 = Date.now();
  const { files, pages } = renderSite(
    copies.map((c) => ({ name: notebookName(c.source), notebook: c.notebook })),
    options,
  );
  const info = {
    generator: "recsys site",
    title: options.title ?? DEFAULT_COURSE_TITLE,
    solutions: options.solutions === true,
    notebooks: pages.map((p) => ({ name: p.name, title: p.title, page: p.page, deck: p.deck, figures: p.figures, slides: p.slides })),
  };
  replaceSiteDir(options.outDir, files, info);
  const t2 = Date.now();
  return {
    outDir: path.resolve(options.outDir),
    pages,
    executed: copies.filter((c) => !c.reused).length,
    reused: copies.filter((c) => c.reused).length,
    executeSeconds: (t1 - t0) / 1000,
    renderSeconds: (t2 - t1) / 1000,
  };
}

export interface SlidesOptions extends PublishOptions, Omit<EnsureOptions, "executedDir"> {
  /** Output folder: the deck goes to <outDir>/<name>.html and its assets to <outDir>/assets/. */
  outDir: string;
  executedDir?: string;
  title?: string;
}

/**
 * Resolves a notebook argument: a path to an .ipynb file, or a prefix of a name in the
 * notebook folder ("03" or "03-knn"); an unknown or ambiguous prefix is an Error naming the choices.
 */
export function resolveNotebook(arg: string, notebooksDir = path.join(PROJECT_ROOT, "notebooks")): string {
  if (arg.endsWith(".ipynb") || fs.existsSync(arg)) {
    if (!fs.existsSync(arg)) throw new Error(`notebook ${arg} does not exist`);
    return path.resolve(arg);
  }
  const all = listNotebooks(notebooksDir);
  const exact = all.filter((f) => notebookName(f) === arg);
  const matches = exact.length > 0 ? exact : all.filter((f) => notebookName(f).startsWith(arg));
  if (matches.length === 1) return matches[0];
  const names = all.map(notebookName).join(", ");
  throw new Error(matches.length === 0 ? `no notebook matches "${arg}"; notebooks: ${names}` : `"${arg}" matches several notebooks: ${matches.map(notebookName).join(", ")}`);
}

/** Builds one deck (executing the notebook unless a fresh copy exists); returns the deck's path. */
export async function buildSlides(notebook: string, options: SlidesOptions): Promise<{ file: string; slides: number; figures: number; reused: boolean }> {
  const [copy] = await ensureExecuted([notebook], { ...options, executedDir: options.executedDir ?? defaultExecutedDir() });
  const name = notebookName(notebook);
  const deck = renderDeck(copy.notebook, name, { ...options, assets: "assets/", courseTitle: options.title });
  const file = path.join(options.outDir, `${name}.html`);
  writeFiles(options.outDir, [...assetFiles(deck.figures > 0), { path: `${name}.html`, content: deck.html }]);
  return { file: path.resolve(file), slides: deck.slides.length, figures: deck.figures, reused: copy.reused };
}
