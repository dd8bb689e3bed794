import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../lib/random";
import {
  bar, binValues, heatmap, histogram, line, scatter, validateFigure, withLayout, checkJson, type Figure,
} from "../../lib/plot/figure";

/** Every builder output must validate and survive a JSON round trip unchanged. */
function assertValid(fig: Figure): void {
  validateFigure(fig);
  assert.deepEqual(JSON.parse(JSON.stringify(fig)), fig);
}

test("bar: one series, typed arrays become plain arrays, NaN becomes null", () => {
  const fig = bar(["a", "b", "c"], new Float64Array([1, NaN, 3]), { title: "T", xTitle: "X", yTitle: "Y" });
  assertValid(fig);
  const t = fig.data[0];
  assert.equal(t.type, "bar");
  assert.ok(Array.isArray(t.y));
  assert.deepEqual(t.y, [1, null, 3]);
  assert.deepEqual(t.x, ["a", "b", "c"]);
  assert.deepEqual(fig.layout.title, { text: "T" });
  assert.deepEqual((fig.layout.xaxis as any).title, { text: "X" });
  assert.equal(fig.layout.height, 400);
});

test("bar: several named series are grouped; horizontal swaps axes and puts the first category on top", () => {
  const fig = bar(["rmse", "mae"], [{ name: "A", y: [1, 2] }, { name: "B", y: new Float32Array([3, 4]) }]);
  assertValid(fig);
  assert.equal(fig.data.length, 2);
  assert.deepEqual(fig.data.map((t) => t.name), ["A", "B"]);
  assert.equal(fig.layout.barmode, "group");
  assert.equal(fig.layout.showlegend, true);
  const h = bar(["x", "y"], [5, 6], { horizontal: true, text: ["5", "6"] });
  assertValid(h);
  assert.equal(h.data[0].orientation, "h");
  assert.deepEqual(h.data[0].x, [5, 6]);
  assert.deepEqual(h.data[0].y, ["x", "y"]);
  assert.equal((h.layout.yaxis as any).autorange, "reversed");
  assert.throws(() => bar(["a", "b"], [{ name: "A", y: [1] }]), /bar: x has 2 values but series "A" has 1/);
});

test("binValues: hand-computed equal-width and integer bins", () => {
  const b = binValues([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { bins: 5 });
  assert.deepEqual(b.edges, [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(b.counts, [2, 2, 2, 2, 3]); // the last bin is closed: 10 lands in [8, 10]
  assert.equal(b.total, 11);
  // All-integer data with a small span gets one bin per integer by default (ratings).
  const r = binValues(new Int8Array([1, 1, 2, 5, 5, 5]));
  assert.equal(r.integers, true);
  assert.deepEqual(r.edges, [0.5, 1.5, 2.5, 3.5, 4.5, 5.5]);
  assert.deepEqual(r.counts, [2, 1, 0, 0, 3]);
  // A range drops values outside it.
  const c = binValues([-5, 0, 0.5, 1, 7], { bins: 2, range: [0, 1] });
  assert.deepEqual(c.counts, [1, 2]);
  assert.equal(c.total, 3);
  // All-equal values still give a bin.
  assert.deepEqual(binValues([3.5, 3.5], { bins: 1 }).counts, [2]);
  assert.throws(() => binValues([1, NaN]), /values\[1\] is NaN/);
  assert.throws(() => binValues([]), /no values/);
  assert.throws(() => binValues([1, 2], { bins: 0 }), /bins must be a positive integer/);
});

test("binValues agrees with a brute-force bin search on random data", () => {
  const rng = new Rng(5);
  const values = Float64Array.from({ length: 2000 }, () => rng.normal() * 3 + 1);
  const b = binValues(values, { bins: 17 });
  const brute = new Array(17).fill(0);
  for (const v of values) {
    let k = 0;
    while (k < 16 && !(v < b.edges[k + 1])) k++;
    brute[k]++;
  }
  assert.deepEqual(b.counts, brute);
  assert.equal(b.counts.reduce((s, c) => s + c, 0), values.length);
});

test("histogram: pre-binned, so 100k values make a small figure; normalisations", () => {
  const rng = new Rng(1);
  const values = Float64Array.from({ length: 100_000 }, () => rng.next());
  const fig = histogram(values, { bins: 20, title: "uniform" });
  assertValid(fig);
  assert.equal(fig.data[0].x!.length, 20);
  assert.ok(JSON.stringify(fig).length < 5000);
  assert.equal((fig.data[0].y as number[]).reduce((s, v) => s + v, 0), 100_000);
  const p = histogram(values, { bins: 20, normalize: "probability" });
  assert.ok(Math.abs((p.data[0].y as number[]).reduce((s, v) => s + v, 0) - 1) < 1e-12);
  const d = histogram(values, { bins: 20, normalize: "density" });
  const widths = d.data[0].width as number[];
  const area = (d.data[0].y as number[]).reduce((s, v, k) => s + v * widths[k], 0);
  assert.ok(Math.abs(area - 1) < 1e-12);
  assert.deepEqual((d.layout.yaxis as any).title, { text: "density" });
  // Integer data: bars centred on the integers.
  const r = histogram([1, 2, 2, 3, 3, 3], { logY: true });
  assert.deepEqual(r.data[0].x, [1, 2, 3]);
  assert.deepEqual(r.data[0].y, [1, 2, 3]);
  assert.equal((r.layout.yaxis as any).type, "log");
});

test("line: named series, markers, log axes, NaN gaps, length checks", () => {
  const fig = line(
    [{ name: "train", x: [1, 2, 3], y: new Float64Array([0.9, NaN, 0.7]) }, { name: "test", x: [1, 2, 3], y: [1, 0.95, 0.93] }],
    { markers: true, logX: true, xTitle: "epoch" },
  );
  assertValid(fig);
  assert.equal(fig.data.length, 2);
  assert.equal(fig.data[0].mode, "lines+markers");
  assert.deepEqual(fig.data[0].y, [0.9, null, 0.7]);
  assert.equal((fig.layout.xaxis as any).type, "log");
  assert.equal((fig.layout.yaxis as any).type, undefined);
  assert.equal(line([{ name: "a", x: [1], y: [1] }]).data[0].mode, "lines");
  assert.throws(() => line([{ name: "s", x: [1, 2], y: [1] }]), /series "s" x has 2 values but y has 1/);
  assert.throws(() => line([]), /no series/);
});

test("scatter: groups split points into traces in first-appearance order, text follows its point", () => {
  const x = [1, 2, 3, 4, 5], y = new Float32Array([10, 20, 30, 40, 50]);
  const groups = ["b", "a", "b", "c", "a"], text = ["p1", "p2", "p3", "p4", "p5"];
  const fig = scatter(x, y, { groups, text });
  assertValid(fig);
  assert.deepEqual(fig.data.map((t) => t.name), ["b", "a", "c"]);
  const seen: string[] = [];
  for (const t of fig.data) {
    t.x!.forEach((xi, k) => {
      const i = (xi as number) - 1;
      assert.equal(t.y![k], y[i]);
      assert.equal((t.text as string[])[k], text[i]);
      assert.equal(groups[i], t.name);
      seen.push(text[i]);
    });
  }
  assert.deepEqual(seen.sort(), text);
  const plain = scatter([1, 2], [3, 4]);
  assertValid(plain);
  assert.equal(plain.data.length, 1);
  assert.equal(plain.data[0].type, "scatter");
  const big = scatter(new Float64Array(6000), new Float64Array(6000));
  assert.equal(big.data[0].type, "scattergl");
  assert.throws(() => scatter([1, 2], [1, 2], { groups: ["a"] }), /x has 2 values but groups has 1/);
});

test("heatmap: nested arrays and a row-major typed matrix give the same z; labels are checked", () => {
  const nested = heatmap([[1, 2, 3], [4, NaN, 6]], { xLabels: ["a", "b", "c"], yLabels: ["r1", "r2"] });
  const dense = heatmap({ data: new Float32Array([1, 2, 3, 4, NaN, 6]), rows: 2, cols: 3 }, { xLabels: ["a", "b", "c"], yLabels: ["r1", "r2"] });
  assertValid(nested);
  assertValid(dense);
  assert.deepEqual(nested.data[0].z, [[1, 2, 3], [4, null, 6]]);
  assert.deepEqual(dense.data[0].z, nested.data[0].z);
  assert.equal((nested.layout.yaxis as any).autorange, "reversed");
  assert.throws(() => heatmap([[1, 2], [3]]), /row 0 has 2 values but row 1 has 1/);
  assert.throws(() => heatmap({ data: [1, 2, 3], rows: 2, cols: 2 }), /2×2 needs 4 values, got 3/);
  assert.throws(() => heatmap([[1, 2]], { xLabels: ["a"] }), /columns has 2 values but xLabels has 1/);
  assert.throws(() => heatmap([]), /empty matrix/);
});

test("withLayout merges axis objects and replaces other keys without touching the original", () => {
  const fig = bar(["a"], [1], { xTitle: "X" });
  const g = withLayout(fig, { height: 600, xaxis: { type: "log" } });
  assert.equal(g.layout.height, 600);
  assert.deepEqual(g.layout.xaxis, { automargin: true, title: { text: "X" }, type: "log" });
  assert.equal(fig.layout.height, 400);
  assert.equal((fig.layout.xaxis as any).type, undefined);
});

test("validateFigure rejects broken figures with a message saying what is wrong", () => {
  const ok = (data: unknown[], layout: unknown = {}) => ({ data, layout });
  const cases: [unknown, RegExp][] = [
    [null, /must be an object/],
    [[], /must be an object/],
    [ok([]), /data must be a non-empty array/],
    [{ layout: {} }, /data must be a non-empty array/],
    [ok([{ type: "bar", x: [1] }], 3), /layout must be an object/],
    [ok([5]), /data\[0\] is not a trace object/],
    [ok([{ type: "pie3d", x: [1], y: [1] }]), /data\[0\] has unknown type "pie3d"/],
    [ok([{ x: [1], y: [1] }]), /unknown type undefined/],
    [ok([{ type: "bar", x: [1] }, { type: "scatter", name: "s", x: [1, 2], y: [1] }]), /data\[1\] \("s"\) x has 2 values but y has 1/],
    [ok([{ type: "scatter", x: [1, 2], y: [1, NaN] }]), /figure\.data\[0\]\.y\[1\] is NaN/],
    [ok([{ type: "scatter", x: [1], y: [Infinity] }]), /is Infinity/],
    [ok([{ type: "scatter", x: new Float64Array([1]), y: [1] }]), /x is a Float64Array \(convert it with Array\.from\)/],
    [ok([{ type: "scatter", x: [1, undefined], y: [1, 2] }]), /x\[1\] is undefined/],
    [ok([{ type: "scatter", x: [1], y: [1], marker: new Map() }]), /marker is a Map/],
    [ok([{ type: "scatter", x: [1], y: [1], f: () => 1 }]), /f is a function/],
    [ok([{ type: "heatmap", z: [[1, 2], [3]] }]), /z row 1 has 1 values but row 0 has 2/],
    [ok([{ type: "heatmap", z: [[1, 2]], x: ["a"] }]), /x has 1 labels but z has 2 columns/],
    [ok([{ type: "heatmap", y: [1] }]), /needs z/],
  ];
  for (const [fig, msg] of cases) assert.throws(() => validateFigure(fig), msg, `expected ${msg}`);
  const circular: any = { type: "bar", x: [1], y: [1] };
  circular.self = circular;
  assert.throws(() => validateFigure(ok([circular])), /circular/);
  // A valid hand-made figure passes; undefined object properties are allowed (JSON drops them).
  validateFigure({ data: [{ type: "scatter", x: [1, 2], y: [null, 3], name: undefined }], layout: { title: { text: "t" } } });
  // Histograms with raw values have only x.
  validateFigure({ data: [{ type: "histogram", x: [1, 2, 3] }], layout: {} });
});

test("checkJson names the thing and the path", () => {
  assert.throws(() => checkJson({ a: [1, { b: NaN }] }, "thing"), /^Error: thing: value\.a\[1\]\.b is NaN/);
  assert.throws(() => checkJson(10n, "n"), /n: value is a bigint/);
  checkJson({ a: [1, "x", true, null, { b: -0.5 }] }, "fine");
});
