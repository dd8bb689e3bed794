/**
 * Named results a notebook publishes for machines: `record("rmse", 0.94)` adds an output of MIME
 * type `application/vnd.recsys.record+json` holding `{name, value}`. After the notebook runs
 * headlessly, `readRecords(executedNotebook)` collects them, so tests and graders check numbers
 * instead of scraping text. JupyterLab has no renderer for this MIME type, so a record shows
 * nothing in the notebook itself.
 */
import { checkJson } from "../plot/figure";
import { displaySink } from "./display";

export const RECORD_MIME = "application/vnd.recsys.record+json";

/** The payload of one record output. */
export interface RecordPayload {
  name: string;
  value: unknown;
}

/**
 * Publishes `value` under `name`. The name must be a non-empty string and the value plain JSON
 * (finite numbers, strings, booleans, null, arrays, plain objects; typed arrays must be converted
 * with Array.from), otherwise an Error names the record and the offending part.
 */
export function record(name: string, value: unknown): void {
  if (typeof name !== "string" || name.trim() === "") {
    throw new Error(`record: the name must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  checkJson(value, `record("${name}")`);
  const payload: RecordPayload = { name, value };
  displaySink().display(RECORD_MIME, payload);
}

/**
 * All records in an executed notebook (parsed nbformat JSON, or its text), by name; a later
 * record with the same name overrides an earlier one. Reads `display_data`,
 * `update_display_data` and `execute_result` outputs; a record stored as a JSON string is parsed.
 */
export function readRecords(notebook: unknown): Record<string, unknown> {
  const nb = typeof notebook === "string" ? JSON.parse(notebook) : notebook;
  const cells = (nb as { cells?: unknown } | null)?.cells;
  if (!Array.isArray(cells)) throw new Error("readRecords: not a notebook (no cells array)");
  const out: Record<string, unknown> = {};
  cells.forEach((cell, c) => {
    const outputs = (cell as { outputs?: unknown } | null)?.outputs;
    if (!Array.isArray(outputs)) return;
    outputs.forEach((o, k) => {
      const raw = (o as { data?: Record<string, unknown> } | null)?.data?.[RECORD_MIME];
      if (raw === undefined) return;
      const rec = (typeof raw === "string" ? JSON.parse(raw) : raw) as Partial<RecordPayload> | null;
      if (typeof rec?.name !== "string" || !("value" in rec)) {
        throw new Error(`readRecords: cell ${c} output ${k} is a malformed record (needs {name, value})`);
      }
      // defineProperty, so a record named "__proto__" is an ordinary key.
      Object.defineProperty(out, rec.name, { value: rec.value, enumerable: true, writable: true, configurable: true });
    });
  });
  return out;
}
