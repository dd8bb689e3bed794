import { test } from "node:test";
import assert from "node:assert/strict";
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { AddressInfo } from "net";
import { zipSync } from "fflate";
import { DownloadProgress, downloadFile, sha256File } from "../../lib/data/download";
import { fetchDataset } from "../../lib/data/load";
import { DatasetInfo } from "../../lib/data/registry";

// Never touch the repo's data/cache or the internet from here, whatever the caller's environment:
// every test passes its own dataDir and mirror, and these are the fallbacks.
const SAFE = fs.mkdtempSync(path.join(os.tmpdir(), "recsys-dl-env-"));
process.env.RECSYS_DATA_DIR = path.join(SAFE, "cache");
process.env.RECSYS_DATA_MIRROR = path.join(SAFE, "empty-mirror");
process.on("exit", () => fs.rmSync(SAFE, { recursive: true, force: true }));

const FIX = path.join(__dirname, "..", "fixtures", "movielens", "mini-100k");
const FILES: Record<string, Buffer> = {
  "u.data": fs.readFileSync(path.join(FIX, "u.data")),
  "u.item": fs.readFileSync(path.join(FIX, "u.item")),
  "u.genre": fs.readFileSync(path.join(FIX, "u.genre")),
};
const sha = (b: Uint8Array) => crypto.createHash("sha256").update(b).digest("hex");

function toyInfo(over: Partial<DatasetInfo> = {}): DatasetInfo {
  return {
    name: "toy",
    title: "Toy",
    description: "a hand-made 100K-format dataset",
    zipName: "toy.zip",
    zipRoot: "toy",
    format: "100k",
    ratingScale: [1, 5],
    sha256: { "u.data": sha(FILES["u.data"]), "u.item": sha(FILES["u.item"]) },
    facts: { ratings: 8, users: 3, items: 4, movies: 5, genres: 5 },
    checkFacts: true,
    licence: "test",
    citation: "test",
    ...over,
  };
}

/** A zip of the fixture in `<root>/`, optionally with changed files and incompressible padding. */
function makeZip(root = "toy", change: Record<string, Buffer | null> = {}, padding = 0): Buffer {
  const entries: Record<string, Uint8Array | [Uint8Array, { level: 0 }]> = {};
  for (const [name, data] of Object.entries({ ...FILES, ...change })) if (data) entries[`${root}/${name}`] = data;
  if (padding > 0) entries[`${root}/README`] = [crypto.randomBytes(padding), { level: 0 }];
  return Buffer.from(zipSync(entries));
}

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(SAFE, `${prefix}-`));
}

function listing(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

interface Server {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** A throwaway http server on 127.0.0.1 (random port), closed by the test. */
async function serve(handler: http.RequestListener): Promise<Server> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? "");
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves `files` by path; 404 for anything else. The body goes out in several writes. */
function fileServer(files: Record<string, Buffer>): Promise<Server> {
  return serve((req, res) => {
    const body = files[req.url ?? ""];
    if (!body) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": "application/zip", "content-length": String(body.length) });
    const step = 64 * 1024;
    let at = 0;
    const pump = (): void => {
      if (at >= body.length) {
        res.end();
        return;
      }
      res.write(body.subarray(at, at + step));
      at += step;
      setImmediate(pump);
    };
    pump();
  });
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const s = await serve(() => undefined);
  const port = Number(new URL(s.url).port);
  await s.close();
  return port;
}

test("mirror directory: the zip is extracted, checked and published; nothing else is left", async () => {
  const mirror = tmp("mirror");
  const data = tmp("data");
  fs.writeFileSync(path.join(mirror, "toy.zip"), makeZip());
  const dir = await fetchDataset(toyInfo(), { mirror, dataDir: data });
  assert.equal(dir, path.join(data, "toy"));
  assert.deepEqual(listing(data), ["toy"]); // no zip, no .tmp, no extraction folder
  assert.deepEqual(listing(dir), ["u.data", "u.genre", "u.item"]);
  assert.equal(await sha256File(path.join(dir, "u.data")), sha(FILES["u.data"]));
  assert.ok(fs.existsSync(path.join(mirror, "toy.zip")), "the mirror's own zip is left alone");
  // second time: served from the cache (the mirror is not even looked at)
  fs.rmSync(path.join(mirror, "toy.zip"));
  assert.equal(await fetchDataset(toyInfo(), { mirror, dataDir: data }), dir);
});

test("leftovers of a killed process are cleaned up; those of a live process are not", async () => {
  const mirror = tmp("mirror");
  const data = tmp("data");
  fs.writeFileSync(path.join(mirror, "toy.zip"), makeZip());
  const dead = 2_000_000_000; // no such process
  fs.writeFileSync(path.join(data, `toy.zip.tmp-${dead}`), "half a zip");
  fs.mkdirSync(path.join(data, `.toy.extract-${dead}-0badf00d`, "toy"), { recursive: true });
  fs.writeFileSync(path.join(data, `toy.zip.tmp-${process.ppid}`), "another process is downloading");
  fs.writeFileSync(path.join(data, "unrelated.tmp-1"), "not ours");
  await fetchDataset(toyInfo(), { mirror, dataDir: data });
  assert.deepEqual(listing(data), ["toy", `toy.zip.tmp-${process.ppid}`, "unrelated.tmp-1"]);
});

test("RECSYS_DATA_MIRROR and RECSYS_DATA_DIR are read from the environment; a relative mirror is resolved against the cwd", async () => {
  const mirror = tmp("envmirror");
  const data = tmp("envdata");
  fs.writeFileSync(path.join(mirror, "toy.zip"), makeZip());
  const saved = { m: process.env.RECSYS_DATA_MIRROR, d: process.env.RECSYS_DATA_DIR };
  try {
    process.env.RECSYS_DATA_MIRROR = path.relative(process.cwd(), mirror);
    process.env.RECSYS_DATA_DIR = data;
    assert.equal(await fetchDataset(toyInfo()), path.join(data, "toy"));
  } finally {
    process.env.RECSYS_DATA_MIRROR = saved.m;
    process.env.RECSYS_DATA_DIR = saved.d;
  }
});

test("a mirror without the file is an error saying so, with no fallback to the official URL", async () => {
  const official = await fileServer({ "/toy.zip": makeZip() });
  try {
    const mirror = tmp("nomirror");
    const data = tmp("data");
    await assert.rejects(
      fetchDataset(toyInfo({ url: `${official.url}/toy.zip` }), { mirror, dataDir: data }),
      (err: Error) => {
        assert.match(err.message, /the mirror RECSYS_DATA_MIRROR=.* has no toy\.zip \(looked for .*toy\.zip\)/);
        return true;
      },
    );
    assert.deepEqual(official.requests, []);
    assert.deepEqual(listing(data), []);
    // an http mirror that answers 404
    const m = await fileServer({});
    try {
      await assert.rejects(fetchDataset(toyInfo(), { mirror: m.url, dataDir: data }), /the mirror RECSYS_DATA_MIRROR=http:\/\/127\.0\.0\.1:\d+ does not have toy\.zip \(HTTP 404/);
      assert.deepEqual(listing(data), []);
    } finally {
      await m.close();
    }
  } finally {
    await official.close();
  }
});

test("a mirror folder holding the extracted files is used in place", async () => {
  const mirror = tmp("foldermirror");
  const data = tmp("data");
  fs.mkdirSync(path.join(mirror, "toy"));
  for (const [name, b] of Object.entries(FILES)) fs.writeFileSync(path.join(mirror, "toy", name), b);
  assert.equal(await fetchDataset(toyInfo(), { mirror, dataDir: data }), path.join(mirror, "toy"));
  assert.deepEqual(listing(data), []);
});

test("http mirror: progress is reported, the zip is written atomically, and the result is published", async () => {
  const zip = makeZip("toy", {}, 400_000);
  const server = await fileServer({ "/base/toy.zip": zip });
  try {
    const data = tmp("data");
    const seen: DownloadProgress[] = [];
    let sawFinal = false;
    let sawTmp = true;
    const dir = await fetchDataset(toyInfo(), {
      mirror: `${server.url}/base/`,
      dataDir: data,
      onProgress: (p) => {
        seen.push(p);
        // while downloading only the temp file exists
        if (fs.existsSync(path.join(data, "toy.zip"))) sawFinal = true;
        if (!fs.existsSync(path.join(data, `toy.zip.tmp-${process.pid}`))) sawTmp = false;
      },
    });
    assert.equal(dir, path.join(data, "toy"));
    assert.deepEqual(server.requests, ["/base/toy.zip"]);
    assert.ok(seen.length >= 3, `several progress reports (got ${seen.length})`);
    for (let k = 1; k < seen.length; k++) assert.ok(seen[k].received >= seen[k - 1].received);
    assert.equal(seen[0].received, 0);
    assert.equal(seen[seen.length - 1].received, zip.length);
    assert.ok(seen.every((p) => p.total === zip.length && p.url === `${server.url}/base/toy.zip`));
    assert.equal(sawFinal, false);
    assert.equal(sawTmp, true);
    assert.deepEqual(listing(data), ["toy"]);
    assert.deepEqual(listing(dir), ["README", "u.data", "u.genre", "u.item"]);
  } finally {
    await server.close();
  }
});

test("two concurrent fetches of the same dataset share one download", async () => {
  const server = await fileServer({ "/toy.zip": makeZip() });
  try {
    const data = tmp("data");
    const [a, b] = await Promise.all([
      fetchDataset(toyInfo(), { mirror: server.url, dataDir: data }),
      fetchDataset(toyInfo(), { mirror: server.url, dataDir: data }),
    ]);
    assert.equal(a, b);
    assert.deepEqual(server.requests, ["/toy.zip"]);
  } finally {
    await server.close();
  }
});

test("integrity failure (wrong sha256): an error, and no file left behind", async () => {
  const tampered = Buffer.from(FILES["u.data"].toString("latin1").replace("196\t10\t3\t", "196\t10\t4\t"), "latin1");
  assert.notEqual(sha(tampered), sha(FILES["u.data"]));
  const server = await fileServer({ "/toy.zip": makeZip("toy", { "u.data": tampered }) });
  try {
    const data = tmp("data");
    await assert.rejects(
      fetchDataset(toyInfo(), { mirror: server.url, dataDir: data }),
      new RegExp(`integrity check failed for toy: u\\.data has sha256 ${sha(tampered)}, expected ${sha(FILES["u.data"])}`),
    );
    assert.deepEqual(listing(data), []); // neither the zip, nor a temp file, nor a half-extracted folder
  } finally {
    await server.close();
  }
});

test("the registry's ml-100k hashes are enforced: a look-alike zip on the mirror is refused", async () => {
  const mirror = tmp("fake100k");
  const data = tmp("data");
  fs.writeFileSync(path.join(mirror, "ml-100k.zip"), makeZip("ml-100k"));
  await assert.rejects(
    fetchDataset("ml-100k", { mirror, dataDir: data }),
    /integrity check failed for ml-100k: u\.data has sha256 [0-9a-f]{64}, expected 06416e597f82b7342361e41163890c81036900f418ad91315590814211dca490/,
  );
  assert.deepEqual(listing(data), []);
});

test("counts and structure are checked when there is no hash", async () => {
  const mirror = tmp("mirror");
  const data = tmp("data");
  fs.writeFileSync(path.join(mirror, "toy.zip"), makeZip());
  await assert.rejects(
    fetchDataset(toyInfo({ sha256: undefined, facts: { ratings: 9 } }), { mirror, dataDir: data }),
    /integrity check failed for toy: 8 ratings, expected 9/,
  );
  assert.deepEqual(listing(data), []);
  // structural only (no hash, facts not checked): files must exist and parse
  const structural = toyInfo({ sha256: undefined, checkFacts: false, facts: { ratings: 12345 } });
  fs.writeFileSync(path.join(mirror, "toy.zip"), makeZip("toy", { "u.item": null }));
  await assert.rejects(fetchDataset(structural, { mirror, dataDir: data }), /toy\.zip does not hold the files of toy \(expected toy\/ with u\.data, u\.item, u\.genre\)/);
  fs.writeFileSync(path.join(mirror, "toy.zip"), makeZip("toy", { "u.data": Buffer.from("1\t1\t3\t100\n1\t2\n") }));
  await assert.rejects(fetchDataset(structural, { mirror, dataDir: data }), /u\.data:2: expected 4 tab-separated fields, found 2/);
  assert.deepEqual(listing(data), []);
  fs.writeFileSync(path.join(mirror, "toy.zip"), makeZip());
  assert.equal(await fetchDataset(structural, { mirror, dataDir: data }), path.join(data, "toy"));
});

test("offline: a clear error naming the URL, saying the machine seems offline, and pointing at RECSYS_DATA_MIRROR", async () => {
  const port = await closedPort();
  const dest = tmp("offline");
  const url = `http://127.0.0.1:${port}/ml-100k.zip`;
  await assert.rejects(downloadFile(url, path.join(dest, "ml-100k.zip")), (err: Error) => {
    assert.ok(err.message.includes(`could not download ${url}`), err.message);
    assert.match(err.message, /ECONNREFUSED/);
    assert.match(err.message, /seems to be offline/);
    assert.match(err.message, /RECSYS_DATA_MIRROR/);
    return true;
  });
  assert.deepEqual(listing(dest), []);
  // the same through fetchDataset, without a mirror (the official URL unreachable) …
  const data = tmp("data");
  await assert.rejects(
    fetchDataset(toyInfo({ url: `http://127.0.0.1:${port}/toy.zip` }), { mirror: null, dataDir: data }),
    /could not download http:\/\/127\.0\.0\.1:\d+\/toy\.zip: .*seems to be offline.*set RECSYS_DATA_MIRROR to a directory/,
  );
  // … and with an unreachable http mirror
  await assert.rejects(
    fetchDataset(toyInfo(), { mirror: `http://127.0.0.1:${port}`, dataDir: data }),
    /The mirror RECSYS_DATA_MIRROR=http:\/\/127\.0\.0\.1:\d+ cannot be reached; this machine seems to be offline/,
  );
  assert.deepEqual(listing(data), []);
});

test("a dataset with no public download needs a mirror", async () => {
  await assert.rejects(
    fetchDataset(toyInfo({ url: undefined }), { mirror: null, dataDir: tmp("data") }),
    /toy has no public download: set RECSYS_DATA_MIRROR/,
  );
});

test("HTTP errors and interrupted downloads leave no partial file", async () => {
  const server = await serve((req, res) => {
    if (req.url === "/cut.zip") {
      res.writeHead(200, { "content-length": "100000" });
      res.write(Buffer.alloc(40_000, 1));
      setTimeout(() => res.socket?.destroy(), 20);
    } else if (req.url === "/short.zip") {
      // claims 5000 bytes, sends 3000 and ends cleanly: the client must notice
      res.writeHead(200, { "content-length": "5000" });
      res.flushHeaders();
      setTimeout(() => res.socket?.end(Buffer.alloc(3000, 2)), 20);
    } else {
      res.writeHead(500, "Internal Server Error").end();
    }
  });
  try {
    const dir = tmp("partial");
    await assert.rejects(downloadFile(`${server.url}/cut.zip`, path.join(dir, "cut.zip")), /download of http:\/\/127\.0\.0\.1:\d+\/cut\.zip was interrupted after|truncated/);
    await assert.rejects(downloadFile(`${server.url}/short.zip`, path.join(dir, "short.zip")), /interrupted|truncated/);
    await assert.rejects(downloadFile(`${server.url}/boom.zip`, path.join(dir, "boom.zip")), /could not download http:\/\/127\.0\.0\.1:\d+\/boom\.zip: HTTP 500/);
    assert.deepEqual(listing(dir), []);
    const data = tmp("data");
    await assert.rejects(fetchDataset(toyInfo({ url: `${server.url}/boom.zip` }), { mirror: null, dataDir: data }), /HTTP 500/);
    assert.deepEqual(listing(data), []);
  } finally {
    await server.close();
  }
});
