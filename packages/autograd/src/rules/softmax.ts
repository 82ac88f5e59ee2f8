/**
 * Backward rules of softmax and log-softmax, both from the saved result y along `dim`:
 * - softmax: ∂L/∂x = y ⊙ (g − Σ g⊙y), since ∂y_i/∂x_j = y_i(δ_ij − y_j);
 * - log-softmax: ∂L/∂x = g − exp(y) ⊙ Σ g, since ∂y_i/∂x_j = δ_ij − softmax_j.
 * The sums run along `dim` and keep it, so they broadcast back over it.
 */
import { exp, mul, sub, sum } from "@torchlet/tensor-core";
import type { RuleTable } from "./rule.ts";

/** Rules of softmax and log-softmax. */
export const softmaxRules: RuleTable = {
  softmax: {
    gradFn: "SoftmaxBackward0",
    saves: { outputs: [0] },
    backward(grad, ctx) {
      const y = ctx.savedOutput(0);
      return [mul(y, sub(grad, sum(mul(grad, y), ctx.attrs.dim as number, true)))];
    },
  },
  logSoftmax: {
    gradFn: "LogSoftmaxBackward0",
    saves: { outputs: [0] },
    backward(grad, ctx) {
      const y = ctx.savedOutput(0);
      return [sub(grad, mul(exp(y), sum(grad, ctx.attrs.dim as number, true)))];
    },
  },
};
