import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { bar } from "../../lib/plot/figure";
import { PLOTLY_MIME, displayAvailable, html, markdown, setDisplaySink, show, text, type DisplaySink } from "../../lib/notebook/display";
import { RECORD_MIME, readRecords, record } from "../../lib/notebook/record";
import { formatDuration, formatProgress, progress } from "../../lib/notebook/progress";
import { formatCell, formatTextTable, showTable, table } from "../../lib/notebook/table";

interface Output {
  /** Which display: 0 for plain display calls, 1, 2 … for each newDisplay handle. */
  handle: number;
  /** True when the call replaced an earlier output of the same handle. */
  update: boolean;
  mime: string;
  data: unknown;
}

/** A sink that records what the kernel would have been sent. */
function recordingSink(): { sink: DisplaySink; outputs: Output[] } {
  const outputs: Output[] = [];
  let handles = 0;
  const sink: DisplaySink = {
    display: (mime, data) => outputs.push({ handle: 0, update: false, mime, data }),
    newDisplay: () => {
      const handle = ++handles;
      let used = false;
      return (mime, data) => {
        outputs.push({ handle, update: used, mime, data });
        used = true;
      };
    },
  };
  return { sink, outputs };
}

afterEach(() => setDisplaySink(null));

test("outside the kernel with no sink: show throws a clear error, nothing is available", () => {
  assert.equal(displayAvailable(), false);
  assert.throws(() => show(bar(["a"], [1])), /not running in the tslab kernel/);
  assert.throws(() => record("x", 1), /not running in the tslab kernel/);
});

test("show validates the figure and emits it as plotly JSON; html/markdown/text use their MIME types", () => {
  const { sink, outputs } = recordingSink();
  setDisplaySink(sink);
  assert.equal(displayAvailable(), true);
  const fig = bar(["a", "b"], new Float64Array([1, 2]));
  show(fig);
  html("<b>x</b>");
  markdown("# t");
  text("plain");
  assert.deepEqual(outputs.map((o) => o.mime), [PLOTLY_MIME, "text/html", "text/markdown", "text/plain"]);
  assert.equal(PLOTLY_MIME, "application/vnd.plotly.v1+json");
  assert.deepEqual(outputs[0].data, fig);
  assert.equal(outputs[1].data, "<b>x</b>");
  // An invalid figure is rejected before anything is emitted.
  assert.throws(() => show({ data: [{ type: "bar", x: [1, 2], y: [1] }], layout: {} }), /x has 2 values but y has 1/);
  assert.equal(outputs.length, 4);
});

test("record emits {name, value} under the record MIME type and rejects bad names and values", () => {
  const { sink, outputs } = recordingSink();
  setDisplaySink(sink);
  record("rmse", 0.94);
  record("table", { algo: ["a", "b"], ndcg: [0.1, 0.2] });
  assert.equal(RECORD_MIME, "application/vnd.recsys.record+json");
  assert.deepEqual(outputs, [
    { handle: 0, update: false, mime: RECORD_MIME, data: { name: "rmse", value: 0.94 } },
    { handle: 0, update: false, mime: RECORD_MIME, data: { name: "table", value: { algo: ["a", "b"], ndcg: [0.1, 0.2] } } },
  ]);
  assert.throws(() => record("", 1), /name must be a non-empty string/);
  assert.throws(() => record("  ", 1), /name must be a non-empty string/);
  assert.throws(() => record("mae", { x: NaN }), /record\("mae"\): value\.x is NaN/);
  assert.throws(() => record("v", new Float32Array(2)), /record\("v"\): value is a Float32Array/);
  assert.throws(() => record("u", undefined), /record\("u"\): value is undefined/);
  assert.equal(outputs.length, 2);
});

test("readRecords collects records from an executed notebook; later records override earlier ones", () => {
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "markdown", id: "m1", metadata: {}, source: ["# Title"] },
      {
        cell_type: "code", id: "c1", metadata: {}, execution_count: 1, source: [],
        outputs: [
          { output_type: "stream", name: "stdout", text: ["hello\n"] },
          { output_type: "display_data", metadata: {}, data: { [RECORD_MIME]: { name: "rmse", value: 1.1 } } },
          { output_type: "display_data", metadata: {}, data: { [PLOTLY_MIME]: { data: [], layout: {} } } },
        ],
      },
      {
        cell_type: "code", id: "c2", metadata: {}, execution_count: 2, source: [],
        outputs: [
          { output_type: "display_data", metadata: {}, data: { [RECORD_MIME]: { name: "rmse", value: 0.9 } } },
          { output_type: "display_data", metadata: {}, data: { [RECORD_MIME]: JSON.stringify({ name: "top", value: ["a", "b"] }) } },
          { output_type: "display_data", metadata: {}, data: { [RECORD_MIME]: { name: "__proto__", value: 3 } } },
        ],
      },
      { cell_type: "code", id: "c3", metadata: {}, execution_count: null, source: [], outputs: [] },
    ],
  };
  const expected: Record<string, unknown> = { rmse: 0.9, top: ["a", "b"] };
  Object.defineProperty(expected, "__proto__", { value: 3, enumerable: true, writable: true, configurable: true });
  assert.deepEqual(readRecords(notebook), expected);
  assert.deepEqual(readRecords(JSON.stringify(notebook)), expected);
  assert.equal(Object.getPrototypeOf(readRecords(notebook)), Object.prototype);
  assert.throws(() => readRecords({ worksheets: [] }), /not a notebook/);
  const bad = { cells: [{ cell_type: "code", outputs: [{ output_type: "display_data", data: { [RECORD_MIME]: { value: 1 } } }] }] };
  assert.throws(() => readRecords(bad), /cell 0 output 0 is a malformed record/);
});

test("record → notebook outputs → readRecords round trip", () => {
  const { sink, outputs } = recordingSink();
  setDisplaySink(sink);
  record("a", 1);
  record("b", { k: [1, 2] });
  record("a", 2);
  const nb = {
    cells: [{ cell_type: "code", outputs: outputs.map((o) => ({ output_type: "display_data", metadata: {}, data: { [o.mime]: JSON.parse(JSON.stringify(o.data)) } })) }],
  };
  assert.deepEqual(readRecords(nb), { a: 2, b: { k: [1, 2] } });
});

test("formatProgress and formatDuration: hand-computed lines", () => {
  assert.equal(formatProgress("fit", 50, 100, 2000), "fit [############............] 50/100 50% 2.0s eta 2.0s");
  assert.equal(formatProgress("", 100, 100, 61000, "done"), "[########################] 100/100 100% 1:01 done");
  assert.equal(formatProgress("x", 0, 0, 0), "x [########################] 0/0 100% 0.0s");
  assert.equal(formatDuration(59_900), "59.9s");
  assert.equal(formatDuration(3_723_000), "1:02:03");
});

test("progress in the notebook: one display updated in place, throttled to the interval", () => {
  const { sink, outputs } = recordingSink();
  setDisplaySink(sink);
  let clock = 0;
  const p = progress(1000, { label: "eval", now: () => clock });
  assert.equal(outputs.length, 1); // drawn at 0 immediately
  for (let i = 1; i <= 1000; i++) {
    clock = i; // one ms per step: 10 redraws (t = 100, 200, …, 1000)
    p.tick();
  }
  assert.equal(p.count, 1000);
  assert.equal(outputs.length, 11);
  p.done("ok");
  p.done();
  p.tick(5);
  assert.equal(outputs.length, 12);
  assert.equal(p.count, 1000);
  assert.ok(outputs.every((o) => o.handle === 1 && o.mime === "text/plain"));
  assert.deepEqual(outputs.map((o) => o.update), [false, ...new Array(11).fill(true)]);
  assert.match(outputs[0].data as string, /^eval \[\.+\] 0\/1000 0% /);
  assert.match(outputs[5].data as string, / 500\/1000 50% 0\.5s eta 0\.5s$/);
  assert.match(outputs[11].data as string, / 1000\/1000 100% 1\.0s ok$/);
  // A second bar gets its own display.
  progress(3, { now: () => clock }).done();
  assert.ok(outputs.slice(12).every((o) => o.handle === 2));
  assert.throws(() => progress(NaN), /total must be a finite number/);
  assert.throws(() => progress(2).tick(-1), /finite n ≥ 0/);
});

test("progress reaching the total redraws even inside the throttle interval", () => {
  const { sink, outputs } = recordingSink();
  setDisplaySink(sink);
  const p = progress(3, { now: () => 0 });
  p.tick(1, "a");
  p.tick(1);
  assert.equal(outputs.length, 1);
  p.tick(1);
  assert.equal(outputs.length, 2);
  assert.match(outputs[1].data as string, / 3\/3 100% 0\.0s a$/);
  p.tick(1); // past the total: no extra redraw
  assert.equal(outputs.length, 2);
});

test("progress outside the kernel: silent without a writer; with one, \\r-redrawn lines and a final newline", () => {
  const silent = progress(10);
  silent.tick(3);
  silent.done();
  assert.equal(silent.count, 3);
  const written: string[] = [];
  let clock = 0;
  const p = progress(2, { label: "load", write: (s) => written.push(s), now: () => clock });
  clock = 500;
  p.tick(1, "a much longer piece of information");
  clock = 1000;
  p.done();
  assert.equal(written.length, 3);
  assert.ok(written.every((s) => s.startsWith("\r")));
  assert.ok(written[2].endsWith("\n") && !written[1].endsWith("\n"));
  // The final line is padded to cover the longer line before it.
  assert.ok(written[2].length - 2 >= written[1].length - 1);
  assert.match(written[2], /^\rload \[#+\.+\] 1\/2 50% 1\.0s eta 1\.0s a much longer piece of information\s*\n$/);
});

test("table: HTML escapes headers, cells and caption; digits and maxRows", () => {
  const rows = [
    { name: "<b>Tom & Jerry</b>", rmse: 0.12345, n: 10 },
    { name: "O'Brien \"x\"", rmse: 1.5, n: 3 },
    { name: "c", rmse: null, n: 7 },
  ];
  const h = table(rows, { digits: 2, caption: "a < b", maxRows: 2 });
  assert.ok(h.includes("&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;"));
  assert.ok(h.includes("O&#39;Brien &quot;x&quot;"));
  assert.ok(!h.includes("<b>Tom"));
  assert.ok(h.includes("<caption>a &lt; b</caption>"));
  assert.ok(h.includes(">0.12</td>") && h.includes(">1.50</td>") && h.includes(">10</td>"));
  assert.ok(!h.includes(">c</td>"));
  assert.match(h, /… 1 more rows \(3 in all\)/);
  assert.equal((h.match(/<tr>/g) ?? []).length, 1 + 2 + 1); // header, 2 rows, footer
  assert.match(h, /<th style="text-align:left">name<\/th><th style="text-align:right">rmse<\/th>/);
  // Per-column digits, chosen columns, escaped header names.
  const g = table([{ "a<": 1.23456, b: 2.5 }], { digits: { "a<": 1 }, columns: ["b", "a<"] });
  assert.match(g, /<th[^>]*>b<\/th><th[^>]*>a&lt;<\/th>/);
  assert.ok(g.includes(">2.5000</td>") && g.includes(">1.2</td>"));
  assert.throws(() => table(rows, { digits: -1 }), /digits for column "name"/);
  assert.match(table([]), /\(no rows\)/);
});

test("formatCell: integers, bigints, null, NaN, objects", () => {
  assert.equal(formatCell(3), "3");
  assert.equal(formatCell(2.5, 1), "2.5");
  assert.equal(formatCell(1 / 3), "0.3333");
  assert.equal(formatCell(NaN), "NaN");
  assert.equal(formatCell(null), "");
  assert.equal(formatCell(undefined), "");
  assert.equal(formatCell(12n), "12");
  assert.equal(formatCell([1, "a"]), '[1,"a"]');
  assert.equal(formatCell(new Int32Array([1, 2])), "[1,2]");
});

test("formatTextTable aligns columns: text left, numbers right", () => {
  const out = formatTextTable(
    [{ algo: "popularity", rmse: 1.02, n: 5 }, { algo: "knn", rmse: 0.9346, n: 12345 }],
    { digits: 3, caption: "Results" },
  );
  assert.equal(
    out,
    ["Results",
     "algo         rmse      n",
     "----------  -----  -----",
     "popularity  1.020      5",
     "knn         0.935  12345"].join("\n"),
  );
  assert.equal(formatTextTable([]), "(no rows)");
  const cut = formatTextTable([{ a: 1 }, { a: 2 }, { a: 3 }], { maxRows: 1 });
  assert.equal(cut, "a\n-\n1\n… 2 more rows (3 in all)");
});

test("tables accept a polars DataFrame (toRecords) and showTable emits HTML", () => {
  const df = pl.DataFrame({ item: ["x<y", "z"], score: [0.25, 0.125] });
  assert.equal(formatTextTable(df, { digits: 2 }), "item  score\n----  -----\nx<y    0.25\nz      0.13");
  const { sink, outputs } = recordingSink();
  setDisplaySink(sink);
  showTable(df, { digits: 3 });
  assert.equal(outputs.length, 1);
  assert.equal(outputs[0].mime, "text/html");
  assert.equal(outputs[0].data, table(df, { digits: 3 }));
  assert.ok((outputs[0].data as string).includes("x&lt;y"));
});
