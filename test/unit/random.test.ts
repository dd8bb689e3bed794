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

test("uint32 follows the xoshiro128** reference (splitmix32-seeded), and the stream is pinned", () => {
  // straightforward reference over a Uint32Array state, written from the paper's C code
  const ref = (seed: number) => {
    let x = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
    const s = new Uint32Array(4);
    for (let j = 0; j < 4; j++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      s[j] = z ^ (z >>> 16);
    }
    const rot = (v: number, k: number) => ((v << k) | (v >>> (32 - k))) >>> 0;
    return () => {
      const result = Math.imul(rot(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
      const t = s[1] << 9;
      s[2] ^= s[0];
      s[3] ^= s[1];
      s[1] ^= s[2];
      s[0] ^= s[3];
      s[2] ^= t;
      s[3] = rot(s[3], 11);
      return result;
    };
  };
  for (const seed of [0, 1, 7, 123456789, -5]) {
    const r = new Rng(seed);
    const expected = ref(seed);
    for (let j = 0; j < 1000; j++) assert.equal(r.uint32(), expected());
  }
  // recorded once: a change here changes every seeded result in the course
  const r = new Rng(7);
  assert.deepEqual([r.uint32(), r.next(), r.normal(), r.int(1000)], [225556871, 0.38618168494943295, 0.25186057009024104, 913]);
});
