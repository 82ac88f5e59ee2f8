/**
 * Backward rule of max pooling. Only the largest element of each window reached the output, so
 * only it receives that output's gradient; the forward pass saved which element it was (the
 * indices output), and tensor-core's `maxPool2dBackward` kernel routes each gradient there,
 * summing where overlapping windows chose the same element.
 */
import { maxPool2dBackward, type Pool2dParams } from "@torchlet/tensor-core";
import type { RuleTable } from "./rule.ts";

/** Rules of the pooling ops. */
export const poolRules: RuleTable = {
  maxPool2d: {
    gradFn: "MaxPool2DWithIndicesBackward0",
    saves: { outputs: [1] },
    backward: (grad, ctx) => [maxPool2dBackward(grad, ctx.savedOutput(1), ctx.inputShape(0), ctx.attrs.params as Pool2dParams)],
  },
};
