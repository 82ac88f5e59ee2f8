/**
 * Backward rules of the matrix products. For C = A·B with upstream gradient G:
 * ∂L/∂A = G·Bᵀ and ∂L/∂B = Aᵀ·G. The transposes are views, and the product kernel reads strided
 * operands, so nothing is copied. `torch.matmul` has no rule of its own: it is built from these
 * ops and views (a batched product is `bmm` between reshapes), so its graph is theirs.
 */
import { bmm, mm, mul, mv, t, transpose, unsqueeze } from "@torchlet/tensor-core";
import type { RuleTable } from "./rule.ts";
import { sumToShape } from "./sum-to-shape.ts";

/** Rules of the matrix products. */
export const matmulRules: RuleTable = {
  mm: {
    gradFn: "MmBackward0",
    saves: { inputs: [0, 1] },
    backward: (grad, ctx) => [
      ctx.needsInputGrad(0) ? mm(grad, t(ctx.savedInput(1))) : null,
      ctx.needsInputGrad(1) ? mm(t(ctx.savedInput(0)), grad) : null,
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
    saves: { inputs: [1, 2] },
    backward: (grad, ctx) => [
      ctx.needsInputGrad(0) ? sumToShape(grad, ctx.inputShape(0)) : null,
      ctx.needsInputGrad(1) ? mm(grad, t(ctx.savedInput(2))) : null,
      ctx.needsInputGrad(2) ? mm(t(ctx.savedInput(1)), grad) : null,
    ],
  },
};
