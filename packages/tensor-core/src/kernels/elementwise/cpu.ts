/**
 * Elementwise kernels on the CPU: fill, copy, unary, binary and where. Each walks the output row
 * by row (`forEachRow`) and applies the op table's scalar function along the row.
 */
import type { BinaryOp, UnaryOp } from "../../backend.ts";
import type { CpuArray } from "../../dtype.ts";
import type { CpuStorage } from "../../storage.ts";
import type { Tensor } from "../../tensor.ts";
import { forEachRow, innerStrides, layoutOf, rowLength } from "../strided-cpu.ts";
import { binaryOps, unaryOps } from "./ops.ts";

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

export function fill(out: Tensor, value: number): void {
  const o = dataOf(out);
  if (out.isContiguous()) {
    o.fill(value, out.storageOffset(), out.storageOffset() + out.numel());
    return;
  }
  const n = rowLength(out.shape);
  const [so] = innerStrides(out.shape, [layoutOf(out)]);
  forEachRow(out.shape, [layoutOf(out)], (s) => {
    for (let i = 0, p = s[0]; i < n; i++, p += so) o[p] = value;
  });
}

export function copy(src: Tensor, out: Tensor): void {
  map1(src, out, (x) => x);
}

export function unary(op: UnaryOp, x: Tensor, out: Tensor): void {
  map1(x, out, unaryOps[op].cpu);
}

function map1(x: Tensor, out: Tensor, f: (v: number) => number): void {
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

export function binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void {
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

export function where(cond: Tensor, a: Tensor, b: Tensor, out: Tensor): void {
  const cs = dataOf(cond);
  const as = dataOf(a);
  const bs = dataOf(b);
  const o = dataOf(out);
  const layouts = [layoutOf(out), layoutOf(cond), layoutOf(a), layoutOf(b)];
  const [so, sc, sa, sb] = innerStrides(out.shape, layouts);
  const n = rowLength(out.shape);
  forEachRow(out.shape, layouts, (s) => {
    for (let i = 0, po = s[0], pc = s[1], pa = s[2], pb = s[3]; i < n; i++, po += so, pc += sc, pa += sa, pb += sb) {
      o[po] = cs[pc] !== 0 ? as[pa] : bs[pb];
    }
  });
}
