/**
 * Reductions on the CPU.
 *
 * The general path: the reduced dimensions form a small "window" of storage offsets, listed once;
 * every output element then reduces the input at its own base offset plus each window offset.
 *
 * The fast path, for the sums a training step makes (over the classes of a [batch, classes] tensor,
 * over the batch for a bias gradient, over everything for a loss): a contiguous input reduced over
 * a block of consecutive dimensions is a [outer, reduced, inner] array, which can be read in
 * storage order. Both paths sum in doubles and round once, when the sum is stored.
 */
import type { ReduceOp } from "../../backend.ts";
import type { Tensor } from "../../tensor.ts";
import { dataOf } from "../elementwise/cpu.ts";
import { forEachRow, layoutOf } from "../strided-cpu.ts";

/** Reduces `x` over `dims` into `out` (x's shape with those dims 1); see `Backend.reduce`. */
export function reduce(op: ReduceOp, x: Tensor, dims: readonly number[], out: Tensor, indices: Tensor | null): void {
  if (op === "sum" && sumContiguous(x, dims, out)) return;
  reduceStrided(op, x, dims, out, indices);
}

/** The product of `shape[from]` up to (not including) `shape[to]`. */
function sizeBetween(shape: readonly number[], from: number, to: number): number {
  let n = 1;
  for (let d = from; d < to; d++) n *= shape[d];
  return n;
}

/**
 * The sum over `dims` of a contiguous `x` into a contiguous `out`, where `dims` are consecutive;
 * false (nothing written) for any other layout. With `inner` = 1 (the last dimensions reduced) each
 * output is the sum of one run of values; otherwise each block of `inner`-long rows is added, row
 * after row, into a row of accumulators.
 */
function sumContiguous(x: Tensor, dims: readonly number[], out: Tensor): boolean {
  if (dims.length === 0 || !x.isContiguous() || !out.isContiguous()) return false;
  for (let i = 1; i < dims.length; i++) if (dims[i] !== dims[i - 1] + 1) return false;
  const first = dims[0];
  const last = dims[dims.length - 1];
  if (last >= x.ndim) return false; // a 0-d tensor "reduced" over its dimension 0
  const outer = sizeBetween(x.shape, 0, first);
  const reduced = sizeBetween(x.shape, first, last + 1);
  const inner = sizeBetween(x.shape, last + 1, x.ndim);
  const xs = dataOf(x);
  const o = dataOf(out);
  let px = x.storageOffset();
  let po = out.storageOffset();
  if (inner === 1) {
    for (let i = 0; i < outer; i++, po++) {
      let acc = 0;
      for (let r = 0; r < reduced; r++, px++) acc += xs[px];
      o[po] = acc;
    }
    return true;
  }
  const acc = new Float64Array(inner);
  for (let i = 0; i < outer; i++) {
    acc.fill(0);
    for (let r = 0; r < reduced; r++) {
      for (let j = 0; j < inner; j++, px++) acc[j] += xs[px];
    }
    for (let j = 0; j < inner; j++, po++) o[po] = acc[j];
  }
  return true;
}

/** Storage offsets (relative to an element) of every index combination of the reduced dims. */
function windowOffsets(x: Tensor, dims: readonly number[]): Float64Array {
  const strides = x.stride();
  let offsets = new Float64Array([0]);
  for (const d of dims) {
    const next = new Float64Array(offsets.length * x.shape[d]);
    for (let i = 0; i < x.shape[d]; i++) {
      for (let j = 0; j < offsets.length; j++) next[i * offsets.length + j] = offsets[j] + i * strides[d];
    }
    offsets = next;
  }
  return offsets;
}

/** The general path: any layout, any op. Exported for the tests, which hold the fast path against it. */
export function reduceStrided(op: ReduceOp, x: Tensor, dims: readonly number[], out: Tensor, indices: Tensor | null): void {
  const xs = dataOf(x);
  const o = dataOf(out);
  const idx = indices ? dataOf(indices) : null;
  // iterate over x's shape with reduced dims collapsed to 1: one "row" element per output element
  const outerShape = x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
  const window = windowOffsets(x, dims);
  const xLayout = layoutOf(x);
  const n = outerShape.length === 0 ? 1 : outerShape[outerShape.length - 1];
  const sx = outerShape.length === 0 ? 0 : xLayout.strides[outerShape.length - 1];
  const outLayout = layoutOf(out);
  const so = outerShape.length === 0 ? 0 : outLayout.strides[outerShape.length - 1];
  forEachRow(outerShape, [xLayout, outLayout], (s) => {
    for (let i = 0, px = s[0], po = s[1]; i < n; i++, px += sx, po += so) {
      if (op === "sum") {
        let acc = 0;
        for (let w = 0; w < window.length; w++) acc += xs[px + window[w]];
        o[po] = acc;
      } else {
        // max/min: the first extreme value wins; a NaN wins over everything, as in PyTorch
        let best = xs[px + window[0]];
        let at = 0;
        for (let w = 1; w < window.length && !Number.isNaN(best); w++) {
          const v = xs[px + window[w]];
          if (op === "max" ? v > best || Number.isNaN(v) : v < best || Number.isNaN(v)) {
            best = v;
            at = w;
          }
        }
        o[po] = best;
        if (idx) idx[po] = at;
      }
    }
  });
}
