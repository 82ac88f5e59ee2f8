/**
 * The exact decimal value of a double, and rounding it the way Python does.
 *
 * Every finite double is a fraction m / 2^k, and 1 / 2^k = 5^k / 10^k, so every double has a
 * finite decimal expansion: `digits / 10^scale` with whole-number `digits`. Working on that exact
 * expansion with BigInt makes rounding a matter of integer division, with no floating-point
 * surprises: an exact tie (0.03125 to four places) is seen as a tie and goes to the even neighbour,
 * as Python's `'{:.4f}'` does. JavaScript's `toFixed` and `toExponential` round ties away from zero
 * instead, which is why printing cannot lean on them.
 */

/** A non-negative finite double written exactly as `digits / 10^scale`. */
export interface ExactDecimal {
  readonly digits: bigint;
  readonly scale: number;
}

const bits = new DataView(new ArrayBuffer(8));

/** The exact decimal value of |x| (x finite). */
export function exactDecimal(x: number): ExactDecimal {
  bits.setFloat64(0, x);
  const high = bits.getUint32(0);
  const low = bits.getUint32(4);
  const biasedExponent = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  // normal numbers carry an implicit leading 1 bit; subnormals do not, and share the lowest exponent
  const mantissa = biasedExponent === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biasedExponent === 0 ? 1 : biasedExponent) - 1075; // |x| = mantissa * 2^exponent
  if (exponent >= 0) return { digits: mantissa << BigInt(exponent), scale: 0 };
  return { digits: mantissa * 5n ** BigInt(-exponent), scale: -exponent };
}

/** `numerator / divisor` rounded to the nearest whole number, exact ties to the even one. */
export function divideRoundHalfEven(numerator: bigint, divisor: bigint): bigint {
  const quotient = numerator / divisor;
  const twiceRemainder = 2n * (numerator % divisor);
  if (twiceRemainder > divisor) return quotient + 1n;
  if (twiceRemainder === divisor && quotient % 2n === 1n) return quotient + 1n;
  return quotient;
}

/** The whole number n such that n / 10^places is `value` rounded to `places` decimals. */
export function roundToPlaces(value: ExactDecimal, places: number): bigint {
  if (places >= value.scale) return value.digits * 10n ** BigInt(places - value.scale);
  return divideRoundHalfEven(value.digits, 10n ** BigInt(value.scale - places));
}
