/**
 * The fast CPU kernels — the blocked GEMM behind matmul, and conv2d through im2col — held against
 * PyTorch 1.13 (cpu-kernels.json) and against the reference loops on random shapes and layouts.
 *
 * Operands are built straight from storage, shape and strides, so each test says exactly which
 * layout it feeds the kernel (transposed, padded, broadcast with stride 0, offset). Storage slots
 * that no element maps to hold NaN: a kernel that reads the wrong slot produces NaN and fails.
 *
 * The fast kernels round differently from the reference (partial sums of each K-block are rounded
 * to float32), so results are compared within float32 rounding of the sum of |terms|: the same
 * computation on absolute values, by the reference, bounds every rounding error.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertClose, fixture, type FixtureTensor, fixtureValues, seededRandom } from "@torchlet/testing";
import type { Conv2dParams } from "../src/backend.ts";
import { CpuStorage } from "../src/storage.ts";
import { Tensor } from "../src/tensor.ts";
import * as torch from "../src/index.ts";
import { conv2d, conv2dBackwardInput, conv2dBackwardWeight } from "../src/kernels/conv/cpu.ts";
import { col2im, convGeometry, im2col } from "../src/kernels/conv/im2col-cpu.ts";
import {
  conv2dBackwardInputReference,
  conv2dBackwardWeightReference,
  conv2dReference,
} from "../src/kernels/conv/reference-cpu.ts";
import { matmul } from "../src/kernels/matmul/cpu.ts";
import { gemm, type StridedMatrix } from "../src/kernels/matmul/gemm-cpu.ts";
import { matmulReference } from "../src/kernels/matmul/reference-cpu.ts";

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * A float32 tensor of `shape` whose element at index i lives at `offset + Σ i[d]·strides[d]`.
 * Every slot some element maps to gets a random value in [-1, 1); every other slot holds NaN.
 */
function stridedTensor(shape: number[], strides: number[], offset: number, rng: () => number): Tensor {
  let last = offset;
  shape.forEach((s, d) => (last += (s - 1) * Math.max(strides[d], 0)));
  const data = new Float32Array(shape.includes(0) ? offset : last + 1).fill(NaN);
  const index = shape.map(() => 0);
  for (let e = 0; e < shape.reduce((x, y) => x * y, 1); e++) {
    const slot = index.reduce((q, i, d) => q + i * strides[d], offset);
    if (Number.isNaN(data[slot])) data[slot] = rng() * 2 - 1;
    for (let d = shape.length - 1; d >= 0 && ++index[d] === shape[d]; d--) index[d] = 0;
  }
  return Tensor.fromStorage(new CpuStorage(data, "float32"), shape, strides, offset);
}

/** The same view over the absolute values of its storage (for rounding bounds). */
function absolute(t: Tensor): Tensor {
  const data = (t.storage as CpuStorage).data.map(Math.abs);
  return Tensor.fromStorage(new CpuStorage(data, t.dtype), t.shape, t.stride(), t.storageOffset());
}

function valuesOf(t: Tensor): number[] {
  return Array.from(t.contiguous().toArray());
}

/** A fresh float32 tensor filled with NaN, so that any element a kernel forgets to write shows. */
function nanTensor(shape: readonly number[]): Tensor {
  return Tensor.fromStorage(new CpuStorage(new Float32Array(shape.reduce((x, y) => x * y, 1)).fill(NaN), "float32"), shape);
}

/**
 * |actual − expected| ≤ roundings · 2^-24 · magnitude, element by element: each float32 rounding
 * of a partial sum moves it by at most half an ulp of the sum of the absolute terms.
 */
function expectWithinRounding(actual: Tensor, expected: Tensor, magnitude: Tensor, roundings: number): void {
  const a = valuesOf(actual);
  const e = valuesOf(expected);
  const m = valuesOf(magnitude);
  expect(a.length).toBe(e.length);
  for (let i = 0; i < e.length; i++) {
    const bound = roundings * 2 ** -24 * m[i];
    if (!(Math.abs(a[i] - e[i]) <= bound)) {
      throw new Error(`element ${i}: ${a[i]} vs reference ${e[i]} (allowed difference ${bound})`);
    }
  }
}

function fromFixture(t: FixtureTensor): Tensor {
  return torch.fromValues(fixtureValues(t), t.shape, "float32");
}

/** Logical matrix layouts of a [B, R, C] operand: strides and offset. */
const layouts = {
  contiguous: (b: number, r: number, c: number) => ({ strides: [r * c, c, 1], offset: 0 }),
  transposed: (b: number, r: number, c: number) => ({ strides: [r * c, 1, r], offset: 0 }),
  "padded rows, offset": (b: number, r: number, c: number) => ({ strides: [(r + 1) * (c + 2), c + 2, 1], offset: 3 }),
  "batch inside rows": (b: number, r: number, c: number) => ({ strides: [c, b * c, 1], offset: 0 }),
  "broadcast batch (stride 0)": (b: number, r: number, c: number) => ({ strides: [0, c, 1], offset: 0 }),
  "broadcast columns (stride 0)": (b: number, r: number, c: number) => ({ strides: [r, 1, 0], offset: 1 }),
} as const;
type LayoutName = keyof typeof layouts;
const layoutNames = Object.keys(layouts) as LayoutName[];

function operand(layout: LayoutName, b: number, r: number, c: number, rng: () => number): Tensor {
  const { strides, offset } = layouts[layout](b, r, c);
  return stridedTensor([b, r, c], strides, offset, rng);
}

/** fast matmul, reference matmul and the reference on absolute values, for one pair of operands. */
function matmulBoth(a: Tensor, b: Tensor): { fast: Tensor; reference: Tensor; magnitude: Tensor } {
  const shape = [a.shape[0], a.shape[1], b.shape[2]];
  const fast = nanTensor(shape);
  const reference = nanTensor(shape);
  const magnitude = nanTensor(shape);
  matmul(a, b, fast);
  matmulReference(a, b, reference);
  matmulReference(absolute(a), absolute(b), magnitude);
  return { fast, reference, magnitude };
}

/** The TypeScript kernel's 2-D product, called directly (the backend may route float32 to WebAssembly). */
function fastMm(a: Tensor, b: Tensor): Tensor {
  const out = torch.emptyTensor([1, a.shape[0], b.shape[1]], a.dtype);
  matmul(a.unsqueeze(0), b.unsqueeze(0), out);
  return out.reshape(a.shape[0], b.shape[1]);
}

/** K-blocks of the GEMM are rounded separately: allow one rounding per started block of 256, plus one. */
function roundingsFor(k: number): number {
  return 2 * (Math.ceil(k / 256) + 1);
}

// ---------------------------------------------------------------------------------------------
// Matrix products

interface MatmulCase {
  kind: "matmul";
  name: string;
  a: FixtureTensor;
  b: FixtureTensor;
  output: FixtureTensor;
}

interface ConvCase {
  kind: "conv2d";
  name: string;
  params: Conv2dParams;
  x: FixtureTensor;
  weight: FixtureTensor;
  bias: FixtureTensor | null;
  output: FixtureTensor;
  upstream: FixtureTensor;
  grad_x: FixtureTensor;
  grad_weight: FixtureTensor;
}

const cases = fixture<MatmulCase | ConvCase>("cpu-kernels");
const matmulCases = cases.filter((c): c is MatmulCase => c.kind === "matmul");
const convCases = cases.filter((c): c is ConvCase => c.kind === "conv2d");

/** The same values as `t` [B, R, C], stored transposed: strides [R·C, 1, R]. */
function storedTransposed(t: Tensor): Tensor {
  return t.transpose(1, 2).contiguous().transpose(1, 2);
}

describe("matmul on the CPU, against PyTorch", () => {
  it("has cases to check", () => expect(matmulCases.length).toBeGreaterThanOrEqual(7));

  for (const c of matmulCases) {
    it(`${c.name}: every layout, fast kernel and reference`, () => {
      const a = fromFixture(c.a);
      const b = fromFixture(c.b);
      const expected = fixtureValues(c.output);
      const pairs: [string, Tensor, Tensor][] = [
        ["contiguous", a, b],
        ["a stored transposed", storedTransposed(a), b],
        ["b stored transposed", a, storedTransposed(b)],
        ["both stored transposed", storedTransposed(a), storedTransposed(b)],
      ];
      for (const [layout, lhs, rhs] of pairs) {
        const { fast, reference } = matmulBoth(lhs, rhs);
        assertClose(valuesOf(fast), expected, { rtol: 1e-5, atol: 1e-5 }, `${layout}, fast kernel`);
        assertClose(valuesOf(reference), expected, { rtol: 1e-5, atol: 1e-5 }, `${layout}, reference`);
      }
    });
  }

  it("the CPU backend's torch.matmul gives PyTorch's values (whichever kernel family it runs)", () => {
    for (const c of matmulCases) {
      const out = torch.matmul(fromFixture(c.a), fromFixture(c.b));
      assertClose(valuesOf(out), fixtureValues(c.output), { rtol: 1e-5, atol: 1e-5 }, c.name);
    }
  });
});

describe("matmul on the CPU, fast kernel against the reference loops", () => {
  const awkward = fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 63, 64, 65);
  const size = fc.oneof(awkward, fc.integer({ min: 1, max: 70 }));
  const depth = fc.oneof(awkward, fc.constantFrom(255, 256, 257, 300), fc.integer({ min: 1, max: 70 }));

  it("random shapes and layouts agree within float32 rounding", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        size,
        depth,
        size,
        fc.constantFrom(...layoutNames),
        fc.constantFrom(...layoutNames),
        fc.integer(),
        (batch, m, k, n, layoutA, layoutB, seed) => {
          const rng = seededRandom(seed);
          const { fast, reference, magnitude } = matmulBoth(operand(layoutA, batch, m, k, rng), operand(layoutB, batch, k, n, rng));
          expectWithinRounding(fast, reference, magnitude, roundingsFor(k));
        },
      ),
      { numRuns: 80 },
    );
  });

  it("wide and tall products cross every block boundary (N > 512, M > 64)", () => {
    const rng = seededRandom(7);
    for (const [m, k, n] of [[9, 20, 1030], [130, 5, 13], [67, 513, 6]]) {
      const { fast, reference, magnitude } = matmulBoth(operand("contiguous", 1, m, k, rng), operand("transposed", 1, k, n, rng));
      expectWithinRounding(fast, reference, magnitude, roundingsFor(k));
    }
  });

  it("an empty inner dimension gives zeros, as in PyTorch", () => {
    const out = fastMm(torch.zeros(3, 0), torch.zeros(0, 4));
    expect(out.tolist()).toEqual(torch.zeros(3, 4).tolist());
  });

  it("0 · ∞ is NaN, in the direct and the blocked path alike", () => {
    // PyTorch 1.13: tensor([[0., 1.]]) @ tensor([[inf], [1.]]) is tensor([[nan]])
    const row = fastMm(torch.tensor([[0, 1]], { dtype: "float32" }), torch.tensor([[Infinity], [1]], { dtype: "float32" }));
    expect(Number.isNaN(row.item() as number)).toBe(true);
    // a 6x6 product takes the blocked path: a zero matrix times b with b[0, 0] = ∞
    const b = torch.tensor([[Infinity, 1, 1, 1, 1, 1], ...Array(5).fill([1, 1, 1, 1, 1, 1])], { dtype: "float32" });
    const blocked = fastMm(torch.zeros(6, 6), b).tolist() as number[][];
    expect(blocked.map((r) => r.map((v) => (Number.isNaN(v) ? "nan" : v)))).toEqual(Array(6).fill(["nan", 0, 0, 0, 0, 0]));
  });

  it("int64 products stay exact beyond float32 precision", () => {
    // entries near 2^25 give products near 2^50: float32 would lose them, doubles do not
    const left = [[33554431, -33554433, 12345], [7, 33554432, -1]];
    const right = [[33554429, 2], [-5, 33554431], [1, 0]];
    const a = torch.tensor(left);
    const b = torch.tensor(right);
    const exact = left.map((row) => [0, 1].map((j) => row.reduce((s, x, p) => s + BigInt(x) * BigInt(right[p][j]), 0n)));
    const out = fastMm(a, b);
    expect(out.dtype).toBe("int64");
    expect((out.tolist() as number[][]).map((r) => r.map((v) => BigInt(v)))).toEqual(exact);
  });
});

describe("gemm on strided matrices", () => {
  /** C (+)= A · B in doubles, element by element: an independent oracle for gemm's contract. */
  function naive(m: number, n: number, k: number, a: StridedMatrix, b: StridedMatrix, c0: (i: number, j: number) => number): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < m; i++) {
      out.push([]);
      for (let j = 0; j < n; j++) {
        let s = c0(i, j);
        for (let p = 0; p < k; p++) s += a.data[a.offset + i * a.rowStride + p * a.colStride] * b.data[b.offset + p * b.rowStride + j * b.colStride];
        out[i].push(s);
      }
    }
    return out;
  }

  it("accumulates into a transposed, offset C of doubles when asked, and overwrites otherwise", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 300 }),
        fc.boolean(),
        fc.integer(),
        (m, n, k, accumulate, seed) => {
          const rng = seededRandom(seed);
          const a: StridedMatrix = { data: Float32Array.from({ length: m * k }, () => rng() - 0.5), offset: 0, rowStride: k, colStride: 1 };
          const b: StridedMatrix = { data: Float32Array.from({ length: k * n }, () => rng() - 0.5), offset: 0, rowStride: 1, colStride: k };
          const start = Float64Array.from({ length: m * n + 2 }, () => rng());
          const c: StridedMatrix = { data: start.slice(), offset: 2, rowStride: 1, colStride: m };
          gemm(m, n, k, a, b, c, accumulate);
          const expected = naive(m, n, k, a, b, (i, j) => (accumulate ? start[2 + i + j * m] : 0));
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              const got = c.data[2 + i + j * m];
              if (Math.abs(got - expected[i][j]) > 1e-12 * (k + 1)) throw new Error(`C[${i}, ${j}] = ${got}, expected ${expected[i][j]}`);
            }
          }
          expect(Array.from(c.data.subarray(0, 2))).toEqual(Array.from(start.subarray(0, 2)));
        },
      ),
      { numRuns: 60 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Convolution

function params(stride: [number, number], padding: [number, number], dilation: [number, number], groups: number): Conv2dParams {
  return { stride, padding, dilation, groups };
}

describe("conv2d on the CPU, against PyTorch", () => {
  it("has cases to check", () => expect(convCases.length).toBeGreaterThanOrEqual(9));

  for (const c of convCases) {
    it(`${c.name}: forward and both gradients, fast kernels and reference`, () => {
      const x = fromFixture(c.x);
      const w = fromFixture(c.weight);
      const bias = c.bias ? fromFixture(c.bias) : null;
      const up = fromFixture(c.upstream);
      const kernels = {
        fast: [conv2d, conv2dBackwardInput, conv2dBackwardWeight],
        reference: [conv2dReference, conv2dBackwardInputReference, conv2dBackwardWeightReference],
      } as const;
      for (const [which, [forward, gradInput, gradWeight]] of Object.entries(kernels)) {
        const out = nanTensor(c.output.shape);
        forward(x, w, bias, out, c.params);
        assertClose(valuesOf(out), fixtureValues(c.output), { rtol: 1e-5, atol: 1e-5 }, `${which} forward`);
        const dx = nanTensor(c.x.shape);
        gradInput(up, w, dx, c.params);
        assertClose(valuesOf(dx), fixtureValues(c.grad_x), { rtol: 1e-4, atol: 1e-4 }, `${which} grad of x`);
        const dw = nanTensor(c.weight.shape);
        gradWeight(up, x, dw, c.params);
        assertClose(valuesOf(dw), fixtureValues(c.grad_weight), { rtol: 1e-4, atol: 1e-4 }, `${which} grad of weight`);
      }
    });
  }

  it("the CPU backend's torch.conv2d gives PyTorch's values (whichever kernel family it runs)", () => {
    for (const c of convCases) {
      const out = torch.conv2d(fromFixture(c.x), fromFixture(c.weight), c.bias ? fromFixture(c.bias) : null, c.params);
      assertClose(valuesOf(out), fixtureValues(c.output), { rtol: 1e-5, atol: 1e-5 }, c.name);
    }
  });
});

/** A random convolution that fits: geometry, parameters and contiguous operands at an offset. */
const convProblem = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    groups: fc.integer({ min: 1, max: 3 }),
    cg: fc.integer({ min: 1, max: 3 }),
    og: fc.integer({ min: 1, max: 3 }),
    h: fc.integer({ min: 1, max: 9 }),
    w: fc.integer({ min: 1, max: 9 }),
    kh: fc.integer({ min: 1, max: 3 }),
    kw: fc.integer({ min: 1, max: 3 }),
    stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    padding: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
    dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    pointwise: fc.boolean(),
    bias: fc.boolean(),
    seed: fc.integer(),
  })
  .map((r) => (r.pointwise ? { ...r, kh: 1, kw: 1, stride: [1, 1] as [number, number], padding: [0, 0] as [number, number] } : r))
  .filter((r) => r.h + 2 * r.padding[0] >= r.dilation[0] * (r.kh - 1) + 1 && r.w + 2 * r.padding[1] >= r.dilation[1] * (r.kw - 1) + 1);

describe("conv2d on the CPU, fast kernels against the reference loops", () => {
  it("forward, grad input and grad weight agree within float32 rounding", () => {
    fc.assert(
      fc.property(convProblem, (r) => {
        const rng = seededRandom(r.seed);
        const p = params(r.stride, r.padding, r.dilation, r.groups);
        const c = r.cg * r.groups;
        const o = r.og * r.groups;
        const contiguousAt = (shape: number[], offset: number) => {
          const strides = shape.map((_, d) => shape.slice(d + 1).reduce((x, y) => x * y, 1));
          return stridedTensor(shape, strides, offset, rng);
        };
        const x = contiguousAt([r.n, c, r.h, r.w], 2);
        const w = contiguousAt([o, r.cg, r.kh, r.kw], 1);
        const bias = r.bias ? stridedTensor([o], [2], 1, rng) : null;
        const outShape = torch.conv2dOutputShape(x.shape, w.shape, p);
        const up = contiguousAt(outShape, 3);
        /** Runs one kernel three ways into NaN-filled outputs and compares within rounding. */
        const compare = (shape: readonly number[], terms: number, kernels: Record<"fast" | "reference" | "magnitude", (out: Tensor) => void>) => {
          const [fast, reference, magnitude] = [nanTensor(shape), nanTensor(shape), nanTensor(shape)];
          kernels.fast(fast);
          kernels.reference(reference);
          kernels.magnitude(magnitude);
          expectWithinRounding(fast, reference, magnitude, roundingsFor(terms));
        };
        const [ax, aw, aup, abias] = [absolute(x), absolute(w), absolute(up), bias && absolute(bias)];
        compare(outShape, r.cg * r.kh * r.kw + 1, {
          fast: (out) => conv2d(x, w, bias, out, p),
          reference: (out) => conv2dReference(x, w, bias, out, p),
          magnitude: (out) => conv2dReference(ax, aw, abias, out, p),
        });
        compare(x.shape, r.og * r.kh * r.kw, {
          fast: (out) => conv2dBackwardInput(up, w, out, p),
          reference: (out) => conv2dBackwardInputReference(up, w, out, p),
          magnitude: (out) => conv2dBackwardInputReference(aup, aw, out, p),
        });
        compare(w.shape, r.n * outShape[2] * outShape[3], {
          fast: (out) => conv2dBackwardWeight(up, x, out, p),
          reference: (out) => conv2dBackwardWeightReference(up, x, out, p),
          magnitude: (out) => conv2dBackwardWeightReference(aup, ax, out, p),
        });
      }),
      { numRuns: 120 },
    );
  });
});

describe("im2col and col2im", () => {
  it("unfold a 3x3 image for a 2x2 kernel into one column per output position", () => {
    // image 1 2 3 / 4 5 6 / 7 8 9; the four 2x2 windows, each kernel position a row
    const g = convGeometry([1, 1, 3, 3], [1, 1, 2, 2], [1, 1, 2, 2], 1);
    const cols = new Float32Array(4 * 4);
    im2col(Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9), 0, g, params([1, 1], [0, 0], [1, 1], 1), cols);
    expect(Array.from(cols)).toEqual([1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9]);
  });

  it("read padding as zeros", () => {
    // a 1x2 image, 1x3 kernel, padding 1 on the sides: windows [0 a b] and [a b 0]
    const g = convGeometry([1, 1, 1, 2], [1, 1, 1, 3], [1, 1, 1, 2], 1);
    const cols = new Float32Array(3 * 2).fill(NaN);
    im2col(Float32Array.of(10, 20), 0, g, params([1, 1], [0, 1], [1, 1], 1), cols);
    expect(Array.from(cols)).toEqual([0, 10, 10, 20, 20, 0]);
  });

  it("are adjoint: <im2col(x), y> = <x, col2im(y)>", () => {
    fc.assert(
      fc.property(convProblem, (r) => {
        const rng = seededRandom(r.seed);
        const p = params(r.stride, r.padding, r.dilation, 1);
        const outShape = torch.conv2dOutputShape([1, r.cg, r.h, r.w], [1, r.cg, r.kh, r.kw], p);
        const g = convGeometry([1, r.cg, r.h, r.w], [1, r.cg, r.kh, r.kw], outShape, 1);
        const x = Float32Array.from({ length: r.cg * r.h * r.w }, () => rng() - 0.5);
        const y = Float64Array.from({ length: r.cg * r.kh * r.kw * g.oh * g.ow }, () => rng() - 0.5);
        const cols = new Float32Array(y.length);
        im2col(x, 0, g, p, cols);
        const back = new Float64Array(x.length);
        col2im(y, g, p, back, 0);
        const lhs = cols.reduce((s, v, i) => s + v * y[i], 0);
        const rhs = x.reduce((s, v, i) => s + v * back[i], 0);
        expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-9 * (1 + y.length));
      }),
      { numRuns: 100 },
    );
  });
});
