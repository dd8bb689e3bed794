/**
 * Syntax highlighting at build time with highlight.js (only the languages the course shows are
 * registered: TypeScript for code cells, and a few for fenced blocks in Markdown). The result is
 * HTML with `hljs-*` classes, coloured by the site's own style sheet; code in an unknown
 * language is escaped and left plain.
 */
import hljs from "highlight.js/lib/core";
import typescript from "highlight.js/lib/languages/typescript";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import bash from "highlight.js/lib/languages/bash";
import python from "highlight.js/lib/languages/python";
import plaintext from "highlight.js/lib/languages/plaintext";
import { escapeHtml } from "../notebook/table";

let registered = false;
function register(): void {
  if (registered) return;
  hljs.registerLanguage("typescript", typescript);
  hljs.registerLanguage("javascript", javascript);
  hljs.registerLanguage("json", json);
  hljs.registerLanguage("bash", bash);
  hljs.registerLanguage("python", python);
  hljs.registerLanguage("plaintext", plaintext);
  registered = true;
}

/** Highlighted HTML for `code` in `lang` (a name or alias such as ts, js, sh, py); escaped plain text if unknown. */
export function highlightCode(code: string, lang = "typescript"): string {
  register();
  const name = (lang || "").trim().split(/\s+/)[0].toLowerCase();
  if (name && hljs.getLanguage(name)) return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
  return escapeHtml(code);
}

/** Highlighted TypeScript (code cells). */
export function highlightTypeScript(code: string): string {
  return highlightCode(code, "typescript");
}
