/**
 * Backward rule of conv2d. The gradients with respect to the input and the weight are
 * convolutions themselves (a transposed convolution, and a correlation of the input with the
 * output's gradient); tensor-core runs them as kernels of their own on each device. The bias was
 * added to every output pixel of its channel, so its gradient sums over batch, height and width.
 */
import { conv2dBackwardInput, conv2dBackwardWeight, sum, type Conv2dParams } from "@torchlet/tensor-core";
import type { RuleTable } from "./rule.ts";

/** Rules of the convolutions. */
export const convRules: RuleTable = {
  // inputs: x [N, C, H, W], weight [O, C/groups, kH, kW], bias [O] or null
  conv2d: {
    gradFn: "ConvolutionBackward0",
    saves: { inputs: [0, 1] },
    backward(grad, ctx) {
      const params = ctx.attrs.params as Conv2dParams;
      return [
        ctx.needsInputGrad(0) ? conv2dBackwardInput(grad, ctx.savedInput(1), ctx.inputShape(0), params) : null,
        ctx.needsInputGrad(1) ? conv2dBackwardWeight(grad, ctx.savedInput(0), ctx.inputShape(1), params) : null,
        ctx.needsInputGrad(2) ? sum(grad, [0, 2, 3]) : null,
      ];
    },
  },
};
