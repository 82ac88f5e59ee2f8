/**
 * The CPU backend's 2-D convolution, forward and both gradients, as matrix products.
 *
 * With the patches of one image and one group unfolded into columns (`im2col-cpu.ts`):
 *
 *     forward        out_g       [og, oH·oW]      = W_g     [og, C·kk]  @ cols      [C·kk, oH·oW]
 *     grad input     dcols       [C·kk, oH·oW]    = W_gᵀ    [C·kk, og]  @ dout_g    [og, oH·oW]   then col2im
 *     grad weight    dW_g        [og, C·kk]      += dout_g  [og, oH·oW] @ colsᵀ     [oH·oW, C·kk]
 *
 * (C·kk is the patch size, channels per group × kernel height × kernel width.) Transposed operands
 * are just strided views for the GEMM's packing, so nothing is copied to transpose. Gradients are
 * gathered in doubles — the input gradient sums overlapping windows, the weight gradient sums over
 * the batch — and rounded to float32 once. int64 convolutions take the reference loops.
 */
import type { Conv2dParams } from "../../backend.ts";
import type { Tensor } from "../../tensor.ts";
import { dataOf } from "../elementwise/cpu.ts";
import { gemm, transposed, type StridedMatrix } from "../matmul/gemm-cpu.ts";
import { col2im, convGeometry, im2col, isPointwise, patchSize, type ConvGeometry } from "./im2col-cpu.ts";
import { conv2dBackwardInputReference, conv2dBackwardWeightReference, conv2dReference } from "./reference-cpu.ts";

/**
 * The column matrix [cg·kH·kW, oH·oW] of the `cg` channel planes of `x` starting at `xOffset`:
 * the planes themselves for a pointwise convolution, otherwise `cols` filled by im2col.
 */
function patchColumns(x: Float32Array, xOffset: number, g: ConvGeometry, p: Conv2dParams, cols: Float32Array | null): StridedMatrix {
  const positions = g.oh * g.ow;
  if (cols === null) return { data: x, offset: xOffset, rowStride: positions, colStride: 1 };
  im2col(x, xOffset, g, p, cols);
  return { data: cols, offset: 0, rowStride: positions, colStride: 1 };
}

/** Scratch for the column matrix, or null where the input can be used as it is. */
function columnBuffer(g: ConvGeometry, p: Conv2dParams): Float32Array | null {
  return isPointwise(g, p) ? null : new Float32Array(patchSize(g) * g.oh * g.ow);
}

/** The weights of group `group` as a matrix [og, cg·kH·kW]. */
function groupWeights(w: Float32Array, offset: number, g: ConvGeometry, group: number): StridedMatrix {
  const rows = patchSize(g);
  return { data: w, offset: offset + group * g.og * rows, rowStride: rows, colStride: 1 };
}

/** Output channels of group `group` in image `b` of an [N, O, oH, oW] tensor, as [og, oH·oW]. */
function groupOutputs(data: Float32Array | Float64Array, offset: number, g: ConvGeometry, b: number, group: number): StridedMatrix {
  const positions = g.oh * g.ow;
  return { data, offset: offset + (b * g.o + group * g.og) * positions, rowStride: positions, colStride: 1 };
}

/** out = x ⋆ weight + bias, one GEMM per image and group. */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null, out: Tensor, p: Conv2dParams): void {
  if (out.dtype !== "float32") {
    conv2dReference(x, weight, bias, out, p);
    return;
  }
  const g = convGeometry(x.shape, weight.shape, out.shape, p.groups);
  const xs = dataOf(x) as Float32Array;
  const ws = dataOf(weight) as Float32Array;
  const os = dataOf(out) as Float32Array;
  const positions = g.oh * g.ow;
  // Start every output plane at its bias and let the GEMM add the products to it: the sum is then
  // formed in doubles and rounded once.
  for (let b = 0; b < g.n; b++) {
    for (let oc = 0; oc < g.o; oc++) {
      const start = out.storageOffset() + (b * g.o + oc) * positions;
      const value = bias ? dataOf(bias)[bias.storageOffset() + oc * bias.stride(0)] : 0;
      os.fill(value, start, start + positions);
    }
  }
  const cols = columnBuffer(g, p);
  for (let b = 0; b < g.n; b++) {
    for (let group = 0; group < p.groups; group++) {
      const xOffset = x.storageOffset() + (b * g.c + group * g.cg) * g.h * g.w;
      const columns = patchColumns(xs, xOffset, g, p, cols);
      const dst = groupOutputs(os, out.storageOffset(), g, b, group);
      gemm(g.og, positions, patchSize(g), groupWeights(ws, weight.storageOffset(), g, group), columns, dst, true);
    }
  }
}

/** ∂loss/∂x = col2im(Wᵀ @ ∂loss/∂out), image by image, into `out` of x's shape. */
export function conv2dBackwardInput(gradOut: Tensor, weight: Tensor, out: Tensor, p: Conv2dParams): void {
  if (out.dtype !== "float32") {
    conv2dBackwardInputReference(gradOut, weight, out, p);
    return;
  }
  const g = convGeometry(out.shape, weight.shape, gradOut.shape, p.groups);
  const gs = dataOf(gradOut) as Float32Array;
  const ws = dataOf(weight) as Float32Array;
  const os = dataOf(out) as Float32Array;
  const positions = g.oh * g.ow;
  const rows = patchSize(g);
  const imageSize = g.c * g.h * g.w;
  const pointwise = isPointwise(g, p);
  const dcols = pointwise ? null : new Float64Array(rows * positions);
  const image = pointwise ? null : new Float64Array(imageSize);
  for (let b = 0; b < g.n; b++) {
    for (let group = 0; group < p.groups; group++) {
      const lhs = transposed(groupWeights(ws, weight.storageOffset(), g, group));
      const rhs = groupOutputs(gs, gradOut.storageOffset(), g, b, group);
      const planes = out.storageOffset() + b * imageSize + group * g.cg * g.h * g.w;
      if (dcols === null || image === null) {
        // pointwise: every pixel is read by exactly one column entry, so the product is the gradient
        gemm(rows, positions, g.og, lhs, rhs, { data: os, offset: planes, rowStride: positions, colStride: 1 });
        continue;
      }
      gemm(rows, positions, g.og, lhs, rhs, { data: dcols, offset: 0, rowStride: positions, colStride: 1 });
      col2im(dcols, g, p, image, group * g.cg * g.h * g.w);
    }
    if (image) {
      os.set(image, out.storageOffset() + b * imageSize);
      image.fill(0);
    }
  }
}

/** ∂loss/∂weight = Σ over images of ∂loss/∂out @ colsᵀ, into `out` of the weight's shape. */
export function conv2dBackwardWeight(gradOut: Tensor, x: Tensor, out: Tensor, p: Conv2dParams): void {
  if (out.dtype !== "float32") {
    conv2dBackwardWeightReference(gradOut, x, out, p);
    return;
  }
  const g = convGeometry(x.shape, out.shape, gradOut.shape, p.groups);
  const gs = dataOf(gradOut) as Float32Array;
  const xs = dataOf(x) as Float32Array;
  const positions = g.oh * g.ow;
  const rows = patchSize(g);
  const sum = new Float64Array(out.numel());
  const cols = columnBuffer(g, p);
  for (let b = 0; b < g.n; b++) {
    for (let group = 0; group < p.groups; group++) {
      const xOffset = x.storageOffset() + (b * g.c + group * g.cg) * g.h * g.w;
      const columns = transposed(patchColumns(xs, xOffset, g, p, cols));
      const lhs = groupOutputs(gs, gradOut.storageOffset(), g, b, group);
      const dst: StridedMatrix = { data: sum, offset: group * g.og * rows, rowStride: rows, colStride: 1 };
      gemm(g.og, rows, positions, lhs, columns, dst, true);
    }
  }
  dataOf(out).set(sum, out.storageOffset());
}
