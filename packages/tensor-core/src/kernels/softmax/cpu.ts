/**
 * softmax and log_softmax on the CPU, one slice along `dim` at a time: find the maximum, sum
 * exp(x - max), then write exp(x - max) / sum (or x - max - log(sum)).
 *
 * Where both tensors are contiguous (the usual case: scores of shape [batch, classes]), the slices
 * start at offsets that follow from the shape alone, [outer, len, inner]; other layouts find them
 * by walking the strides.
 */
import type { CpuArray } from "../../dtype.ts";
import type { Tensor } from "../../tensor.ts";
import { dataOf } from "../elementwise/cpu.ts";
import { forEachRow, layoutOf } from "../strided-cpu.ts";

/** softmax (or, with `log`, log_softmax) of `x` along `dim`, into `out` of the same shape. */
export function softmax(x: Tensor, dim: number, log: boolean, out: Tensor): void {
  if (x.ndim === 0) {
    dataOf(out)[out.storageOffset()] = log ? 0 : 1;
    return;
  }
  if (x.isContiguous() && out.isContiguous()) softmaxContiguous(x, dim, log, out);
  else softmaxStrided(x, dim, log, out);
}

/** One slice of `len` values: read from `xs` at `bx`, `bx + sx`, ...; written to `o` at `bo`, `bo + so`, ... */
function softmaxSlice(xs: CpuArray, bx: number, sx: number, o: CpuArray, bo: number, so: number, len: number, log: boolean): void {
  let max = -Infinity;
  for (let k = 0, p = bx; k < len; k++, p += sx) max = Math.max(max, xs[p]);
  let sum = 0;
  for (let k = 0, p = bx; k < len; k++, p += sx) sum += Math.exp(xs[p] - max);
  if (log) {
    const logSum = Math.log(sum);
    for (let k = 0, p = bx, q = bo; k < len; k++, p += sx, q += so) o[q] = xs[p] - max - logSum;
  } else {
    for (let k = 0, p = bx, q = bo; k < len; k++, p += sx, q += so) o[q] = Math.exp(xs[p] - max) / sum;
  }
}

/** Both tensors contiguous: slice (i, j) of the [outer, len, inner] view starts at i·len·inner + j. */
function softmaxContiguous(x: Tensor, dim: number, log: boolean, out: Tensor): void {
  const xs = dataOf(x);
  const o = dataOf(out);
  const len = x.shape[dim];
  let outer = 1;
  for (let d = 0; d < dim; d++) outer *= x.shape[d];
  let inner = 1;
  for (let d = dim + 1; d < x.ndim; d++) inner *= x.shape[d];
  const x0 = x.storageOffset();
  const o0 = out.storageOffset();
  for (let i = 0; i < outer; i++) {
    for (let j = 0; j < inner; j++) {
      const start = i * len * inner + j;
      softmaxSlice(xs, x0 + start, inner, o, o0 + start, inner, len, log);
    }
  }
}

/** Any layout: visit each slice start by walking the shape with `dim` collapsed to 1. */
export function softmaxStrided(x: Tensor, dim: number, log: boolean, out: Tensor): void {
  const xs = dataOf(x);
  const o = dataOf(out);
  const len = x.shape[dim];
  const sx = x.stride(dim);
  const so = out.stride(dim);
  const outer = x.shape.map((s, i) => (i === dim ? 1 : s));
  const xl = layoutOf(x);
  const ol = layoutOf(out);
  const last = outer.length - 1;
  const n = outer[last];
  forEachRow(outer, [xl, ol], (s) => {
    for (let i = 0; i < n; i++) {
      softmaxSlice(xs, s[0] + i * xl.strides[last], sx, o, s[1] + i * ol.strides[last], so, len, log);
    }
  });
}
