import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { zipSync } from "fflate";
import { extractZip, listZip } from "../../lib/data/zip";

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "recsys-zip-"));
}

/** Deterministic pseudo-random bytes (an LCG), so the deflated data is not trivially small. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let k = 0; k < n; k++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[k] = 97 + ((x >>> 24) % 8); // letters a..h: compressible but not constant
  }
  return out;
}

test("lists and extracts deflated, stored, empty and nested entries byte for byte", async () => {
  const dir = tmp();
  try {
    const files: Record<string, Uint8Array> = {
      "ds/u.data": bytes(200_000, 1),
      "ds/sub/deep.txt": new TextEncoder().encode("hello\n"),
      "ds/empty.txt": new Uint8Array(0),
      "ds/stored.bin": bytes(5_000, 2),
    };
    const zip = zipSync(
      {
        "ds/u.data": files["ds/u.data"],
        "ds/sub/deep.txt": files["ds/sub/deep.txt"],
        "ds/empty.txt": files["ds/empty.txt"],
        "ds/stored.bin": [files["ds/stored.bin"], { level: 0 }],
      },
      { level: 6 },
    );
    const zipPath = path.join(dir, "ds.zip");
    fs.writeFileSync(zipPath, zip);
    const entries = await listZip(zipPath);
    const byName = new Map(entries.map((e) => [e.name, e]));
    for (const [name, data] of Object.entries(files)) {
      const e = byName.get(name);
      assert.ok(e, `entry ${name} listed`);
      assert.equal(e.size, data.length);
      assert.equal(e.crc32 >>> 0, zlib.crc32(data) >>> 0);
    }
    assert.equal(byName.get("ds/stored.bin")!.method, 0);
    assert.equal(byName.get("ds/u.data")!.method, 8);
    assert.ok(byName.get("ds/u.data")!.compressedSize < 200_000);

    const out = path.join(dir, "out");
    const written = await extractZip(zipPath, out);
    assert.deepEqual(written.slice().sort(), Object.keys(files).sort());
    for (const [name, data] of Object.entries(files)) {
      assert.deepEqual(new Uint8Array(fs.readFileSync(path.join(out, name))), data, name);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a corrupt entry is an error (CRC or inflate), not a silently wrong file", async () => {
  const dir = tmp();
  try {
    const data = bytes(50_000, 3);
    const zip = zipSync({ "x/stored.bin": [data, { level: 0 }] });
    fs.writeFileSync(path.join(dir, "ok.zip"), zip);
    const [e] = await listZip(path.join(dir, "ok.zip"));
    // flip one byte in the middle of the stored data: sizes still match, the CRC does not
    const bad = Buffer.from(zip);
    const dataStart = e.localHeaderOffset + 30 + bad.readUInt16LE(e.localHeaderOffset + 26) + bad.readUInt16LE(e.localHeaderOffset + 28);
    bad[dataStart + 25_000] ^= 0xff;
    fs.writeFileSync(path.join(dir, "bad.zip"), bad);
    await assert.rejects(extractZip(path.join(dir, "bad.zip"), path.join(dir, "out")), /CRC-32 mismatch in x\/stored\.bin/);

    const deflated = Buffer.from(zipSync({ "x/d.bin": data }, { level: 9 }));
    fs.writeFileSync(path.join(dir, "d.zip"), deflated);
    const [d] = await listZip(path.join(dir, "d.zip"));
    const start = d.localHeaderOffset + 30 + deflated.readUInt16LE(d.localHeaderOffset + 26) + deflated.readUInt16LE(d.localHeaderOffset + 28);
    for (let k = 10; k < 40; k++) deflated[start + k] ^= 0x5a;
    fs.writeFileSync(path.join(dir, "d-bad.zip"), deflated);
    await assert.rejects(extractZip(path.join(dir, "d-bad.zip"), path.join(dir, "out2")));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("paths that would escape the target folder are refused", async () => {
  const dir = tmp();
  try {
    fs.writeFileSync(path.join(dir, "evil.zip"), zipSync({ "../evil.txt": new Uint8Array([1]) }));
    await assert.rejects(extractZip(path.join(dir, "evil.zip"), path.join(dir, "out")), /unsafe path "\.\.\/evil\.txt"/);
    assert.ok(!fs.existsSync(path.join(dir, "evil.txt")));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a file that is not a zip, or a truncated zip, is an error", async () => {
  const dir = tmp();
  try {
    fs.writeFileSync(path.join(dir, "no.zip"), "this is not a zip file at all");
    await assert.rejects(listZip(path.join(dir, "no.zip")), /is not a zip file/);
    const zip = zipSync({ "a/b.txt": bytes(10_000, 4) });
    fs.writeFileSync(path.join(dir, "cut.zip"), zip.subarray(0, zip.length - 30));
    await assert.rejects(listZip(path.join(dir, "cut.zip")));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A one-entry stored ZIP64 archive, built by hand from APPNOTE 4.3.14-4.3.15 and 4.5.3. */
function zip64(name: string, data: Buffer): Buffer {
  const nameBuf = Buffer.from(name, "utf8");
  const crc = zlib.crc32(data) >>> 0;
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(45, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(0xffffffff, 18);
  local.writeUInt32LE(0xffffffff, 22);
  local.writeUInt16LE(nameBuf.length, 26);
  local.writeUInt16LE(20, 28);
  const localExtra = Buffer.alloc(20);
  localExtra.writeUInt16LE(1, 0);
  localExtra.writeUInt16LE(16, 2);
  localExtra.writeBigUInt64LE(BigInt(data.length), 4);
  localExtra.writeBigUInt64LE(BigInt(data.length), 12);
  const localPart = Buffer.concat([local, nameBuf, localExtra, data]);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(45, 4);
  central.writeUInt16LE(45, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(0xffffffff, 20);
  central.writeUInt32LE(0xffffffff, 24);
  central.writeUInt16LE(nameBuf.length, 28);
  central.writeUInt16LE(28, 30);
  central.writeUInt32LE(0xffffffff, 42);
  const extra = Buffer.alloc(28);
  extra.writeUInt16LE(1, 0);
  extra.writeUInt16LE(24, 2);
  extra.writeBigUInt64LE(BigInt(data.length), 4); // uncompressed
  extra.writeBigUInt64LE(BigInt(data.length), 12); // compressed
  extra.writeBigUInt64LE(0n, 20); // local header offset
  const cd = Buffer.concat([central, nameBuf, extra]);
  const eocd64 = Buffer.alloc(56);
  eocd64.writeUInt32LE(0x06064b50, 0);
  eocd64.writeBigUInt64LE(44n, 4);
  eocd64.writeUInt16LE(45, 12);
  eocd64.writeUInt16LE(45, 14);
  eocd64.writeBigUInt64LE(1n, 24);
  eocd64.writeBigUInt64LE(1n, 32);
  eocd64.writeBigUInt64LE(BigInt(cd.length), 40);
  eocd64.writeBigUInt64LE(BigInt(localPart.length), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(localPart.length + cd.length), 8);
  locator.writeUInt32LE(1, 16);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(0xffff, 8);
  eocd.writeUInt16LE(0xffff, 10);
  eocd.writeUInt32LE(0xffffffff, 12);
  eocd.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([localPart, cd, eocd64, locator, eocd]);
}

test("ZIP64 sizes and offsets are read from the extra field and the ZIP64 end record", async () => {
  const dir = tmp();
  try {
    const data = Buffer.from("user\titem\nzip64 works\n");
    fs.writeFileSync(path.join(dir, "z.zip"), zip64("z/a.txt", data));
    const [e] = await listZip(path.join(dir, "z.zip"));
    assert.equal(e.name, "z/a.txt");
    assert.equal(e.size, data.length);
    assert.equal(e.compressedSize, data.length);
    assert.equal(e.localHeaderOffset, 0);
    await extractZip(path.join(dir, "z.zip"), path.join(dir, "out"));
    assert.equal(fs.readFileSync(path.join(dir, "out", "z", "a.txt"), "utf8"), data.toString());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
