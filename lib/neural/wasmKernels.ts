/**
 * More kernels for the wasm backend of TensorFlow.js 4.22, registered by `initBackend`
 * next to `UnsortedSegmentSum` (see segmentSum.ts for how a kernel plugs in).
 *
 * 1. `Conv2DBackpropFilter` — the gradient of a 2-D convolution with respect to its filter, which
 *    the wasm backend does not register (training any CNN fails with "Kernel
 *    'Conv2DBackpropFilter' not registered for backend 'wasm'"). For NHWC input x, output
 *    gradient dy and a filter of fH × fW × inC × outC:
 *
 *        dW[r, c, i, o] = Σ_b Σ_y Σ_x  x[b, y·sH + r − padTop, x·sW + c − padLeft, i] · dy[b, y, x, o]
 *
 *    (out-of-range input positions count as 0). Written as one matrix product: the "im2col"
 *    matrix P (one row per output position b,y,x; one column per filter tap r,c,i) times dy
 *    reshaped to (positions × outC): dW = Pᵀ · dy. Pᵀ is built in JavaScript and the product runs
 *    through the backend's own SIMD `BatchMatMul` kernel (Chellapilla, Puri & Simard, "High
 *    Performance Convolutional Neural Networks for Document Processing", 2006, for the im2col idea).
 *
 *    `Conv2DBackpropInput` (the gradient with respect to the input) exists in the wasm backend but
 *    runs ~10× slower than the forward convolution; ours is the same idea backwards:
 *    cols = dy · Wᵀ (positions × taps), then "col2im" adds every column entry back onto the input
 *    pixel it came from.
 *
 *    `MaxPoolGrad` likewise: a plain loop over the windows (native one is slower here).
 *
 * 2. `BatchMatMul` and `_FusedMatMul` with transpose flags (see `withoutTransposeFlags`): the
 *    built-in kernels are 15–30× slower with a flag set, and every dense layer's backward pass
 *    sets one; we transpose the operand first and multiply on the fast path.
 *
 * 3. `Unpack` (tf.unstack; every recurrent layer splits its input into time steps with it) and
 *    `SplitV` (tf.split; LSTM/GRU cells split their gates with it): the built-in kernels slice
 *    once per output and copy the *whole* input out of the wasm heap for each slice, which makes
 *    unstacking quadratic in the sequence length. Ours read the input once. `Slice` likewise
 *    (batches of a big tensor).
 */
import type * as tfjs from "@tensorflow/tfjs";

type Tf = typeof tfjs;

interface Info {
  dataId: object;
  shape: number[];
  dtype: string;
}

interface WasmBackend {
  makeOutput(shape: number[], dtype: string): Info;
  typedArrayFromHeap(info: Info): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object): boolean;
}

interface KernelArgs {
  inputs: Record<string, Info | undefined>;
  backend: unknown;
  attrs?: Record<string, unknown>;
}

/** Geometry of a 2-D convolution (NHWC, dilation 1). */
export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  fH: number;
  fW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
}

/**
 * Fills the *transposed* im2col matrix Pᵀ (taps × positions) of NHWC input `x`: column
 * (b, y, x) holds the input values under the filter at output position (b, y, x), tap order
 * (r, c, i) as in a filter of shape fH × fW × inC × outC; positions outside the input are 0.
 * (Transposed because the wasm matrix product is ~10× slower with its transpose flags set.)
 */
export function im2colT(x: ArrayLike<number>, pt: Float32Array, g: ConvGeometry): void {
  const positions = g.batch * g.outH * g.outW;
  let pos = 0;
  for (let b = 0; b < g.batch; b++) {
    const xb = b * g.inH * g.inW * g.inC;
    for (let y = 0; y < g.outH; y++) {
      for (let xo = 0; xo < g.outW; xo++, pos++) {
        let tap = 0;
        for (let r = 0; r < g.fH; r++) {
          const iy = y * g.strideH + r - g.padTop;
          for (let c = 0; c < g.fW; c++) {
            const ix = xo * g.strideW + c - g.padLeft;
            const inside = iy >= 0 && iy < g.inH && ix >= 0 && ix < g.inW;
            const src = xb + (iy * g.inW + ix) * g.inC;
            for (let i = 0; i < g.inC; i++, tap++) pt[tap * positions + pos] = inside ? x[src + i] : 0;
          }
        }
      }
    }
  }
}

/**
 * The adjoint of im2col: adds every entry of `cols` (positions × taps) back onto the input
 * position it was read from, giving dx (NHWC, zeroed by the caller).
 */
export function col2imAdd(cols: ArrayLike<number>, dx: Float32Array, g: ConvGeometry): void {
  const taps = g.fH * g.fW * g.inC;
  let pos = 0;
  for (let b = 0; b < g.batch; b++) {
    const xb = b * g.inH * g.inW * g.inC;
    for (let y = 0; y < g.outH; y++) {
      for (let xo = 0; xo < g.outW; xo++, pos++) {
        let at = pos * taps;
        for (let r = 0; r < g.fH; r++) {
          const iy = y * g.strideH + r - g.padTop;
          for (let c = 0; c < g.fW; c++, at += g.inC) {
            const ix = xo * g.strideW + c - g.padLeft;
            if (iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW) continue;
            const dst = xb + (iy * g.inW + ix) * g.inC;
            for (let i = 0; i < g.inC; i++) dx[dst + i] += cols[at + i];
          }
        }
      }
    }
  }
}

function geometry(tf: Tf, xShape: number[], filterShape: number[], attrs: Record<string, unknown>, what: string): ConvGeometry {
  const dataFormat = tf.backend_util.convertConv2DDataFormat((attrs.dataFormat as "NHWC" | "NCHW") ?? "NHWC");
  if (dataFormat !== "channelsLast") throw new Error(`${what} (wasm): only NHWC (channels last) is supported`);
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as [number, number],
    1,
    attrs.pad as "same" | "valid",
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
    false,
    dataFormat,
  );
  return {
    batch: info.batchSize, inH: info.inHeight, inW: info.inWidth, inC: info.inChannels,
    outH: info.outHeight, outW: info.outWidth, fH: info.filterHeight, fW: info.filterWidth,
    strideH: info.strideHeight, strideW: info.strideWidth, padTop: info.padInfo.top, padLeft: info.padInfo.left,
  };
}

function matMulKernel(tf: Tf): tfjs.KernelFunc {
  const k = tf.getKernel("BatchMatMul", "wasm");
  if (!k) throw new Error("wasm kernels: the BatchMatMul kernel is missing");
  return k.kernelFunc;
}

/** dW = Pᵀ · dy (taps × outC = the filter's layout). */
function conv2DBackpropFilterWasm(tf: Tf) {
  return (args: KernelArgs): Info => {
    const { x, dy } = args.inputs;
    if (!x || !dy) throw new Error("Conv2DBackpropFilter: needs inputs x and dy");
    const attrs = args.attrs ?? {};
    const backend = args.backend as WasmBackend;
    const filterShape = attrs.filterShape as number[];
    const g = geometry(tf, x.shape, filterShape, attrs, "Conv2DBackpropFilter");
    const positions = g.batch * g.outH * g.outW;
    const taps = g.fH * g.fW * g.inC;
    // Allocate first, then take heap views (an allocation may grow the heap and detach old views).
    const pt = backend.makeOutput([taps, positions], "float32");
    im2colT(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(pt) as Float32Array, g);
    const dy2d: Info = { dataId: dy.dataId, shape: [positions, filterShape[3]], dtype: "float32" };
    const out = matMulKernel(tf)({ inputs: { a: pt, b: dy2d } as never, backend: backend as never, attrs: { transposeA: false, transposeB: false } }) as Info;
    backend.disposeData(pt.dataId);
    out.shape = [...filterShape];
    return out;
  };
}

/** dx = col2im(dy · Wᵀ): the product gives each output position's gradient per filter tap. */
function conv2DBackpropInputWasm(tf: Tf) {
  return (args: KernelArgs): Info => {
    const { dy, filter } = args.inputs;
    if (!dy || !filter) throw new Error("Conv2DBackpropInput: needs inputs dy and filter");
    const attrs = args.attrs ?? {};
    const backend = args.backend as WasmBackend;
    const inputShape = attrs.inputShape as number[];
    const g = geometry(tf, inputShape, filter.shape, attrs, "Conv2DBackpropInput");
    const positions = g.batch * g.outH * g.outW;
    const taps = g.fH * g.fW * g.inC;
    const outC = filter.shape[3];
    const wt = backend.makeOutput([outC, taps], "float32");
    {
      const w = backend.typedArrayFromHeap(filter), t = backend.typedArrayFromHeap(wt);
      for (let k = 0; k < taps; k++) for (let o = 0; o < outC; o++) t[o * taps + k] = w[k * outC + o];
    }
    const dy2d: Info = { dataId: dy.dataId, shape: [positions, outC], dtype: "float32" };
    const cols = matMulKernel(tf)({ inputs: { a: dy2d, b: wt } as never, backend: backend as never, attrs: { transposeA: false, transposeB: false } }) as Info;
    backend.disposeData(wt.dataId);
    const dx = backend.makeOutput([...inputShape], "float32");
    const dxv = backend.typedArrayFromHeap(dx) as Float32Array;
    dxv.fill(0);
    col2imAdd(backend.typedArrayFromHeap(cols), dxv, g);
    backend.disposeData(cols.dataId);
    return dx;
  };
}

/**
 * Max-pooling gradient: each output's gradient goes to the input position that was the maximum
 * of its window (the first one in row-major window order when several tie, as TensorFlow does).
 */
export function maxPoolGradInto(
  input: ArrayLike<number>,
  dy: ArrayLike<number>,
  dx: Float32Array,
  g: { batch: number; inH: number; inW: number; ch: number; outH: number; outW: number; fH: number; fW: number; strideH: number; strideW: number; padTop: number; padLeft: number },
): void {
  for (let b = 0; b < g.batch; b++) {
    const ib = b * g.inH * g.inW * g.ch;
    for (let y = 0; y < g.outH; y++) {
      const y0 = y * g.strideH - g.padTop;
      for (let xo = 0; xo < g.outW; xo++) {
        const x0 = xo * g.strideW - g.padLeft;
        const o = ((b * g.outH + y) * g.outW + xo) * g.ch;
        for (let c = 0; c < g.ch; c++) {
          let best = -Infinity, at = -1;
          for (let r = 0; r < g.fH; r++) {
            const iy = y0 + r;
            if (iy < 0 || iy >= g.inH) continue;
            for (let k = 0; k < g.fW; k++) {
              const ix = x0 + k;
              if (ix < 0 || ix >= g.inW) continue;
              const idx = ib + (iy * g.inW + ix) * g.ch + c;
              const v = input[idx];
              if (v > best || at < 0) {
                best = v;
                at = idx;
              }
            }
          }
          if (at >= 0) dx[at] += dy[o + c];
        }
      }
    }
  }
}

function maxPoolGradWasm(tf: Tf) {
  return (args: KernelArgs): Info => {
    const { dy, input } = args.inputs;
    if (!dy || !input) throw new Error("MaxPoolGrad: needs inputs dy and input");
    const attrs = args.attrs ?? {};
    const backend = args.backend as WasmBackend;
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      attrs.filterSize as [number, number],
      attrs.strides as [number, number],
      1,
      attrs.pad as "same" | "valid",
      attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
    );
    const dx = backend.makeOutput([...input.shape], "float32");
    const dxv = backend.typedArrayFromHeap(dx) as Float32Array;
    dxv.fill(0);
    maxPoolGradInto(backend.typedArrayFromHeap(input), backend.typedArrayFromHeap(dy), dxv, {
      batch: info.batchSize, inH: info.inHeight, inW: info.inWidth, ch: info.inChannels, outH: info.outHeight, outW: info.outWidth,
      fH: info.effectiveFilterHeight, fW: info.effectiveFilterWidth, strideH: info.strideHeight, strideW: info.strideWidth,
      padTop: info.padInfo.top, padLeft: info.padInfo.left,
    });
    return dx;
  };
}

/**
 * Splits `value` along `axis` into consecutive chunks of `sizes` (summing to the axis length),
 * reading the input once. `squeeze` drops the axis from the output shapes (Unpack).
 */
function splitAlongAxis(backend: WasmBackend, value: Info, axis: number, sizes: number[], squeeze: boolean): Info[] {
  const n = value.shape[axis];
  const outer = value.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = value.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outs = sizes.map((size) => {
    const shape = value.shape.slice();
    shape[axis] = size;
    return backend.makeOutput(squeeze ? shape.filter((_, d) => d !== axis) : shape, value.dtype);
  });
  // views only after every allocation (an allocation may grow the heap and detach old views)
  const src = backend.typedArrayFromHeap(value);
  let start = 0;
  sizes.forEach((size, k) => {
    const dst = backend.typedArrayFromHeap(outs[k]);
    const chunk = size * inner;
    for (let o = 0; o < outer; o++) {
      const from = (o * n + start) * inner;
      dst.set(src.subarray(from, from + chunk), o * chunk);
    }
    start += size;
  });
  return outs;
}

function unpackWasm(args: KernelArgs, builtin?: tfjs.KernelFunc): Info[] {
  const value = args.inputs.value;
  if (!value) throw new Error("Unpack: needs input value");
  if (value.dtype === "string" && builtin) return builtin(args as never) as Info[];
  let axis = Number(args.attrs?.axis ?? 0);
  if (axis < 0) axis += value.shape.length;
  return splitAlongAxis(args.backend as WasmBackend, value, axis, new Array<number>(value.shape[axis]).fill(1), true);
}

function splitVWasm(tf: Tf, builtin?: tfjs.KernelFunc) {
  return (args: KernelArgs): Info[] => {
    const x = args.inputs.x;
    if (!x) throw new Error("SplitV: needs input x");
    if (x.dtype === "string" && builtin) return builtin(args as never) as Info[];
    const attrs = args.attrs ?? {};
    const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as never, attrs.numOrSizeSplits as number[] | number, axis);
    return splitAlongAxis(args.backend as WasmBackend, x, axis, sizes, false);
  };
}

/**
 * `Slice` reading the input through a view of the wasm heap. The built-in kernel first copies the
 * *whole* input out of the heap (`readSync`), so taking batch after batch of a big tensor (as
 * `model.predict`/`evaluate` and our `predictClasses` do) costs a full copy per batch.
 * The copy runs over the longest contiguous stretch: trailing dimensions taken whole merge
 * with the first partially taken one into one `set` per outer index.
 */
function sliceWasm(tf: Tf, builtin?: tfjs.KernelFunc) {
  return (args: KernelArgs): Info => {
    const x = args.inputs.x;
    if (!x) throw new Error("Slice: needs input x");
    if (x.dtype === "string" && builtin) return builtin(args as never) as Info;
    const backend = args.backend as WasmBackend;
    const attrs = args.attrs ?? {};
    const [begin, size] = tf.slice_util.parseSliceParams(x as never, attrs.begin as number[], attrs.size as number[]);
    const out = backend.makeOutput(size, x.dtype);
    const total = size.reduce((a, b) => a * b, 1);
    if (total === 0) return out;
    const src = backend.typedArrayFromHeap(x), dst = backend.typedArrayFromHeap(out);
    const rank = x.shape.length;
    if (rank === 0) {
      dst[0] = src[0];
      return out;
    }
    const strides = new Array<number>(rank);
    strides[rank - 1] = 1;
    for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * x.shape[d + 1];
    let k = rank - 1; // dims after k are taken whole
    while (k > 0 && begin[k] === 0 && size[k] === x.shape[k]) k--;
    const run = size.slice(k).reduce((a, b) => a * b, 1);
    const outer = total / run;
    const idx = new Array<number>(k).fill(0);
    for (let n = 0, o = 0; n < outer; n++, o += run) {
      let off = begin[k] * strides[k];
      for (let j = 0; j < k; j++) off += (begin[j] + idx[j]) * strides[j];
      dst.set(src.subarray(off, off + run), o);
      for (let j = k - 1; j >= 0; j--) {
        if (++idx[j] < size[j]) break;
        idx[j] = 0;
      }
    }
    return out;
  };
}

/**
 * Wraps a wasm matrix-product kernel (`BatchMatMul`, `_FusedMatMul`) so that it never runs with
 * its transpose flags set: a flagged operand is transposed first with the backend's native
 * `Transpose` kernel (a cheap copy), and the product then runs on the fast path. In tfjs 4.22 the
 * flagged products are 15–30× slower than plain ones, and backpropagation through a dense layer
 * needs exactly those (dW = xᵀ·dy, dx = dy·Wᵀ).
 */
function withoutTransposeFlags(tf: Tf, original: tfjs.KernelFunc) {
  return (args: KernelArgs): Info => {
    const attrs = args.attrs ?? {};
    if (!attrs.transposeA && !attrs.transposeB) return original(args as never) as Info;
    const backend = args.backend as WasmBackend;
    const transpose = tf.getKernel("Transpose", "wasm")!.kernelFunc;
    const temps: Info[] = [];
    const flip = (t: Info): Info => {
      const r = t.shape.length;
      const perm = t.shape.map((_, d) => (d === r - 2 ? r - 1 : d === r - 1 ? r - 2 : d));
      const out = transpose({ inputs: { x: t } as never, backend: backend as never, attrs: { perm } }) as Info;
      temps.push(out);
      return out;
    };
    const inputs = { ...args.inputs };
    if (attrs.transposeA) inputs.a = flip(inputs.a!);
    if (attrs.transposeB) inputs.b = flip(inputs.b!);
    try {
      return original({ inputs, backend: backend, attrs: { ...attrs, transposeA: false, transposeB: false } } as never) as Info;
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}

/** Registers the kernels above for the wasm backend (idempotent). */
export function registerWasmKernels(tf: Tf): void {
  const ours = (name: string) => (tf.getKernel(name, "wasm") as (tfjs.KernelConfig & { ours?: boolean }) | undefined)?.ours === true;
  const builtin = (name: string) => (ours(name) ? undefined : tf.getKernel(name, "wasm")?.kernelFunc);
  const builtinUnpack = builtin("Unpack"), builtinSplitV = builtin("SplitV"), builtinSlice = builtin("Slice");
  const kernels: [string, (args: KernelArgs) => Info | Info[]][] = [];
  for (const name of ["BatchMatMul", "_FusedMatMul"]) {
    const original = builtin(name);
    if (original) kernels.push([name, withoutTransposeFlags(tf, original)]);
  }
  kernels.push(
    ["Conv2DBackpropFilter", conv2DBackpropFilterWasm(tf)],
    ["Conv2DBackpropInput", conv2DBackpropInputWasm(tf)],
    ["MaxPoolGrad", maxPoolGradWasm(tf)],
    ["Unpack", (args) => unpackWasm(args, builtinUnpack)],
    ["SplitV", splitVWasm(tf, builtinSplitV)],
    ["Slice", sliceWasm(tf, builtinSlice)],
  );
  for (const [kernelName, fn] of kernels) {
    const existing = tf.getKernel(kernelName, "wasm") as (tfjs.KernelConfig & { ours?: boolean }) | undefined;
    if (existing?.ours) continue;
    if (existing) tf.unregisterKernel(kernelName, "wasm");
    // keep a built-in kernel's setup/dispose hooks (they bind the wasm functions)
    const config = { ...(existing ?? {}), kernelName, backendName: "wasm", kernelFunc: fn as unknown as tfjs.KernelFunc, ours: true };
    tf.registerKernel(config);
  }
}
