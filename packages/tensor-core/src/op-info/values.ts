/**
 * Sample values for the op table. They come from a small generator of their own, seeded per
 * tensor, so a sample is the same in every test run, on every device, and whatever else has drawn
 * from torch's global generator. (The PyTorch twin of the table, `op-info.py` among the fixtures,
 * rebuilds the same values to record PyTorch's outputs.)
 *
 * Gradient checks compare autograd with finite differences, which only agree where the function is
 * smooth over the step. So besides plain values there are samples that keep away from trouble:
 * positive values for `log` and `sqrt`, values away from zero for divisors, and values that are all
 * distinct and off zero for the ops with kinks (`relu`, `abs`, `clamp`) or ties (`max`, pooling).
 */
import type { DType } from "../dtype.ts";
import { fromValues } from "../ops/creation.ts";
import type { Tensor } from "../tensor.ts";

/**
 * `count` numbers in [0, 1) from a linear congruential generator (the constants of Numerical
 * Recipes), started from `seed` through Knuth's multiplicative hash so nearby seeds differ.
 */
export function uniforms(count: number, seed: number): number[] {
  let state = (seed * 2654435761) >>> 0;
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 32;
  }
  return out;
}

function countOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Deterministic test values: float32 in [-2, 2), int64 in [-5, 5), or bools (about half true).
 * Integer and bool samples are small on purpose, so comparisons meet ties.
 */
export function sampleTensor(shape: readonly number[], seed = 1, dtype: DType = "float32"): Tensor {
  const values = uniforms(countOf(shape), seed).map((u) =>
    dtype === "float32" ? u * 4 - 2 : dtype === "int64" ? Math.floor(u * 10) - 5 : u < 0.5 ? 1 : 0,
  );
  return fromValues(values, shape, dtype);
}

/** Float32 values in [0.5, 2.5): inputs of `log`, `sqrt`, and bases of `pow` with float exponents. */
export function positiveTensor(shape: readonly number[], seed = 1): Tensor {
  return fromValues(uniforms(countOf(shape), seed).map((u) => u * 2 + 0.5), shape, "float32");
}

/** Float32 values in (-2, -0.5] ∪ [0.5, 2): divisors, and inputs whose reciprocal must stay tame. */
export function nonzeroTensor(shape: readonly number[], seed = 1): Tensor {
  return fromValues(uniforms(countOf(shape), seed).map((u) => (u < 0.5 ? -2 + 3 * u : 3 * u - 1)), shape, "float32");
}

/**
 * Tensors whose values are all different from each other (across all the shapes) and from zero:
 * with n values in all, they are ±(k − ½)·(2/n) for k = 1..n, each magnitude used once, in shuffled
 * order with random signs. Any two values, and any value and zero, are at least 1/n apart, and every
 * value is an odd multiple of 1/n, so a bound like `clamp(min: -0.5)` falls between values when it is
 * a multiple of 2/n.
 */
export function distinctTensors(shapes: readonly (readonly number[])[], seed = 1): Tensor[] {
  const n = shapes.reduce((sum, shape) => sum + countOf(shape), 0);
  const magnitudes = Array.from({ length: n }, (_, k) => k + 1);
  const u = uniforms(2 * n, seed);
  // Fisher–Yates shuffle driven by the first n draws, signs by the next n
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u[i] * (i + 1));
    [magnitudes[i], magnitudes[j]] = [magnitudes[j], magnitudes[i]];
  }
  const values = magnitudes.map((k, i) => (u[n + i] < 0.5 ? -1 : 1) * (k - 0.5) * (2 / n));
  let start = 0;
  return shapes.map((shape) => {
    const part = values.slice(start, start + countOf(shape));
    start += part.length;
    return fromValues(part, shape, "float32");
  });
}

/** One tensor of distinct values away from zero (see `distinctTensors`). */
export function distinctTensor(shape: readonly number[], seed = 1): Tensor {
  return distinctTensors([shape], seed)[0];
}
