/**
 * Elementwise kernels on the CPU: fill, copy, unary, binary and where.
 *
 * Two paths compute the same values:
 * - the fast path runs the op's own loop (`loops-cpu.ts`). Where every operand is contiguous or
 *   a broadcast scalar, that is one call over all the elements; other layouts are first merged
 *   into as few dimensions as they allow (`coalesce`: a bias added to every row of a matrix is
 *   one row per matrix row) and the loop runs along each row;
 * - the general path walks the output row by row and applies the op table's scalar function and
 *   the output's store to every element. It serves the stores that convert values (into int64,
 *   and arithmetic into bool), and is the reference the fast path is tested against.
 */
import type { BinaryOp, UnaryOp } from "../../backend.ts";
import type { CpuArray } from "../../dtype.ts";
import type { CpuStorage } from "../../storage.ts";
import type { Tensor } from "../../tensor.ts";
import { coalesce, forEachRow, innerStrides, layoutOf, linearStride, rowLength } from "../strided-cpu.ts";
import { addScaledRow, binaryRowLoops, unaryRowLoops, type BinaryRowLoop, type UnaryLoopOp, type UnaryRowLoop } from "./loops-cpu.ts";
import { binaryOps, unaryOps } from "./ops.ts";

/** The typed array behind a CPU tensor's storage. */
export function dataOf(t: Tensor): CpuArray {
  return (t.storage as CpuStorage).data;
}

/**
 * What a store into `out` keeps: a bool tensor only truth (any non-zero value becomes 1), an int64
 * tensor the integer part, as C's cast toward zero does (copying -1.7 gives -1, and `2 ** -1` in
 * integers is 0), without JavaScript's negative zero.
 */
function storeFor(out: Tensor): (v: number) => number {
  if (out.dtype === "bool") return (v) => (v !== 0 ? 1 : 0);
  if (out.dtype === "int64") return (v) => Math.trunc(v) + 0;
  return (v) => v;
}

/** The ops whose every result is 0 or 1, so that storing it into a bool tensor changes nothing. */
const booleanValued = new Set<BinaryOp>(["eq", "ne", "lt", "le", "gt", "ge", "logicalAnd", "logicalOr"]);

/**
 * The row loop that computes `op` into `out` exactly as the general path would, or null where the
 * store must convert values (then the general path runs). Exported for the tests.
 */
export function fastBinaryLoop(op: BinaryOp, out: Tensor): BinaryRowLoop | null {
  if (out.dtype === "float32" || (out.dtype === "bool" && booleanValued.has(op))) return binaryRowLoops[op];
  return null;
}

/** Like `fastBinaryLoop`, for the unary ops and `copy` (the identity) reading `x`. */
export function fastUnaryLoop(op: UnaryLoopOp, x: Tensor, out: Tensor): UnaryRowLoop | null {
  if (out.dtype === "float32") return unaryRowLoops[op];
  if (out.dtype === "bool" && op === "logicalNot") return unaryRowLoops[op];
  if (op === "copy" && x.dtype === out.dtype) return unaryRowLoops[op]; // int64 and bool values are already stored right
  return null;
}

/** Sets every element of `out` (any layout) to `value`. */
export function fill(out: Tensor, value: number): void {
  const o = dataOf(out);
  if (out.isContiguous()) {
    o.fill(value, out.storageOffset(), out.storageOffset() + out.numel());
    return;
  }
  const { shape, operands } = coalesce(out.shape, [layoutOf(out)]);
  const n = rowLength(shape);
  const [so] = innerStrides(shape, operands);
  forEachRow(shape, operands, (s) => {
    for (let i = 0, p = s[0]; i < n; i++, p += so) o[p] = value;
  });
}

/** Copies `src` into `out` (same shape, any layouts), converting to out's dtype. */
export function copy(src: Tensor, out: Tensor): void {
  const loop = fastUnaryLoop("copy", src, out);
  if (loop) runUnary(loop, src, out);
  else unaryStrided("copy", src, out);
}

/** out = op(x), element by element. */
export function unary(op: UnaryOp, x: Tensor, out: Tensor): void {
  const loop = fastUnaryLoop(op, x, out);
  if (loop) runUnary(loop, x, out);
  else unaryStrided(op, x, out);
}

/** out = op(a, b), element by element; `a` and `b` are already broadcast to out's shape. */
export function binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void {
  const loop = fastBinaryLoop(op, out);
  if (loop) runBinary(loop, a, b, out);
  else binaryStrided(op, a, b, out);
}

/**
 * out = a + alpha·b for float32 tensors (b broadcast to out's shape), in one pass: what an
 * optimizer's `p.add_(update, { alpha: -lr })` runs, without a temporary for alpha·b.
 */
export function addScaled(a: Tensor, b: Tensor, alpha: number, out: Tensor): void {
  const alpha32 = Math.fround(alpha); // PyTorch converts alpha to the tensors' dtype
  runBinary((o, po, so, as, pa, sa, bs, pb, sb, n) => addScaledRow(o, po, so, as, pa, sa, bs, pb, sb, n, alpha32), a, b, out);
}

/** The fast path of `unary`: one call of `loop` where the layouts allow, else one per coalesced row. */
function runUnary(loop: UnaryRowLoop, x: Tensor, out: Tensor): void {
  const xs = dataOf(x);
  const o = dataOf(out);
  const sx1 = linearStride(x);
  if (sx1 !== null && out.isContiguous()) {
    loop(o, out.storageOffset(), 1, xs, x.storageOffset(), sx1, out.numel());
    return;
  }
  const { shape, operands } = coalesce(out.shape, [layoutOf(out), layoutOf(x)]);
  const [so, sx] = innerStrides(shape, operands);
  const n = rowLength(shape);
  forEachRow(shape, operands, (s) => loop(o, s[0], so, xs, s[1], sx, n));
}

/**
 * The fast path of `binary`: one call of `loop` when both operands are contiguous or broadcast
 * scalars (and `out` contiguous), else one call per row of the coalesced layouts.
 */
function runBinary(loop: BinaryRowLoop, a: Tensor, b: Tensor, out: Tensor): void {
  const as = dataOf(a);
  const bs = dataOf(b);
  const o = dataOf(out);
  const sa1 = linearStride(a);
  const sb1 = linearStride(b);
  if (sa1 !== null && sb1 !== null && out.isContiguous()) {
    loop(o, out.storageOffset(), 1, as, a.storageOffset(), sa1, bs, b.storageOffset(), sb1, out.numel());
    return;
  }
  const { shape, operands } = coalesce(out.shape, [layoutOf(out), layoutOf(a), layoutOf(b)]);
  const [so, sa, sb] = innerStrides(shape, operands);
  const n = rowLength(shape);
  forEachRow(shape, operands, (s) => loop(o, s[0], so, as, s[1], sa, bs, s[2], sb, n));
}

/** The general path of `unary` and `copy`: the op table's function and the store, element by element. */
export function unaryStrided(op: UnaryLoopOp, x: Tensor, out: Tensor): void {
  const f = op === "copy" ? (v: number) => v : unaryOps[op].cpu;
  const xs = dataOf(x);
  const o = dataOf(out);
  const store = storeFor(out);
  const layouts = [layoutOf(out), layoutOf(x)];
  const [so, sx] = innerStrides(out.shape, layouts);
  const n = rowLength(out.shape);
  forEachRow(out.shape, layouts, (s) => {
    for (let i = 0, po = s[0], px = s[1]; i < n; i++, po += so, px += sx) o[po] = store(f(xs[px]));
  });
}

/**
 * Integer powers as PyTorch computes them: a negative exponent gives 1 / a^|b| rounded toward zero,
 * so 0 unless |a| is 1 (and 0 for a = 0 too, where the float formula gives infinity).
 */
function integerPow(a: number, b: number): number {
  if (b >= 0) return Math.pow(a, b);
  if (a === 1) return 1;
  if (a === -1) return b % 2 === 0 ? 1 : -1;
  return 0;
}

/** The general path of `binary`: the op table's function and the store, element by element. */
export function binaryStrided(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void {
  const f = op === "pow" && out.dtype === "int64" ? integerPow : binaryOps[op].cpu;
  const as = dataOf(a);
  const bs = dataOf(b);
  const o = dataOf(out);
  const store = storeFor(out);
  const layouts = [layoutOf(out), layoutOf(a), layoutOf(b)];
  const [so, sa, sb] = innerStrides(out.shape, layouts);
  const n = rowLength(out.shape);
  forEachRow(out.shape, layouts, (s) => {
    for (let i = 0, po = s[0], pa = s[1], pb = s[2]; i < n; i++, po += so, pa += sa, pb += sb) {
      o[po] = store(f(as[pa], bs[pb]));
    }
  });
}

/** out = cond ? a : b. The values are already of out's dtype (the op converts them), so no store converts. */
export function where(cond: Tensor, a: Tensor, b: Tensor, out: Tensor): void {
  const cs = dataOf(cond);
  const as = dataOf(a);
  const bs = dataOf(b);
  const o = dataOf(out);
  const [sc1, sa1, sb1] = [linearStride(cond), linearStride(a), linearStride(b)];
  if (sc1 !== null && sa1 !== null && sb1 !== null && out.isContiguous()) {
    whereRow(o, out.storageOffset(), 1, cs, cond.storageOffset(), sc1, as, a.storageOffset(), sa1, bs, b.storageOffset(), sb1, out.numel());
    return;
  }
  const { shape, operands } = coalesce(out.shape, [layoutOf(out), layoutOf(cond), layoutOf(a), layoutOf(b)]);
  const [so, sc, sa, sb] = innerStrides(shape, operands);
  const n = rowLength(shape);
  forEachRow(shape, operands, (s) => whereRow(o, s[0], so, cs, s[1], sc, as, s[2], sa, bs, s[3], sb, n));
}

/** `where` along one row of `n` elements, each operand at its own start and stride. */
function whereRow(
  o: CpuArray, po: number, so: number,
  cs: CpuArray, pc: number, sc: number,
  as: CpuArray, pa: number, sa: number,
  bs: CpuArray, pb: number, sb: number,
  n: number,
): void {
  for (let i = 0; i < n; i++, po += so, pc += sc, pa += sa, pb += sb) o[po] = cs[pc] !== 0 ? as[pa] : bs[pb];
}
