// Authoring tool: notebooks as plain text, so they can be written and reviewed in an editor.
//
//   node --import tsx scripts/nb.ts build notes.txt notebooks/NN-name.ipynb   text → notebook
//   node --import tsx scripts/nb.ts dump notebooks/NN-name.ipynb              notebook → text
//
// Text format: a line `%% markdown` or `%% code`, optionally followed by a JSON object of cell
// metadata (`%% code {"id": "load", "tags": ["parameters"]}`), starts a cell; everything up to
// the next such line is its source (surrounding blank lines trimmed). Cells without an "id" get
// `<notebook name>-<n>`. The notebook is written clean (no outputs) with the course kernelspec.
import fs from "node:fs";
import path from "node:path";
import { Cell, KERNELSPEC, Notebook, cellSource, readNotebook, writeNotebook } from "../lib/jupyter/notebook";

export function parseText(text: string, name: string): Notebook {
  const cells: Cell[] = [];
  let current: Cell | null = null;
  const lines = text.split("\n");
  const flush = () => {
    if (current) {
      current.source = (current.source as string).replace(/^\s*\n/, "").replace(/\s+$/, "");
      cells.push(current);
    }
  };
  lines.forEach((line, k) => {
    const m = /^%% (markdown|code)\s*(\{.*\})?\s*$/.exec(line);
    if (m) {
      flush();
      let meta: Record<string, unknown> = {};
      if (m[2]) {
        try {
          meta = JSON.parse(m[2]);
        } catch (e) {
          throw new Error(`${name}:${k + 1}: bad cell metadata JSON (${(e as Error).message})`);
        }
      }
      const { id, ...rest } = meta as { id?: string };
      current = { cell_type: m[1] as "markdown" | "code", id: id ?? `${name}-${cells.length}`, metadata: rest, source: "" };
      if (current.cell_type === "code") {
        current.outputs = [];
        current.execution_count = null;
      }
    } else if (current) {
      current.source += (current.source ? "\n" : "") + line;
    } else if (line.trim()) {
      throw new Error(`${name}:${k + 1}: text before the first %% cell marker`);
    }
  });
  flush();
  return {
    cells,
    metadata: {
      kernelspec: KERNELSPEC,
      language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

export function toText(nb: Notebook): string {
  return nb.cells
    .map((c) => {
      const meta = { id: c.id, ...c.metadata };
      delete (meta as Record<string, unknown>).execution;
      delete (meta as Record<string, unknown>).recsys;
      return `%% ${c.cell_type === "markdown" ? "markdown" : "code"} ${JSON.stringify(meta)}\n${cellSource(c)}\n`;
    })
    .join("\n");
}

if (require.main === module) {
  const [cmd, a, b] = process.argv.slice(2);
  if (cmd === "build" && a && b) {
    writeNotebook(b, parseText(fs.readFileSync(a, "utf8"), path.basename(b, ".ipynb")));
    console.log(`wrote ${b}`);
  } else if (cmd === "dump" && a) {
    process.stdout.write(toText(readNotebook(a)));
  } else {
    console.error("usage: nb.ts build <text> <out.ipynb> | nb.ts dump <in.ipynb>");
    process.exit(2);
  }
}
