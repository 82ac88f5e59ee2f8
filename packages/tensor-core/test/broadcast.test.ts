/**
 * Broadcasting, as properties over random shapes, against a reference written here: the shape rule
 * (align on the right, sizes equal or 1), PyTorch's message for shapes that do not broadcast, and
 * the values of binary ops (each output element is the op of the input elements its index selects,
 * a size-1 dimension always selecting index 0), on contiguous and on transposed operands.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as torch from "../src/index.ts";
import type { Operand, Tensor } from "../src/index.ts";

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function indices(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const size of shape) out = out.flatMap((prefix) => Array.from({ length: size }, (_, i) => [...prefix, i]));
  return out;
}

function flatIndex(shape: readonly number[], index: readonly number[]): number {
  return index.reduce((flat, i, d) => flat * shape[d] + i, 0);
}

/** The reference rule, or the rightmost pair of sizes that does not fit. */
function referenceBroadcast(a: readonly number[], b: readonly number[]): number[] | { dim: number; sizeA: number; sizeB: number } {
  const ndim = Math.max(a.length, b.length);
  const padA = [...Array(ndim - a.length).fill(1), ...a];
  const padB = [...Array(ndim - b.length).fill(1), ...b];
  for (let d = ndim - 1; d >= 0; d--) {
    if (padA[d] !== padB[d] && padA[d] !== 1 && padB[d] !== 1) return { dim: d, sizeA: padA[d], sizeB: padB[d] };
  }
  return padA.map((s, d) => (s === 1 ? padB[d] : s));
}

/** The element of a (values, shape) operand that output index `index` reads. */
function read(values: readonly number[], shape: readonly number[], index: readonly number[]): number {
  const own = index.slice(index.length - shape.length).map((i, d) => (shape[d] === 1 ? 0 : i));
  return values[flatIndex(shape, own)];
}

// shapes that broadcast: drop some leading dims of the output and set some dims to 1
const outShapes = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 });
function derived(out: readonly number[]) {
  return fc
    .tuple(fc.integer({ min: 0, max: out.length }), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }))
    .map(([drop, ones]) => out.slice(drop).map((s, d) => (ones[d + drop] ? 1 : s)));
}
const compatiblePairs = outShapes.chain((out) => fc.tuple(fc.constant(out), derived(out), derived(out)));

/** A float32 tensor holding `values` in row-major order; laid out transposed when asked. */
function tensorOf(values: readonly number[], shape: readonly number[], transposed: boolean): Tensor {
  if (!transposed || shape.length < 2) return torch.tensor([...values], { dtype: "float32" }).reshape(shape.length ? [...shape] : []);
  // store the values in reversed-dims order, then view them back through permute
  const reversed = [...shape].reverse();
  const stored = new Array<number>(values.length);
  indices(shape).forEach((index, l) => (stored[flatIndex(reversed, [...index].reverse())] = values[l]));
  const dims = shape.map((_, d) => shape.length - 1 - d);
  return torch.tensor(stored, { dtype: "float32" }).reshape(reversed).permute(dims);
}

const valuesFor = (shape: readonly number[]) =>
  fc.array(fc.integer({ min: -40, max: 40 }).map((v) => v / 8), { minLength: count(shape), maxLength: count(shape) });

describe("the broadcast shape", () => {
  it("is the reference's for shapes that broadcast, in either order", () => {
    fc.assert(
      fc.property(compatiblePairs, ([out, a, b]) => {
        const expected = referenceBroadcast(a, b) as number[];
        expect(torch.broadcastShapes(a, b)).toEqual(expected);
        expect(torch.broadcastShapes(b, a)).toEqual(expected);
        // and the output shape of the pair, broadcast with the shape it came from, is that shape
        expect(torch.broadcastShapes(expected, out)).toEqual(out);
      }),
    );
  });

  it("fails with PyTorch's message, naming the rightmost pair that does not fit", () => {
    const pairs = fc.tuple(
      fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
      fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
    );
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        const expected = referenceBroadcast(a, b);
        if (Array.isArray(expected)) {
          expect(torch.broadcastShapes(a, b)).toEqual(expected);
          return;
        }
        const message = `The size of tensor a (${expected.sizeA}) must match the size of tensor b (${expected.sizeB}) at non-singleton dimension ${expected.dim}`;
        expect(() => torch.broadcastShapes(a, b)).toThrow(message);
        expect(() => torch.add(torch.zeros(a), torch.zeros(b))).toThrow(message);
      }),
    );
  });
});

/** Binary ops with the scalar function the reference applies (in double, then rounded to float32). */
const floatOps: [string, (a: Operand, b: Operand) => Tensor, (x: number, y: number) => number][] = [
  ["add", torch.add, (x, y) => x + y],
  ["sub", torch.sub, (x, y) => x - y],
  ["mul", torch.mul, (x, y) => x * y],
  ["div", torch.div, (x, y) => x / y],
  ["maximum", (a, b) => torch.maximum(a as Tensor, b as Tensor), (x, y) => Math.max(x, y)],
  ["minimum", (a, b) => torch.minimum(a as Tensor, b as Tensor), (x, y) => Math.min(x, y)],
];
const boolOps: [string, (a: Operand, b: Operand) => Tensor, (x: number, y: number) => boolean][] = [
  ["eq", torch.eq, (x, y) => x === y],
  ["ne", torch.ne, (x, y) => x !== y],
  ["lt", torch.lt, (x, y) => x < y],
  ["le", torch.le, (x, y) => x <= y],
  ["gt", torch.gt, (x, y) => x > y],
  ["ge", torch.ge, (x, y) => x >= y],
  ["logicalAnd", torch.logicalAnd, (x, y) => x !== 0 && y !== 0],
  ["logicalOr", torch.logicalOr, (x, y) => x !== 0 || y !== 0],
];

/** Random operands of broadcastable shapes, with their values and whether each is laid out transposed. */
const operands = compatiblePairs.chain(([, a, b]) =>
  fc.record({
    a: fc.constant(a),
    b: fc.constant(b),
    av: valuesFor(a),
    bv: valuesFor(b),
    at: fc.boolean(),
    bt: fc.boolean(),
  }),
);

describe("binary ops on broadcast operands", () => {
  it.each(floatOps)("%s gives the reference's value at every index", (_, op, f) => {
    fc.assert(
      fc.property(operands, ({ a, b, av, bv, at, bt }) => {
        const out = referenceBroadcast(a, b) as number[];
        const result = op(tensorOf(av, a, at), tensorOf(bv, b, bt));
        expect([...result.shape]).toEqual(out);
        expect(result.dtype).toBe("float32");
        const expected = indices(out).map((index) => Math.fround(f(read(av, a, index), read(bv, b, index))));
        expect(Array.from(result.toArray())).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it.each(boolOps)("%s gives the reference's truth at every index", (_, op, f) => {
    fc.assert(
      fc.property(operands, ({ a, b, av, bv, at, bt }) => {
        const out = referenceBroadcast(a, b) as number[];
        const result = op(tensorOf(av, a, at), tensorOf(bv, b, bt));
        expect(result.dtype).toBe("bool");
        expect([...result.shape]).toEqual(out);
        expect(Array.from(result.toArray(), (v) => v === 1)).toEqual(indices(out).map((index) => f(read(av, a, index), read(bv, b, index))));
      }),
      { numRuns: 40 },
    );
  });

  it("pow broadcasts positive bases against any exponents", () => {
    fc.assert(
      fc.property(operands, ({ a, b, av, bv, at }) => {
        const bases = av.map((v) => Math.abs(v) + 0.5);
        const result = torch.pow(tensorOf(bases, a, at), tensorOf(bv, b, false));
        const out = referenceBroadcast(a, b) as number[];
        const expected = indices(out).map((index) => Math.fround(Math.pow(Math.fround(read(bases, a, index)), read(bv, b, index))));
        expect(Array.from(result.toArray())).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it("a number operand broadcasts like a 0-d tensor, on either side", () => {
    fc.assert(
      fc.property(outShapes.chain((s) => fc.tuple(fc.constant(s), valuesFor(s))), fc.integer({ min: -20, max: 20 }), ([shape, values], k) => {
        const x = tensorOf(values, shape, true);
        const number = k / 4;
        expect(Array.from(torch.sub(x, number).toArray())).toEqual(values.map((v) => Math.fround(v - number)));
        expect(Array.from(torch.sub(number, x).toArray())).toEqual(values.map((v) => Math.fround(number - v)));
        expect(Array.from(torch.sub(x, torch.tensor(number)).toArray())).toEqual(values.map((v) => Math.fround(v - number)));
      }),
      { numRuns: 60 },
    );
  });

  it("where broadcasts its condition and both values together", () => {
    const triples = outShapes.chain((out) =>
      fc.tuple(derived(out), derived(out), derived(out)).chain(([c, a, b]) =>
        fc.record({
          c: fc.constant(c),
          a: fc.constant(a),
          b: fc.constant(b),
          cv: fc.array(fc.boolean(), { minLength: count(c), maxLength: count(c) }),
          av: valuesFor(a),
          bv: valuesFor(b),
        }),
      ),
    );
    fc.assert(
      fc.property(triples, ({ c, a, b, cv, av, bv }) => {
        const condition = torch.tensor(cv, { dtype: "bool" }).reshape(c);
        const result = torch.where(condition, tensorOf(av, a, true), tensorOf(bv, b, false));
        const outShape = referenceBroadcast(referenceBroadcast(c, a) as number[], b) as number[];
        expect([...result.shape]).toEqual(outShape);
        const cNumbers = cv.map(Number);
        const expected = indices(outShape).map((index) => (read(cNumbers, c, index) ? read(av, a, index) : read(bv, b, index)));
        expect(Array.from(result.toArray())).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });
});

describe("broadcast views", () => {
  it("expand reads the same storage element for every index along a stretched dimension", () => {
    fc.assert(
      fc.property(compatiblePairs, ([out, a]) => {
        const values = Array.from({ length: count(a) }, (_, i) => i);
        const t = torch.tensor(values, { dtype: "float32" }).reshape(a);
        const e = t.expand(out);
        expect(e.storage).toBe(t.storage);
        const lead = out.length - a.length;
        out.forEach((size, d) => {
          if (d < lead || (a[d - lead] === 1 && size !== 1)) expect(e.stride(d)).toBe(0);
        });
        expect(Array.from(e.toArray())).toEqual(indices(out).map((index) => read(values, a, index)));
      }),
    );
  });
});
