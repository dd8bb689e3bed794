/**
 * A benchmark: one named measurement. `run` does the work once and returns what it measured
 * (seconds of the timed part, plus any extra figures). The runner (bench/run.ts) executes each
 * benchmark in its own child process, so peak memory (maxRSS) belongs to that benchmark alone,
 * repeats it, and reports the median beside the target.
 */
export interface BenchmarkResult {
  /** Seconds of the timed part of one run (set-up such as loading data excluded). */
  seconds: number;
  /** Extra figures (RMSE, per-epoch seconds, sizes …). */
  [key: string]: unknown;
}

export interface Benchmark {
  name: string;
  /** What it measures, in one line. */
  description: string;
  /** Targets from the issues: the median must stay under `seconds`; peak memory under `memoryMB`. */
  target?: { seconds?: number; memoryMB?: number };
  /** Runs (default 3); the median is reported. */
  repeat?: number;
  /** Prepares shared inputs once per process (not timed). */
  setup?: () => Promise<unknown> | unknown;
  run(input: any): Promise<BenchmarkResult> | BenchmarkResult;
}

/** Times a synchronous function in seconds. */
export function time<T>(f: () => T): { seconds: number; value: T } {
  const t0 = performance.now();
  const value = f();
  return { seconds: (performance.now() - t0) / 1000, value };
}
