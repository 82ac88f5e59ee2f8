/**
 * Filling a tensor with random numbers, exactly as PyTorch 1.13 fills a CPU tensor: the same
 * numbers, drawn in the same order, by the same one of its two normal algorithms. The tensor may be
 * any view, on any device: the numbers are drawn on the CPU (see `draw-order.ts` for where each one
 * goes).
 *
 * Every check comes before the first draw, so bad input leaves the generator where it was.
 */
import { cpuArrayFor, type DType } from "../dtype.ts";
import { RuntimeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import {
  bernoulliFloat32,
  bernoulliFloat64,
  integerBelow,
  normalFloat64,
  uniformFloat32Between,
} from "./distributions.ts";
import { assertNoInternalOverlap, writeInDrawOrder } from "./draw-order.ts";
import { defaultGenerator, type Generator } from "./generator.ts";
import { fillNormalBlocks } from "./normal-blocks.ts";

/** PyTorch's C++ name of each dtype, as its "not implemented for" messages print it. */
const cppTypeName: Record<DType, string> = { float32: "Float", int64: "Long", bool: "Bool" };

function requireFloat(t: Tensor, kernel: string): void {
  if (t.dtype !== "float32") throw new RuntimeError(`"${kernel}" not implemented for '${cppTypeName[t.dtype]}'`);
}

/**
 * Fills `t` with samples of N(mean, std²) (what `t.normal_(mean, std)` and `randn` do).
 *
 * PyTorch has two algorithms and so do we. A contiguous float32 tensor of 16 or more elements takes
 * the vectorised one (`fillNormalBlocks`); anything else (fewer elements, or any non-contiguous
 * view, however large) takes the one-at-a-time float64 Box-Muller, which shares its remembered
 * second sample with the calls before and after it.
 */
export function fillNormal(t: Tensor, mean: number, std: number, generator: Generator = defaultGenerator): void {
  requireFloat(t, "normal_kernel_cpu");
  assertNoInternalOverlap(t);
  const n = t.numel();
  const values = new Float32Array(n);
  if (n >= 16 && t.isContiguous()) {
    fillNormalBlocks(values, mean, std, generator);
  } else {
    for (let i = 0; i < n; i++) values[i] = normalFloat64(generator) * std + mean;
  }
  writeInDrawOrder(t, values);
}

/** Fills `t` with samples of U(from, to), float32 (what `t.uniform_(from, to)` and `rand` do). */
export function fillUniform(t: Tensor, from: number, to: number, generator: Generator = defaultGenerator): void {
  requireFloat(t, "check_uniform_bounds");
  if (from > to) {
    throw new RuntimeError(`uniform_ expects to return a [from, to) range, but found from=${from} > to=${to}`);
  }
  if (to - from > 3.4028234663852886e38) {
    throw new RuntimeError(
      `uniform_ expects to-from <= std::numeric_limits<float>::max(), but found to=${to} and from=${from} which result in to-from to exceed the limit`,
    );
  }
  assertNoInternalOverlap(t);
  const values = new Float32Array(t.numel());
  for (let i = 0; i < values.length; i++) values[i] = uniformFloat32Between(generator, from, to);
  writeInDrawOrder(t, values);
}

/**
 * Fills `t` with integers drawn uniformly from [low, high) (what `randint` and PyTorch's
 * `t.random_(low, high)` do), stored in `t`'s dtype. `low` and `high` must be exact JavaScript
 * integers (|x| ≤ 2^53).
 */
export function fillRandomInteger(t: Tensor, low: number, high: number, generator: Generator = defaultGenerator): void {
  for (const bound of [low, high]) {
    if (!Number.isSafeInteger(bound)) {
      throw new TypeError(`randint bounds must be integers within ±2^53, got ${bound}`);
    }
  }
  if (low >= high) {
    throw new RuntimeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  }
  if (t.dtype === "bool") {
    if (low < 0 || low > 1) throw new RuntimeError("from is out of bounds for bool");
    if (high - 1 > 1) throw new RuntimeError("to - 1 is out of bounds for bool");
  }
  const range = high - low;
  if (!Number.isSafeInteger(range)) throw new TypeError(`randint range high - low must be within 2^53, got ${high} - ${low}`);
  assertNoInternalOverlap(t);
  const values = cpuArrayFor(t.dtype, t.numel());
  for (let i = 0; i < values.length; i++) values[i] = integerBelow(generator, range) + low;
  writeInDrawOrder(t, values);
}

/** Fills `t` with 1 (probability p) or 0, from float64 uniforms (what `t.bernoulli_(p)` does for a number p). */
export function fillBernoulli(t: Tensor, p: number, generator: Generator = defaultGenerator): void {
  if (!(p >= 0 && p <= 1)) throw new RuntimeError(`bernoulli_ expects p to be in [0, 1], but got p=${p}`);
  assertNoInternalOverlap(t);
  const values = cpuArrayFor(t.dtype, t.numel());
  for (let i = 0; i < values.length; i++) values[i] = bernoulliFloat64(generator, p);
  writeInDrawOrder(t, values);
}

/**
 * Fills `t` with 1 or 0, each element with its own probability from `probabilities` (a float32 CPU
 * tensor that broadcasts to `t`'s shape, already expanded to it), from float32 uniforms.
 */
export function fillBernoulliFromProbabilities(
  t: Tensor,
  probabilities: ArrayLike<number>,
  generator: Generator = defaultGenerator,
): void {
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i];
    if (!(p >= 0 && p <= 1)) {
      throw new RuntimeError(
        "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)",
      );
    }
  }
  assertNoInternalOverlap(t);
  const values = cpuArrayFor(t.dtype, t.numel());
  for (let i = 0; i < values.length; i++) values[i] = bernoulliFloat32(generator, probabilities[i]);
  writeInDrawOrder(t, values);
}
