/**
 * The elementwise op table: for each op, the scalar function the CPU loop applies and the WGSL
 * expression the GPU shader applies. One line per op, so the two can be read side by side; the
 * kernels in `cpu.ts` and `webgpu.ts` only differ in how they walk the tensors.
 *
 * WGSL expressions use `x` (unary) or `a`, `b` (binary), already converted to the compute type
 * `T` (f32 or i32), and give a `T` (comparisons give 0 or 1). Functions ending in `T` (`powT`,
 * `maxT`, `isNanT`, ...) are defined for each `T` beside the shader in `webgpu.ts`: WGSL's own
 * `pow`, `max`, `log` and `sqrt` leave NaN, negative bases and domain errors undefined, where the
 * CPU column gives JavaScript's answers.
 */
import type { BinaryOp, UnaryOp } from "../../backend.ts";

export interface UnaryDef {
  cpu: (x: number) => number;
  wgsl: string;
}

export interface BinaryDef {
  cpu: (a: number, b: number) => number;
  wgsl: string;
}

/** NaN-propagating max and min, as PyTorch's `maximum`/`minimum` (Math.max already propagates). */
export const unaryOps: Record<UnaryOp, UnaryDef> = {
  neg: { cpu: (x) => -x, wgsl: "-x" },
  exp: { cpu: Math.exp, wgsl: "expNan(x)" },
  log: { cpu: Math.log, wgsl: "logT(x)" },
  sqrt: { cpu: Math.sqrt, wgsl: "sqrtT(x)" },
  abs: { cpu: Math.abs, wgsl: "abs(x)" },
  sign: { cpu: (x) => (Number.isNaN(x) ? x : Math.sign(x) + 0), wgsl: "select(sign(x), x, isNanT(x))" },
  tanh: { cpu: Math.tanh, wgsl: "tanhT(x)" },
  sigmoid: { cpu: (x) => 1 / (1 + Math.exp(-x)), wgsl: "1.0 / (1.0 + expNan(-x))" },
  relu: { cpu: (x) => (x > 0 ? x : Number.isNaN(x) ? x : 0), wgsl: "select(T(0), x, x > T(0) || isNanT(x))" },
  logicalNot: { cpu: (x) => (x === 0 ? 1 : 0), wgsl: "T(x == T(0))" },
};

export const binaryOps: Record<BinaryOp, BinaryDef> = {
  add: { cpu: (a, b) => a + b, wgsl: "a + b" },
  sub: { cpu: (a, b) => a - b, wgsl: "a - b" },
  mul: { cpu: (a, b) => a * b, wgsl: "a * b" },
  div: { cpu: (a, b) => a / b, wgsl: "a / b" },
  pow: { cpu: Math.pow, wgsl: "powT(a, b)" },
  maximum: { cpu: Math.max, wgsl: "maxT(a, b)" },
  minimum: { cpu: Math.min, wgsl: "minT(a, b)" },
  eq: { cpu: (a, b) => Number(a === b), wgsl: "T(a == b)" },
  ne: { cpu: (a, b) => Number(a !== b), wgsl: "T(a != b)" },
  lt: { cpu: (a, b) => Number(a < b), wgsl: "T(a < b)" },
  le: { cpu: (a, b) => Number(a <= b), wgsl: "T(a <= b)" },
  gt: { cpu: (a, b) => Number(a > b), wgsl: "T(a > b)" },
  ge: { cpu: (a, b) => Number(a >= b), wgsl: "T(a >= b)" },
  logicalAnd: { cpu: (a, b) => Number(a !== 0 && b !== 0), wgsl: "T(a != T(0) && b != T(0))" },
  logicalOr: { cpu: (a, b) => Number(a !== 0 || b !== 0), wgsl: "T(a != T(0) || b != T(0))" },
  // PyTorch's threshold_backward(grad, result, 0): `result <= 0 ? 0 : grad`, so NaN lets grad through
  reluBackward: { cpu: (a, b) => (b <= 0 ? 0 : a), wgsl: "select(a, T(0), b <= T(0))" },
};
