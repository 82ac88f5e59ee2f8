/**
 * im2col and col2im: turning a convolution into a matrix product.
 *
 * A convolution slides a kernel over the image; at every output position it takes the dot product
 * of the kernel with the patch below it. Write each patch out as one column of a matrix — one row
 * per (input channel, kernel row, kernel column), one column per output position — and the whole
 * convolution becomes weights [O, C·kH·kW] @ columns [C·kH·kW, oH·oW]: one GEMM. `im2col` writes
 * those columns; `col2im` is its adjoint, adding each column entry back onto the pixel it came
 * from (several columns share a pixel when windows overlap), which is what the gradient with
 * respect to the input needs.
 */
import type { Conv2dParams } from "../../backend.ts";

/** The sizes of one convolution, named once for all three kernels. */
export interface ConvGeometry {
  /** batch, input channels, input height and width */
  n: number; c: number; h: number; w: number;
  /** output channels, input channels per group, output channels per group */
  o: number; cg: number; og: number;
  /** kernel height and width, output height and width */
  kh: number; kw: number; oh: number; ow: number;
}

export function convGeometry(
  x: readonly number[],
  weight: readonly number[],
  out: readonly number[],
  groups: number,
): ConvGeometry {
  return {
    n: x[0], c: x[1], h: x[2], w: x[3],
    o: weight[0], cg: weight[1], og: weight[0] / groups,
    kh: weight[2], kw: weight[3], oh: out[2], ow: out[3],
  };
}

/** Rows of the column matrix of one group: one per (channel, kernel row, kernel column). */
export function patchSize(g: ConvGeometry): number {
  return g.cg * g.kh * g.kw;
}

/**
 * Whether the column matrix would be the input itself: a 1×1 kernel with stride 1 and no padding
 * reads every pixel exactly once, in order, so the image planes can serve as columns directly.
 */
export function isPointwise(g: ConvGeometry, p: Conv2dParams): boolean {
  return g.kh === 1 && g.kw === 1 && p.stride[0] === 1 && p.stride[1] === 1 && p.padding[0] === 0 && p.padding[1] === 0;
}

/**
 * Fills `cols` [cg·kH·kW, oH·oW] with the patches of the `cg` channel planes of `x` that start at
 * `xOffset`. Positions that fall in the padding read as zero.
 */
export function im2col(x: Float32Array, xOffset: number, g: ConvGeometry, p: Conv2dParams, cols: Float32Array): void {
  const [sh, sw] = p.stride;
  const [ph, pw] = p.padding;
  const [dh, dw] = p.dilation;
  const positions = g.oh * g.ow;
  let row = 0;
  for (let ci = 0; ci < g.cg; ci++) {
    const plane = xOffset + ci * g.h * g.w;
    for (let ky = 0; ky < g.kh; ky++) {
      for (let kx = 0; kx < g.kw; kx++, row++) {
        for (let oy = 0; oy < g.oh; oy++) {
          const dst = row * positions + oy * g.ow;
          const iy = oy * sh - ph + ky * dh;
          if (iy < 0 || iy >= g.h) {
            cols.fill(0, dst, dst + g.ow);
            continue;
          }
          const src = plane + iy * g.w;
          for (let ox = 0, ix = kx * dw - pw; ox < g.ow; ox++, ix += sw) {
            cols[dst + ox] = ix >= 0 && ix < g.w ? x[src + ix] : 0;
          }
        }
      }
    }
  }
}

/**
 * The adjoint of `im2col`: adds every entry of `cols` [cg·kH·kW, oH·oW] onto the pixel of the
 * `cg` planes of `x` (from `xOffset`) that it was read from; entries from the padding are dropped.
 */
export function col2im(cols: Float64Array, g: ConvGeometry, p: Conv2dParams, x: Float64Array, xOffset: number): void {
  const [sh, sw] = p.stride;
  const [ph, pw] = p.padding;
  const [dh, dw] = p.dilation;
  const positions = g.oh * g.ow;
  let row = 0;
  for (let ci = 0; ci < g.cg; ci++) {
    const plane = xOffset + ci * g.h * g.w;
    for (let ky = 0; ky < g.kh; ky++) {
      for (let kx = 0; kx < g.kw; kx++, row++) {
        for (let oy = 0; oy < g.oh; oy++) {
          const iy = oy * sh - ph + ky * dh;
          if (iy < 0 || iy >= g.h) continue;
          const src = row * positions + oy * g.ow;
          const dst = plane + iy * g.w;
          for (let ox = 0, ix = kx * dw - pw; ox < g.ow; ox++, ix += sw) {
            if (ix >= 0 && ix < g.w) x[dst + ix] += cols[src + ox];
          }
        }
      }
    }
  }
}
