/**
 * Scores an executed grading notebook and writes the feedback a student gets back.
 *
 * A graded test cell earns all its points when the kernel's execute_reply for it was "ok" (the
 * per-cell status scripts/nbexec.py stores in `metadata.recsys.status`), and none otherwise.
 * Output on stderr is NOT a failure (nbgrader counts it as one; here a student's console.warn is
 * harmless); tslab reports errors as stderr text, which becomes the failure message.
 * Pure functions: no I/O.
 */
import { Cell, Notebook, cellSource, outputText } from "../jupyter/notebook";
import { GradedCell, HomeworkInfo } from "./exercises";
import { studentSource } from "./markers";

export type ExerciseStatus = "passed" | "failed" | "timeout" | "not run";

export interface ExerciseResult {
  /** The test cell's nbgrader grade_id. */
  exercise: string;
  cellId: string;
  points: number;
  max: number;
  status: ExerciseStatus;
  /** Why it failed (cleaned error text, time limit, kernel problem). */
  message?: string;
}

/** All stderr text of a cell's outputs (tslab writes errors there). */
export function cellStderr(cell: Cell): string {
  const parts: string[] = [];
  for (const o of cell.outputs ?? []) {
    if (o.output_type === "stream" && o.name === "stderr") parts.push(outputText(o));
    else if (o.output_type === "error") parts.push(`${o.ename}: ${o.evalue}`);
  }
  return parts.join("");
}

/**
 * An error text made readable: no stack frames (`    at …`), no "evalmachine.<anonymous>:N" /
 * "node:internal/…:N" source excerpt that V8 prints above an uncaught error, at most `max` characters.
 */
export function cleanErrorText(text: string, max = 2000): string {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const out: string[] = [];
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    if (/^\s+at\s/.test(line)) {
      // the last frame may open the error's own properties: "    at … {", "  code: …", "}"
      if (/\{\s*$/.test(line)) {
        let j = k + 1;
        while (j < lines.length && lines[j] !== "}") j++;
        if (j < lines.length) k = j;
      }
      continue;
    }
    // V8's header: "<file>:<line>", the source line, a caret line, a blank line.
    if (/^(evalmachine\.<anonymous>|node:[\w/.-]+|\S+\.(js|ts|mjs|cjs)):\d+$/.test(line)) {
      k++;
      while (k + 1 < lines.length && /^\s*\^+\s*$/.test(lines[k + 1])) k++;
      while (k + 1 < lines.length && lines[k + 1].trim() === "") k++;
      continue;
    }
    out.push(line);
  }
  let s = out.join("\n").replace(/\n{3,}/g, "\n\n").trim();
  if (s.length > max) s = `${s.slice(0, max)}…`;
  return s;
}

/** The result of each graded test cell of `info`, read from the executed notebook. */
export function scoreExecuted(executed: Notebook, info: HomeworkInfo): ExerciseResult[] {
  return info.graded.map((g) => {
    const cell = executed.cells.find((c) => c.id === g.cellId);
    const base = { exercise: g.gradeId, cellId: g.cellId, max: g.points };
    if (!cell) return { ...base, points: 0, status: "not run" as const, message: "the test cell is missing from the graded notebook" };
    const meta = cell.metadata?.recsys as { status?: string; reason?: string } | undefined;
    const status = meta?.status;
    const err = cleanErrorText(cellStderr(cell));
    if (status === "ok") return { ...base, points: g.points, status: "passed" as const };
    if (status === "error") return { ...base, points: 0, status: "failed" as const, message: err || "the cell failed without an error message" };
    if (status === "timeout") return { ...base, points: 0, status: "timeout" as const, message: [meta?.reason ?? "timed out", err].filter(Boolean).join("\n") };
    if (status === "dead") return { ...base, points: 0, status: "failed" as const, message: meta?.reason ?? "the kernel died" };
    return { ...base, points: 0, status: "not run" as const, message: meta?.reason ?? "the cell was not run" };
  });
}

export interface FeedbackOptions {
  student: string;
  notebook: string;
  notes: string[];
  /** Keep hidden tests in the feedback (default false: test cells show the student version). */
  showHidden?: boolean;
}

function fence(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const f = "`".repeat(longest + 1);
  return `${f}text\n${text}\n${f}`;
}

/**
 * The feedback notebook: the executed notebook with a summary cell on top (score, notes), a
 * markdown cell after every graded test cell (points; the error text when it failed), and a note
 * after every other cell that timed out, crashed the kernel or was not run. Hidden tests are
 * removed from the test cells unless `showHidden`.
 */
export function feedbackNotebook(executed: Notebook, info: HomeworkInfo, results: ExerciseResult[], opts: FeedbackOptions): Notebook {
  const nb: Notebook = JSON.parse(JSON.stringify(executed));
  const byCell = new Map(results.map((r) => [r.cellId, r]));
  const graded = new Map<string, GradedCell>(info.graded.map((g) => [g.cellId, g]));
  const points = results.reduce((s, r) => s + r.points, 0);
  const max = results.reduce((s, r) => s + r.max, 0);
  const cells: Cell[] = [];
  const summary = [
    `# Feedback: ${opts.notebook}`,
    "",
    `**Student:** ${opts.student} · **Score: ${points} / ${max}**`,
    "",
    "| exercise | points | result |",
    "|---|---|---|",
    ...results.map((r) => `| ${r.exercise} | ${r.points} / ${r.max} | ${r.status} |`),
  ];
  if (opts.notes.length > 0) summary.push("", "**Notes from the grader**", "", ...opts.notes.map((n) => `- ${n}`));
  cells.push({ cell_type: "markdown", id: "feedback-summary", metadata: {}, source: summary.join("\n") });
  nb.cells.forEach((cell, k) => {
    const g = cell.id ? graded.get(cell.id) : undefined;
    if (g && !opts.showHidden) cell.source = studentSource(cellSource(cell), info.regions.get(g.index) ?? []);
    cells.push(cell);
    const r = cell.id ? byCell.get(cell.id) : undefined;
    if (r) {
      const head = r.status === "passed" ? `✅ **${r.exercise}: ${r.points} / ${r.max}**: passed` : `❌ **${r.exercise}: 0 / ${r.max}**: ${r.status}`;
      const body = r.message ? `\n\n${fence(r.message)}` : "";
      cells.push({ cell_type: "markdown", id: `feedback-${k}`, metadata: {}, source: head + body });
      return;
    }
    const meta = cell.cell_type === "code" ? (cell.metadata?.recsys as { status?: string; reason?: string } | undefined) : undefined;
    if (meta && (meta.status === "timeout" || meta.status === "dead")) {
      cells.push({ cell_type: "markdown", id: `feedback-${k}`, metadata: {}, source: `⚠️ This cell ${meta.status === "dead" ? "crashed the kernel" : "did not finish"}: ${meta.reason ?? meta.status}. The kernel was interrupted or restarted (earlier cells re-run) before grading went on.` });
    }
  });
  // ids of the student's cells may collide with "feedback-<k>": make every id unique
  const ids = new Set<string>();
  for (const c of cells) {
    let id = c.id ?? "cell";
    let n = 1;
    while (ids.has(id)) id = `${c.id}-${n++}`;
    c.id = id;
    ids.add(id);
  }
  nb.cells = cells;
  return nb;
}
