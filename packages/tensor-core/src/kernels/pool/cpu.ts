/**
 * Max pooling on the CPU: each output element scans its window; padding positions never win (they
 * act as -∞). The backward pass adds each output gradient to the input element that won.
 */
import type { Pool2dParams } from "../../backend.ts";
import type { Tensor } from "../../tensor.ts";
import { dataOf } from "../elementwise/cpu.ts";

export function maxPool2d(x: Tensor, out: Tensor, indices: Tensor, p: Pool2dParams): void {
  const [n, c, h, w] = x.shape;
  const [oh, ow] = out.shape.slice(2);
  const [kh, kw] = p.kernelSize;
  const [sh, sw] = p.stride;
  const [ph, pw] = p.padding;
  const [dh, dw] = p.dilation;
  const xs = dataOf(x).subarray(x.storageOffset());
  const o = dataOf(out);
  const idx = dataOf(indices);
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let y = 0; y < oh; y++) {
      for (let xo = 0; xo < ow; xo++) {
        let best = -Infinity;
        let at = -1;
        for (let ky = 0; ky < kh; ky++) {
          const iy = y * sh - ph + ky * dh;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = xo * sw - pw + kx * dw;
            if (ix < 0 || ix >= w) continue;
            const v = xs[base + iy * w + ix];
            if (v > best || Number.isNaN(v) || at < 0) {
              best = v;
              at = iy * w + ix;
              if (Number.isNaN(v)) break;
            }
          }
        }
        const k = (plane * oh + y) * ow + xo;
        o[k] = best;
        idx[k] = at;
      }
    }
  }
}

export function maxPool2dBackward(gradOut: Tensor, indices: Tensor, out: Tensor, _p: Pool2dParams): void {
  const [n, c, h, w] = out.shape;
  const per = gradOut.shape[2] * gradOut.shape[3];
  const gs = dataOf(gradOut).subarray(gradOut.storageOffset());
  const idx = dataOf(indices).subarray(indices.storageOffset());
  const o = dataOf(out);
  o.fill(0);
  for (let plane = 0; plane < n * c; plane++) {
    for (let k = 0; k < per; k++) o[plane * h * w + idx[plane * per + k]] += gs[plane * per + k];
  }
}
