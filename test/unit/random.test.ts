import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../lib/random";

test("same seed, same stream; different seeds, different streams", () => {
  const a = new Rng(42), b = new Rng(42), c = new Rng(43);
  const xa = Array.from({ length: 5 }, () => a.uint32());
  const xb = Array.from({ length: 5 }, () => b.uint32());
  const xc = Array.from({ length: 5 }, () => c.uint32());
  assert.deepEqual(xa, xb);
  assert.notDeepEqual(xa, xc);
});

test("uniform floats lie in [0,1) with mean ~0.5; ints are unbiased", () => {
  const r = new Rng(1);
  let s = 0;
  const counts = new Array(6).fill(0);
  for (let k = 0; k < 60000; k++) {
    const x = r.next();
    assert.ok(x >= 0 && x < 1);
    s += x;
    counts[r.int(6)]++;
  }
  assert.ok(Math.abs(s / 60000 - 0.5) < 0.01);
  for (const c of counts) assert.ok(Math.abs(c - 10000) < 400, `count ${c}`);
});

test("normal deviates have the requested mean and std", () => {
  const r = new Rng(7);
  const n = 50000;
  let s = 0, s2 = 0;
  for (let k = 0; k < n; k++) {
    const x = r.normal(3, 2);
    s += x;
    s2 += x * x;
  }
  const mean = s / n;
  const std = Math.sqrt(s2 / n - mean * mean);
  assert.ok(Math.abs(mean - 3) < 0.05, `mean ${mean}`);
  assert.ok(Math.abs(std - 2) < 0.05, `std ${std}`);
});

test("permutation and sample give distinct values in range", () => {
  const r = new Rng(5);
  const p = Array.from(r.permutation(100)).sort((a, b) => a - b);
  assert.deepEqual(p, Array.from({ length: 100 }, (_, i) => i));
  for (const [n, k] of [[1000, 10], [20, 15]]) {
    const s = Array.from(r.sample(n, k));
    assert.equal(new Set(s).size, k);
    assert.ok(s.every((x) => x >= 0 && x < n));
  }
  assert.throws(() => r.sample(3, 4), /cannot draw 4 distinct values from 3/);
  assert.throws(() => new Rng(NaN), /seed must be a finite number/);
});
