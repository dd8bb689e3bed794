/**
 * Reading, checking and transforming .ipynb files (nbformat 4.5) from Node: used by the notebook
 * tests, the homework tools and the site builder. Pure functions over the notebook JSON, plus
 * `readNotebook` / `writeNotebook` (atomic) for files.
 */
import fs from "fs";
import path from "path";

export interface Cell {
  cell_type: "code" | "markdown" | "raw";
  id?: string;
  source: string | string[];
  metadata: Record<string, any>;
  outputs?: Output[];
  execution_count?: number | null;
  attachments?: unknown;
}

export interface Output {
  output_type: "stream" | "display_data" | "update_display_data" | "execute_result" | "error";
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  execution_count?: number | null;
}

export interface Notebook {
  cells: Cell[];
  metadata: Record<string, any>;
  nbformat: number;
  nbformat_minor: number;
}

/** The kernelspec every course notebook declares. */
export const KERNELSPEC = { name: "tslab", display_name: "TypeScript (recsys-ts)", language: "typescript" };

/** Source of a cell as one string (nbformat allows a string or a list of lines). */
export function cellSource(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** Text of a stream output. */
export function outputText(out: Output): string {
  return Array.isArray(out.text) ? out.text.join("") : (out.text ?? "");
}

/** Parses notebook JSON; the error names the file and says what is wrong. */
export function parseNotebook(text: string, file = "notebook"): Notebook {
  let nb: any;
  try {
    nb = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!nb || typeof nb !== "object" || !Array.isArray(nb.cells)) {
    throw new Error(`${file}: not a Jupyter notebook (no "cells" list)`);
  }
  if (nb.nbformat !== 4) throw new Error(`${file}: nbformat ${nb.nbformat} is not supported (need 4)`);
  nb.metadata ??= {};
  nb.cells.forEach((c: any, k: number) => {
    if (!c || !["code", "markdown", "raw"].includes(c.cell_type)) {
      throw new Error(`${file}: cell ${k} has no valid cell_type`);
    }
    c.metadata ??= {};
    c.source ??= "";
  });
  return nb as Notebook;
}

export function readNotebook(file: string): Notebook {
  return parseNotebook(fs.readFileSync(file, "utf8"), file);
}

/** Serialises like Jupyter does (1-space indent, trailing newline) so diffs stay small. */
export function serializeNotebook(nb: Notebook): string {
  return JSON.stringify(nb, null, 1) + "\n";
}

/** Writes atomically: a temp file in the same folder, then rename. */
export function writeNotebook(file: string, nb: Notebook): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, serializeNotebook(nb));
  fs.renameSync(tmp, file);
}

/** A copy with every output and execution count removed (what gets committed). */
export function clearOutputs(nb: Notebook): Notebook {
  const copy: Notebook = JSON.parse(JSON.stringify(nb));
  for (const c of copy.cells) {
    if (c.cell_type === "code") {
      c.outputs = [];
      c.execution_count = null;
      delete c.metadata.execution;
      delete c.metadata.recsys;
    }
  }
  return copy;
}

/** Problems that make a notebook unfit to commit: outputs, missing ids, wrong kernel. */
export function commitProblems(nb: Notebook): string[] {
  const problems: string[] = [];
  if (nb.metadata.kernelspec?.name !== KERNELSPEC.name) {
    problems.push(`kernelspec is ${JSON.stringify(nb.metadata.kernelspec?.name)}, expected "tslab"`);
  }
  if (nb.nbformat_minor < 5) problems.push(`nbformat_minor ${nb.nbformat_minor} < 5: cells need ids`);
  const ids = new Set<string>();
  nb.cells.forEach((c, k) => {
    if (!c.id) problems.push(`cell ${k} has no id`);
    else if (ids.has(c.id)) problems.push(`cell ${k} repeats id ${c.id}`);
    else ids.add(c.id);
    if (c.cell_type === "code" && ((c.outputs?.length ?? 0) > 0 || c.execution_count != null)) {
      problems.push(`cell ${k} (${c.id}) carries outputs or an execution count`);
    }
  });
  return problems;
}

/** The code cell tagged "parameters" (papermill's convention), or undefined. */
export function parametersCell(nb: Notebook): Cell | undefined {
  return nb.cells.find((c) => c.cell_type === "code" && (c.metadata.tags ?? []).includes("parameters"));
}

/**
 * A copy whose parameters cell has the given values: each `const NAME = …;` (or `let`) line of
 * that cell is rewritten to `const NAME = <JSON value>;`. Naming a parameter the cell does not
 * declare is an error, so a typo in a test cannot silently run the default.
 */
export function withParameters(nb: Notebook, params: Record<string, unknown>, file = "notebook"): Notebook {
  const names = Object.keys(params);
  if (names.length === 0) return nb;
  const copy: Notebook = JSON.parse(JSON.stringify(nb));
  const cell = parametersCell(copy);
  if (!cell) throw new Error(`${file}: has no code cell tagged "parameters"`);
  let src = cellSource(cell);
  for (const name of names) {
    const re = new RegExp(`^(\\s*(?:const|let)\\s+${name}\\s*(?::[^=]+)?=)[^\\n]*$`, "m");
    if (!re.test(src)) throw new Error(`${file}: the parameters cell declares no ${name}`);
    src = src.replace(re, `$1 ${JSON.stringify(params[name])};`);
  }
  cell.source = src;
  return copy;
}
