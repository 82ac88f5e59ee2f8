/**
 * Backward rules of the matrix products. For C = A·B with upstream gradient G:
 * ∂L/∂A = G·Bᵀ and ∂L/∂B = Aᵀ·G. The transposes are views, and the product kernel reads strided
 * operands, so nothing is copied. `torch.matmul` has no rule of its own: it is built from these
 * ops and views (a batched product is `bmm` between reshapes), so its graph is theirs.
 */
import { bmm, mm, mul, mv, t, transpose, unsqueeze, type Tensor } from "@torchlet/tensor-core";
import type { BackwardContext, RuleTable } from "./rule.ts";
import { sumToShape } from "./sum-to-shape.ts";

/**
 * Whether a matrix of this shape and these strides is the transpose of a contiguous one, as a
 * layer's weight is when the forward pass multiplies by `w.t()`.
 */
function isTransposed(shape: readonly number[], strides: readonly number[]): boolean {
  return shape[0] > 1 && shape[1] > 1 && strides[0] === 1 && strides[1] === shape[0];
}

/**
 * ∂L/∂A = G·Bᵀ for input `i` of the product, A = input `i`, B = input `j`. As PyTorch's
 * `mm_mat1_backward` does, a transposed A gets its gradient in its own layout, (B·Gᵀ)ᵀ: the same
 * sums, with the result contiguous where A's storage is.
 */
function gradOfLeft(grad: Tensor, ctx: BackwardContext, i: number, j: number): Tensor {
  if (isTransposed(ctx.inputShape(i), ctx.inputStrides(i))) return t(mm(ctx.savedInput(j), t(grad)));
  return mm(grad, t(ctx.savedInput(j)));
}

/**
 * ∂L/∂B = Aᵀ·G for input `j`, A = input `i`; a transposed B (a weight used as `w.t()`) gets
 * (Gᵀ·A)ᵀ, so that the weight's own gradient is contiguous and adds into `.grad` in one pass
 * (PyTorch's `mm_mat2_backward`).
 */
function gradOfRight(grad: Tensor, ctx: BackwardContext, i: number, j: number): Tensor {
  if (isTransposed(ctx.inputShape(j), ctx.inputStrides(j))) return t(mm(t(grad), ctx.savedInput(i)));
  return mm(t(ctx.savedInput(i)), grad);
}

/** Rules of the matrix products. */
export const matmulRules: RuleTable = {
  mm: {
    gradFn: "MmBackward0",
    saves: { inputs: [0, 1], strides: [0, 1] },
    backward: (grad, ctx) => [
      ctx.needsInputGrad(0) ? gradOfLeft(grad, ctx, 0, 1) : null,
      ctx.needsInputGrad(1) ? gradOfRight(grad, ctx, 0, 1) : null,
    ],
  },

  bmm: {
    gradFn: "BmmBackward0",
    saves: { inputs: [0, 1] },
    backward: (grad, ctx) => [
      ctx.needsInputGrad(0) ? bmm(grad, transpose(ctx.savedInput(1), 1, 2)) : null,
      ctx.needsInputGrad(1) ? bmm(transpose(ctx.savedInput(0), 1, 2), grad) : null,
    ],
  },

  // a·b is a 0-d tensor: each input's gradient is the other input, scaled
  dot: {
    gradFn: "DotBackward0",
    saves: { inputs: [0, 1] },
    backward: (grad, ctx) => [
      ctx.needsInputGrad(0) ? mul(grad, ctx.savedInput(1)) : null,
      ctx.needsInputGrad(1) ? mul(grad, ctx.savedInput(0)) : null,
    ],
  },

  // y = A·v: ∂L/∂A is the outer product g·vᵀ, ∂L/∂v = Aᵀ·g
  mv: {
    gradFn: "MvBackward0",
    saves: { inputs: [0, 1] },
    backward: (grad, ctx) => [
      ctx.needsInputGrad(0) ? mul(unsqueeze(grad, 1), unsqueeze(ctx.savedInput(1), 0)) : null,
      ctx.needsInputGrad(1) ? mv(t(ctx.savedInput(0)), grad) : null,
    ],
  },

  // bias + a·b, the op of nn.Linear; the bias was broadcast over the rows
  addmm: {
    gradFn: "AddmmBackward0",
    saves: { inputs: [1, 2], strides: [1, 2] },
    backward: (grad, ctx) => [
      ctx.needsInputGrad(0) ? sumToShape(grad, ctx.inputShape(0)) : null,
      ctx.needsInputGrad(1) ? gradOfLeft(grad, ctx, 1, 2) : null,
      ctx.needsInputGrad(2) ? gradOfRight(grad, ctx, 1, 2) : null,
    ],
  },
};
