/**
 * Reductions over random sets of dimensions, with and without keepdim, against nested loops
 * written here: the output shape (reduced dims dropped, or kept as size 1 so the result broadcasts
 * back against the input), sums, means, variances, and max/min with the position of the first
 * extreme value.
 */
import { assertClose } from "@torchlet/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as torch from "../src/index.ts";
import type { Tensor } from "../src/index.ts";

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function indices(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const size of shape) out = out.flatMap((prefix) => Array.from({ length: size }, (_, i) => [...prefix, i]));
  return out;
}

function flatIndex(shape: readonly number[], index: readonly number[]): number {
  return index.reduce((flat, i, d) => flat * shape[d] + i, 0);
}

/** A reduction problem: a tensor's shape and values, the dims to reduce (as the user writes them), keepdim. */
interface Problem {
  shape: number[];
  values: number[];
  /** Dims as passed: some negative, in any order. */
  dims: number[];
  keepdim: boolean;
  transposed: boolean;
}

const problems = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 })
  .chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      // small integers, so sums are exact and max/min meet ties
      values: fc.array(fc.integer({ min: -6, max: 6 }), { minLength: count(shape), maxLength: count(shape) }),
      dims: fc
        .subarray(shape.map((_, d) => d), { minLength: 1 })
        .chain((dims) => fc.shuffledSubarray(dims, { minLength: dims.length, maxLength: dims.length }))
        .chain((dims) => fc.tuple(...dims.map((d) => fc.constantFrom(d, d - shape.length)))),
      keepdim: fc.boolean(),
      transposed: fc.boolean(),
    }),
  );

/** The tensor of a problem, laid out transposed (read through permute) when asked. */
function tensorOf(p: Problem): Tensor {
  const { shape, values } = p;
  if (!p.transposed || shape.length < 2) return torch.tensor(values, { dtype: "float32" }).reshape(shape);
  const reversed = [...shape].reverse();
  const stored = new Array<number>(values.length);
  indices(shape).forEach((index, l) => (stored[flatIndex(reversed, [...index].reverse())] = values[l]));
  return torch.tensor(stored, { dtype: "float32" }).reshape(reversed).permute(shape.map((_, d) => shape.length - 1 - d));
}

/** The reduced dims, made non-negative. */
const reducedDims = (p: Problem) => new Set(p.dims.map((d) => (d < 0 ? d + p.shape.length : d)));

/** For every output element (in row-major order), the input values it reduces, in row-major order. */
function groups(p: Problem): { outShape: number[]; groups: number[][] } {
  const reduced = reducedDims(p);
  const kept = p.shape.map((s, d) => (reduced.has(d) ? 1 : s));
  const outShape = p.keepdim ? kept : p.shape.filter((_, d) => !reduced.has(d));
  const byOutput = new Map<number, number[]>();
  indices(p.shape).forEach((index, l) => {
    const key = flatIndex(kept, index.map((i, d) => (reduced.has(d) ? 0 : i)));
    byOutput.set(key, [...(byOutput.get(key) ?? []), p.values[l]]);
  });
  return { outShape, groups: [...byOutput.keys()].sort((a, b) => a - b).map((k) => byOutput.get(k)!) };
}

const sumOf = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe("reductions over random dims", () => {
  it("sum: the reference's shape and values, keepdim or not", () => {
    fc.assert(
      fc.property(problems, (p) => {
        const { outShape, groups: g } = groups(p);
        const result = tensorOf(p).sum(p.dims, p.keepdim);
        expect([...result.shape]).toEqual(outShape);
        expect(Array.from(result.toArray())).toEqual(g.map(sumOf));
      }),
    );
  });

  it("mean and var (correction 0 and 1): the reference's values", () => {
    fc.assert(
      fc.property(problems, fc.constantFrom(0, 1), (p, correction) => {
        const { outShape, groups: g } = groups(p);
        const x = tensorOf(p);
        const mean = x.mean(p.dims, p.keepdim);
        expect([...mean.shape]).toEqual(outShape);
        assertClose(Array.from(mean.toArray()), g.map((xs) => sumOf(xs) / xs.length), { rtol: 1e-6, atol: 1e-6 });
        const variance = x.var(p.dims, { correction, keepdim: p.keepdim });
        expect([...variance.shape]).toEqual(outShape);
        const expected = g.map((xs) => {
          const m = sumOf(xs) / xs.length;
          return sumOf(xs.map((v) => (v - m) ** 2)) / (xs.length - correction);
        });
        assertClose(Array.from(variance.toArray()), expected, { rtol: 1e-5, atol: 1e-5 });
      }),
    );
  });

  it("int64 and bool sums are int64 and exact", () => {
    fc.assert(
      fc.property(problems, (p) => {
        const { groups: g } = groups(p);
        const ints = torch.tensor(p.values).reshape(p.shape);
        expect(ints.sum(p.dims, p.keepdim).dtype).toBe("int64");
        expect(Array.from(ints.sum(p.dims, p.keepdim).toArray())).toEqual(g.map(sumOf));
        const positive = ints.gt(0);
        expect(Array.from(positive.sum(p.dims, p.keepdim).toArray())).toEqual(g.map((xs) => xs.filter((v) => v > 0).length));
      }),
    );
  });

  it("keepdim results broadcast back against the input", () => {
    fc.assert(
      fc.property(problems, (p) => {
        const x = tensorOf(p);
        const centred = x.sub(x.mean(p.dims, true));
        expect([...centred.shape]).toEqual(p.shape);
        // centred values sum to zero over the reduced dims
        const remaining = p.shape.filter((_, d) => !reducedDims(p).has(d));
        assertClose(Array.from(centred.sum(p.dims).toArray()), Array(count(remaining)).fill(0), { atol: 1e-5 });
      }),
    );
  });

  it("max/min along one dim: values, and the first position that holds them", () => {
    fc.assert(
      fc.property(problems, (p) => {
        const dim = p.dims[0];
        const single = { ...p, dims: [dim] };
        const { outShape, groups: g } = groups(single);
        const x = tensorOf(p);
        for (const [name, pickOf] of [
          ["max", (xs: number[]) => Math.max(...xs)],
          ["min", (xs: number[]) => Math.min(...xs)],
        ] as const) {
          const { values, indices: at } = name === "max" ? x.max(dim, p.keepdim) : x.min(dim, p.keepdim);
          expect([...values.shape]).toEqual(outShape);
          expect([...at.shape]).toEqual(outShape);
          expect(at.dtype).toBe("int64");
          expect(Array.from(values.toArray())).toEqual(g.map(pickOf));
          expect(Array.from(at.toArray())).toEqual(g.map((xs) => xs.indexOf(pickOf(xs))));
          const arg = name === "max" ? x.argmax(dim, p.keepdim) : x.argmin(dim, p.keepdim);
          expect(Array.from(arg.toArray())).toEqual(Array.from(at.toArray()));
        }
      }),
    );
  });

  it("max/min/argmax of every element", () => {
    fc.assert(
      fc.property(problems, (p) => {
        const x = tensorOf(p);
        expect(x.max().item()).toBe(Math.max(...p.values));
        expect(x.min().item()).toBe(Math.min(...p.values));
        expect(x.argmax().item()).toBe(p.values.indexOf(Math.max(...p.values)));
        expect(x.argmin().item()).toBe(p.values.indexOf(Math.min(...p.values)));
      }),
    );
  });
});
