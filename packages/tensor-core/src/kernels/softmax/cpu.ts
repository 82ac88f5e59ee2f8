/**
 * softmax and log_softmax on the CPU, one slice along `dim` at a time: find the maximum, sum
 * exp(x - max), then write exp(x - max) / sum (or x - max - log(sum)).
 */
import type { Tensor } from "../../tensor.ts";
import { dataOf } from "../elementwise/cpu.ts";
import { forEachRow, layoutOf } from "../strided-cpu.ts";

export function softmax(x: Tensor, dim: number, log: boolean, out: Tensor): void {
  const xs = dataOf(x);
  const o = dataOf(out);
  if (x.ndim === 0) {
    o[0] = log ? 0 : 1;
    return;
  }
  const len = x.shape[dim];
  const sx = x.stride(dim);
  const so = out.stride(dim);
  const outer = x.shape.map((s, i) => (i === dim ? 1 : s));
  const xl = layoutOf(x);
  const ol = layoutOf(out);
  // visit each slice start by walking the shape with `dim` collapsed; slices run along `dim`
  const last = outer.length - 1;
  forEachRow(outer, [xl, ol], (s) => {
    const n = outer[last];
    for (let i = 0; i < n; i++) {
      const bx = s[0] + i * xl.strides[last];
      const bo = s[1] + i * ol.strides[last];
      let max = -Infinity;
      for (let k = 0; k < len; k++) max = Math.max(max, xs[bx + k * sx]);
      let sum = 0;
      for (let k = 0; k < len; k++) sum += Math.exp(xs[bx + k * sx] - max);
      const logSum = Math.log(sum);
      for (let k = 0; k < len; k++) {
        const shifted = xs[bx + k * sx] - max;
        o[bo + k * so] = log ? shifted - logSum : Math.exp(shifted) / sum;
      }
    }
  });
}
