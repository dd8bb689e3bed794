#!/usr/bin/env python3
"""Execute a notebook headlessly with the project's tslab kernel (nbclient).

Used by lib/jupyter/execute.ts (tests, homework grading, the static site); run it with the
project's .venv Python and JUPYTER_PATH pointing at .venv/share/jupyter.

    python scripts/nbexec.py IN.ipynb OUT.ipynb [--cell-timeout S] [--keep-going] [--cwd DIR]
        [--kernel NAME] [--grade [--total-timeout S] [--last-cell K] [--max-restarts N]]

Writes the executed notebook to OUT (atomically: temp file + rename), including the outputs of
the cell that failed. Every executed code cell gets metadata.recsys = {"status": "ok"|"error"|
"timeout", "seconds": float}. Prints a JSON summary line on stdout. Exit status: 0 when every cell
ran without error, 1 when a cell failed (without --keep-going execution stops there), 2 when the
notebook could not be read or the kernel could not start.

--grade (the homework autograder) runs every code cell up to --last-cell one at a time and never
stops early: a cell that exceeds --cell-timeout is marked "timeout" and the kernel is interrupted;
if the kernel does not answer within a few seconds of the interrupt (a loop outside the
interruptible cell code, e.g. in a timer) or has died, it is restarted and the cells that ran
before are replayed (outputs kept from the first run) so later cells still see their definitions.
A cell that fails because of a kernel fault (tslab's TypeScript watcher breaks when a library file
changes during the run) is run again in a restarted kernel. Cells that cannot run (the
--total-timeout budget, counted from kernel start-up, is spent; the kernel could not be restored;
more than --max-restarts restarts) get status "skipped". Statuses in grade mode: ok, error, timeout,
dead (the kernel died in this cell), skipped; each non-ok status carries a "reason". A second
hang that the interrupt cannot end gives up (replaying may re-arm the culprit). The summary
adds "events" (timeouts, restarts) and "restarts". Each kernel's process group is announced on
stderr as "recsys-kernel-pgid N" (the kernel runs in its own session).
"""
import argparse
import asyncio
import copy
import inspect
import json
import os
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

# After a cell fails, tslab answers "abort" to every request that arrives within 200 ms
# (it resets its queue on a timer), so wait a little longer than that before the next cell.
TSLAB_ERROR_PAUSE = 0.3
# Seconds to wait for the kernel to answer after an interrupt before restarting it.
INTERRUPT_GRACE = 3.0
# Errors that come from a broken kernel, not from the cell: grade mode restarts the kernel, replays
# the earlier cells and runs the cell again. tslab's TypeScript watch program breaks for good when
# a library file it watches changes while the kernel runs ("Unexpected pending rebuildTimer").
KERNEL_FAULTS = ("Unexpected pending rebuildTimer", "rebuildTimer is not set properly", "clearing unexpected tiemr")


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
    ap.add_argument("--grade", action="store_true", help="grading mode: cell by cell, recover from timeouts")
    ap.add_argument("--total-timeout", type=float, default=600.0, help="grade mode: seconds for the whole notebook")
    ap.add_argument("--last-cell", type=int, default=None, help="grade mode: do not run cells after this index")
    ap.add_argument("--max-restarts", type=int, default=3, help="grade mode: kernel restarts before giving up")
    args = ap.parse_args()

    try:
        nb = nbformat.read(args.input, as_version=4)
    except Exception as e:  # not JSON, not a notebook …
        print(json.dumps({"ok": False, "error": "cannot read notebook %s: %s" % (args.input, e)}))
        return 2

    kernel = args.kernel or nb.metadata.get("kernelspec", {}).get("name") or "tslab"
    cwd = args.cwd or os.path.dirname(os.path.abspath(args.input))
    if args.grade:
        return asyncio.run(grade(nb, args, kernel, cwd))
    started = {}

    async def pause_after_error(**_):
        await asyncio.sleep(TSLAB_ERROR_PAUSE)

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
        on_cell_error=pause_after_error if args.keep_going else None,
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
            stderr = cell_stderr(cell)
            if failure and not stderr:
                # the cell never reported an error itself (dead kernel, timeout): say what happened
                stderr = "%s: %s" % (failure[0], str(failure[1]))
            failed = {"index": i, "id": cell.get("id"), "status": status,
                      "source": cell.source[:400], "stderr": stderr[:4000]}
    write_atomic(nb, args.output)
    summary = {"ok": failed is None and failure is None, "seconds": round(time.time() - t0, 3), "failed": failed}
    if failure and not failed:
        summary["error"] = "%s: %s" % (failure[0], str(failure[1])[:2000])
    print(json.dumps(summary))
    return 0 if summary["ok"] else 1


def first_failed(nb):
    for i, cell in enumerate(nb.cells):
        st = cell.get("metadata", {}).get("recsys", {}).get("status")
        if cell.cell_type == "code" and st not in (None, "ok"):
            return {"index": i, "id": cell.get("id"), "status": st if st in ("error", "timeout") else "error",
                    "source": cell.source[:400], "stderr": cell_stderr(cell)[:4000]}
    return None


async def grade(nb, args, kernel, cwd):
    """Grading mode (see the module doc): every cell gets a status, whatever the code does."""
    t0 = time.monotonic()
    budget = args.total_timeout
    cell_timeout = [args.cell_timeout]
    last_reply = [None]
    events = []

    def on_cell_executed(cell, cell_index, execute_reply):
        last_reply[0] = execute_reply

    client = NotebookClient(
        nb,
        kernel_name=kernel,
        timeout_func=lambda cell: cell_timeout[0],
        startup_timeout=int(args.startup_timeout),
        allow_errors=True,
        interrupt_on_timeout=False,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": cwd}},
        on_cell_executed=on_cell_executed,
    )

    def left():
        return budget - (time.monotonic() - t0)

    async def start():
        client.km = client.create_kernel_manager()
        await client.async_start_new_kernel(cwd=cwd)
        # The kernel runs in its own session: tell the caller its process group, so that a caller
        # that has to kill this script can kill the kernel too.
        pgid = getattr(getattr(client.km, "provisioner", None), "pgid", None)
        if pgid:
            sys.stderr.write("recsys-kernel-pgid %d\n" % pgid)
            sys.stderr.flush()
        await client.async_start_new_kernel_client()

    async def stop():
        if client.km is not None:
            try:
                await client._async_cleanup_kernel()
            except Exception:
                pass
        client.km = None
        client.kc = None

    async def shell_reply(msg_id, timeout):
        """The reply to msg_id on the shell channel, or None after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                msg = client.kc.shell_channel.get_msg(timeout=remaining)
                if inspect.isawaitable(msg):
                    msg = await msg
            except Exception:  # queue.Empty
                return None
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                return msg

    async def run_cell(index, cell, timeout):
        """Executes one cell: (status, reason). Retries tslab's "abort" answers."""
        for _ in range(4):
            cell_timeout[0] = max(timeout, 0.5)
            last_reply[0] = None
            try:
                await client.async_execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
            except CellTimeoutError:
                return "timeout", None
            except DeadKernelError:
                return "dead", "the kernel died while running this cell (process.exit, a crash or out of memory)"
            content = (last_reply[0] or {}).get("content", {})
            status = content.get("status", "error")
            if status == "abort":
                await asyncio.sleep(TSLAB_ERROR_PAUSE)
                continue
            if status != "ok":
                await asyncio.sleep(TSLAB_ERROR_PAUSE)
                return "error", None
            return "ok", None
        return "error", "the kernel refused to run the cell (it kept answering abort)"

    async def responsive_after_interrupt():
        """Interrupts the kernel; True when it answers a probe within INTERRUPT_GRACE seconds."""
        try:
            await ensure(client.km.interrupt_kernel())
            if not await ensure(client.km.is_alive()):
                return False
            probe = client.kc.execute("", store_history=False)
            reply = await shell_reply(probe, min(INTERRUPT_GRACE, max(left(), 1.0)))
            if reply is None:
                return False
            await asyncio.sleep(TSLAB_ERROR_PAUSE)
            return True
        except Exception:
            return False

    async def restart_and_replay(history):
        """A fresh kernel with the cells in `history` re-run; False when that fails."""
        await stop()
        await start()
        for j in history:
            if left() <= 0:
                return False
            original = nb.cells[j]
            scratch = copy.deepcopy(original)
            status, _ = await run_cell(j, scratch, min(args.cell_timeout, left()))
            nb.cells[j] = original
            if status in ("timeout", "dead"):
                return False
        return True

    def mark(cell, status, seconds, reason=None):
        meta = {"status": status, "seconds": round(seconds, 3)}
        if reason:
            meta["reason"] = reason
        cell.metadata["recsys"] = meta

    try:
        await start()
    except Exception as e:  # unknown kernel, start-up timeout …
        await stop()
        print(json.dumps({"ok": False, "error": "kernel %s: %s" % (kernel, e)}))
        return 2
    t0 = time.monotonic()  # the notebook's time budget starts once the kernel is up

    history = []  # cells run in the current kernel, in order (replayed after a restart)
    restarts = 0
    hangs = 0  # timeouts the interrupt could not end: a replay may re-arm the culprit, so allow one
    gave_up = None  # reason why the remaining cells are skipped
    try:
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            if args.last_cell is not None and i > args.last_cell:
                cell.outputs = []
                cell.execution_count = None
                mark(cell, "skipped", 0, "not run: comes after the last graded cell")
                continue
            if not cell.source.strip():
                continue
            if gave_up is None and left() <= 0:
                gave_up = "not run: the notebook time limit of %g s was used up" % budget
            if gave_up is not None:
                cell.outputs = []
                cell.execution_count = None
                mark(cell, "skipped", 0, gave_up)
                continue
            limit = min(args.cell_timeout, left())
            by_budget = limit < args.cell_timeout
            started = time.monotonic()
            status, reason = await run_cell(i, cell, limit)
            if status == "error" and restarts < args.max_restarts and any(f in cell_stderr(cell) for f in KERNEL_FAULTS):
                restarts += 1
                events.append({"index": i, "id": cell.get("id"), "event": "restart (kernel fault)"})
                if await restart_and_replay(history):
                    limit = min(args.cell_timeout, left())
                    status, reason = await run_cell(i, cell, limit)
                else:
                    gave_up = "not run: the kernel could not be restored after a kernel fault in cell %d" % i
            seconds = time.monotonic() - started
            if status in ("ok", "error"):
                mark(cell, status, seconds, reason)
                history.append(i)
                continue
            if status == "timeout":
                reason = "timed out after %g s (%s)" % (
                    round(limit, 1), "the notebook time limit" if by_budget else "the time limit per cell")
                events.append({"index": i, "id": cell.get("id"), "event": "timeout"})
                mark(cell, "timeout", seconds, reason)
                if await responsive_after_interrupt():
                    events.append({"index": i, "id": cell.get("id"), "event": "interrupted"})
                    continue
                hangs += 1
            else:
                events.append({"index": i, "id": cell.get("id"), "event": "dead"})
                mark(cell, "dead", seconds, reason)
            if restarts >= args.max_restarts:
                gave_up = "not run: the kernel was restarted %d times already" % restarts
                continue
            if hangs > 1:
                gave_up = "not run: the kernel hung again after a restart (cell %d, %s)" % (i, cell.get("id"))
                continue
            restarts += 1
            events.append({"index": i, "id": cell.get("id"), "event": "restart"})
            try:
                ok = await restart_and_replay(history)
            except Exception as e:
                ok = False
                events.append({"index": i, "event": "restart failed: %s" % e})
            if not ok:
                gave_up = "not run: the kernel could not be restored after cell %d (%s)" % (i, cell.get("id"))
    finally:
        await stop()

    write_atomic(nb, args.output)
    failed = first_failed(nb)
    summary = {"ok": failed is None, "seconds": round(time.monotonic() - t0, 3), "failed": failed,
               "events": events, "restarts": restarts}
    print(json.dumps(summary))
    return 0 if summary["ok"] else 1


async def ensure(value):
    return (await value) if inspect.isawaitable(value) else value


if __name__ == "__main__":
    sys.exit(main())
