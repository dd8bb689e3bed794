/**
 * Plotly figures as plain JSON: `{ data: Trace[], layout: Layout }`.
 *
 * These builders only make objects — no DOM, no plotly.js. `lib/notebook/display`'s `show(fig)`
 * emits them as `application/vnd.plotly.v1+json`, which JupyterLab draws with the `plotly`
 * package's renderer (reference: https://plotly.com/javascript/reference/).
 *
 * Conventions shared by every builder:
 * - numeric inputs may be plain arrays or typed arrays; they are copied into plain arrays and
 *   NaN/±Infinity become `null` (plotly draws a gap), so the figure is valid JSON;
 * - layout defaults: height 400, compact margins, axis titles only when given, no template;
 *   `logX` / `logY` switch an axis to a log scale;
 * - mismatched lengths throw an Error naming the builder and the arrays.
 */

/** Trace types `validateFigure` accepts (the ones this course uses). */
export const TRACE_TYPES = ["bar", "scatter", "scattergl", "heatmap", "histogram", "box", "violin", "pie"] as const;
export type TraceType = (typeof TRACE_TYPES)[number];

/** One plotly trace; only the fields the builders use are typed, the rest pass through. */
export interface Trace {
  type: TraceType;
  name?: string;
  x?: unknown[];
  y?: unknown[];
  z?: unknown[][];
  [key: string]: unknown;
}
export type Layout = Record<string, unknown>;
export interface Figure {
  data: Trace[];
  layout: Layout;
}

/** Numbers as a plain or typed array. */
export type Numbers = ArrayLike<number>;
/** Category labels or coordinates. */
export type Labels = ArrayLike<string | number>;

/** Title and axis options every builder takes. */
export interface AxisOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  logX?: boolean;
  logY?: boolean;
  /** Pixels; default 400. */
  height?: number;
  /** Pixels; default: the width of the notebook cell. */
  width?: number;
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Copies numbers into a plain array, NaN/±Infinity → null. */
export function jsonNumbers(values: Numbers): (number | null)[] {
  const out = new Array<number | null>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = Number.isFinite(v) ? v : null;
  }
  return out;
}

/** Copies labels into a plain array; numeric labels follow `jsonNumbers`. */
function jsonLabels(values: Labels): (string | number | null)[] {
  const out = new Array<string | number | null>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = typeof v === "number" && !Number.isFinite(v) ? null : v;
  }
  return out;
}

function sameLength(where: string, a: string, an: number, b: string, bn: number): void {
  if (an !== bn) throw new Error(`${where}: ${a} has ${an} values but ${b} has ${bn}`);
}

function axis(title: string | undefined, log: boolean | undefined): Record<string, unknown> {
  const a: Record<string, unknown> = { automargin: true };
  if (title) a.title = { text: title };
  if (log) a.type = "log";
  return a;
}

/** The default layout for the shared options. */
export function baseLayout(o: AxisOptions): Layout {
  const layout: Layout = {
    height: o.height ?? 400,
    margin: { l: 60, r: 20, t: o.title ? 50 : 20, b: 50 },
    xaxis: axis(o.xTitle, o.logX),
    yaxis: axis(o.yTitle, o.logY),
    hovermode: "closest",
  };
  if (o.title) layout.title = { text: o.title };
  if (o.width !== undefined) layout.width = o.width;
  return layout;
}

/**
 * A copy of `fig` with `patch` merged into its layout: a key whose old and new values are both
 * plain objects (e.g. `xaxis`) is merged one level deep, any other key is replaced.
 */
export function withLayout(fig: Figure, patch: Layout): Figure {
  const layout: Layout = { ...fig.layout };
  for (const [k, v] of Object.entries(patch)) {
    const old = layout[k];
    layout[k] = isPlainObject(old) && isPlainObject(v) ? { ...old, ...v } : v;
  }
  return { data: fig.data, layout };
}

// ---------------------------------------------------------------------------------------------
// Builders

export interface BarOptions extends AxisOptions {
  /**
   * Horizontal bars: categories run down the y axis, first one on top; values along x
   * (`xTitle`/`yTitle` still name the horizontal/vertical axis).
   */
  horizontal?: boolean;
  /** Text written on each bar (single series only). */
  text?: Labels;
}

/**
 * Bar chart of values per category. `y` is one series of values, or several named series drawn
 * as grouped bars (e.g. one series per algorithm, categories = metrics).
 */
export function bar(x: Labels, y: Numbers | { name: string; y: Numbers }[], opts: BarOptions = {}): Figure {
  const series = isSeriesList(y) ? y : [{ name: "", y }];
  const cats = jsonLabels(x);
  const data: Trace[] = series.map((s) => {
    sameLength("bar", "x", x.length, s.name ? `series "${s.name}"` : "y", s.y.length);
    const vals = jsonNumbers(s.y);
    const t: Trace = opts.horizontal
      ? { type: "bar", orientation: "h", x: vals, y: cats }
      : { type: "bar", x: cats, y: vals };
    if (s.name) t.name = s.name;
    return t;
  });
  if (opts.text) {
    if (series.length > 1) throw new Error("bar: text labels need a single series");
    sameLength("bar", "x", x.length, "text", opts.text.length);
    data[0].text = jsonLabels(opts.text);
    data[0].textposition = "auto";
  }
  const layout = baseLayout(opts);
  layout.showlegend = series.length > 1;
  if (series.length > 1) layout.barmode = "group";
  if (opts.horizontal) (layout.yaxis as Layout).autorange = "reversed";
  return { data, layout };
}

function isSeriesList(y: unknown): y is { name: string; y: Numbers }[] {
  return Array.isArray(y) && y.length > 0 && typeof y[0] === "object" && y[0] !== null;
}

/** Histogram bins: `counts[k]` values fell in [edges[k], edges[k+1]) (the last bin is closed). */
export interface Bins {
  edges: number[];
  counts: number[];
  /** Number of values binned (those inside the range). */
  total: number;
  /** True for one-bin-per-integer binning (edges at k ± 0.5). */
  integers: boolean;
}

export interface BinOptions {
  /**
   * A number of equal-width bins, or "integers" for one bin per integer (edges at k ± 0.5).
   * Default: "integers" when every value is an integer and max − min ≤ 100 (ratings, counts),
   * otherwise 30.
   */
  bins?: number | "integers";
  /** Bin only values in [lo, hi]; default [min, max] of the values. */
  range?: [number, number];
}

/**
 * Bins values into a histogram in TypeScript (so a figure of 100k values holds only the bins,
 * not the values). NaN or infinite values are an error.
 */
export function binValues(values: Numbers, opts: BinOptions = {}): Bins {
  const n = values.length;
  if (n === 0) throw new Error("histogram: no values to bin");
  let min = Infinity, max = -Infinity, allInt = true;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new Error(`histogram: values[${i}] is ${v}`);
    if (v < min) min = v;
    if (v > max) max = v;
    if (allInt && !Number.isInteger(v)) allInt = false;
  }
  let [lo, hi] = opts.range ?? [min, max];
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi)) throw new Error(`histogram: bad range [${lo}, ${hi}]`);
  const bins = opts.bins ?? (allInt && max - min <= 100 ? "integers" : 30);
  let nb: number, width: number;
  if (bins === "integers") {
    lo = Math.round(lo) - 0.5;
    hi = Math.round(hi) + 0.5;
    nb = Math.max(0, Math.round(hi - lo));
    width = 1;
  } else {
    if (!(Number.isInteger(bins) && bins >= 1)) throw new Error(`histogram: bins must be a positive integer, got ${bins}`);
    if (lo === hi) { lo -= 0.5; hi += 0.5; }
    nb = bins;
    width = (hi - lo) / nb;
  }
  const edges = Array.from({ length: nb + 1 }, (_, k) => lo + k * width);
  edges[nb] = hi;
  const counts = new Array<number>(nb).fill(0);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < lo || v > hi) continue;
    counts[Math.min(nb - 1, Math.floor((v - lo) / width))]++;
    total++;
  }
  return { edges, counts, total, integers: bins === "integers" };
}

export interface HistogramOptions extends AxisOptions, BinOptions {
  /** y as raw counts (default), fractions of the binned values, or a density (fraction / width). */
  normalize?: "count" | "probability" | "density";
  name?: string;
}

/**
 * Histogram, binned in TypeScript by `binValues` and drawn as touching bars (one bar per bin;
 * hovering shows the bin's interval). Default y title: "count" / "fraction" / "density".
 */
export function histogram(values: Numbers, opts: HistogramOptions = {}): Figure {
  const { edges, counts, total, integers } = binValues(values, opts);
  const norm = opts.normalize ?? "count";
  const x: number[] = [], y: number[] = [], widths: number[] = [], customdata: number[][] = [];
  for (let k = 0; k < counts.length; k++) {
    const w = edges[k + 1] - edges[k];
    x.push((edges[k] + edges[k + 1]) / 2);
    widths.push(w);
    if (!integers) customdata.push([edges[k], edges[k + 1]]);
    const c = counts[k];
    y.push(norm === "count" ? c : total === 0 ? 0 : norm === "probability" ? c / total : c / total / w);
  }
  const t: Trace = { type: "bar", x, y, width: widths, marker: { line: { width: 0 } } };
  if (integers) t.hovertemplate = "%{x}: %{y}<extra></extra>";
  else {
    t.customdata = customdata;
    t.hovertemplate = "[%{customdata[0]:.4g}, %{customdata[1]:.4g}]: %{y}<extra></extra>";
  }
  if (opts.name) t.name = opts.name;
  const yTitle = opts.yTitle ?? { count: "count", probability: "fraction", density: "density" }[norm];
  const layout = baseLayout({ ...opts, yTitle });
  layout.bargap = 0.02;
  return { data: [t], layout };
}

/** A named line: `x` and `y` of equal length. */
export interface LineSeries {
  name: string;
  x: Labels;
  y: Numbers;
}
export interface LineOptions extends AxisOptions {
  /** Draw a marker on every point as well as the line. */
  markers?: boolean;
}

/** Line chart of one or more named series (NaN in y leaves a gap). */
export function line(series: LineSeries[], opts: LineOptions = {}): Figure {
  if (series.length === 0) throw new Error("line: no series");
  const data: Trace[] = series.map((s) => {
    sameLength("line", `series "${s.name}" x`, s.x.length, "y", s.y.length);
    return { type: "scatter", mode: opts.markers ? "lines+markers" : "lines", name: s.name, x: jsonLabels(s.x), y: jsonNumbers(s.y) };
  });
  const layout = baseLayout(opts);
  layout.showlegend = series.length > 1;
  return { data, layout };
}

export interface ScatterOptions extends AxisOptions {
  /** Per-point text, shown on hover (or next to the point with `showText`). */
  text?: Labels;
  showText?: boolean;
  /** Per-point group; each group becomes its own trace with its own colour and legend entry. */
  groups?: Labels;
  markerSize?: number;
  opacity?: number;
}

/**
 * Scatter plot of points (x[i], y[i]). Above 5,000 points the WebGL trace (`scattergl`) is used
 * so the browser stays responsive.
 */
export function scatter(x: Numbers | Labels, y: Numbers, opts: ScatterOptions = {}): Figure {
  const n = x.length;
  sameLength("scatter", "x", n, "y", y.length);
  if (opts.text) sameLength("scatter", "x", n, "text", opts.text.length);
  if (opts.groups) sameLength("scatter", "x", n, "groups", opts.groups.length);
  // Indices of each group, in order of first appearance.
  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const g = opts.groups ? String(opts.groups[i]) : "";
    let idx = groups.get(g);
    if (!idx) groups.set(g, (idx = []));
    idx.push(i);
  }
  const xs = jsonLabels(x), ys = jsonNumbers(y), texts = opts.text ? jsonLabels(opts.text) : null;
  const data: Trace[] = [];
  for (const [g, idx] of groups) {
    const t: Trace = {
      type: n > 5000 ? "scattergl" : "scatter",
      mode: opts.showText ? "markers+text" : "markers",
      x: idx.map((i) => xs[i]),
      y: idx.map((i) => ys[i]),
      marker: { size: opts.markerSize ?? 6, opacity: opts.opacity ?? (n > 1000 ? 0.5 : 0.8) },
    };
    if (opts.groups) t.name = g;
    if (texts) {
      t.text = idx.map((i) => texts[i]);
      if (opts.showText) t.textposition = "top center";
    }
    data.push(t);
  }
  if (data.length === 0) data.push({ type: "scatter", mode: "markers", x: [], y: [] });
  const layout = baseLayout(opts);
  layout.showlegend = data.length > 1;
  return { data, layout };
}

/** A dense row-major matrix: element (r, c) is `data[r * cols + c]`. */
export interface DenseMatrix {
  data: Numbers;
  rows: number;
  cols: number;
}

export interface HeatmapOptions extends AxisOptions {
  /** Column labels (length = columns). */
  xLabels?: Labels;
  /** Row labels (length = rows). */
  yLabels?: Labels;
  /** A plotly colorscale name; default "Viridis". */
  colorscale?: string;
  zmin?: number;
  zmax?: number;
  colorbarTitle?: string;
  /** Write each cell's value in it, with this many decimals (small matrices only). */
  valueDigits?: number;
}

/**
 * Heatmap of a matrix, row 0 at the top (matrix orientation). NaN cells are left blank.
 */
export function heatmap(z: number[][] | DenseMatrix, opts: HeatmapOptions = {}): Figure {
  let rows: (number | null)[][];
  if (Array.isArray(z)) {
    const cols = z.length ? z[0].length : 0;
    z.forEach((r, i) => sameLength("heatmap", "row 0", cols, `row ${i}`, r.length));
    rows = z.map(jsonNumbers);
  } else {
    if (z.data.length !== z.rows * z.cols) {
      throw new Error(`heatmap: matrix of ${z.rows}×${z.cols} needs ${z.rows * z.cols} values, got ${z.data.length}`);
    }
    rows = [];
    for (let r = 0; r < z.rows; r++) {
      const row = new Array<number | null>(z.cols);
      for (let c = 0; c < z.cols; c++) {
        const v = z.data[r * z.cols + c];
        row[c] = Number.isFinite(v) ? v : null;
      }
      rows.push(row);
    }
  }
  if (rows.length === 0 || rows[0].length === 0) throw new Error("heatmap: empty matrix");
  const t: Trace = { type: "heatmap", z: rows, colorscale: opts.colorscale ?? "Viridis" };
  if (opts.xLabels) {
    sameLength("heatmap", "columns", rows[0].length, "xLabels", opts.xLabels.length);
    t.x = jsonLabels(opts.xLabels);
  }
  if (opts.yLabels) {
    sameLength("heatmap", "rows", rows.length, "yLabels", opts.yLabels.length);
    t.y = jsonLabels(opts.yLabels);
  }
  if (opts.zmin !== undefined) t.zmin = opts.zmin;
  if (opts.zmax !== undefined) t.zmax = opts.zmax;
  if (opts.colorbarTitle) t.colorbar = { title: { text: opts.colorbarTitle } };
  if (opts.valueDigits !== undefined) t.texttemplate = `%{z:.${opts.valueDigits}f}`;
  const layout = baseLayout(opts);
  (layout.yaxis as Layout).autorange = "reversed";
  return { data: [t], layout };
}

// ---------------------------------------------------------------------------------------------
// Validation

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/**
 * The first reason `value` would not survive a JSON round trip unchanged, or null. Accepted:
 * null, booleans, strings, finite numbers, plain arrays and plain objects of those. An object
 * property that is `undefined` is accepted (JSON drops the key, which means the same thing).
 */
function jsonProblem(value: unknown, path: string, stack: Set<object>): string | null {
  switch (typeof value) {
    case "string":
    case "boolean":
      return null;
    case "number":
      return Number.isFinite(value) ? null : `${path} is ${value} (not valid JSON; use null)`;
    case "undefined":
      return `${path} is undefined (not valid JSON; use null)`;
    case "object":
      break;
    default:
      return `${path} is a ${typeof value} (not valid JSON)`;
  }
  if (value === null) return null;
  if (ArrayBuffer.isView(value)) return `${path} is a ${value.constructor.name} (convert it with Array.from)`;
  if (stack.has(value)) return `${path} is a circular reference`;
  let problem: string | null = null;
  stack.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && !problem; i++) problem = jsonProblem(value[i], `${path}[${i}]`, stack);
  } else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      problem = jsonProblem(v, path ? `${path}.${k}` : k, stack);
      if (problem) break;
    }
  } else {
    problem = `${path} is a ${value.constructor?.name ?? "object"} (only plain objects and arrays are JSON)`;
  }
  stack.delete(value);
  return problem;
}

/** Throws `Error("<what>: <problem>")` unless `value` is plain JSON (see `jsonProblem`). */
export function checkJson(value: unknown, what: string, path = "value"): void {
  const problem = jsonProblem(value, path, new Set());
  if (problem) throw new Error(`${what}: ${problem}`);
}

/**
 * Checks that `fig` is plotly figure JSON as far as practical, throwing an Error that says what
 * is wrong: `data` is a non-empty array of traces, each with a known `type`; x and y have equal
 * lengths where both are arrays (heatmaps: z is rectangular, x matches its columns and y its
 * rows); `layout`, if present, is an object; everything is plain JSON (finite numbers or null,
 * no typed arrays, no undefined in arrays).
 */
export function validateFigure(fig: unknown): asserts fig is Figure {
  const where = "validateFigure";
  if (!isPlainObject(fig)) throw new Error(`${where}: a figure must be an object {data, layout}`);
  const data = fig.data;
  if (!Array.isArray(data) || data.length === 0) throw new Error(`${where}: data must be a non-empty array of traces`);
  if (fig.layout !== undefined && !isPlainObject(fig.layout)) throw new Error(`${where}: layout must be an object`);
  data.forEach((t: unknown, i) => {
    if (!isPlainObject(t)) throw new Error(`${where}: data[${i}] is not a trace object`);
    const label = `data[${i}]${typeof t.name === "string" && t.name ? ` ("${t.name}")` : ""}`;
    if (!(TRACE_TYPES as readonly unknown[]).includes(t.type)) {
      throw new Error(`${where}: ${label} has unknown type ${JSON.stringify(t.type)} (known: ${TRACE_TYPES.join(", ")})`);
    }
    const { x, y, z } = t;
    if (t.type === "heatmap") {
      if (!Array.isArray(z) || z.length === 0 || !z.every(Array.isArray)) {
        throw new Error(`${where}: ${label} heatmap needs z as a non-empty array of rows`);
      }
      const cols = (z[0] as unknown[]).length;
      z.forEach((r: unknown[], k) => {
        if (r.length !== cols) throw new Error(`${where}: ${label} z row ${k} has ${r.length} values but row 0 has ${cols}`);
      });
      if (Array.isArray(x) && x.length !== cols) throw new Error(`${where}: ${label} x has ${x.length} labels but z has ${cols} columns`);
      if (Array.isArray(y) && y.length !== z.length) throw new Error(`${where}: ${label} y has ${y.length} labels but z has ${z.length} rows`);
    } else if (t.type !== "histogram" && Array.isArray(x) && Array.isArray(y) && x.length !== y.length) {
      throw new Error(`${where}: ${label} x has ${x.length} values but y has ${y.length}`);
    }
  });
  checkJson(fig, where, "figure");
}
