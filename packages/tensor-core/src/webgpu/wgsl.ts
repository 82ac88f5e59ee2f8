/**
 * Small pieces of WGSL that several kernel families share.
 *
 * NaN and infinity need care in WGSL: a constant expression that evaluates to either is a
 * compile error, and shader compilers may assume floats are finite when simplifying `x != x`.
 * So NaN is recognised from its bits, and made from bits held in a variable (not a constant).
 */
import type { WgslStorageType } from "./storage.ts";

/** The type a kernel computes in: floats in f32, integers and booleans in i32. */
export type ComputeType = "f32" | "i32";

/** The type values of a storage type are computed in: booleans compute as i32. */
export function computeTypeOf(storage: WgslStorageType): ComputeType {
  return storage === "f32" ? "f32" : "i32";
}

/**
 * `isNan(x)`, `isInf(x)`, `nan()`, `inf()` for f32, and `expNan(x)`: `exp` that returns NaN for NaN
 * (SwiftShader's `exp(NaN)` is +∞, and WGSL does not forbid that).
 */
export const floatSpecials = `
fn isNan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn isInf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn nan() -> f32 { var bits = 0x7fc00000u; return bitcast<f32>(bits); }
fn inf() -> f32 { var bits = 0x7f800000u; return bitcast<f32>(bits); }
fn expNan(x: f32) -> f32 { if (isNan(x)) { return x; } return exp(x); }
`;

/**
 * A WGSL expression converting `expr` from type `from` to storage type `to`. Booleans are stored
 * as 0u/1u, and anything non-zero stored into a boolean becomes 1u, as on the CPU.
 */
export function convert(expr: string, from: WgslStorageType, to: WgslStorageType): string {
  if (from === to) return expr;
  if (to === "u32") return `u32(${expr} != ${from}(0))`;
  return `${to}(${expr})`;
}
