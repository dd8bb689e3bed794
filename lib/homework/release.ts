/**
 * The student version of an instructor notebook (`recsys assign`): solution regions replaced by a
 * stub, hidden tests removed, outputs cleared, the nbgrader metadata that identifies graded cells
 * (ids, grade_id, points) kept. `findLeaks` proves that no solution or hidden-test line survives
 * anywhere in the release (sources, outputs, metadata); `assign` refuses to write a release that
 * leaks. Files are written atomically.
 */
import fs from "fs";
import path from "path";
import { Notebook, cellSource, clearOutputs, readNotebook, writeNotebook } from "../jupyter/notebook";
import { HomeworkInfo, checkHomework, isSolutionCell } from "./exercises";
import { MARKDOWN_STUB, STUB_LINES, regionLines, studentSource, withoutRegions } from "./markers";

/** Cell metadata that describes a run, not the notebook (never released). */
const RUN_METADATA = ["execution", "recsys", "scrolled", "collapsed"];
/** Notebook metadata that may carry state from the instructor's session. */
const SESSION_METADATA = ["widgets", "recsys"];

/**
 * The student version of an instructor notebook. Throws a HomeworkError (every problem, with
 * notebook, cell id and line) when the markers or the grading metadata are broken.
 */
export function studentVersion(nb: Notebook, file = "notebook", info: HomeworkInfo = checkHomework(nb, file)): Notebook {
  const copy = clearOutputs(nb);
  for (const key of SESSION_METADATA) delete copy.metadata[key];
  copy.cells.forEach((cell, index) => {
    for (const key of RUN_METADATA) delete cell.metadata[key];
    const regions = info.regions.get(index);
    if (cell.cell_type === "code") {
      if (regions) cell.source = studentSource(cellSource(cell), regions);
      else if (isSolutionCell(cell)) cell.source = STUB_LINES.join("\n");
    } else if (isSolutionCell(cell)) {
      cell.source = MARKDOWN_STUB;
      delete cell.attachments;
    }
  });
  return copy;
}

/** Every string in a JSON value (object keys included). */
export function jsonStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) jsonStrings(v, out);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      jsonStrings(v, out);
    }
  }
  return out;
}

/**
 * The lines a release must not contain: every non-blank line inside a solution or hidden-tests
 * region (trimmed), except lines that the instructor shows anyway (they occur in the notebook
 * outside the regions: sources, markdown, metadata) and lines of bare punctuation (`}`, `});`).
 */
export function secretLines(nb: Notebook, info: HomeworkInfo): string[] {
  const publicParts: string[] = [...STUB_LINES, MARKDOWN_STUB, ...jsonStrings(nb.metadata)];
  const secrets = new Set<string>();
  nb.cells.forEach((cell, index) => {
    publicParts.push(...jsonStrings(cell.metadata));
    const src = cellSource(cell);
    const regions = info.regions.get(index);
    if (cell.cell_type === "code" && regions) {
      publicParts.push(withoutRegions(src, regions));
      for (const l of regionLines(src, regions)) secrets.add(l.trim());
    } else if (isSolutionCell(cell)) {
      for (const l of src.split("\n")) secrets.add(l.trim());
    } else {
      publicParts.push(src);
    }
  });
  const publicText = publicParts.join("\n");
  return [...secrets].filter((s) => /[A-Za-z0-9]/.test(s) && !publicText.includes(s));
}

/**
 * Where a release leaks instructor material: for each secret line found in any string of the
 * release (sources, outputs, metadata, keys), "cell <id>: <line>" (or "notebook metadata: …").
 */
export function findLeaks(instructor: Notebook, release: Notebook, info: HomeworkInfo): string[] {
  const secrets = secretLines(instructor, info);
  const places: { where: string; text: string }[] = [
    { where: "notebook metadata", text: jsonStrings(release.metadata).join("\n") },
    ...release.cells.map((c, k) => ({ where: `cell ${c.id ? `"${c.id}"` : `#${k}`}`, text: jsonStrings(c).join("\n") })),
  ];
  const leaks: string[] = [];
  for (const s of secrets) for (const p of places) if (p.text.includes(s)) leaks.push(`${p.where}: ${s}`);
  return leaks;
}

export interface AssignResult {
  source: string;
  target: string;
  exercises: number;
  points: number;
  warnings: string[];
}

/** Course notebooks: every `*.ipynb` of a folder, sorted by name. */
export function listNotebooks(dir: string): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`${dir}: no such folder`);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb") && !f.startsWith("."))
    .sort()
    .map((f) => path.join(dir, f));
}

/**
 * Writes the student version of each notebook into `outDir` (same file name). Every notebook is
 * checked first; nothing is written when one is broken (a HomeworkError lists every problem), when
 * two inputs share a file name, or when the output would overwrite an input.
 */
export function assign(files: string[], outDir: string): AssignResult[] {
  if (files.length === 0) throw new Error("no notebooks to release");
  const problems: string[] = [];
  const planned: { source: string; target: string; release: Notebook; info: HomeworkInfo }[] = [];
  const targets = new Set<string>();
  for (const file of files) {
    const target = path.resolve(outDir, path.basename(file));
    if (path.resolve(file) === target) {
      problems.push(`${file}: the release would overwrite the instructor notebook; choose another --out folder`);
      continue;
    }
    if (targets.has(target)) {
      problems.push(`${file}: another notebook of the same name is released to ${target}`);
      continue;
    }
    targets.add(target);
    let nb: Notebook;
    try {
      nb = readNotebook(file);
    } catch (e) {
      problems.push((e as Error).message);
      continue;
    }
    try {
      const info = checkHomework(nb, file);
      const release = studentVersion(nb, file, info);
      const leaks = findLeaks(nb, release, info);
      if (leaks.length > 0) problems.push(...leaks.map((l) => `${file}: the release would leak ${l}`));
      planned.push({ source: file, target, release, info });
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (problems.length > 0) throw new Error(`nothing was released:\n${problems.join("\n")}`);
  return planned.map((p) => {
    writeNotebook(p.target, p.release);
    return { source: p.source, target: p.target, exercises: p.info.graded.length, points: p.info.totalPoints, warnings: p.info.warnings };
  });
}
