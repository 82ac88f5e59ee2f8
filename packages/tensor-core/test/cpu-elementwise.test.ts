/**
 * The CPU's fast elementwise, reduction and softmax paths, held against their general strided
 * paths on random shapes, layouts, dtypes and values.
 *
 * The fast paths merge dimensions (`coalesce`) and run one loop per op (`loops-cpu.ts`); the
 * general paths walk every row of the original layout and apply the op table's scalar function
 * and the output's store to each element. Every case below runs both on the same operands into
 * two outputs of the same layout and compares whole storages, slot by slot, with `Object.is`: NaN
 * must stay NaN, -0 must stay -0 (or become 0 exactly where the general path makes it 0), and
 * slots outside the output view must keep their sentinel.
 *
 * Operands are built straight from storage, shape and strides: permuted dimensions, gaps between
 * elements, an offset, and broadcasting with stride 0 (a scalar, a row repeated down a matrix as a
 * bias is, a column repeated across it).
 */
import fc from "fast-check";
import { seededRandom } from "@torchlet/testing";
import { describe, expect, it, vi } from "vitest";
import type { BinaryOp, UnaryOp } from "../src/backend.ts";
import { cpuArrayFor, type DType } from "../src/dtype.ts";
import { cpuBackend } from "../src/cpu-backend.ts";
import { addScaled, binary, binaryStrided, copy, fastBinaryLoop, fastUnaryLoop, unary, unaryStrided, where } from "../src/kernels/elementwise/cpu.ts";
import { binaryOps, unaryOps } from "../src/kernels/elementwise/ops.ts";
import { reduce, reduceStrided } from "../src/kernels/reduce/cpu.ts";
import { softmax, softmaxStrided } from "../src/kernels/softmax/cpu.ts";
import { coalesce, forEachRow, innerStrides, linearStride, rowLength, type Layout } from "../src/kernels/strided-cpu.ts";
import { expandStrides } from "../src/shape.ts";
import { CpuStorage } from "../src/storage.ts";
import { Tensor } from "../src/tensor.ts";
import * as torch from "../src/index.ts";

// ---------------------------------------------------------------------------------------------
// Random layouts and values (each fast-check case derives them from one seed)

const pick = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)];

/** Values that tell kernels apart: NaN, infinities, both zeros, integers, fractions of both signs. */
const floatValues = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 2, -0.5, 1.5, -2.7, 1e-3, -1e30];
const intValues = [0, 1, -1, 2, -2, 3, -3, 7, -8, 100, -100, 2 ** 40];

function valueFor(dtype: DType, rng: () => number): number {
  if (dtype === "bool") return rng() < 0.5 ? 0 : 1;
  if (dtype === "int64") return pick(rng, intValues);
  return rng() < 0.85 ? pick(rng, floatValues) : Math.fround(rng() * 8 - 4);
}

/** What an unwritten storage slot holds: a value no kernel produces from these inputs. */
function sentinel(dtype: DType): number {
  return dtype === "bool" ? 7 : dtype === "int64" ? -12345 : -9876.5;
}

/**
 * A tensor of `shape` over a storage of its own with a random layout: the dimensions laid out in a
 * random order, each step possibly leaving a gap, the first element at a random offset. With
 * `dense` the layout is plain row-major at offset 0. Slots no element maps to hold the sentinel.
 */
function layoutTensor(shape: readonly number[], dtype: DType, rng: () => number, dense: boolean, fill: (rng: () => number) => number): Tensor {
  const order = shape.map((_, d) => d);
  if (!dense) for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(rng() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
  const strides = new Array<number>(shape.length).fill(0);
  let step = 1;
  for (let i = order.length - 1; i >= 0; i--) {
    const d = order[i];
    const gap = dense ? 1 : rng() < 0.3 ? 2 : 1;
    strides[d] = step * gap;
    step *= gap * Math.max(shape[d], 1);
  }
  const offset = dense ? 0 : Math.floor(rng() * 3);
  const data = cpuArrayFor(dtype, offset + step).fill(sentinel(dtype));
  const layout = { strides, offset };
  const n = rowLength(shape);
  const [step0] = innerStrides(shape, [layout]);
  forEachRow(shape, [layout], (s) => {
    for (let i = 0, p = s[0]; i < n; i++, p += step0) data[p] = fill(rng);
  });
  return Tensor.fromStorage(new CpuStorage(data, dtype), shape, strides, offset);
}

/**
 * An operand broadcast to `shape`: its own shape drops some leading dimensions and sets others to
 * 1 (sometimes all of them: a scalar), it gets a random layout, and it is expanded with stride 0.
 */
function broadcastOperand(shape: readonly number[], dtype: DType, rng: () => number): Tensor {
  const lead = rng() < 0.5 ? 0 : Math.floor(rng() * (shape.length + 1));
  const scalar = rng() < 0.15;
  const own = shape.slice(lead).map((s) => (scalar || rng() < 0.3 ? 1 : s));
  const t = layoutTensor(own, dtype, rng, rng() < 0.4, (r) => valueFor(dtype, r));
  return Tensor.fromStorage(t.storage, shape, expandStrides(own, t.stride(), shape), t.storageOffset());
}

/** An output for `shape`: contiguous most of the time, else strided (as in-place ops write views). */
function outputFor(shape: readonly number[], dtype: DType, rng: () => number): Tensor {
  return layoutTensor(shape, dtype, rng, rng() < 0.6, () => sentinel(dtype));
}

/** A second output of the same layout over a fresh copy of the storage. */
function twin(out: Tensor): Tensor {
  const data = (out.storage as CpuStorage).data.slice();
  return Tensor.fromStorage(new CpuStorage(data, out.dtype), out.shape, out.stride(), out.storageOffset());
}

function expectSameStorage(fast: Tensor, general: Tensor): void {
  const a = (fast.storage as CpuStorage).data;
  const b = (general.storage as CpuStorage).data;
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) throw new Error(`storage slot ${i}: fast path ${a[i]}, general path ${b[i]}`);
  }
}

const dtypes: DType[] = ["float32", "int64", "bool"];
/** Operand dtypes, float32 most often (its special values are where kernels differ). */
const operandTypes: DType[] = ["float32", "float32", "float32", "int64", "bool"];
const shapeArb = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 4 });
/** Shapes with an empty dimension now and then. */
const shapeOrEmptyArb = fc.oneof({ weight: 9, arbitrary: shapeArb }, { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }) });
const caseArb = fc.record({ shape: shapeOrEmptyArb, seed: fc.integer() });

// ---------------------------------------------------------------------------------------------
// coalesce

describe("coalesce", () => {
  /** Every (row start, position in row) visited, as storage indices of each operand, in order. */
  function visits(shape: readonly number[], operands: readonly Layout[]): number[][] {
    const seen: number[][] = [];
    const steps = innerStrides(shape, operands);
    forEachRow(shape, operands, (s) => {
      for (let i = 0; i < rowLength(shape); i++) seen.push(operands.map((_, k) => s[k] + i * steps[k]));
    });
    return seen;
  }

  it("visits the same storage indices in the same order with fewer dimensions", () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 1, max: 3 }), ({ shape, seed }, count) => {
        const rng = seededRandom(seed);
        const operands = Array.from({ length: count }, () => {
          const t = broadcastOperand(shape, "float32", rng);
          return { strides: t.stride(), offset: t.storageOffset() };
        });
        const merged = coalesce(shape, operands);
        expect(merged.shape.length).toBeLessThanOrEqual(shape.length);
        expect(visits(merged.shape, merged.operands)).toEqual(visits(shape, operands));
      }),
      { numRuns: 300 },
    );
  });

  it("makes one row of a contiguous tensor, with or without a scalar, and keeps a broadcast bias in rows", () => {
    const contiguous = { strides: [700, 100, 1], offset: 0 };
    expect(coalesce([5, 7, 100], [contiguous, contiguous]).shape).toEqual([3500]);
    expect(coalesce([5, 7, 100], [contiguous, { strides: [0, 0, 0], offset: 4 }]).shape).toEqual([3500]);
    const bias = coalesce([64, 100], [{ strides: [100, 1], offset: 0 }, { strides: [0, 1], offset: 0 }]);
    expect(bias.shape).toEqual([64, 100]);
    expect(innerStrides(bias.shape, bias.operands)).toEqual([1, 1]);
    expect(coalesce([64, 1, 100], [{ strides: [100, 9, 1], offset: 0 }]).shape).toEqual([6400]); // size-1 dims drop out
    expect(coalesce([2, 3], [{ strides: [1, 2], offset: 0 }]).shape).toEqual([2, 3]); // transposed: no merge
  });
});

describe("linearStride", () => {
  it("is 1 for a contiguous tensor, 0 for a broadcast scalar, null for any other layout", () => {
    const m = torch.rand(4, 5);
    expect(linearStride(m)).toBe(1);
    expect(linearStride(m.narrow(0, 1, 2))).toBe(1); // contiguous from an offset
    expect(linearStride(torch.tensor(3).expand(4, 5))).toBe(0);
    expect(linearStride(torch.rand(1, 1).expand(4, 5))).toBe(0);
    expect(linearStride(torch.rand(5).expand(4, 5))).toBeNull(); // a row repeated: a bias
    expect(linearStride(m.t())).toBeNull();
    expect(linearStride(m.narrow(1, 0, 3))).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Elementwise: fast path against general path

const binaryOpNames = Object.keys(binaryOps) as BinaryOp[];
const unaryOpNames = Object.keys(unaryOps) as UnaryOp[];

describe("binary kernels: fast path = general path", () => {
  for (const op of binaryOpNames) {
    it(`${op}, on random layouts, broadcasts and dtypes`, () => {
      let fastCases = 0;
      fc.assert(
        fc.property(caseArb, ({ shape, seed }) => {
          const rng = seededRandom(seed);
          const a = broadcastOperand(shape, pick(rng, operandTypes), rng);
          const b = broadcastOperand(shape, pick(rng, operandTypes), rng);
          // mostly float32 or bool outputs (the fast path), int64 now and then (the general path)
          const out = outputFor(shape, pick(rng, ["float32", "float32", "bool", "bool", "int64"] as DType[]), rng);
          const general = twin(out);
          if (fastBinaryLoop(op, out)) fastCases++;
          binary(op, a, b, out);
          binaryStrided(op, a, b, general);
          expectSameStorage(out, general);
        }),
        { numRuns: 120 },
      );
      expect(fastCases).toBeGreaterThan(30); // the fast path really ran
    });
  }

  it("takes the fast path exactly where the stored value needs no conversion", () => {
    const of = (dtype: DType) => torch.emptyTensor([2], dtype);
    expect(fastBinaryLoop("add", of("float32"))).not.toBeNull();
    expect(fastBinaryLoop("pow", of("float32"))).not.toBeNull();
    expect(fastBinaryLoop("gt", of("bool"))).not.toBeNull();
    expect(fastBinaryLoop("logicalAnd", of("bool"))).not.toBeNull();
    expect(fastBinaryLoop("add", of("bool"))).toBeNull(); // true + true is stored as true, not 2
    expect(fastBinaryLoop("mul", of("int64"))).toBeNull(); // -3 · 0 must be stored as 0, not -0
    expect(fastBinaryLoop("pow", of("int64"))).toBeNull(); // integer powers round toward zero
  });
});

describe("addScaled: a + alpha·b in one pass = alpha·b into a float32 temporary, then added", () => {
  const alphas = [-0.1, 0.1, 2, -1, 1e-3, 1 / 3, -0];

  it("on random layouts, broadcasts and values", () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom(...alphas), ({ shape, seed }, alpha) => {
        const rng = seededRandom(seed);
        const a = broadcastOperand(shape, "float32", rng);
        const b = broadcastOperand(shape, "float32", rng);
        const out = outputFor(shape, "float32", rng);
        const general = twin(out);
        addScaled(a, b, alpha, out);
        const scaledB = torch.emptyTensor(shape, "float32");
        binaryStrided("mul", b, torch.tensor(alpha).expand(shape), scaledB);
        binaryStrided("add", a, scaledB, general);
        expectSameStorage(out, general);
      }),
      { numRuns: 200 },
    );
  });

  it("is what add_ and sub_ with alpha run on float32 tensors, giving the two-pass numbers", () => {
    const spy = vi.spyOn(cpuBackend, "addScaled");
    try {
      const p = torch.tensor([[1, -2, 0.3], [NaN, 5e-8, -0]]);
      const g = torch.tensor([0.7, -1e30, 3]);
      const expected = torch.add(p, torch.mul(g, torch.tensor(-0.1)));
      const viaSub = p.clone().sub_(g, { alpha: 0.1 });
      const viaAdd = p.clone().add_(g, { alpha: -0.1 });
      expect(spy).toHaveBeenCalledTimes(2);
      for (const got of [viaAdd, viaSub]) {
        expect(Array.from(got.toArray()).map(String)).toEqual(Array.from(expected.toArray()).map(String));
      }
      // int64 tensors keep the two passes
      torch.tensor([1, 2], { dtype: "int64" }).add_(torch.tensor([3, 4], { dtype: "int64" }), { alpha: 2 });
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("unary kernels and copy: fast path = general path", () => {
  for (const op of [...unaryOpNames, "copy" as const]) {
    it(`${op}, on random layouts and dtypes`, () => {
      let fastCases = 0;
      fc.assert(
        fc.property(caseArb, ({ shape, seed }) => {
          const rng = seededRandom(seed);
          const x = broadcastOperand(shape, pick(rng, operandTypes), rng);
          const out = outputFor(shape, pick(rng, ["float32", "float32", "int64", "bool"] as DType[]), rng);
          const general = twin(out);
          if (fastUnaryLoop(op, x, out)) fastCases++;
          if (op === "copy") copy(x, out);
          else unary(op, x, out);
          unaryStrided(op, x, general);
          expectSameStorage(out, general);
        }),
        { numRuns: 100 },
      );
      expect(fastCases).toBeGreaterThan(20);
    });
  }
});

describe("int64 and bool stores through the ops", () => {
  it("int64 products of a negative and zero store 0, not -0; int64 copies of floats round toward zero", () => {
    const product = torch.mul(torch.tensor([-3, 0, 5], { dtype: "int64" }), torch.tensor([0, -4, -1], { dtype: "int64" }));
    expect(Array.from(product.toArray()).map((v) => Object.is(v, -0))).toEqual([false, false, false]);
    expect(product.tolist()).toEqual([0, 0, -5]);
    const truncated = torch.tensor([-1.7, -0.2, 2.9]).to("int64");
    expect(truncated.tolist()).toEqual([-1, 0, 2]);
    expect(Object.is(truncated.toArray()[1], -0)).toBe(false);
  });

  it("bool arithmetic keeps truth: true + true is true", () => {
    const t = torch.tensor([true, true, false]);
    expect(torch.add(t, t).tolist()).toEqual([true, true, false]);
  });

  it("a float32 bias broadcast along rows, NaN included, matches adding row by row", () => {
    const x = torch.tensor([[1, 2, 3], [4, NaN, 6]]);
    const bias = torch.tensor([0.5, -1, NaN]);
    const sum = torch.add(x, bias).tolist() as number[][];
    expect(sum[0]).toEqual([1.5, 1, NaN]);
    expect(sum[1]).toEqual([4.5, NaN, NaN]);
  });
});

describe("where", () => {
  it("picks element by element on random layouts (checked index by index)", () => {
    fc.assert(
      fc.property(caseArb, ({ shape, seed }) => {
        const rng = seededRandom(seed);
        const dtype = pick(rng, dtypes);
        const cond = broadcastOperand(shape, "bool", rng);
        const a = broadcastOperand(shape, dtype, rng);
        const b = broadcastOperand(shape, dtype, rng);
        const out = outputFor(shape, dtype, rng);
        where(cond, a, b, out);
        const [c, av, bv] = [cond.toArray(), a.toArray(), b.toArray()];
        const expected = Array.from(c, (flag, i) => (flag !== 0 ? av[i] : bv[i]));
        const got = out.toArray();
        expect(got.length).toBe(expected.length);
        for (let i = 0; i < got.length; i++) expect(Object.is(got[i], expected[i])).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Reductions and softmax

/** A random block of consecutive dimensions of an n-dimensional shape (never empty when n > 0). */
function consecutiveDims(ndim: number, rng: () => number): number[] {
  const first = Math.floor(rng() * ndim);
  const last = first + Math.floor(rng() * (ndim - first));
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

describe("sum over consecutive dimensions of a contiguous tensor: fast path = general path", () => {
  it("on random shapes, dtypes and values", () => {
    fc.assert(
      fc.property(fc.record({ shape: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 4 }), seed: fc.integer() }), ({ shape, seed }) => {
        const rng = seededRandom(seed);
        const dtype = pick(rng, dtypes);
        const x = layoutTensor(shape, dtype, rng, true, (r) => valueFor(dtype, r));
        const dims = consecutiveDims(shape.length, rng);
        const outShape = shape.map((s, d) => (dims.includes(d) ? 1 : s));
        const outType: DType = dtype === "float32" ? "float32" : "int64";
        const fast = torch.emptyTensor(outShape, outType);
        const general = torch.emptyTensor(outShape, outType);
        reduce("sum", x, dims, fast, null);
        reduceStrided("sum", x, dims, general, null);
        // both sum in doubles, in different orders: equal after rounding to float32, or one ulp apart
        const magnitude = Array.from(x.toArray()).reduce((m, v) => m + Math.abs(v), 0);
        const f = fast.toArray();
        const g = general.toArray();
        for (let i = 0; i < g.length; i++) {
          if (Object.is(f[i], g[i])) continue;
          expect(Math.abs(f[i] - g[i])).toBeLessThanOrEqual(2 ** -23 * Math.abs(g[i]) + 1e-15 * magnitude);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("sums a bias gradient over the batch and scores over the classes, as the MLP does", () => {
    const g = torch.arange(12).to("float32").reshape(4, 3);
    expect(g.sum(0).tolist()).toEqual([18, 22, 26]);
    expect(g.sum(1).tolist()).toEqual([3, 12, 21, 30]);
    expect(g.sum().item()).toBe(66);
    expect(torch.tensor([[1, NaN], [2, 3]]).sum(0).tolist()).toEqual([3, NaN]);
  });
});

describe("softmax and log_softmax: contiguous path = strided path", () => {
  it("on random shapes and dimensions", () => {
    fc.assert(
      fc.property(fc.record({ shape: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }), seed: fc.integer(), log: fc.boolean() }), ({ shape, seed, log }) => {
        const rng = seededRandom(seed);
        const x = layoutTensor(shape, "float32", rng, true, (r) => (r() < 0.1 ? pick(r, floatValues) : r() * 20 - 10));
        const dim = Math.floor(rng() * shape.length);
        const fast = torch.emptyTensor(shape, "float32");
        const general = torch.emptyTensor(shape, "float32");
        softmax(x, dim, log, fast);
        softmaxStrided(x, dim, log, general);
        expectSameStorage(fast, general);
        // and a strided input gives the same values as its contiguous copy
        const strided = layoutTensor(shape, "float32", rng, false, () => 0);
        strided.copy_(x);
        const fromStrided = torch.emptyTensor(shape, "float32");
        softmax(strided, dim, log, fromStrided);
        expectSameStorage(fromStrided, fast);
      }),
      { numRuns: 200 },
    );
  });
});
