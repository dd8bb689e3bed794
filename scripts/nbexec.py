#!/usr/bin/env python3
"""Execute a notebook headlessly with the project's tslab kernel (nbclient).

Used by lib/jupyter/execute.ts (tests, homework grading, the static site); run it with the
project's .venv Python and JUPYTER_PATH pointing at .venv/share/jupyter.

    python scripts/nbexec.py IN.ipynb OUT.ipynb [--cell-timeout S] [--keep-going] [--cwd DIR]

Writes the executed notebook to OUT (atomically: temp file + rename), including the outputs of
the cell that failed. Every executed code cell gets metadata.recsys = {"status": "ok"|"error"|
"timeout", "seconds": float}. Prints a JSON summary line on stdout. Exit status: 0 when every cell
ran without error, 1 when a cell failed (without --keep-going execution stops there), 2 when the
notebook could not be read or the kernel could not start.
"""
import argparse
import json
import os
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def cell_stderr(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            parts.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            parts.append("%s: %s" % (out.get("ename"), out.get("evalue")))
    return "".join(parts).strip()


def write_atomic(nb, path):
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".nbexec-", suffix=".ipynb", dir=d)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--cell-timeout", type=float, default=120.0)
    ap.add_argument("--startup-timeout", type=float, default=60.0)
    ap.add_argument("--keep-going", action="store_true", help="run every cell even after errors")
    ap.add_argument("--cwd", default=None, help="kernel working directory (default: the notebook's folder)")
    ap.add_argument("--kernel", default=None, help="kernel name (default: the notebook's kernelspec)")
    args = ap.parse_args()

    try:
        nb = nbformat.read(args.input, as_version=4)
    except Exception as e:  # not JSON, not a notebook …
        print(json.dumps({"ok": False, "error": "cannot read notebook %s: %s" % (args.input, e)}))
        return 2

    kernel = args.kernel or nb.metadata.get("kernelspec", {}).get("name") or "tslab"
    cwd = args.cwd or os.path.dirname(os.path.abspath(args.input))
    started = {}

    def on_cell_start(cell, cell_index):
        started[cell_index] = time.time()

    def on_cell_executed(cell, cell_index, execute_reply):
        status = execute_reply["content"].get("status", "error") if execute_reply else "error"
        cell.metadata["recsys"] = {
            "status": "ok" if status == "ok" else "error",
            "seconds": round(time.time() - started.get(cell_index, time.time()), 3),
        }

    client = NotebookClient(
        nb,
        kernel_name=kernel,
        timeout=args.cell_timeout,
        startup_timeout=args.startup_timeout,
        allow_errors=args.keep_going,
        interrupt_on_timeout=args.keep_going,
        resources={"metadata": {"path": cwd}},
        on_cell_start=on_cell_start,
        on_cell_executed=on_cell_executed,
    )
    t0 = time.time()
    failure = None
    try:
        client.execute()
    except CellTimeoutError as e:
        failure = ("timeout", e)
    except CellExecutionError as e:
        failure = ("error", e)
    except DeadKernelError as e:
        failure = ("dead kernel", e)
    except RuntimeError as e:  # kernel failed to start, unknown kernel …
        print(json.dumps({"ok": False, "error": "kernel %s: %s" % (kernel, e)}))
        return 2

    failed = None
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        status = cell.metadata.get("recsys", {}).get("status")
        if status is None and i in started:
            cell.metadata["recsys"] = {"status": "timeout" if failure and failure[0] == "timeout" else "error",
                                       "seconds": round(time.time() - started[i], 3)}
            status = cell.metadata["recsys"]["status"]
        if status in ("error", "timeout") and failed is None:
            failed = {"index": i, "id": cell.get("id"), "status": status,
                      "source": cell.source[:400], "stderr": cell_stderr(cell)[:4000]}
    write_atomic(nb, args.output)
    summary = {"ok": failed is None and failure is None, "seconds": round(time.time() - t0, 3), "failed": failed}
    if failure and not failed:
        summary["error"] = "%s: %s" % (failure[0], str(failure[1])[:2000])
    print(json.dumps(summary))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
