/**
 * The `UnsortedSegmentSum` kernel for the wasm and cpu backends of TensorFlow.js.
 *
 *     out[s, j] = Σ_{i : ids[i] = s} x[i, j]     for s in [0, numSegments), j over the trailing dims
 *
 * (TensorFlow's `tf.math.unsorted_segment_sum`; rows whose id is negative are dropped, as there.)
 *
 * Why: the gradient of an embedding lookup `tf.gather(table, ids)` scatters the incoming gradient
 * rows back onto the table rows with exactly this sum. The wasm backend of tfjs 4.22 registers no
 * such kernel ("Kernel 'UnsortedSegmentSum' not registered for backend 'wasm'"), and the cpu
 * backend's version loops over the segments, building a mask of the whole input for each one —
 * O(numSegments · n) work, which makes an embedding of 1,682 items take seconds per batch. This
 * one is a single O(n · width) pass over typed arrays.
 *
 * How a kernel plugs in (tfjs "modular kernels"): `tf.registerKernel({kernelName, backendName,
 * kernelFunc})`; the engine calls `kernelFunc({inputs, backend, attrs})` with tensor *infos*
 * (`dataId`, `shape`, `dtype`); the function reads input values with `backend.readSync(dataId)`
 * and returns the info of a new output it allocated through the backend (wasm: `makeOutput` on
 * the wasm heap, which we fill through `typedArrayFromHeap`; cpu: `makeTensorInfo` with values).
 */
import type * as tfjs from "@tensorflow/tfjs";

type Tf = typeof tfjs;
type Values = Float32Array | Int32Array;

/** tfjs's name of the kernel. */
export const SEGMENT_SUM_KERNEL = "UnsortedSegmentSum";

/**
 * Plain segment sum over typed arrays: `x` holds `ids.length` rows of `width` values; adds row i
 * into row `ids[i]` of `out` (`numSegments × width`, zeroed by the caller). Negative ids are
 * skipped; ids ≥ numSegments or non-integers throw.
 */
export function segmentSumInto(x: ArrayLike<number>, ids: ArrayLike<number>, width: number, numSegments: number, out: Values | Float64Array): void {
  const n = ids.length;
  if (x.length !== n * width) throw new Error(`segmentSum: x has ${x.length} values, expected ${n} rows × ${width}`);
  if (out.length !== numSegments * width) throw new Error(`segmentSum: output has ${out.length} values, expected ${numSegments} × ${width}`);
  for (let i = 0; i < n; i++) {
    const s = ids[i];
    if (s < 0) continue;
    if (s >= numSegments || !Number.isInteger(s)) {
      throw new Error(`segmentSum: segment id ${s} at position ${i} is outside [0, ${numSegments})`);
    }
    const src = i * width, dst = s * width;
    if (width === 1) out[dst] += x[src];
    else for (let j = 0; j < width; j++) out[dst + j] += x[src + j];
  }
}

interface Info {
  dataId: object;
  shape: number[];
  dtype: string;
}

interface KernelArgs {
  inputs: { x?: Info; segmentIds?: Info };
  backend: unknown;
  attrs?: { numSegments?: unknown };
}

function shapes(x: Info, ids: Info, numSegments: number): { width: number; outShape: number[] } {
  const idRank = ids.shape.length;
  for (let d = 0; d < idRank; d++) {
    if (x.shape[d] !== ids.shape[d]) {
      throw new Error(`UnsortedSegmentSum: segmentIds shape [${ids.shape}] must be a prefix of x shape [${x.shape}]`);
    }
  }
  if (!(Number.isInteger(numSegments) && numSegments >= 0)) throw new Error(`UnsortedSegmentSum: numSegments must be an integer ≥ 0, got ${numSegments}`);
  const inner = x.shape.slice(idRank);
  const width = inner.reduce((a, b) => a * b, 1);
  return { width, outShape: [numSegments, ...inner] };
}

function check(args: KernelArgs): { x: Info; ids: Info; numSegments: number } {
  const { x, segmentIds } = args.inputs;
  if (!x || !segmentIds) throw new Error("UnsortedSegmentSum: needs inputs x and segmentIds");
  if (x.dtype !== "float32" && x.dtype !== "int32") throw new Error(`UnsortedSegmentSum: unsupported dtype ${x.dtype}`);
  return { x, ids: segmentIds, numSegments: Number(args.attrs?.numSegments) };
}

interface WasmBackend {
  readSync(dataId: object): ArrayLike<number>;
  makeOutput(shape: number[], dtype: string): Info;
  typedArrayFromHeap(info: Info): Values;
}

interface CpuBackend {
  readSync(dataId: object): ArrayLike<number>;
  makeTensorInfo(shape: number[], dtype: string, values: Values): Info;
}

/** Kernel for the wasm backend: output allocated on the wasm heap and filled in place. */
export function segmentSumWasm(args: KernelArgs): Info {
  const { x, ids, numSegments } = check(args);
  const backend = args.backend as WasmBackend;
  const { width, outShape } = shapes(x, ids, numSegments);
  // readSync copies out of the heap; read inputs before allocating (malloc may grow the heap).
  const xs = backend.readSync(x.dataId);
  const is = backend.readSync(ids.dataId);
  const out = backend.makeOutput(outShape, x.dtype);
  const values = backend.typedArrayFromHeap(out);
  values.fill(0);
  segmentSumInto(xs, is, width, numSegments, values);
  return out;
}

/** Kernel for the cpu backend. */
export function segmentSumCpu(args: KernelArgs): Info {
  const { x, ids, numSegments } = check(args);
  const backend = args.backend as CpuBackend;
  const { width, outShape } = shapes(x, ids, numSegments);
  const values = x.dtype === "int32" ? new Int32Array(numSegments * width) : new Float32Array(numSegments * width);
  segmentSumInto(backend.readSync(x.dataId), backend.readSync(ids.dataId), width, numSegments, values);
  return backend.makeTensorInfo(outShape, x.dtype, values);
}

const KERNELS: Record<string, (args: KernelArgs) => Info> = { wasm: segmentSumWasm, cpu: segmentSumCpu };

/**
 * Registers the kernels above for the wasm and cpu backends (replacing cpu's built-in one).
 * Idempotent. The native `tensorflow` backend keeps its own kernel.
 */
export function registerSegmentSum(tf: Tf): void {
  for (const backendName of Object.keys(KERNELS)) {
    const kernelFunc = KERNELS[backendName];
    const existing = tf.getKernel(SEGMENT_SUM_KERNEL, backendName);
    if (existing && existing.kernelFunc === (kernelFunc as unknown)) continue;
    if (existing) tf.unregisterKernel(SEGMENT_SUM_KERNEL, backendName);
    tf.registerKernel({ kernelName: SEGMENT_SUM_KERNEL, backendName, kernelFunc: kernelFunc as unknown as tfjs.KernelFunc });
  }
}
