/**
 * A number only counts when the result behind it is right. torchlet's CPU backend computes every
 * workload first; each other backend's results must match it before its time is recorded.
 * (torchlet's CPU kernels themselves are held against PyTorch and the reference loops by the
 * test suite; here a few rows of each of its products are recomputed in doubles, as a sanity check.)
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

/**
 * Recomputes four whole rows of the n×n product a @ b in doubles (the first, the last and two
 * between) and compares them: each entry within float32 rounding of its sum of |terms|.
 */
export function spotCheckMatmul(n: number, a: Float32Array, b: Float32Array, product: Float32Array): string | null {
  const rows = new Set([0, Math.floor(n / 3), Math.floor((2 * n) / 3), n - 1]);
  for (const i of rows) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let magnitude = 0;
      for (let p = 0; p < n; p++) {
        const term = a[i * n + p] * b[p * n + j];
        sum += term;
        magnitude += Math.abs(term);
      }
      const got = product[i * n + j];
      if (!(Math.abs(got - sum) <= 1e-5 * magnitude + 1e-30)) {
        return `the product is wrong at (${i}, ${j}): ${got}, recomputed in doubles ${sum}`;
      }
    }
  }
  return null;
}
