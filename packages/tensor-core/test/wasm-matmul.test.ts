/**
 * The WebAssembly matrix product (`Backend.matmul`'s contract): against PyTorch 1.13
 * (cpu-kernels.json) and against the reference loops on random shapes — the awkward ones
 * included — and on every layout a view can have: transposed, offset, padded rows, broadcast
 * batches and columns (stride 0).
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { assertClose, fixture, fixtureValues, type FixtureTensor } from "@torchlet/testing";
import * as torch from "../src/index.ts";
import { matmulReference } from "../src/kernels/matmul/reference-cpu.ts";
import type { CpuStorage } from "../src/storage.ts";
import type { Tensor } from "../src/tensor.ts";
import { gemmStats } from "../src/wasm/gemm.ts";
import { KC, MC, NR } from "../src/wasm/gemm-module.ts";
import { matmulWasm } from "../src/wasm/matmul.ts";
import { setNumThreads } from "../src/wasm/settings.ts";
import { wasmKernels, type WasmKernels } from "../src/wasm/workspace.ts";
import { absolute, expectWithinRounding, nanTensor, seededRandom, stridedTensor, valuesOf } from "./wasm-helpers.ts";

let kernels: WasmKernels;
beforeAll(() => {
  const k = wasmKernels();
  // Node 20 validates WebAssembly SIMD: the kernels must be there, not silently skipped
  expect(k).not.toBeNull();
  kernels = k!;
  setNumThreads(1); // threads have their own tests
});

/** Runs the WebAssembly product into a NaN-filled output; fails if it declined the problem. */
function wasmProduct(a: Tensor, b: Tensor): Tensor {
  const out = nanTensor([a.shape[0], a.shape[1], b.shape[2]]);
  const before = gemmStats.calls;
  expect(matmulWasm(kernels, a, b, out)).toBe(true);
  if (out.numel() > 0) expect(gemmStats.calls).toBeGreaterThan(before);
  return out;
}

function referenceProduct(a: Tensor, b: Tensor): Tensor {
  const out = nanTensor([a.shape[0], a.shape[1], b.shape[2]]);
  matmulReference(a, b, out);
  return out;
}

/** Float32 sums over k terms: one rounding per product and per addition, and one for the reference. */
function expectMatchesReference(a: Tensor, b: Tensor, what: string): void {
  const k = a.shape[2];
  expectWithinRounding(wasmProduct(a, b), referenceProduct(a, b), referenceProduct(absolute(a), absolute(b)), 2 * k + 2, what);
}

/** Strides and offset of a [B, R, C] operand in each layout under test. */
const layouts = {
  contiguous: (b: number, r: number, c: number) => ({ strides: [r * c, c, 1], offset: 0 }),
  transposed: (b: number, r: number, c: number) => ({ strides: [r * c, 1, r], offset: 0 }),
  "padded rows with an offset": (b: number, r: number, c: number) => ({ strides: [(r + 2) * (c + 3), c + 3, 1], offset: 5 }),
  "batch between rows": (b: number, r: number, c: number) => ({ strides: [c, b * c, 1], offset: 0 }),
  "broadcast batch": (b: number, r: number, c: number) => ({ strides: [0, c, 1], offset: 2 }),
  "broadcast rows": (b: number, r: number, c: number) => ({ strides: [c, 0, 1], offset: 0 }),
  "transposed, broadcast batch": (b: number, r: number, c: number) => ({ strides: [0, 1, r], offset: 1 }),
} as const;
type Layout = keyof typeof layouts;

function operand(layout: Layout, b: number, r: number, c: number, rng: () => number): Tensor {
  const { strides, offset } = layouts[layout](b, r, c);
  return stridedTensor([b, r, c], strides, offset, rng);
}

interface MatmulCase {
  kind: string;
  name: string;
  a: FixtureTensor;
  b: FixtureTensor;
  output: FixtureTensor;
}

describe("WebAssembly matmul against PyTorch", () => {
  const cases = fixture<MatmulCase>("cpu-kernels").filter((c) => c.kind === "matmul");
  it("has the fixture's cases", () => expect(cases.length).toBeGreaterThanOrEqual(7));

  for (const c of cases) {
    it(`${c.name}, operands as stored and transposed in memory`, () => {
      const a = torch.fromValues(fixtureValues(c.a), c.a.shape, "float32");
      const b = torch.fromValues(fixtureValues(c.b), c.b.shape, "float32");
      const storedTransposed = (t: Tensor) => t.transpose(1, 2).contiguous().transpose(1, 2);
      for (const [lhs, rhs] of [[a, b], [storedTransposed(a), b], [a, storedTransposed(b)], [storedTransposed(a), storedTransposed(b)]]) {
        assertClose(valuesOf(wasmProduct(lhs, rhs)), fixtureValues(c.output), { rtol: 1e-5, atol: 1e-5 }, c.name);
      }
    });
  }
});

describe("WebAssembly matmul against the reference loops", () => {
  const awkward = fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 31, 33, 63, 64, 65);
  const size = fc.oneof(awkward, fc.integer({ min: 1, max: 80 }));
  // depths around the K block (256) exercise the accumulation across blocks
  const depth = fc.oneof(awkward, fc.constantFrom(255, 256, 257, 513), fc.integer({ min: 1, max: 80 }));
  const layout = fc.constantFrom(...(Object.keys(layouts) as Layout[]));

  it("random shapes and layouts agree within float32 rounding", () => {
    fc.assert(
      fc.property(
        fc.record({ batch: fc.integer({ min: 1, max: 3 }), m: size, k: depth, n: size, la: layout, lb: layout, seed: fc.nat() }),
        ({ batch, m, k, n, la, lb, seed }) => {
          const rng = seededRandom(seed);
          const a = operand(la, batch, m, k, rng);
          const b = operand(lb, batch, k, n, rng);
          expectMatchesReference(a, b, `[${batch},${m},${k}] (${la}) @ [${batch},${k},${n}] (${lb})`);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("the awkward sizes 1, 3, 7 and 65 in every combination", () => {
    const rng = seededRandom(7);
    for (const m of [1, 3, 7, 65]) {
      for (const k of [1, 3, 7, 65]) {
        for (const n of [1, 3, 7, 65]) expectMatchesReference(operand("contiguous", 1, m, k, rng), operand("transposed", 1, k, n, rng), `${m}x${k}x${n}`);
      }
    }
  });

  it("a product large enough for many blocks in every direction", () => {
    const rng = seededRandom(11);
    // two full row blocks and a partial one, likewise in depth; several column panels and a partial one
    const [m, k, n] = [2 * MC + 3, 2 * KC + 88, 4 * NR + 11];
    expectMatchesReference(operand("transposed", 2, m, k, rng), operand("contiguous", 2, k, n, rng), `${m}x${k}x${n}`);
  });

  it("an empty depth gives zeros, empty sides give empty results", () => {
    const rng = seededRandom(3);
    expect(valuesOf(wasmProduct(operand("contiguous", 2, 3, 0, rng), operand("contiguous", 2, 0, 5, rng)))).toEqual(new Array(30).fill(0));
    expect(wasmProduct(operand("contiguous", 1, 0, 4, rng), operand("contiguous", 1, 4, 5, rng)).numel()).toBe(0);
    expect(wasmProduct(operand("contiguous", 1, 3, 4, rng), operand("contiguous", 1, 4, 0, rng)).numel()).toBe(0);
  });

  it("propagates infinities and NaN as IEEE arithmetic does (0 · ∞ is NaN)", () => {
    const a = torch.tensor([[[Infinity, 1], [1, 1], [NaN, 0]]], { dtype: "float32" });
    const b = torch.tensor([[[0, 1], [2, 3]]], { dtype: "float32" });
    const out = valuesOf(wasmProduct(a, b));
    expect(out).toEqual(valuesOf(referenceProduct(a, b)));
    expect(out).toEqual([NaN, Infinity, 2, 4, NaN, NaN]);
  });

  it("leaves its inputs untouched", () => {
    const rng = seededRandom(5);
    const a = operand("padded rows with an offset", 2, 9, 13, rng);
    const b = operand("transposed", 2, 13, 10, rng);
    const before = [Array.from((a.storage as CpuStorage).data), Array.from((b.storage as CpuStorage).data)];
    wasmProduct(a, b);
    expect(Array.from((a.storage as CpuStorage).data)).toEqual(before[0]);
    expect(Array.from((b.storage as CpuStorage).data)).toEqual(before[1]);
  });
});
