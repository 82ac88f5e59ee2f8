/**
 * A number only counts when the result behind it is right. torchlet's CPU backend computes every
 * workload first; each other backend's results must match it before its time is recorded.
 * (torchlet's CPU kernels themselves are held against PyTorch and the reference loops by the
 * test suite; here a few entries of each of its products are recomputed in doubles, as a sanity check.)
 */

/**
 * Why `actual` is not `expected`, or null when it is: every element within 0.1 % of the largest
 * magnitude in `expected`. Summation order differs between backends, so exact equality is not
 * expected; a broken kernel (a wrong layout, missing terms, garbage) misses by far more.
 */
export function mismatch(actual: readonly Float32Array[], expected: readonly Float32Array[]): string | null {
  if (actual.length !== expected.length) return `${actual.length} results, expected ${expected.length}`;
  for (let r = 0; r < expected.length; r++) {
    const a = actual[r];
    const e = expected[r];
    if (a.length !== e.length) return `result ${r} has ${a.length} values, expected ${e.length}`;
    let largest = 0;
    for (let i = 0; i < e.length; i++) largest = Math.max(largest, Math.abs(e[i]));
    const tolerance = 1e-3 * largest;
    for (let i = 0; i < e.length; i++) {
      if (!(Math.abs(a[i] - e[i]) <= tolerance)) {
        return `result ${r} differs from torchlet-cpu at element ${i}: ${a[i]} vs ${e[i]} (tolerance ${tolerance.toPrecision(3)})`;
      }
    }
  }
  return null;
}

/** Recomputes `samples` entries of the n×n product a @ b in doubles and compares them. */
export function spotCheckMatmul(n: number, a: Float32Array, b: Float32Array, product: Float32Array, samples = 32): string | null {
  for (let s = 0; s < samples; s++) {
    const i = (s * 7919) % n;
    const j = (s * 104729 + 13) % n;
    let sum = 0;
    let magnitude = 0;
    for (let p = 0; p < n; p++) {
      sum += a[i * n + p] * b[p * n + j];
      magnitude += Math.abs(a[i * n + p] * b[p * n + j]);
    }
    const got = product[i * n + j];
    if (!(Math.abs(got - sum) <= 1e-5 * magnitude + 1e-30)) {
      return `torchlet-cpu's product is wrong at (${i}, ${j}): ${got}, recomputed ${sum}`;
    }
  }
  return null;
}
