/**
 * Reductions on the CPU. The reduced dimensions form a small "window" of storage offsets, listed
 * once; every output element then reduces the input at its own base offset plus each window offset.
 */
import type { ReduceOp } from "../../backend.ts";
import type { Tensor } from "../../tensor.ts";
import { dataOf } from "../elementwise/cpu.ts";
import { forEachRow, layoutOf } from "../strided-cpu.ts";

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

export function reduce(op: ReduceOp, x: Tensor, dims: readonly number[], out: Tensor, indices: Tensor | null): void {
  const xs = dataOf(x);
  const o = dataOf(out);
  const idx = indices ? dataOf(indices) : null;
  // iterate over x's shape with reduced dims collapsed to 1: one "row" element per output element
  const outerShape = x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
  const window = windowOffsets(x, dims);
  const xLayout = { strides: x.stride(), offset: x.storageOffset() };
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
