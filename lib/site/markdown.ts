/**
 * Markdown for the static site and the slides: CommonMark (markdown-it) as Jupyter renders it,
 * with raw HTML allowed (the cells are our own), TeX math (`$…$`, `$$…$$`) rendered at build
 * time to MathML by temml (no script, no font download: browsers draw MathML natively), fenced
 * code highlighted by `./highlight`, ids on headings, and links to other notebooks
 * (`02-knn.ipynb#x`) rewritten to their pages.
 *
 * Math delimiters follow Pandoc's `tex_math_dollars`: an opening `$` must be followed by a
 * non-space, a closing `$` must follow a non-space and not be followed by a digit, so "$5 and $6"
 * stays text; `\$` is a literal dollar.
 */
import MarkdownIt from "markdown-it";
import temml from "temml";
import { highlightCode } from "./highlight";

type StateInline = MarkdownIt.StateInline;
type StateBlock = MarkdownIt.StateBlock;
type Md = MarkdownIt.MarkdownIt;
type Token = MarkdownIt.Token;

export interface MarkdownOptions {
  /** Rewrites link targets (default: `rewriteNotebookLink`). */
  rewriteHref?: (href: string) => string;
  /** Resolves `attachment:NAME` image sources (a cell's attachments) to data URIs. */
  attachments?: Record<string, Record<string, string>>;
}

/** Renders TeX to MathML; a TeX error becomes a red `<code>` showing the source and the message. */
export function renderMath(tex: string, displayMode: boolean): string {
  try {
    return temml.renderToString(tex, { displayMode, throwOnError: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return `<code class="math-error" title="${escapeAttr(msg)}">${escapeAttr(displayMode ? `$$${tex}$$` : `$${tex}$`)}</code>`;
  }
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const DOLLAR = 0x24;
const BACKSLASH = 0x5c;
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** Inline rule: `$tex$` (inline) and `$$tex$$` inside a paragraph (display). */
function mathInline(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  if (src.charCodeAt(start) !== DOLLAR) return false;
  const display = src.charCodeAt(start + 1) === DOLLAR;
  const open = display ? 2 : 1;
  if (!display && (start + 1 >= state.posMax || isSpace(src.charCodeAt(start + 1)))) return false;
  let end = -1;
  for (let pos = start + open; pos < state.posMax; pos++) {
    const ch = src.charCodeAt(pos);
    if (ch === BACKSLASH) {
      pos++; // skip the escaped character: \$ does not close
      continue;
    }
    if (ch !== DOLLAR) continue;
    if (display) {
      if (src.charCodeAt(pos + 1) === DOLLAR) {
        end = pos;
        break;
      }
    } else if (!isSpace(src.charCodeAt(pos - 1)) && !isDigit(src.charCodeAt(pos + 1))) {
      end = pos;
      break;
    }
  }
  if (end < 0) return false;
  const content = src.slice(start + open, end);
  if (content.trim() === "") return false;
  if (!silent) {
    const token = state.push(display ? "math_block_inline" : "math_inline", "math", 0);
    token.content = content;
    token.markup = display ? "$$" : "$";
  }
  state.pos = end + open;
  return true;
}

/** Block rule: a paragraph-level `$$ … $$` over one or more lines. */
function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  let pos = state.bMarks[startLine] + state.tShift[startLine];
  let max = state.eMarks[startLine];
  if (pos + 2 > max || state.src.charCodeAt(pos) !== DOLLAR || state.src.charCodeAt(pos + 1) !== DOLLAR) return false;
  const first = state.src.slice(pos + 2, max).trimEnd();
  let content: string | null = null;
  let last = startLine;
  if (first.length >= 2 && first.endsWith("$$")) {
    content = first.slice(0, -2);
  } else {
    const lines = [first];
    for (let line = startLine + 1; line < endLine; line++) {
      pos = state.bMarks[line] + state.tShift[line];
      max = state.eMarks[line];
      if (pos < max && state.sCount[line] < state.blkIndent) break;
      const text = state.src.slice(pos, max).trimEnd();
      if (text.endsWith("$$")) {
        lines.push(text.slice(0, -2));
        content = lines.join("\n");
        last = line;
        break;
      }
      lines.push(text);
    }
  }
  if (content === null || content.trim() === "") return false;
  if (silent) return true;
  state.line = last + 1;
  const token = state.push("math_block", "math", 0);
  token.block = true;
  token.content = content;
  token.markup = "$$";
  token.map = [startLine, state.line];
  return true;
}

/** A URL-friendly id from heading text: lower case, letters/digits joined by dashes. */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/<[^>]*>/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug || "section";
}

/**
 * `NAME.ipynb` (relative, optionally with #hash or ?query) → `NAME.html`; anything with a scheme,
 * protocol-relative or absolute path is kept as is.
 */
export function rewriteNotebookLink(href: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//") || href.startsWith("/")) return href;
  return href.replace(/\.ipynb(?=$|[#?])/, ".html");
}

function createRenderer(html: boolean): Md {
  const md = new MarkdownIt({
    html,
    linkify: false,
    typographer: false,
    highlight: (code, lang) => highlightCode(code, lang),
  });
  md.inline.ruler.after("escape", "math_inline", mathInline);
  md.block.ruler.before("fence", "math_block", mathBlock, { alt: ["paragraph", "reference", "blockquote", "list"] });
  md.renderer.rules.math_inline = (tokens, idx) => renderMath(tokens[idx].content, false);
  md.renderer.rules.math_block_inline = (tokens, idx) => renderMath(tokens[idx].content, true);
  md.renderer.rules.math_block = (tokens, idx) => `<div class="math-display">${renderMath(tokens[idx].content, true)}</div>\n`;

  // ids on headings, unique within one render (env.slugs)
  md.core.ruler.push("heading_ids", (state) => {
    const env = state.env as { slugs?: Map<string, number> };
    const slugs = (env.slugs ??= new Map<string, number>());
    state.tokens.forEach((tok, k) => {
      if (tok.type !== "heading_open") return;
      const inline = state.tokens[k + 1];
      const base = slugify(inline && inline.children ? inline.children.map((c) => c.content).join("") : "");
      const n = slugs.get(base) ?? 0;
      slugs.set(base, n + 1);
      tok.attrSet("id", n === 0 ? base : `${base}-${n}`);
    });
  });

  const defaultLink = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const href = tokens[idx].attrGet("href");
    const rewrite = (env as RenderEnv).options?.rewriteHref ?? rewriteNotebookLink;
    if (href !== null) tokens[idx].attrSet("href", rewrite(String(href)));
    return defaultLink(tokens, idx, options, env, self);
  };
  const defaultImage = md.renderer.rules.image!;
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const src = String(tokens[idx].attrGet("src") ?? "");
    const attachments = (env as RenderEnv).options?.attachments;
    if (attachments && src.startsWith("attachment:")) {
      const bundle = attachments[decodeURIComponent(src.slice("attachment:".length))];
      const mime = bundle && Object.keys(bundle).find((m) => m.startsWith("image/"));
      if (bundle && mime) tokens[idx].attrSet("src", `data:${mime};base64,${String(bundle[mime]).replace(/\s+/g, "")}`);
    }
    return defaultImage(tokens, idx, options, env, self);
  };
  return md;
}

interface RenderEnv {
  [key: string | symbol]: unknown;
  options?: MarkdownOptions;
  slugs?: Map<string, number>;
}

let renderer: Md | null = null;
let safeRenderer: Md | null = null;
/** The cell renderer (raw HTML allowed, as in Jupyter). */
function md(): Md {
  return (renderer ??= createRenderer(true));
}
/** For titles and summaries shown out of context: raw HTML is escaped. */
function safeMd(): Md {
  return (safeRenderer ??= createRenderer(false));
}

/**
 * Renders a block of Markdown to HTML. Pass the same `slugs` map for every cell of one page so
 * that heading ids stay unique across cells.
 */
export function renderMarkdown(src: string, options: MarkdownOptions = {}, slugs?: Map<string, number>): string {
  const env: RenderEnv = { options, slugs };
  const html = md().render(src, env);
  return html;
}

/** Renders one line of Markdown without a surrounding `<p>` (titles, summaries); raw HTML is escaped. */
export function renderMarkdownInline(src: string): string {
  return safeMd().renderInline(src, { options: {} });
}

/** Plain text of a line of Markdown (emphasis, code marks and links dropped; math kept as TeX). */
export function markdownToText(src: string): string {
  const tokens = safeMd().parseInline(src, { options: {} });
  const parts: string[] = [];
  const walk = (list: Token[]) => {
    for (const t of list) {
      if (t.children) walk(t.children);
      else if (t.type === "text" || t.type === "code_inline") parts.push(t.content);
      else if (t.type === "math_inline") parts.push(`$${t.content}$`);
      else if (t.type === "softbreak" || t.type === "hardbreak") parts.push(" ");
    }
  };
  walk(tokens);
  return parts.join("").replace(/\s+/g, " ").trim();
}

/** A heading or paragraph of a Markdown document, as its raw Markdown line(s). */
export interface MarkdownBlock {
  kind: "heading" | "paragraph";
  /** Heading level 1–6 (0 for paragraphs). */
  level: number;
  /** The block's inline Markdown source. */
  inline: string;
}

/** The top-level headings and paragraphs of `src`, in order (lists, code and quotes are skipped). */
export function markdownBlocks(src: string): MarkdownBlock[] {
  const tokens = safeMd().parse(src, { options: {} });
  const blocks: MarkdownBlock[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.level !== 0) continue;
    if (t.type === "heading_open") blocks.push({ kind: "heading", level: Number(t.tag.slice(1)), inline: tokens[k + 1].content });
    else if (t.type === "paragraph_open") blocks.push({ kind: "paragraph", level: 0, inline: tokens[k + 1].content });
  }
  return blocks;
}

/**
 * The lines of `src` where top-level headings (`# …` or underlined) start, outside fenced code
 * blocks, as 0-based line numbers. Used to split Markdown cells into slides.
 */
export function headingLines(src: string): number[] {
  const tokens = safeMd().parse(src, { options: {} });
  return tokens.filter((t: Token) => t.type === "heading_open" && t.level === 0 && t.map).map((t: Token) => t.map![0]);
}
