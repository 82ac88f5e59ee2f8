/**
 * 2-D convolution on the CPU as direct loops: the reference that the GEMM-based kernels
 * (`cpu.ts`) are tested against. One walk over every (output, weight, input) triple serves all
 * three kernels; each sums in doubles and rounds once. Inputs are contiguous NCHW (ops make them
 * so); weights [O, C/groups, kH, kW].
 */
import type { Conv2dParams } from "../../backend.ts";
import type { Tensor } from "../../tensor.ts";
import { dataOf } from "../elementwise/cpu.ts";

interface Geometry {
  n: number; c: number; h: number; w: number;
  o: number; cg: number; og: number; kh: number; kw: number;
  oh: number; ow: number;
}

function geometry(x: readonly number[], weight: readonly number[], out: readonly number[], groups: number): Geometry {
  return {
    n: x[0], c: x[1], h: x[2], w: x[3],
    o: weight[0], cg: weight[1], og: weight[0] / groups, kh: weight[2], kw: weight[3],
    oh: out[2], ow: out[3],
  };
}

/**
 * Visits every (output element, weight element, input element) triple that the convolution
 * multiplies; the three kernels differ only in which of the three they accumulate into.
 */
function forEachTap(
  g: Geometry,
  p: Conv2dParams,
  visit: (outIndex: number, weightIndex: number, inputIndex: number) => void,
): void {
  const [sh, sw] = p.stride;
  const [ph, pw] = p.padding;
  const [dh, dw] = p.dilation;
  for (let b = 0; b < g.n; b++) {
    for (let oc = 0; oc < g.o; oc++) {
      const group = Math.floor(oc / g.og);
      for (let y = 0; y < g.oh; y++) {
        for (let x = 0; x < g.ow; x++) {
          const outIndex = ((b * g.o + oc) * g.oh + y) * g.ow + x;
          for (let ci = 0; ci < g.cg; ci++) {
            const c = group * g.cg + ci;
            for (let ky = 0; ky < g.kh; ky++) {
              const iy = y * sh - ph + ky * dh;
              if (iy < 0 || iy >= g.h) continue;
              for (let kx = 0; kx < g.kw; kx++) {
                const ix = x * sw - pw + kx * dw;
                if (ix < 0 || ix >= g.w) continue;
                visit(outIndex, ((oc * g.cg + ci) * g.kh + ky) * g.kw + kx, ((b * g.c + c) * g.h + iy) * g.w + ix);
              }
            }
          }
        }
      }
    }
  }
}

/** Forward: out = x ⋆ weight (+ bias). */
export function conv2dReference(x: Tensor, weight: Tensor, bias: Tensor | null, out: Tensor, p: Conv2dParams): void {
  const g = geometry(x.shape, weight.shape, out.shape, p.groups);
  const xs = dataOf(x).subarray(x.storageOffset());
  const ws = dataOf(weight).subarray(weight.storageOffset());
  const acc = new Float64Array(out.numel());
  forEachTap(g, p, (o, w, i) => (acc[o] += ws[w] * xs[i]));
  if (bias) {
    const bs = dataOf(bias);
    const [sb] = bias.stride();
    const plane = g.oh * g.ow;
    for (let i = 0; i < acc.length; i++) acc[i] += bs[bias.storageOffset() + (Math.floor(i / plane) % g.o) * sb];
  }
  dataOf(out).set(acc);
}

/** ∂loss/∂x given ∂loss/∂out, into `out` of x's shape. */
export function conv2dBackwardInputReference(gradOut: Tensor, weight: Tensor, out: Tensor, p: Conv2dParams): void {
  const g = geometry(out.shape, weight.shape, gradOut.shape, p.groups);
  const gs = dataOf(gradOut).subarray(gradOut.storageOffset());
  const ws = dataOf(weight).subarray(weight.storageOffset());
  const acc = new Float64Array(out.numel());
  forEachTap(g, p, (o, w, i) => (acc[i] += ws[w] * gs[o]));
  dataOf(out).set(acc);
}

/** ∂loss/∂weight given ∂loss/∂out, into `out` of the weight's shape. */
export function conv2dBackwardWeightReference(gradOut: Tensor, x: Tensor, out: Tensor, p: Conv2dParams): void {
  const g = geometry(x.shape, out.shape, gradOut.shape, p.groups);
  const gs = dataOf(gradOut).subarray(gradOut.storageOffset());
  const xs = dataOf(x).subarray(x.storageOffset());
  const acc = new Float64Array(out.numel());
  forEachTap(g, p, (o, w, i) => (acc[w] += xs[i] * gs[o]));
  dataOf(out).set(acc);
}
