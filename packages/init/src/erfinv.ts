/**
 * The error function and its inverse, in double precision. JavaScript's Math has neither;
 * `truncNormal_` needs both: erf for the normal distribution's CDF, erfinv to turn uniform numbers
 * into normal ones (inverse-CDF sampling).
 *
 *   erf(x) = 2/√π ∫₀ˣ e^(−t²) dt,   Φ(x) = (1 + erf(x/√2)) / 2   (the standard normal CDF)
 */

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * erf(x), to about one part in 10^15.
 *
 * Uses the series erf(x) = 2/√π · e^(−x²) · Σₙ 2ⁿ x^(2n+1) / (1·3·5···(2n+1)), whose terms are all
 * positive (no cancellation) and converge for every x; each term is the previous one times
 * 2x² / (2n + 3). Beyond |x| = 6, erf(x) is ±1 to double precision.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) >= 6) return Math.sign(x);
  const twoXSquared = 2 * x * x;
  let term = x;
  let sum = x;
  for (let n = 0; Math.abs(term) > Math.abs(sum) * 1e-17; n++) {
    term *= twoXSquared / (2 * n + 3);
    sum += term;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
}

/**
 * erfc(x) = 1 − erf(x), accurate also where it is tiny: for large x, 1 − erf(x) would subtract two
 * numbers that agree in almost every digit. From x = 2 on it comes from the continued fraction
 *
 *   erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + (2/2)/(x + (3/2)/(x + ...))))
 *
 * evaluated front to back by Lentz's method.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 2) return 1 - erf(x);
  const tiny = 1e-300; // stands in for a zero denominator, as Lentz's method prescribes
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 1000; n++) {
    d = x + (n / 2) * d;
    d = 1 / (d === 0 ? tiny : d);
    c = x + n / 2 / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/**
 * erfinv(y): the x with erf(x) = y, for y in [−1, 1] (±Infinity at ±1, NaN outside).
 *
 * A closed-form approximation (Winitzki's, good to about 0.2%) gives the start, then Newton's
 * method, x ← x − (erf(x) − y) / erf′(x) with erf′(x) = 2/√π · e^(−x²), refines it; convergence is
 * quadratic, so three or four steps reach double precision, far beyond the float32 values that
 * tensors hold. For |y| > 1/2 the step is written with erfc(|x|) − (1 − |y|) instead, the same
 * difference without the cancellation of two numbers close to 1.
 */
export function erfinv(y: number): number {
  if (Number.isNaN(y) || Math.abs(y) > 1) return NaN;
  if (Math.abs(y) === 1) return y * Infinity;
  if (y === 0) return y; // keeps the sign of -0
  const a = 0.147;
  const lnOneMinusYSquared = Math.log((1 - y) * (1 + y));
  const t = 2 / (Math.PI * a) + lnOneMinusYSquared / 2;
  let x = Math.sign(y) * Math.sqrt(Math.sqrt(t * t - lnOneMinusYSquared / a) - t);
  const tail = Math.abs(y) > 0.5;
  for (let step = 0; step < 20; step++) {
    const residual = tail ? Math.sign(y) * (1 - Math.abs(y) - erfc(Math.abs(x))) : erf(x) - y;
    const dx = residual / (TWO_OVER_SQRT_PI * Math.exp(-x * x));
    x -= dx;
    if (Math.abs(dx) <= 1e-15 * Math.abs(x)) break;
  }
  return x;
}
