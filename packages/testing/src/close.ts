/**
 * Comparing numbers as PyTorch's `torch.testing.assert_close` does: |actual − expected| ≤
 * atol + rtol·|expected|, with NaN equal to NaN and infinities equal only to themselves.
 */
export interface Tolerance {
  rtol?: number;
  atol?: number;
}

/** The first index where the two lists differ beyond tolerance, or -1. */
export function firstMismatch(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance = {}): number {
  const rtol = tol.rtol ?? 1e-5;
  const atol = tol.atol ?? 1e-5;
  if (actual.length !== expected.length) return Math.min(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) ? !Number.isNaN(a) : !Number.isFinite(e) ? a !== e : !(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      return i;
    }
  }
  return -1;
}

/** Throws a readable error when the two lists of numbers are not close. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance = {}, what = "values"): void {
  if (actual.length !== expected.length) {
    throw new Error(`${what}: expected ${expected.length} numbers, got ${actual.length}`);
  }
  const i = firstMismatch(actual, expected, tol);
  if (i >= 0) {
    throw new Error(
      `${what}: element ${i} is ${actual[i]}, expected ${expected[i]} (rtol ${tol.rtol ?? 1e-5}, atol ${tol.atol ?? 1e-5})`,
    );
  }
}
