/**
 * Python's ways of writing a float, which PyTorch's printing and reprs are made of:
 *
 * - `formatFloatFixed(x, 4)` is `'{:.4f}'.format(x)` (`%.4f`),
 * - `formatFloatScientific(x, 4)` is `'{:.4e}'.format(x)` (`%.4e`),
 * - `pythonFloatRepr(x)` is `repr(x)` (and `str(x)`), the shortest text that reads back as x.
 *
 * Python rounds the exact value of the double, exact ties to even, and writes exponents with a sign
 * and at least two digits (`1.5625e-04`). JavaScript rounds ties away from zero and writes `1.563e-4`,
 * so these are built on the exact decimal expansion instead (see `exact-decimal.ts`).
 */
import { divideRoundHalfEven, exactDecimal, roundToPlaces } from "./exact-decimal.ts";

/** Python's text for values that have no digits: `nan`, `inf`, `-inf`; null for finite x. */
function nonFinite(x: number): string | null {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  return null;
}

/** Python keeps the sign of negative zero and of negatives that round to zero (`-0.0000`). */
function signOf(x: number): string {
  return x < 0 || Object.is(x, -0) ? "-" : "";
}

/** Python's exponent: a sign, then at least two digits (`e+07`, `e-04`, `e+100`). */
function exponentText(exponent: number): string {
  return "e" + (exponent < 0 ? "-" : "+") + String(Math.abs(exponent)).padStart(2, "0");
}

function assertPrecision(digits: number): void {
  if (!Number.isInteger(digits) || digits < 0) throw new RangeError(`precision must be a whole number >= 0, got ${digits}`);
}

/**
 * `x` with `digits` decimals, as Python's `'{:.Nf}'.format(x)`: the exact value of the double,
 * rounded half to even (`formatFloatFixed(0.03125, 4)` is `0.0312`, `formatFloatFixed(2.5, 0)` is `2`).
 */
export function formatFloatFixed(x: number, digits: number): string {
  assertPrecision(digits);
  const special = nonFinite(x);
  if (special !== null) return special;
  const scaled = roundToPlaces(exactDecimal(x), digits).toString().padStart(digits + 1, "0");
  const whole = scaled.slice(0, scaled.length - digits);
  const fraction = scaled.slice(scaled.length - digits);
  return signOf(x) + whole + (digits > 0 ? "." + fraction : "");
}

/**
 * `x` in scientific notation with `digits` decimals, as Python's `'{:.Ne}'.format(x)`:
 * `formatFloatScientific(0.00015625, 4)` is `1.5625e-04`, `formatFloatScientific(100005, 4)` is
 * `1.0000e+05` (an exact tie, to even).
 */
export function formatFloatScientific(x: number, digits: number): string {
  assertPrecision(digits);
  const special = nonFinite(x);
  if (special !== null) return special;
  const significant = digits + 1;
  let mantissa: bigint;
  let exponent: number;
  if (x === 0) {
    mantissa = 0n;
    exponent = 0;
  } else {
    const exact = exactDecimal(x);
    const length = exact.digits.toString().length;
    // |x| = d.ddd... * 10^exponent, where d is the first of the exact digits
    exponent = length - 1 - exact.scale;
    const surplus = length - significant;
    mantissa =
      surplus > 0 ? divideRoundHalfEven(exact.digits, 10n ** BigInt(surplus)) : exact.digits * 10n ** BigInt(-surplus);
    // rounding 9.99995 up gives 10.0000: one digit too many, so shift it into the exponent
    if (mantissa.toString().length > significant) {
      mantissa /= 10n;
      exponent += 1;
    }
  }
  const text = mantissa.toString().padStart(significant, "0");
  return signOf(x) + text[0] + (digits > 0 ? "." + text.slice(1) : "") + exponentText(exponent);
}

/**
 * Python's `repr(x)` for a float: the shortest digits that read back as x, written plainly when the
 * decimal point falls near them (`0.1`, `1.0`, `0.0001`, `1e+16` is the first that is not) and in
 * scientific notation otherwise (`1e-05`, `1.5e+20`). PyTorch's module reprs use it: `eps=1e-05`.
 */
export function pythonFloatRepr(x: number): string {
  const special = nonFinite(x);
  if (special !== null) return special;
  if (x === 0) return signOf(x) + "0.0";
  // JavaScript already finds the shortest round-trip digits (the same ones Python finds); only the
  // layout differs. toExponential() with no argument gives them as `d.ddde±x`.
  const [mantissaText, exponentPart] = Math.abs(x).toExponential().split("e");
  const digits = mantissaText.replace(".", "");
  // Python's decpt: x = 0.DIGITS * 10^point
  const point = Number(exponentPart) + 1;
  let body: string;
  if (point > -4 && point <= 16) {
    if (point <= 0) body = "0." + "0".repeat(-point) + digits;
    else if (point >= digits.length) body = digits + "0".repeat(point - digits.length) + ".0";
    else body = digits.slice(0, point) + "." + digits.slice(point);
  } else {
    body = digits[0] + (digits.length > 1 ? "." + digits.slice(1) : "") + exponentText(point - 1);
  }
  return signOf(x) + body;
}
