/**
 * Single-precision arithmetic that reproduces, bit for bit, what PyTorch's vectorised normal kernel
 * computes on an AVX2 machine.
 *
 * JavaScript computes in float64. `Math.fround` rounds a float64 to the nearest float32, and for
 * one +, -, × or √ of float32 operands, computing in float64 and then rounding gives exactly the
 * float32 result. Two things need more care:
 *
 * - **Fused multiply-add.** The C++ compiler fuses `a * b + c` into one FMA instruction, which rounds
 *   once. `fmaf` below does the same in JavaScript.
 * - **log, sin and cos.** PyTorch's kernel does not call the C library: it evaluates the Cephes
 *   polynomials (the `sse_mathfun`/`avx_mathfun` family) in float32, step by step. `logf` and
 *   `sincosf` below follow the same steps in the same order, with FMAs where the compiled kernel has
 *   them. `Math.log`/`Math.cos` rounded to float32 would differ from PyTorch in about one value in
 *   six, by one to three units in the last place.
 *
 * Which products the compiler fused is not written in PyTorch's source; it was found by trying the
 * possibilities against 640,000 samples of PyTorch 1.13's `randn` (x86-64, AVX2), of which this
 * arrangement reproduces every one.
 */

const f32 = Math.fround;

// views of one 4-byte buffer, to read and write a float32's bits
const floatCell = new Float32Array(1);
const bitsCell = new Uint32Array(floatCell.buffer);

function bitsOf(x: number): number {
  floatCell[0] = x;
  return bitsCell[0];
}

function fromBits(bits: number): number {
  bitsCell[0] = bits;
  return floatCell[0];
}

/**
 * a · b + c for float32 operands, rounded once to float32 (C's `fmaf`).
 *
 * The product of two float32s has at most 48 significant bits, so `a * b` is exact in float64; the
 * sum is not, and rounding it first to float64 and then to float32 can differ from rounding the
 * exact value once. That happens only when the float64 sum lands exactly halfway between two
 * float32s; then the sign of the sum's rounding error (found exactly by Knuth's two-sum) decides.
 */
export function fmaf(a: number, b: number, c: number): number {
  const product = a * b;
  const sum = product + c;
  const rounded = f32(sum);
  if (rounded === sum) return rounded; // the exact result is within a float64 rounding of a float32
  // sum is halfway between `rounded` and another float32 exactly when its mirror image is one
  const mirror = 2 * sum - rounded;
  if (f32(mirror) !== mirror) return rounded;
  const bVirtual = sum - product;
  const error = product - (sum - bVirtual) + (c - bVirtual); // exact: a·b + c = sum + error
  if (error === 0) return rounded; // a true tie, which f32 broke to even, as it should
  return error > 0 ? Math.max(rounded, mirror) : Math.min(rounded, mirror);
}

// The Cephes coefficients, rounded to float32 as the C++ constants are.
const SQRT_HALF = f32(0.707106781186547524);
const LOG_P = [
  7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1,
  2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
].map(f32);
const LOG_Q1 = f32(-2.12194440e-4); // ln 2 = Q2 - Q1 split in two parts, the first exact in few bits
const LOG_Q2 = f32(0.693359375);
const MIN_NORMAL = fromBits(0x00800000);

/**
 * The natural logarithm of a positive float32, as PyTorch's AVX2 `log256_ps` computes it: write
 * x = m · 2^e with m in [√½, √2), then log x = e·ln 2 + log m, with log m from a degree-9 polynomial
 * in (m − 1).
 */
export function logf(x: number): number {
  if (!(x > 0)) return NaN;
  const bits = bitsOf(Math.max(x, MIN_NORMAL));
  let e = (bits >>> 23) - 127 + 1;
  let m = fromBits((bits & 0x807fffff) | 0x3f000000); // the mantissa, scaled into [0.5, 1)
  if (m < SQRT_HALF) {
    e -= 1;
    m = f32(f32(m - 1) + m); // 2m − 1
  } else {
    m = f32(m - 1);
  }
  const z = f32(m * m);
  let y = LOG_P[0];
  for (let i = 1; i < LOG_P.length; i++) y = fmaf(y, m, LOG_P[i]);
  y = f32(y * m);
  y = fmaf(y, z, f32(e * LOG_Q1)); // the compiler fused y·z (not e·Q1) into this add
  y = f32(y - f32(z * 0.5));
  const sum = f32(m + y);
  return fmaf(e, LOG_Q2, sum);
}

const FOUR_OVER_PI = f32(1.27323954473516);
// π/4 in three parts, so that x − j·π/4 keeps its precision ("extended precision modular arithmetic")
const MINUS_PI_4 = [-0.78515625, -2.4187564849853515625e-4, -3.77489497744594108e-8].map(f32);
const SIN_P = [-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1].map(f32);
const COS_P = [2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2].map(f32);

/**
 * sin x and cos x of a float32, as PyTorch's AVX2 `sincos256_ps` computes them: reduce x to
 * [−π/4, π/4] by a multiple j of π/4, evaluate the sine and cosine polynomials there, and let j pick
 * which polynomial and which sign each result takes.
 */
export function sincosf(x: number): { sin: number; cos: number } {
  const negative = x < 0;
  let r = Math.abs(x);
  // j = the integer part of |x|·4/π, rounded up to even
  let j = Math.trunc(f32(r * FOUR_OVER_PI));
  j = (j + 1) & ~1;
  r = fmaf(j, MINUS_PI_4[0], r);
  r = fmaf(j, MINUS_PI_4[1], r);
  r = fmaf(j, MINUS_PI_4[2], r);
  const z = f32(r * r);

  let cosPoly = COS_P[0];
  cosPoly = fmaf(cosPoly, z, COS_P[1]);
  cosPoly = fmaf(cosPoly, z, COS_P[2]);
  cosPoly = f32(cosPoly * z);
  cosPoly = fmaf(cosPoly, z, -f32(z * 0.5));
  cosPoly = f32(cosPoly + 1);

  let sinPoly = SIN_P[0];
  sinPoly = fmaf(sinPoly, z, SIN_P[1]);
  sinPoly = fmaf(sinPoly, z, SIN_P[2]);
  sinPoly = f32(sinPoly * z);
  sinPoly = fmaf(sinPoly, r, r);

  // in octants where (j & 2) is set, sine and cosine swap polynomials
  const swap = (j & 2) !== 0;
  const sin = swap ? cosPoly : sinPoly;
  const cos = swap ? sinPoly : cosPoly;
  const sinNegative = negative !== ((j & 4) !== 0);
  const cosNegative = ((j - 2) & 4) === 0;
  return { sin: sinNegative ? -sin : sin, cos: cosNegative ? -cos : cos };
}
