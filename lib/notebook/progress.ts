/**
 * A progress bar for long loops. In the tslab kernel it is one text output updated in place
 * (tslab's `newDisplay`); in a terminal the CLI passes `write` (e.g. `s => process.stderr.write(s)`)
 * and gets a `\r`-redrawn line; anywhere else it writes nothing. Updates are throttled to one per
 * `minIntervalMs` (default 100 ms, ~10 per second) so the bar never slows the loop down.
 *
 *     const p = progress(users.length, { label: "evaluating" });
 *     for (const u of users) { ...; p.tick(); }
 *     p.done();
 */
import { displayAvailable, displaySink, type DisplayFn } from "./display";

export interface ProgressOptions {
  label?: string;
  /** Terminal writer; when given it is used instead of the notebook display. */
  write?: (s: string) => void;
  /** Minimum time between redraws in ms; default 100. */
  minIntervalMs?: number;
  /** Clock in ms (for tests); default Date.now. */
  now?: () => number;
}

export interface Progress {
  /** Adds `n` (default 1) done steps; `info` (e.g. "fold 2") is shown after the counts. */
  tick(n?: number, info?: string): void;
  /** Draws the final state (always, regardless of throttling). Later calls and ticks are ignored. */
  done(info?: string): void;
  /** Steps done so far. */
  readonly count: number;
}

const BAR_WIDTH = 24;

/** `m:ss` or `h:mm:ss` above a minute, else seconds with one decimal. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const t = Math.round(s), h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), sec = t % 60;
  const mm = h > 0 ? String(m).padStart(2, "0") : String(m);
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(sec).padStart(2, "0")}`;
}

/** One line of progress: `label [#####.....] 50/100 50% 1.2s eta 1.2s info`. */
export function formatProgress(label: string, count: number, total: number, elapsedMs: number, info?: string): string {
  const frac = total > 0 ? Math.min(1, count / total) : 1;
  const filled = Math.round(frac * BAR_WIDTH);
  const parts = [`[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}]`, `${count}/${total}`, `${Math.floor(frac * 100)}%`, formatDuration(elapsedMs)];
  if (label) parts.unshift(label);
  if (count > 0 && count < total) parts.push(`eta ${formatDuration((elapsedMs / count) * (total - count))}`);
  if (info) parts.push(info);
  return parts.join(" ");
}

/** Starts a progress bar over `total` steps (drawn at 0 immediately). */
export function progress(total: number, opts: ProgressOptions = {}): Progress {
  if (!(Number.isFinite(total) && total >= 0)) throw new Error(`progress: total must be a finite number ≥ 0, got ${total}`);
  const now = opts.now ?? Date.now;
  const minInterval = opts.minIntervalMs ?? 100;
  const label = opts.label ?? "";
  const start = now();
  let count = 0, finished = false, last = -Infinity, lastInfo: string | undefined, width = 0;

  let draw: ((line: string, final: boolean) => void) | null = null;
  if (opts.write) {
    const write = opts.write;
    draw = (line, final) => {
      write(`\r${line.padEnd(width)}${final ? "\n" : ""}`);
      width = Math.max(width, line.length);
    };
  } else if (displayAvailable()) {
    const out: DisplayFn = displaySink().newDisplay();
    draw = (line) => out("text/plain", line);
  }

  const redraw = (t: number, final: boolean) => {
    last = t;
    if (draw) draw(formatProgress(label, count, total, t - start, lastInfo), final);
  };
  redraw(start, false);

  return {
    get count() {
      return count;
    },
    tick(n = 1, info?: string) {
      if (finished) return;
      if (!(Number.isFinite(n) && n >= 0)) throw new Error(`progress: tick(n) needs a finite n ≥ 0, got ${n}`);
      count += n;
      if (info !== undefined) lastInfo = info;
      if (!draw) return;
      const t = now();
      const reachedTotal = count >= total && count - n < total;
      if (t - last >= minInterval || reachedTotal) redraw(t, false);
    },
    done(info?: string) {
      if (finished) return;
      finished = true;
      if (info !== undefined) lastInfo = info;
      redraw(now(), true);
    },
  };
}
