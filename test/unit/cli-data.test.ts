import { MIRROR } from "../datasets";
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { UsageError, formatFlags, parseArgs } from "../../lib/cli/args";
import { CliIO, main } from "../../lib/cli/main";

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "recsys.js");
const SHARED = MIRROR;
const FIXTURE = path.join(ROOT, "test", "fixtures", "movielens", "mini-100k");

// Every child gets its mirror and cache set explicitly (never the caller's, never the repo's data/cache).
const DATA = fs.mkdtempSync(path.join(os.tmpdir(), "recsys-cli-"));
process.on("exit", () => fs.rmSync(DATA, { recursive: true, force: true }));

function recsys(args: string[], env: Record<string, string> = {}) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: os.tmpdir(), // any working directory must do
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, RECSYS_DATA_MIRROR: SHARED, RECSYS_DATA_DIR: DATA, CI: "true", ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t0 };
}

function capture(): CliIO & { stdout: string; stderr: string } {
  const io = { stdout: "", stderr: "", out: (s: string) => void (io.stdout += s), err: (s: string) => void (io.stderr += s) };
  return io;
}

// ---- argument parser ----------------------------------------------------------------------------

const SPEC = {
  flags: {
    json: { type: "boolean" as const, description: "JSON output" },
    n: { type: "number" as const, description: "how many", short: "n" },
    name: { type: "string" as const, description: "a name" },
    tag: { type: "string" as const, description: "a tag", multiple: true },
  },
  positionals: [{ name: "target" }, { name: "more", variadic: true }],
};

test("args: --x value, --x=value, booleans, repeated flags, short aliases, positionals and --", () => {
  const a = parseArgs(["ml-100k", "--name", "x", "--n=5", "--json", "--tag", "a", "extra", "--tag=b", "-n", "7"], { ...SPEC, flags: { ...SPEC.flags, n: { ...SPEC.flags.n, multiple: true } } });
  assert.deepEqual(a.positionals, ["ml-100k", "extra"]);
  assert.equal(a.string("name"), "x");
  assert.equal(a.number("n"), 7); // last one wins
  assert.deepEqual(a.list("n"), ["5", "7"]);
  assert.equal(a.boolean("json"), true);
  assert.deepEqual(a.list("tag"), ["a", "b"]);
  assert.equal(a.help, false);
  const b = parseArgs(["t", "--json=false", "--", "--not-a-flag", "-x"], SPEC);
  assert.equal(b.boolean("json"), false);
  assert.deepEqual(b.positionals, ["t", "--not-a-flag", "-x"]);
  assert.equal(b.string("name"), undefined);
  assert.equal(b.number("n"), undefined);
  assert.equal(b.has("name"), false);
  assert.equal(parseArgs(["--help"], SPEC).help, true); // help skips the positional check
  assert.equal(parseArgs(["--name", "-1"], { flags: SPEC.flags }).string("name"), "-1"); // a value may start with "-"
});

test("args: unknown flags, missing values, bad numbers, repeats and positional counts are usage errors", () => {
  assert.throws(() => parseArgs(["t", "--bogus"], SPEC), (e: Error) => {
    assert.ok(e instanceof UsageError);
    assert.equal(e.message, "unknown option --bogus; valid options: --json, --n, --name, --tag, --help");
    return true;
  });
  assert.throws(() => parseArgs(["t", "-q"], SPEC), /unknown option -q; valid options: --json/);
  assert.throws(() => parseArgs(["t", "--name"], SPEC), /--name needs a value/);
  assert.throws(() => parseArgs(["t", "--n", "five"], SPEC), /--n must be a number, got "five"/);
  assert.throws(() => parseArgs(["t", "--n="], SPEC), /--n must be a number/);
  assert.throws(() => parseArgs(["t", "--json=maybe"], SPEC), /--json is a switch/);
  assert.throws(() => parseArgs(["t", "--name", "a", "--name", "b"], SPEC), /--name given more than once/);
  assert.throws(() => parseArgs([], SPEC), /missing argument: expected <target> \[more\.\.\.\]/);
  assert.throws(() => parseArgs(["a", "b"], { positionals: [{ name: "x" }] }), /unexpected argument b: expected <x>/);
  assert.throws(() => parseArgs(["a"], {}), /unexpected argument a \(this command takes none\)/);
  assert.match(formatFlags(SPEC), /-n, --n <n> +how many\n/);
  assert.match(formatFlags(SPEC), /--tag <value> +a tag \(repeatable\)/);
});

// ---- dispatcher (in process) ----------------------------------------------------------------------

test("recsys --help, unknown commands and recsys data --help", async () => {
  let io = capture();
  assert.equal(await main(["--help"], io), 0);
  assert.match(io.stdout, /Usage: recsys <command>/);
  assert.match(io.stdout, /\n  data +list, fetch and inspect datasets/);
  assert.match(io.stdout, /RECSYS_DATA_MIRROR/);
  io = capture();
  assert.equal(await main(["frobnicate"], io), 2);
  assert.match(io.stderr, /unknown command "frobnicate"; valid commands: data/);
  io = capture();
  assert.equal(await main([], io), 2);
  assert.match(io.stderr, /Usage: recsys/);
  io = capture();
  assert.equal(await main(["data", "--help"], io), 0);
  assert.match(io.stdout, /Usage: recsys data <list\|fetch\|info>/);
  assert.match(io.stdout, /ml-100k, ml-latest-small/);
  io = capture();
  assert.equal(await main(["data", "frob"], io), 2);
  assert.match(io.stderr, /unknown subcommand "frob"; valid subcommands: list, fetch, info/);
  io = capture();
  assert.equal(await main(["data", "info", "--help"], io), 0);
  assert.match(io.stdout, /Usage: recsys data info <name\|dir> \[--json\]/);
  assert.match(io.stdout, /--json/);
  io = capture();
  assert.equal(await main(["data", "info", FIXTURE, "--jsn"], io), 2);
  assert.match(io.stderr, /unknown option --jsn; valid options: --json, --data-dir, --mirror, --help/);
  io = capture();
  assert.equal(await main(["data", "info", "/no/such/dir/anywhere"], io), 1);
  assert.match(io.stderr, /recsys data: error: .*nor an existing directory/);
});

test("recsys data info <dir> --json prints exactly the documented keys", async () => {
  const io = capture();
  assert.equal(await main(["data", "info", FIXTURE, "--json"], io), 0);
  const stats = JSON.parse(io.stdout);
  // fixture: 8 ratings by users 7, 22, 196 of items 1, 2, 3, 10; times 875000000 … 881251000
  assert.deepEqual(stats, {
    ratings: 8,
    users: 3,
    items: 4,
    density: 8 / 12,
    ratingScale: [1, 5],
    firstTimestamp: 875000000,
    lastTimestamp: 881251000,
  });
});

// ---- the real binary ------------------------------------------------------------------------------

test("node bin/recsys.js data info ml-100k --json (from another cwd, data from the mirror)", (t) => {
  const r = recsys(["data", "info", "ml-100k", "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const stats = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(stats), ["ratings", "users", "items", "density", "ratingScale", "firstTimestamp", "lastTimestamp"]);
  // reference: the time range read straight from the extracted u.data
  let lo = Infinity;
  let hi = -Infinity;
  for (const line of fs.readFileSync(path.join(DATA, "ml-100k", "u.data"), "latin1").split("\n")) {
    if (!line) continue;
    const ts = Number(line.split("\t")[3]);
    lo = Math.min(lo, ts);
    hi = Math.max(hi, ts);
  }
  assert.deepEqual(stats, {
    ratings: 100_000,
    users: 943,
    items: 1_682,
    density: 100_000 / (943 * 1_682),
    ratingScale: [1, 5],
    firstTimestamp: lo,
    lastTimestamp: hi,
  });
  assert.equal(r.stderr, "", "nothing on stderr (no progress bar when stderr is not a terminal)");
  const again = recsys(["data", "info", "ml-100k", "--json"]);
  assert.equal(again.stdout, r.stdout);
  t.diagnostic(`recsys data info ml-100k --json: ${r.ms.toFixed(0)} ms first (extract + parse), ${again.ms.toFixed(0)} ms cached`);
});

test("node bin/recsys.js data list / fetch / info, and errors", () => {
  const data2 = fs.mkdtempSync(path.join(DATA, "fetch-"));
  let r = recsys(["data", "list", "--json"], { RECSYS_DATA_DIR: data2 });
  assert.equal(r.status, 0, r.stderr);
  const before = JSON.parse(r.stdout) as { name: string; cached: boolean }[];
  assert.deepEqual(before.slice(0, 2).map((d) => d.name), ["ml-100k", "ml-latest-small"]);
  assert.ok(before.every((d) => !d.cached));

  r = recsys(["data", "fetch", "ml-100k"], { RECSYS_DATA_DIR: data2 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), path.join(data2, "ml-100k"));
  assert.ok(!r.stderr.includes("\r"), "no progress bar in a non-terminal");

  r = recsys(["data", "list"], { RECSYS_DATA_DIR: data2 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ml-100k +\S+ MB +yes +100,000 ratings/m);
  assert.match(r.stdout, /^ml-1m +\S+ MB +no /m);

  r = recsys(["data", "info", "ml-100k"], { RECSYS_DATA_DIR: data2 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /ratings +100,000/);
  assert.match(r.stdout, /dates +1997-09-\d\d to 1998-04-\d\d/);
  assert.match(r.stdout, /Harper/);

  r = recsys(["data", "fetch", "ml-1m"], { RECSYS_DATA_DIR: data2 });
  assert.equal(r.status, 1);
  assert.ok(r.stderr.includes(`the mirror RECSYS_DATA_MIRROR=${SHARED} has no ml-1m.zip`), r.stderr);

  r = recsys(["evaluat"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command "evaluat"; valid commands: data, algorithms, evaluate/);

  r = recsys(["--help"]);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Usage: recsys <command>/);
});
