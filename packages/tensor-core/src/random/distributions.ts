/**
 * One random number at a time: how PyTorch 1.13 turns the twister's 32-bit words into uniform,
 * normal, integer and Bernoulli samples (its `at::*_distribution` classes). The tensor-filling code
 * in `fill.ts` calls these once per element, in PyTorch's order.
 */
import { fmaf } from "./float32-math.ts";
import type { Generator } from "./generator.ts";

const TWO_TO_MINUS_24 = 2 ** -24;
const TWO_TO_MINUS_53 = 2 ** -53;
const TWO_TO_32 = 2 ** 32;

/**
 * A float32 uniform in [0, 1): the low 24 bits of one word (a float32 has 24 bits of precision),
 * scaled by 2^-24.
 */
export function uniformFloat32(g: Generator): number {
  return (g.random() & 0xffffff) * TWO_TO_MINUS_24;
}

/**
 * A float64 uniform in [0, 1): the low 53 bits of `random64()`, scaled by 2^-53. The low 53 bits of
 * (hi · 2^32 + lo) are (hi mod 2^21) · 2^32 + lo, which a float64 holds exactly.
 */
export function uniformFloat64(g: Generator): number {
  const hi = g.random();
  const lo = g.random();
  return ((hi & 0x1fffff) * TWO_TO_32 + lo) * TWO_TO_MINUS_53;
}

/**
 * A float32 uniform in [from, to): `x · (to − from) + from` with x from `uniformFloat32`. PyTorch
 * rounds `from`, `to` and `to − from` to float32 first, and the compiled kernel fuses the multiply
 * and the add, so the result is rounded once.
 */
export function uniformFloat32Between(g: Generator, from: number, to: number): number {
  const low = Math.fround(from);
  const width = Math.fround(Math.fround(to) - low);
  return fmaf(uniformFloat32(g), width, low);
}

/**
 * A standard normal sample in float64, by the Box-Muller transform: two uniforms u1, u2 give the
 * two independent normals r·cos θ and r·sin θ, with r = √(−2 ln(1 − u2)) and θ = 2π·u1. The sine half
 * is kept in the generator and returned by the next call, as PyTorch does.
 */
export function normalFloat64(g: Generator): number {
  const cached = g.nextDoubleNormalSample;
  if (cached !== null) {
    g.nextDoubleNormalSample = null;
    return cached;
  }
  const u1 = uniformFloat64(g);
  const u2 = uniformFloat64(g);
  const r = Math.sqrt(-2 * Math.log(1 - u2)); // 1 − u2 is in (0, 1], so the log is finite
  const theta = 2 * Math.PI * u1;
  g.nextDoubleNormalSample = r * Math.sin(theta);
  return r * Math.cos(theta);
}

/**
 * An integer in [low, low + range): one word modulo `range`, or a 64-bit draw modulo `range` when
 * the range needs more than 32 bits. (The modulo makes small numbers very slightly more likely when
 * `range` does not divide 2^32; PyTorch accepts that bias, and so must we to match it.)
 */
export function integerBelow(g: Generator, range: number): number {
  if (range < TWO_TO_32) return g.random() % range;
  return Number(g.random64() % BigInt(range));
}

/** 1 with probability p, else 0, from a float64 uniform (PyTorch's `bernoulli_(float p)`). */
export function bernoulliFloat64(g: Generator, p: number): number {
  return uniformFloat64(g) < p ? 1 : 0;
}

/** 1 with probability p, else 0, from a float32 uniform (PyTorch's `bernoulli_(Tensor p)` with float32 p). */
export function bernoulliFloat32(g: Generator, p: number): number {
  return uniformFloat32(g) < p ? 1 : 0;
}
