/**
 * Backward rules of the views and copies. A view only rearranges which elements are seen where, so
 * its backward rearranges the gradient back: reshape to the old shape, transpose again, invert a
 * permutation, sum an expanded dimension (each element was seen many times), or write the
 * gradient of a selected part into zeros of the input's shape.
 */
import {
  constantPadNd,
  narrow,
  edgePadBackward,
  type EdgePadMode,
  permute,
  reshape,
  select,
  slice,
  squeeze,
  t,
  transpose,
  zeros,
  type Tensor,
} from "@torchlet/tensor-core";
import type { BackwardContext, BackwardRule, RuleTable } from "./rule.ts";
import { sumToShape } from "./sum-to-shape.ts";

/** Views that only change the shape: the gradient takes the input's shape back. */
const reshapeRule = (gradFn: string, view = true): BackwardRule => ({
  gradFn,
  view,
  backward: (grad, ctx) => [reshape(grad, ctx.inputShape(0))],
});

/**
 * The gradient of a part (one index, a slice) of the input: zeros of the input's shape, with the
 * incoming gradient written through the same view of them. Elements outside the part get 0.
 */
function intoZeros(grad: Tensor, ctx: BackwardContext, part: (z: Tensor) => Tensor): Tensor {
  const full = zeros(ctx.inputShape(0), { device: ctx.device });
  part(full).copy_(grad);
  return full;
}

/** Rules of the views and copies. */
export const viewRules: RuleTable = {
  view: reshapeRule("ViewBackward0"),
  reshapeAlias: reshapeRule("ReshapeAliasBackward0"),
  // `_unsafe_view` is the one view that PyTorch does not track as a view
  unsafeView: reshapeRule("UnsafeViewBackward0", false),
  squeeze: reshapeRule("SqueezeBackward0"),
  squeezeDim: reshapeRule("SqueezeBackward1"),
  // PyTorch's in-place squeeze_(dim), which its matmul applies to its own [1, N] product
  squeezeDim_: reshapeRule("SqueezeBackward3"),

  // each input's gradient is its slice of the result's (a tensor of shape [0], which cat skips,
  // gets an empty one)
  cat: {
    gradFn: "CatBackward0",
    backward: (grad, ctx) => {
      const dim = ctx.attrs.dim as number;
      let offset = 0;
      return (ctx.attrs.sizes as number[]).map((size, i) => {
        const start = offset;
        offset += size;
        if (!ctx.needsInputGrad(i)) return null;
        const shape = ctx.inputShape(i);
        if (shape.length === 1 && shape[0] === 0 && grad.ndim !== 1) return zeros([0], { device: ctx.device });
        return narrow(grad, dim, start, size);
      });
    },
  },
  stack: {
    gradFn: "StackBackward0",
    backward: (grad, ctx) =>
      Array.from({ length: grad.shape[ctx.attrs.dim as number]! }, (_, i) => (ctx.needsInputGrad(i) ? select(grad, ctx.attrs.dim as number, i) : null)),
  },

  // the border's gradient added back onto the input elements it was copied from; PyTorch names
  // the node after its kernel (ReflectionPad2DBackward0), and circular padding, which it writes as
  // copies into slices of a new tensor, after that (CopySlices)
  edgePad: {
    gradFn: (call) => {
      const mode = call.attrs.mode as EdgePadMode;
      const dims = (call.attrs.pad as number[]).length / 2;
      return mode === "circular" ? "CopySlices" : `${mode === "reflect" ? "Reflection" : "Replication"}Pad${dims}DBackward0`;
    },
    backward: (grad, ctx) => [edgePadBackward(grad, ctx.inputShape(0), ctx.attrs.pad as number[], ctx.attrs.mode as EdgePadMode)],
  },

  // the padding undone: the border's gradient is dropped, a cropped part of the input gets zeros
  constantPadNd: {
    gradFn: "ConstantPadNdBackward0",
    backward: (grad, ctx) => [constantPadNd(grad, (ctx.attrs.pad as number[]).map((p) => -p))],
  },

  unsqueeze: {
    gradFn: "UnsqueezeBackward0",
    view: true,
    backward: (grad, ctx) => [squeeze(grad, ctx.attrs.dim as number)],
  },
  transpose: {
    gradFn: "TransposeBackward0",
    view: true,
    backward: (grad, ctx) => [transpose(grad, ctx.attrs.dim0 as number, ctx.attrs.dim1 as number)],
  },
  t: {
    gradFn: "TBackward0",
    view: true,
    backward: (grad) => [t(grad)],
  },
  permute: {
    gradFn: "PermuteBackward0",
    view: true,
    backward(grad, ctx) {
      // dims[i] = j moved input dimension j to place i, so the inverse sends place i back to j
      const dims = ctx.attrs.dims as readonly number[];
      const inverse = new Array<number>(dims.length);
      dims.forEach((j, i) => (inverse[j] = i));
      return [permute(grad, inverse)];
    },
  },
  expand: {
    gradFn: "ExpandBackward0",
    view: true,
    backward: (grad, ctx) => [sumToShape(grad, ctx.inputShape(0))],
  },

  select: {
    gradFn: "SelectBackward0",
    view: true,
    backward: (grad, ctx) => [intoZeros(grad, ctx, (z) => select(z, ctx.attrs.dim as number, ctx.attrs.index as number))],
  },
  slice: {
    gradFn: "SliceBackward0",
    view: true,
    backward(grad, ctx) {
      const { dim, start, end, step } = ctx.attrs as { dim: number; start: number; end: number; step: number };
      return [intoZeros(grad, ctx, (z) => slice(z, dim, start, end, step))];
    },
  },

  clone: {
    gradFn: "CloneBackward0",
    backward: (grad) => [grad],
  },
};
