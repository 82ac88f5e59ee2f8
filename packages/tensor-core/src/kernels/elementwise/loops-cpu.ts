/**
 * The elementwise ops as row loops: one small function per op that runs the op along one row of
 * strided operands. They compute exactly what the op table (`ops.ts`) says, element by element;
 * the point of writing each loop out is speed.
 *
 * A single loop that calls `binaryOps[op].cpu(a, b)` for every element sees fifteen different
 * functions at that call site, so V8 cannot inline any of them and pays a full call per element
 * (and another for the store that converts the value to the output's dtype). Here each op has a
 * loop of its own, whose body V8 compiles to a few machine instructions; the op is chosen once
 * per row, outside the loop. `test/cpu-elementwise.test.ts` holds every loop against the op
 * table's scalar functions on random layouts and values.
 *
 * Each loop writes the raw result into `o`: right for a float32 output (storing rounds to float32,
 * as any store does) and for the boolean-valued ops into a bool output (their results are 0 or 1).
 * Other stores (int64 outputs truncate toward zero, a bool output keeps only truth) take the
 * general path in `cpu.ts`, which converts every value.
 */
import type { BinaryOp, UnaryOp } from "../../backend.ts";
import type { CpuArray } from "../../dtype.ts";

/**
 * Runs a binary op along one row of `n` elements: `o[po + i·so] = op(a[pa + i·sa], b[pb + i·sb])`.
 * A stride of 0 reads one element for the whole row (a broadcast scalar).
 */
export type BinaryRowLoop = (
  o: CpuArray, po: number, so: number,
  a: CpuArray, pa: number, sa: number,
  b: CpuArray, pb: number, sb: number,
  n: number,
) => void;

/** Runs a unary op along one row of `n` elements: `o[po + i·so] = op(x[px + i·sx])`. */
export type UnaryRowLoop = (o: CpuArray, po: number, so: number, x: CpuArray, px: number, sx: number, n: number) => void;

/** One row loop per binary op, each computing what `binaryOps[op].cpu` computes. */
export const binaryRowLoops: Record<BinaryOp, BinaryRowLoop> = {
  add: (o, po, so, a, pa, sa, b, pb, sb, n) => { for (let i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] + b[pb]; },
  sub: (o, po, so, a, pa, sa, b, pb, sb, n) => { for (let i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] - b[pb]; },
  mul: (o, po, so, a, pa, sa, b, pb, sb, n) => { for (let i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] * b[pb]; },
  div: (o, po, so, a, pa, sa, b, pb, sb, n) => { for (let i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] / b[pb]; },
  pow: (o, po, so, a, pa, sa, b, pb, sb, n) => { for (let i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = Math.pow(a[pa], b[pb]); },
  maximum: (o, po, so, a, pa, sa, b, pb, sb, n) => { for (let i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = Math.max(a[pa], b[pb]); },
  minimum: (o, po, so, a, pa, sa, b, pb, sb, n) => { for (let i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = Math.min(a[pa], b[pb]); },
  eq: (o, po, so, a, pa, sa, b, pb, sb, n) => { for (let i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] === b[pb] ? 1 : 0; },
  ne: (o, po, so, a, pa, sa, b, pb, sb, n) => { for (let i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] !== b[pb] ? 1 : 0; },
  lt: (o, po, so, a, pa, sa, b, pb, sb, n) => { for (let i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] < b[pb] ? 1 : 0; },
  le: (o, po, so, a, pa, sa, b, pb, sb, n) => { for (let i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] <= b[pb] ? 1 : 0; },
  gt: (o, po, so, a, pa, sa, b, pb, sb, n) => { for (let i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] > b[pb] ? 1 : 0; },
  ge: (o, po, so, a, pa, sa, b, pb, sb, n) => { for (let i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] >= b[pb] ? 1 : 0; },
  logicalAnd: (o, po, so, a, pa, sa, b, pb, sb, n) => { for (let i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] !== 0 && b[pb] !== 0 ? 1 : 0; },
  logicalOr: (o, po, so, a, pa, sa, b, pb, sb, n) => { for (let i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] !== 0 || b[pb] !== 0 ? 1 : 0; },
  reluBackward: (o, po, so, a, pa, sa, b, pb, sb, n) => { for (let i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = b[pb] <= 0 ? 0 : a[pa]; },
};

/** `copy` is the identity: a store that only changes the layout (and, into float32, rounds). */
export type UnaryLoopOp = UnaryOp | "copy";

/** One row loop per unary op (and `copy`), each computing what `unaryOps[op].cpu` computes. */
export const unaryRowLoops: Record<UnaryLoopOp, UnaryRowLoop> = {
  copy: (o, po, so, x, px, sx, n) => { for (let i = 0; i < n; i++, po += so, px += sx) o[po] = x[px]; },
  neg: (o, po, so, x, px, sx, n) => { for (let i = 0; i < n; i++, po += so, px += sx) o[po] = -x[px]; },
  exp: (o, po, so, x, px, sx, n) => { for (let i = 0; i < n; i++, po += so, px += sx) o[po] = Math.exp(x[px]); },
  log: (o, po, so, x, px, sx, n) => { for (let i = 0; i < n; i++, po += so, px += sx) o[po] = Math.log(x[px]); },
  sqrt: (o, po, so, x, px, sx, n) => { for (let i = 0; i < n; i++, po += so, px += sx) o[po] = Math.sqrt(x[px]); },
  abs: (o, po, so, x, px, sx, n) => { for (let i = 0; i < n; i++, po += so, px += sx) o[po] = Math.abs(x[px]); },
  sign: (o, po, so, x, px, sx, n) => { for (let i = 0; i < n; i++, po += so, px += sx) { const v = x[px]; o[po] = v !== v ? v : Math.sign(v) + 0; } },
  tanh: (o, po, so, x, px, sx, n) => { for (let i = 0; i < n; i++, po += so, px += sx) o[po] = Math.tanh(x[px]); },
  sigmoid: (o, po, so, x, px, sx, n) => { for (let i = 0; i < n; i++, po += so, px += sx) o[po] = 1 / (1 + Math.exp(-x[px])); },
  // NaN passes through (v !== v holds only for NaN); -0 becomes 0
  relu: (o, po, so, x, px, sx, n) => { for (let i = 0; i < n; i++, po += so, px += sx) { const v = x[px]; o[po] = v > 0 || v !== v ? v : 0; } },
  logicalNot: (o, po, so, x, px, sx, n) => { for (let i = 0; i < n; i++, po += so, px += sx) o[po] = x[px] === 0 ? 1 : 0; },
};

/**
 * `o = a + alpha·b` along one row, alpha·b rounded to float32 first (`alpha` is already a float32
 * value), as PyTorch's add with alpha: the same numbers as a float32 product stored, then added.
 */
export function addScaledRow(
  o: CpuArray, po: number, so: number,
  a: CpuArray, pa: number, sa: number,
  b: CpuArray, pb: number, sb: number,
  n: number, alpha: number,
): void {
  for (let i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] + Math.fround(alpha * b[pb]);
}
