/**
 * Shared pieces of the WebAssembly kernel tests: seeded random tensors in any layout, and the
 * comparison "equal within float32 rounding".
 *
 * The WebAssembly kernels sum in float32 and the reference loops in float64, so results differ by
 * rounding. Summing n terms in float32 moves the result by at most about n·2^-24 times the sum of
 * the terms' absolute values; that sum is the reference kernel run on the absolute values of the
 * operands. A kernel that reads a wrong element, drops an edge or mixes up a stride is off by far
 * more than that bound.
 */
import { expect } from "vitest";
import { CpuStorage } from "../src/storage.ts";
import { Tensor } from "../src/tensor.ts";

/** A small seeded generator (xorshift32), uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

/** A contiguous float32 tensor of values uniform in [-1, 1). */
export function randomTensor(shape: readonly number[], rng: () => number): Tensor {
  const n = shape.reduce((x, y) => x * y, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng() * 2 - 1;
  return Tensor.fromStorage(new CpuStorage(data, "float32"), shape);
}

/**
 * A float32 view with the given strides and offset into a storage whose unused slots hold NaN: a
 * kernel that reads a slot no element maps to gets NaN and fails the comparison.
 */
export function stridedTensor(shape: readonly number[], strides: readonly number[], offset: number, rng: () => number): Tensor {
  const last = shape.reduce((end, s, d) => end + (s - 1) * strides[d], offset);
  const data = new Float32Array(shape.includes(0) ? offset + 1 : last + 1).fill(NaN);
  const index = shape.map(() => 0);
  const count = shape.reduce((x, y) => x * y, 1);
  for (let e = 0; e < count; e++) {
    const slot = index.reduce((at, i, d) => at + i * strides[d], offset);
    data[slot] = rng() * 2 - 1; // a slot shared by several elements (stride 0) gets one value
    for (let d = shape.length - 1; d >= 0 && ++index[d] === shape[d]; d--) index[d] = 0;
  }
  return Tensor.fromStorage(new CpuStorage(data, "float32"), shape, strides, offset);
}

/** The same view over the absolute values of its storage. */
export function absolute(t: Tensor): Tensor {
  const data = (t.storage as CpuStorage).data.map(Math.abs);
  return Tensor.fromStorage(new CpuStorage(data, t.dtype), t.shape, t.stride(), t.storageOffset());
}

/** A fresh contiguous float32 tensor full of NaN, so an element a kernel forgets to write shows. */
export function nanTensor(shape: readonly number[]): Tensor {
  const n = shape.reduce((x, y) => x * y, 1);
  return Tensor.fromStorage(new CpuStorage(new Float32Array(n).fill(NaN), "float32"), shape);
}

/** The values of a tensor in row-major order. */
export function valuesOf(t: Tensor): number[] {
  return Array.from(t.contiguous().toArray());
}

/**
 * Checks |actual − expected| ≤ terms · 2^-24 · magnitude for every element, where `magnitude` is
 * the sum of the absolute values of the terms and `terms` bounds how many roundings happened.
 */
export function expectWithinRounding(actual: Tensor, expected: Tensor, magnitude: Tensor, terms: number, what = ""): void {
  const a = valuesOf(actual);
  const e = valuesOf(expected);
  const m = valuesOf(magnitude);
  expect(a.length).toBe(e.length);
  for (let i = 0; i < e.length; i++) {
    const allowed = terms * 2 ** -24 * m[i];
    if (!(Math.abs(a[i] - e[i]) <= allowed)) {
      throw new Error(`${what} element ${i}: ${a[i]}, reference ${e[i]}, allowed difference ${allowed}`);
    }
  }
}
