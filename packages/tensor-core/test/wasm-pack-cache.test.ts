/**
 * The packed operands kept between WebAssembly matrix products (`wasm/pack-cache.ts`): a product
 * repeated with unchanged operands reuses their packings, and every way of writing into an operand
 * between two products is seen — the product after the write is bit for bit the one computed with
 * the cache off. Random sequences of products, writes, evictions and clears are held to the same.
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as torch from "../src/index.ts";
import { packCacheStats } from "../src/wasm/pack-cache.ts";
import { setNumThreads } from "../src/wasm/settings.ts";
import { ensureWorkers, whenWorkersReady } from "../src/wasm/threads.ts";
import { wasmKernels } from "../src/wasm/workspace.ts";

const cache = torch.backends.cpu.packCache;
const defaultMax = cache.maxBytes;

beforeEach(() => {
  torch.backends.cpu.kernel = "wasm";
  setNumThreads(1);
  cache.clear();
  cache.maxBytes = defaultMax;
});
afterEach(() => {
  cache.clear();
  cache.maxBytes = defaultMax;
});

/**
 * The product of fresh copies of the operands: storages never seen before, so packed afresh (and
 * bit for bit what the kept packings must give, as packing only moves values into panels).
 */
function uncached(a: torch.Tensor, b: torch.Tensor): number[] {
  const entries = cache.entries;
  const result = Array.from(torch.mm(a.clone(), b.clone()).toArray());
  expect(cache.entries).toBe(entries);
  return result;
}

const product = (a: torch.Tensor, b: torch.Tensor) => Array.from(torch.mm(a, b).toArray());

describe("the packed-operand cache", () => {
  it("keeps a weight seen twice, and reuses it while it is unchanged", () => {
    const x = torch.randn(64, 300);
    const w = torch.randn(50, 300);
    const expected = uncached(x, w.t());
    const hits = packCacheStats.hits;
    expect(product(x, w.t())).toEqual(expected); // first sighting: packed as usual
    expect(cache.entries).toBe(0);
    expect(product(x, w.t())).toEqual(expected); // second: kept
    expect(cache.entries).toBe(2);
    expect(cache.bytes).toBe(4 * (64 * 300 + 300 * 64)); // A's 64 rows; B's 50 columns padded to 64
    expect(product(x, w.t())).toEqual(expected);
    expect(packCacheStats.hits).toBe(hits + 2);
  });

  it("keeps a tensor's layouts apart: w and w.t() are different packings", () => {
    const w = torch.randn(40, 40);
    const x = torch.randn(40, 40);
    for (let i = 0; i < 3; i++) {
      expect(product(x, w)).toEqual(uncached(x, w));
      expect(product(x, w.t())).toEqual(uncached(x, w.t()));
      expect(product(w, x)).toEqual(uncached(w, x));
    }
    expect(cache.entries).toBe(5); // x as A and as B, w as A and as B, w.t() as B
  });

  /** Every way to write into a tensor, each as a change to `w` (shape [30, 200]). */
  const writes: Record<string, (w: torch.Tensor) => void> = {
    add_: (w) => w.add_(1),
    "sub_ with alpha (one fused pass)": (w) => w.sub_(torch.onesLike(w), { alpha: 0.5 }),
    mul_: (w) => w.mul_(-2),
    div_: (w) => w.div_(3),
    clamp_: (w) => w.clamp_({ min: -0.5, max: 0.5 }),
    fill_: (w) => w.fill_(0.25),
    zero_: (w) => w.zero_(),
    copy_: (w) => w.copy_(torch.randn(30, 200)),
    normal_: (w) => w.normal_(0, 3),
    uniform_: (w) => w.uniform_(-2, 2),
    bernoulli_: (w) => torch.bernoulli_(w, 0.5),
    "a view's mul_": (w) => w.narrow(0, 3, 5).mul_(10),
    "through .data": (w) => w.data.add_(2),
    "through detach()": (w) => w.detach().mul_(0.5),
    ".data = another tensor": (w) => {
      w.data = torch.randn(30, 200);
    },
  };

  for (const [name, write] of Object.entries(writes)) {
    it(`sees ${name} between two products, as A and as B`, () => {
      const w = torch.randn(30, 200);
      const x = torch.randn(200, 16);
      const y = torch.randn(16, 200);
      for (let i = 0; i < 3; i++) {
        product(w, x);
        product(y, w.t());
      }
      expect(cache.entries).toBeGreaterThanOrEqual(2);
      const before = [product(w, x), product(y, w.t())];
      write(w);
      const after = [product(w, x), product(y, w.t())];
      expect(after[0]).toEqual(uncached(w, x));
      expect(after[1]).toEqual(uncached(y, w.t()));
      expect(after[0]).not.toEqual(before[0]); // the write did change the values
    });
  }

  it("stays within maxBytes, evicting the least recently used", () => {
    const x = torch.randn(8, 256);
    const weights = Array.from({ length: 4 }, () => torch.randn(256, 64));
    cache.maxBytes = 4 * (8 * 256 + 2 * 256 * 64); // x and two weights
    for (let round = 0; round < 3; round++) {
      for (const w of weights) {
        expect(product(x, w)).toEqual(uncached(x, w));
        expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes);
      }
    }
    expect(cache.entries).toBeLessThanOrEqual(3);
  });

  it("does not keep a dataset's batches replayed epoch after epoch, only the weight they meet", () => {
    const w = torch.randn(64, 32);
    const batches = Array.from({ length: 300 }, () => torch.randn(16, 64)); // 1024 floats each
    for (let epoch = 0; epoch < 2; epoch++) {
      for (const x of batches) product(x, w);
    }
    expect(cache.entries).toBe(1); // w; each batch comes back only after 299 other products
    expect(product(batches[7], w)).toEqual(uncached(batches[7], w));
  });

  it("does not push out a packing in steady use for a newcomer, but does push out an idle one", () => {
    const x = torch.randn(8, 256);
    const [hot, other, idle] = [torch.randn(256, 64), torch.randn(256, 64), torch.randn(256, 64)];
    cache.maxBytes = 4 * (8 * 256 + 2 * 256 * 64); // x and two weights
    for (let i = 0; i < 3; i++) [hot, idle].forEach((w) => product(x, w));
    expect(cache.entries).toBe(3);
    // `other` comes often, but so does `hot`: the cache stays as it is
    for (let i = 0; i < 5; i++) [hot, other].forEach((w) => expect(product(x, w)).toEqual(uncached(x, w)));
    expect(cache.entries).toBe(3);
    // ... until `idle` has gone unused for a long while
    for (let i = 0; i < 300; i++) product(x, hot);
    for (let i = 0; i < 3; i++) expect(product(x, other)).toEqual(uncached(x, other));
    const hits = packCacheStats.hits;
    product(x, other);
    expect(packCacheStats.hits).toBe(hits + 2); // x and `other`, now kept in `idle`'s place
  });

  it("clear() and maxBytes = 0 give the memory back", () => {
    const x = torch.randn(32, 128);
    const w = torch.randn(128, 32);
    for (let i = 0; i < 3; i++) product(x, w);
    expect(cache.bytes).toBeGreaterThan(0);
    cache.clear();
    expect([cache.bytes, cache.entries]).toEqual([0, 0]);
    for (let i = 0; i < 3; i++) product(x, w);
    cache.maxBytes = 0;
    expect([cache.bytes, cache.entries]).toEqual([0, 0]);
    expect(product(x, w)).toEqual(uncached(x, w));
    expect(cache.entries).toBe(0);
    expect(() => {
      cache.maxBytes = -1;
    }).toThrow(TypeError);
  });

  it("serves kept packings to a product split over two threads", async () => {
    const kernels = wasmKernels()!;
    ensureWorkers(kernels, 1);
    expect(await whenWorkersReady(kernels, 1)).toBe(1);
    setNumThreads(2);
    const x = torch.randn(256, 200);
    const w = torch.randn(300, 200);
    const expected = uncached(x, w.t());
    for (let i = 0; i < 4; i++) expect(product(x, w.t())).toEqual(expected);
    expect(cache.entries).toBe(2);
  });

  it("random sequences of products, writes, evictions and clears agree with uncached products", () => {
    const action = fc.oneof(
      fc.record({ kind: fc.constant("product" as const), a: fc.nat(3), b: fc.nat(3), transposeB: fc.boolean() }),
      fc.record({ kind: fc.constant("write" as const), target: fc.nat(3), how: fc.constantFrom(...Object.keys(writes)) }),
      fc.record({ kind: fc.constant("limit" as const), bytes: fc.constantFrom(0, 20_000, 60_000, defaultMax) }),
      fc.constant({ kind: "clear" as const }),
    );
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 30 }), (actions) => {
        cache.clear();
        cache.maxBytes = defaultMax;
        // four square matrices, so any two multiply
        const m = Array.from({ length: 4 }, () => torch.randn(30, 30));
        for (const act of actions) {
          if (act.kind === "product") {
            const b = act.transposeB ? m[act.b].t() : m[act.b];
            expect(product(m[act.a], b)).toEqual(uncached(m[act.a], b));
          } else if (act.kind === "write") {
            // the writes are written for [30, 200]; on [30, 30] the same calls apply but copy_'s source
            if (act.how === "copy_") m[act.target].copy_(torch.randn(30, 30));
            else if (act.how === ".data = another tensor") m[act.target].data = torch.randn(30, 30);
            else writes[act.how](m[act.target]);
          } else if (act.kind === "limit") {
            cache.maxBytes = act.bytes;
          } else {
            cache.clear();
          }
          expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes);
        }
      }),
      { numRuns: 40 },
    );
  });
});
