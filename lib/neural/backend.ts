/**
 * TensorFlow.js for the course: one place that loads it, picks the fastest backend that works on
 * this machine, keeps its chatter off stderr and makes runs repeatable.
 *
 *     const { tf, description } = await initBackend();   // once, before any tensor work
 *     console.log(description);                           // "TensorFlow.js 4.22.0, backend: wasm (SIMD)"
 *     const model = withSeed(42, () => buildModel(tf));   // same seed → same initial weights
 *
 * Backends, in order of preference (override with `prefer` or the RECSYS_TF_BACKEND variable):
 * 1. `node`  — `@tensorflow/tfjs-node` (native libtensorflow). An optional dependency: its install
 *    script downloads libtensorflow, which fails offline, so it is used only when `require`
 *    succeeds. Its C++ log lines are silenced with `TF_CPP_MIN_LOG_LEVEL=2` (set before loading,
 *    unless the user already set it).
 * 2. `wasm`  — `@tensorflow/tfjs-backend-wasm`. The .wasm binaries ship inside the package
 *    (`dist/`); in Node we point `setWasmPaths` at that folder. SIMD is used when the runtime
 *    supports it (Node 20 does); threads are off (Node has no cross-origin-isolated workers).
 * 3. `cpu`   — the pure-JavaScript backend (always available, ~30× slower on big matrix products).
 *
 * Kernels: the wasm backend of tfjs 4.22 cannot train embeddings or CNNs out of the box, and some
 * of its kernels are very slow; `initBackend` registers our own `UnsortedSegmentSum`
 * (segmentSum.ts, also replacing the very slow cpu one), `Conv2DBackpropFilter`, and faster
 * `Conv2DBackpropInput`, `MaxPoolGrad`, transposed `BatchMatMul`/`_FusedMatMul`, `Unpack`,
 * `SplitV` and `Slice` (wasmKernels.ts; each checked against the cpu backend in the unit tests).
 * The 784-512-10 MNIST network trains ~7× faster per epoch with them.
 *
 * Quiet: TensorFlow.js prints hints and warnings with `console.warn` ("Hi, looks like you are
 * running TensorFlow.js in Node.js…", "kernel … is already registered", "Platform … has already
 * been set"). Those go through tfjs-core's logger, which stays silent when the `PROD` flag is set
 * (`tf.env().set("PROD", true)`, the same flag `tf.enableProdMode()` sets; in tfjs 4.22 it does
 * nothing else). We set it right after loading, before any backend is touched. tfjs-layers also
 * calls `console.warn` directly for a few conditions (e.g. "Orthogonal initializer is being
 * called on a matrix with more than 2000 elements", shape mismatches); `initBackend` installs a
 * filter on `console.warn` that diverts calls coming from TensorFlow.js code (recognised by the
 * call stack) to `tfWarnings()` and — with `warnings: "stdout"`, the default inside the notebook
 * kernel — prints them on stdout as "TensorFlow.js: …". Other code's warnings are untouched.
 * Real errors still throw.
 *
 * Determinism (see `withSeed`): tf.layers initialisers, dropout masks and `model.fit`'s shuffling
 * draw their seeds from `Math.random` unless given one. `withSeed(seed, fn)` replaces
 * `Math.random` by a seeded generator (lib/random.ts) while `fn` runs, so building and training a
 * model inside it repeats exactly. On wasm (single-threaded, XNNPACK) and cpu the arithmetic is
 * deterministic, so same seed → same weights and losses, bit for bit, on the same machine and
 * backend. Not covered: different backends (wasm vs cpu vs node round differently), different
 * CPUs/SIMD support, and tfjs-node's multi-threaded reductions (not bit-reproducible).
 */
import type * as tfjs from "@tensorflow/tfjs";
import { registerSegmentSum } from "./segmentSum";
import { registerWasmKernels } from "./wasmKernels";
import { Rng } from "../random";

/** The TensorFlow.js namespace (`@tensorflow/tfjs`, or `@tensorflow/tfjs-node` which re-exports it). */
export type Tf = typeof tfjs;

/** Which backend to use: native TensorFlow, WebAssembly or plain JavaScript. */
export type BackendChoice = "node" | "wasm" | "cpu";

export interface BackendOptions {
  /** Backend to try first (the others follow in the default order node → wasm → cpu). Default: env RECSYS_TF_BACKEND, else "node". */
  prefer?: BackendChoice;
  /** Only try `prefer`; throw if it is unavailable (benchmarks that must measure one backend). */
  strict?: boolean;
  /**
   * Where TensorFlow.js's own `console.warn` messages go (never stderr): "stdout" (printed as
   * "TensorFlow.js: …"; the default in the notebook kernel) or "collect" (only kept for
   * `tfWarnings()`; the default elsewhere, so CLI output stays clean).
   */
  warnings?: "stdout" | "collect";
}

export interface BackendInfo {
  /** The course's name for the backend. */
  name: BackendChoice;
  /** TensorFlow.js's own backend name (`tensorflow`, `wasm`, `cpu`). */
  tfBackend: string;
  /** The TensorFlow.js namespace to use. */
  tf: Tf;
  /** TensorFlow.js version, e.g. "4.22.0". */
  version: string;
  /** WASM SIMD in use (wasm backend only). */
  simd: boolean;
  /** One line for notebooks and logs: "TensorFlow.js 4.22.0, backend: wasm (SIMD)". */
  description: string;
  /** Why preferred backends were skipped (empty when the first choice worked). */
  skipped: string[];
}

const ORDER: BackendChoice[] = ["node", "wasm", "cpu"];

let loaded: Tf | null = null;
let active: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;
let pendingKey = "";
let nodeModule: Tf | null | undefined; // undefined: not tried; null: unavailable
let nodeError = "";

const collected: string[] = [];
let warnMode: "stdout" | "collect" = "collect";
let warnFilterInstalled = false;

/** TensorFlow.js warnings diverted from `console.warn` since the process started (oldest first). */
export function tfWarnings(): string[] {
  return collected.slice();
}

/**
 * True when the caller of console.warn is TensorFlow.js code: a file under node_modules/@tensorflow,
 * or — when source maps are on (tsx) — one of its original sources `…/tfjs-<package>/src/…`.
 */
function fromTensorFlow(stack: string | undefined): boolean {
  if (!stack) return false;
  const frames = stack.split("\n").slice(2); // skip "Error" and this filter's own frame
  const caller = frames.find((f) => !/node:internal|\(<anonymous>\)/.test(f));
  return caller !== undefined && /[\\/]@tensorflow[\\/]|[\\/]tfjs-[a-z-]+[\\/]src[\\/]/.test(caller);
}

/** Diverts TensorFlow.js's direct console.warn calls away from stderr (see the module comment). */
function installWarnFilter(): void {
  if (warnFilterInstalled) return;
  warnFilterInstalled = true;
  const original = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    if (!fromTensorFlow(new Error().stack)) return original(...args);
    const text = args.map((a) => (typeof a === "string" ? a : String(a))).join(" ");
    collected.push(text);
    if (warnMode === "stdout") process.stdout.write(`TensorFlow.js: ${text}\n`);
  };
}

function inNotebookKernel(): boolean {
  return (globalThis as Record<string, unknown>).__tslab__ !== undefined;
}

/** Silences tfjs-core's logger (hints and warnings) via the PROD flag. */
function quiet(tf: Tf): void {
  tf.env().set("PROD", true);
}

/** Loads `@tensorflow/tfjs` (once) with its warnings silenced; does not choose a backend. */
function loadTf(): Tf {
  if (!loaded) {
    loaded = require("@tensorflow/tfjs") as Tf;
    quiet(loaded);
  }
  return loaded;
}

/** Tries `@tensorflow/tfjs-node`; null (and the reason in `nodeError`) when it is not installed or fails to load. */
function loadNode(): Tf | null {
  if (nodeModule !== undefined) return nodeModule;
  if (process.env.TF_CPP_MIN_LOG_LEVEL === undefined) process.env.TF_CPP_MIN_LOG_LEVEL = "2";
  const name = "@tensorflow/tfjs-node"; // a variable, so TypeScript does not need its types
  try {
    // Load tfjs first so its logger is already quiet when tfjs-node registers its backend.
    loadTf();
    nodeModule = require(name) as Tf;
    quiet(nodeModule);
  } catch (e) {
    nodeModule = null;
    const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
    nodeError = /Cannot find module/.test(msg) ? "@tensorflow/tfjs-node is not installed" : `@tensorflow/tfjs-node failed to load: ${msg}`;
  }
  return nodeModule;
}

/** The folder holding the wasm backend's .wasm binaries (with a trailing slash). */
export function wasmDir(): string {
  const path = require("node:path") as typeof import("node:path");
  const fs = require("node:fs") as typeof import("node:fs");
  const main = require.resolve("@tensorflow/tfjs-backend-wasm");
  const dir = path.dirname(main);
  if (!fs.existsSync(path.join(dir, "tfjs-backend-wasm.wasm"))) {
    throw new Error(`lib/neural: no tfjs-backend-wasm.wasm next to ${main} (is @tensorflow/tfjs-backend-wasm installed completely?)`);
  }
  return dir + path.sep;
}

let wasmRegistered = false;

async function tryBackend(choice: BackendChoice, tf: Tf): Promise<{ tf: Tf; tfBackend: string } | string> {
  if (choice === "node") {
    const node = loadNode();
    if (!node) return nodeError;
    const ok = await node.setBackend("tensorflow");
    return ok ? { tf: node, tfBackend: "tensorflow" } : "tfjs-node loaded but its backend failed to initialise";
  }
  if (choice === "wasm") {
    try {
      if (!wasmRegistered) {
        const wasm = require("@tensorflow/tfjs-backend-wasm") as typeof import("@tensorflow/tfjs-backend-wasm");
        wasm.setWasmPaths(wasmDir());
        tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
        wasmRegistered = true;
      }
      // The wasm module's Emscripten glue installs process-wide handlers that rethrow every
      // unhandled rejection and uncaught exception, which would kill the notebook kernel (or the
      // CLI) on any stray rejection: remove whatever handlers initialisation added.
      const events: string[] = ["uncaughtException", "unhandledRejection"];
      const listeners = (e: string) => process.listeners(e as "exit") as unknown as ((...args: unknown[]) => void)[];
      const before = events.map((e) => new Set(listeners(e)));
      let ok: boolean;
      try {
        ok = await tf.setBackend("wasm");
      } finally {
        events.forEach((e, k) => {
          for (const l of listeners(e)) if (!before[k].has(l)) process.removeListener(e as "exit", l);
        });
      }
      return ok ? { tf, tfBackend: "wasm" } : "the wasm backend failed to initialise";
    } catch (e) {
      return `wasm backend unavailable: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  const ok = await tf.setBackend("cpu");
  return ok ? { tf, tfBackend: "cpu" } : "the cpu backend failed to initialise";
}

function parseChoice(s: string | undefined, where: string): BackendChoice | undefined {
  if (s === undefined || s === "") return undefined;
  if (s === "node" || s === "wasm" || s === "cpu") return s;
  throw new Error(`${where}: unknown TensorFlow.js backend "${s}" (expected node, wasm or cpu)`);
}

async function init(prefer: BackendChoice, strict: boolean): Promise<BackendInfo> {
  const tf = loadTf();
  const order = strict ? [prefer] : [prefer, ...ORDER.filter((b) => b !== prefer)];
  const skipped: string[] = [];
  for (const choice of order) {
    const r = await tryBackend(choice, tf);
    if (typeof r === "string") {
      skipped.push(`${choice}: ${r}`);
      continue;
    }
    registerSegmentSum(r.tf);
    registerWasmKernels(r.tf);
    const simd = r.tfBackend === "wasm" && (await r.tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")) === true;
    const version = r.tf.version.tfjs ?? r.tf.version_core;
    const label = r.tfBackend === "wasm" ? `wasm${simd ? " (SIMD)" : ""}` : r.tfBackend === "tensorflow" ? "node (libtensorflow)" : "cpu (pure JavaScript)";
    return { name: choice, tfBackend: r.tfBackend, tf: r.tf, version, simd, description: `TensorFlow.js ${version}, backend: ${label}`, skipped };
  }
  throw new Error(`lib/neural: no TensorFlow.js backend could be initialised (${skipped.join("; ")})`);
}

/**
 * Loads TensorFlow.js and activates the best available backend (see the module comment).
 * Idempotent: later calls with the same options return the same result; a call with a
 * different `prefer` switches backend (tensors made before belong to the old backend).
 */
export function initBackend(opts: BackendOptions = {}): Promise<BackendInfo> {
  let prefer: BackendChoice;
  try {
    prefer = parseChoice(opts.prefer, "initBackend") ?? parseChoice(process.env.RECSYS_TF_BACKEND, "RECSYS_TF_BACKEND") ?? "node";
  } catch (e) {
    return Promise.reject(e);
  }
  const strict = opts.strict ?? false;
  warnMode = opts.warnings ?? (inNotebookKernel() ? "stdout" : "collect");
  installWarnFilter();
  const key = `${prefer}/${strict}`;
  if (pending && pendingKey === key) return pending;
  pendingKey = key;
  pending = init(prefer, strict).then(
    (info) => {
      active = info;
      return info;
    },
    (e) => {
      pending = null;
      pendingKey = "";
      throw e;
    },
  );
  return pending;
}

/** The active backend, or null before `initBackend` has finished. */
export function backendInfo(): BackendInfo | null {
  return active;
}

/**
 * The TensorFlow.js namespace for library modules. Throws until `await initBackend()` has
 * finished, so nothing silently runs on a slow default backend.
 */
export function getTf(): Tf {
  if (!active) {
    throw new Error("lib/neural: TensorFlow.js is not initialised yet: call `await initBackend()` first (in a notebook, once near the top)");
  }
  return active.tf;
}

/**
 * Runs `fn` with `Math.random` replaced by a generator seeded with `seed` (lib/random.ts), then
 * restores it (also when `fn` throws or its promise rejects). Everything TensorFlow.js draws
 * without an explicit seed — layer initialisers, dropout masks, `fit`'s shuffling — then repeats
 * exactly. Do not run two `withSeed` calls concurrently (they share the global `Math.random`).
 */
export function withSeed<T>(seed: number, fn: () => T): T {
  const rng = new Rng(seed);
  const original = Math.random;
  Math.random = () => rng.next();
  const restore = () => {
    Math.random = original;
  };
  let result: T;
  try {
    result = fn();
  } catch (e) {
    restore();
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (v) => {
        restore();
        return v;
      },
      (e) => {
        restore();
        throw e;
      },
    ) as unknown as T;
  }
  restore();
  return result;
}

