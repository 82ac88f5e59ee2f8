/**
 * The parts under the random functions, against truths from outside them: the Mersenne Twister's
 * published outputs, exact rational arithmetic for the fused multiply-add, the C library's log/sin/
 * cos for the float32 polynomials, and properties of the order in which views are filled.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as torch from "../src/index.ts";
import { MersenneTwister } from "../src/random/mt19937.ts";
import { fmaf, logf, sincosf } from "../src/random/float32-math.ts";
import { denseStridesLike } from "../src/shape.ts";

describe("mt19937", () => {
  it("gives the reference outputs for the default seed 5489", () => {
    // the first outputs of the reference implementation (mt19937ar.c) seeded with init_genrand(5489)
    const mt = new MersenneTwister(5489);
    expect([mt.random(), mt.random(), mt.random(), mt.random(), mt.random()]).toEqual([
      3499211612, 581869302, 3890346734, 3586334585, 545404204,
    ]);
  });

  it("gives 4123659995 as its 10000th output, as the C++ standard requires of std::mt19937", () => {
    const mt = new MersenneTwister(5489);
    let last = 0;
    for (let i = 0; i < 10000; i++) last = mt.random();
    expect(last).toBe(4123659995);
  });

  it("random64 is two outputs, the first as the high half", () => {
    const a = new MersenneTwister(7);
    const b = new MersenneTwister(7);
    for (let i = 0; i < 700; i++) {
      const hi = BigInt(b.random());
      const lo = BigInt(b.random());
      expect(a.random64()).toBe((hi << 32n) | lo);
    }
  });

  it("uses only the low 32 bits of a seed", () => {
    const g = new torch.Generator().manualSeed(2n ** 40n + 7n);
    const h = new torch.Generator().manualSeed(7);
    expect(torch.rand(5, { generator: g }).tolist()).toEqual(torch.rand(5, { generator: h }).tolist());
    expect(g.initialSeed()).toBe(2 ** 40 + 7);
  });
});

// ---------------------------------------------------------------- fmaf against exact arithmetic

/** x (a finite double) as an exact integer times a power of two. */
function exact(x: number): { m: bigint; e: number } {
  if (x === 0) return { m: 0n, e: 0 };
  let e = 0;
  let m = Math.abs(x);
  while (!Number.isInteger(m)) {
    m *= 2;
    e--;
  }
  return { m: BigInt(x < 0 ? -m : m), e };
}

/** a·b + c rounded once to float32 (ties to even), by integer arithmetic: the reference for fmaf. */
function fmafReference(a: number, b: number, c: number): number {
  const [ea, eb, ec] = [exact(a), exact(b), exact(c)];
  const pe = ea.e + eb.e;
  const low = Math.min(pe, ec.e);
  const sum = ((ea.m * eb.m) << BigInt(pe - low)) + (ec.m << BigInt(ec.e - low));
  // an exact zero is -0 only when both terms are -0 (IEEE 754's rule for round-to-nearest)
  if (sum === 0n) return Object.is(a * b, -0) && Object.is(c, -0) ? -0 : 0;
  const negative = sum < 0n;
  let mag = negative ? -sum : sum;
  let shift = mag.toString(2).length - 24;
  if (shift > 0) {
    const q = mag >> BigInt(shift);
    const rest = mag - (q << BigInt(shift));
    const half = 1n << BigInt(shift - 1);
    mag = rest > half || (rest === half && (q & 1n) === 1n) ? q + 1n : q;
  } else {
    shift = 0;
  }
  const value = Number(mag) * 2 ** (low + shift);
  return negative ? -value : value;
}

/** Normal float32s of moderate size (the reference above does not model subnormals). */
const moderateFloat = fc
  .float({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })
  .filter((x) => x === 0 || Math.abs(x) >= 1e-6);

describe("fmaf", () => {
  it("rounds once where rounding to float64 first would round the wrong way", () => {
    // a·b is just under half a float32 ulp of c; in float64 the sum lands exactly on the tie
    const a = Math.fround((1 - 2 ** -23) * 2 ** -24);
    const b = Math.fround(1 + 2 ** -23);
    const c = Math.fround(1 + 2 ** -23);
    expect(Math.fround(a * b + c)).toBe(1 + 2 ** -22); // double rounding: the tie goes to even
    expect(fmaf(a, b, c)).toBe(1 + 2 ** -23); // correct: below the tie
    expect(fmafReference(a, b, c)).toBe(1 + 2 ** -23);
  });

  it("equals exact rounding for any float32 operands", () => {
    fc.assert(
      fc.property(moderateFloat, moderateFloat, moderateFloat, (a, b, c) => {
        expect(fmaf(a, b, c)).toBe(fmafReference(a, b, c));
      }),
      { numRuns: 2000 },
    );
  });

  it("equals exact rounding next to ties, where double rounding fails", () => {
    // a·b = (ulp(c)/2)·(1 − k²·2^-46): a hair from the midpoint between c and its neighbour
    const nearTie = fc
      .record({
        c: fc.float({ min: 1, max: 1e6, noNaN: true }),
        k: fc.integer({ min: 1, max: 64 }),
        sign: fc.constantFrom(1, -1),
      })
      .map(({ c, k, sign }) => {
        const ulp = 2 ** (Math.floor(Math.log2(c)) - 23);
        return { a: Math.fround(sign * (ulp / 2) * (1 - k * 2 ** -23)), b: Math.fround(1 + k * 2 ** -23), c: Math.fround(c) };
      });
    let naiveWrong = 0;
    fc.assert(
      fc.property(nearTie, ({ a, b, c }) => {
        const expected = fmafReference(a, b, c);
        expect(fmaf(a, b, c)).toBe(expected);
        if (Math.fround(a * b + c) !== expected) naiveWrong++;
      }),
      { numRuns: 500 },
    );
    expect(naiveWrong).toBeGreaterThan(0); // the cases are hard ones
  });
});

// ---------------------------------------------------------------- the float32 polynomials

const ulp32 = (x: number) => 2 ** (Math.floor(Math.log2(Math.abs(x))) - 23);

describe("logf and sincosf (PyTorch's AVX2 polynomials)", () => {
  it("logf is within 2 float32 ulps of the true log on (2^-24, 1]", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 24 }), (k) => {
        const x = k * 2 ** -24;
        const truth = Math.log(x);
        if (truth === 0) expect(logf(x)).toBe(0);
        else expect(Math.abs(logf(x) - truth)).toBeLessThanOrEqual(2 * ulp32(truth));
      }),
      { numRuns: 3000 },
    );
  });

  it("sincosf is within 2^-22 of the true sine and cosine on [0, 2π)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 24 - 1 }), (k) => {
        const theta = Math.fround(Math.fround(2 * Math.PI) * (k * 2 ** -24));
        const { sin, cos } = sincosf(theta);
        expect(Math.abs(sin - Math.sin(theta))).toBeLessThanOrEqual(2 ** -22);
        expect(Math.abs(cos - Math.cos(theta))).toBeLessThanOrEqual(2 ** -22);
      }),
      { numRuns: 3000 },
    );
  });

  it("logf of 1 is 0 and of non-positive numbers NaN", () => {
    expect(logf(1)).toBe(0);
    expect(logf(0)).toBeNaN();
    expect(logf(-1)).toBeNaN();
  });
});

// ---------------------------------------------------------------- the order of a fill

/** A shape of 1-4 dimensions and a permutation of its dimensions. */
const shapeAndPermutation = fc
  .array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 })
  .chain((shape) =>
    fc.shuffledSubarray([...shape.keys()], { minLength: shape.length, maxLength: shape.length }).map((perm) => ({ shape, perm })),
  );

describe("fills follow memory order, as PyTorch's TensorIterator does", () => {
  it("uniform_ into a permuted view fills the storage as rand fills a fresh tensor", () => {
    fc.assert(
      fc.property(shapeAndPermutation, fc.nat(1000), ({ shape, perm }, seed) => {
        const base = torch.zeros(shape);
        torch.manualSeed(seed);
        base.permute(perm).uniform_();
        torch.manualSeed(seed);
        expect(base.toArray()).toEqual(torch.rand(shape).toArray());
      }),
      { numRuns: 200 },
    );
  });

  it("normal_ into a permuted view fills the storage in order, on the path its contiguity picks", () => {
    fc.assert(
      fc.property(shapeAndPermutation, fc.nat(1000), ({ shape, perm }, seed) => {
        const base = torch.zeros(shape);
        const view = base.permute(perm);
        const n = view.numel();
        torch.manualSeed(seed);
        view.normal_();
        torch.manualSeed(seed);
        // a strided 1-d view of n elements always takes the one-at-a-time path
        const reference = view.isContiguous() || n === 1 ? torch.randn(n) : torch.zeros(2 * n).slice(0, 0, 2 * n, 2).normal_();
        expect(base.toArray()).toEqual(reference.contiguous().toArray());
      }),
      { numRuns: 200 },
    );
  });

  it("a fill of a slice leaves the rest of the storage untouched", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.nat(8), (rows, cols, at) => {
        const start = at % rows;
        const base = torch.full([rows, cols], 7, { dtype: "float32" });
        const view = base.narrow(0, start, rows - start).t();
        view.uniform_(-1, 1);
        const values = base.toArray();
        for (let i = 0; i < rows * cols; i++) {
          if (Math.floor(i / cols) < start) expect(values[i]).toBe(7);
          else expect(Math.abs(values[i])).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("denseStridesLike keeps the dimension order and leaves no gaps", () => {
    fc.assert(
      fc.property(shapeAndPermutation, ({ shape, perm }) => {
        const view = torch.zeros(shape).permute(perm);
        const strides = denseStridesLike(view.shape, view.stride());
        const dense = torch.Tensor.fromStorage(view.storage, view.shape, strides);
        const backToRowMajor = [...perm.keys()].map((i) => perm.indexOf(i));
        expect(dense.permute(backToRowMajor).isContiguous()).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
