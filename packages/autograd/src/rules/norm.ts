/**
 * Backward rule of batch normalisation. With x̂ = (x − μ) · s, s = 1/√(σ² + eps), and y = γ x̂ + β,
 * for the gradient g of y (sums over every dimension but the channel's, n elements each):
 * - ∂L/∂β = Σ g, ∂L/∂γ = Σ g x̂;
 * - in training μ and σ² are the batch's own, so they depend on x too, and
 *   ∂L/∂x = γ s · (g − mean(g) − x̂ · mean(g x̂));
 * - in evaluation μ and σ² are constants (the running statistics): ∂L/∂x = γ s g.
 * The forward pass saved μ and s (its second and third outputs), so nothing is recomputed but x̂.
 */
import { mean, mul, reshape, sub, sum, type Tensor } from "@torchlet/tensor-core";
import type { RuleTable } from "./rule.ts";

interface BatchNormAttrs {
  training: boolean;
  dims: number[];
  statShape: number[];
  hasWeight: boolean;
}

export const normRules: RuleTable = {
  // inputs: x [N, C, ...], weight [C] or null, bias [C] or null; outputs: y, mean [C], invstd [C]
  batchNorm: {
    gradFn: "NativeBatchNormBackward0",
    saves: { inputs: [0, 1], outputs: [1, 2] },
    backward(grad, ctx) {
      const { training, dims, statShape, hasWeight } = ctx.attrs as unknown as BatchNormAttrs;
      const perChannel = (t: Tensor) => reshape(t, statShape);
      const invstd = perChannel(ctx.savedOutput(2));
      const xhat = mul(sub(ctx.savedInput(0), perChannel(ctx.savedOutput(1))), invstd);
      let gradX: Tensor | null = null;
      if (ctx.needsInputGrad(0)) {
        const scale = hasWeight ? mul(invstd, perChannel(ctx.savedInput(1))) : invstd;
        gradX = training
          ? mul(scale, sub(sub(grad, mean(grad, dims, true)), mul(xhat, mean(mul(grad, xhat), dims, true))))
          : mul(scale, grad);
      }
      return [
        gradX,
        ctx.needsInputGrad(1) ? sum(mul(grad, xhat), dims) : null,
        ctx.needsInputGrad(2) ? sum(grad, dims) : null,
      ];
    },
  },
};
