/**
 * Backward rules of the losses.
 * - nll_loss: the loss of an example is −w[t]·input[t], so its gradient is −w[t] at the target
 *   entry and 0 elsewhere, times the gradient of that example's loss (divided by the total weight
 *   for a mean). The target mask is rebuilt from the saved targets. The targets and the class
 *   weights get no gradient, and PyTorch leaves them out of the node's inputs.
 * - mse_loss: ∂(a − b)²/∂a = 2(a − b) = −∂(a − b)²/∂b, divided by the count for a mean.
 */
import { arange, div, eq, logicalAnd, mul, ne, neg, ones, reshape, sub, unsqueeze, where, type Device, type Tensor } from "@torchlet/tensor-core";
import type { RuleTable } from "./rule.ts";

interface LossAttrs {
  reduction: "none" | "mean" | "sum";
  classDim: number;
  ignoreIndex: number;
  inputNdim: number;
  hasWeight: boolean;
}

/** Shapes a per-class tensor ([C]) to broadcast along the class dimension of the input. */
function alongClasses(t: Tensor, inputShape: readonly number[], classDim: number): Tensor {
  return reshape(t, inputShape.map((size, d) => (d === classDim ? size : 1)));
}

/** True where the class index equals the example's target (never for an ignored target). */
function targetMask(target: Tensor, inputShape: readonly number[], classDim: number, ignoreIndex: number, device: Device): Tensor {
  const classes = alongClasses(arange(inputShape[classDim], { device }), inputShape, classDim);
  const t = unsqueeze(target, classDim);
  return logicalAnd(eq(classes, t), ne(t, ignoreIndex));
}

export const lossRules: RuleTable = {
  // inputs: log-probabilities, targets (int64), class weights or null; outputs: loss, total weight
  nllLoss: {
    // PyTorch names the node after the kernel: the spatial one serves inputs of 3 or more dimensions
    gradFn: (call) => ((call.attrs.inputNdim as number) > 2 ? "NllLoss2DBackward0" : "NllLossBackward0"),
    maskInputs: [1, 2],
    saves: { inputs: [1, 2], outputs: [1] },
    backward(grad, ctx) {
      const { reduction, classDim, ignoreIndex, hasWeight } = ctx.attrs as unknown as LossAttrs;
      const inputShape = ctx.inputShape(0);
      const weight = hasWeight ? ctx.savedInput(2) : ones(inputShape[classDim], { device: ctx.device });
      // the gradient of each example's loss, placed so it broadcasts along the class dimension
      let perExample: Tensor = reduction === "none" ? unsqueeze(grad, classDim) : grad;
      if (reduction === "mean") perExample = div(perExample, ctx.savedOutput(1));
      const mask = targetMask(ctx.savedInput(1), inputShape, classDim, ignoreIndex, ctx.device);
      const atTarget = mul(neg(alongClasses(weight, inputShape, classDim)), perExample);
      return [where(mask, atTarget, 0), null, null];
    },
  },
  // inputs: input, target (same shape: the op broadcast them first)
  mseLoss: {
    gradFn: "MseLossBackward0",
    saves: { inputs: [0, 1] },
    backward(grad, ctx) {
      const { reduction } = ctx.attrs as unknown as LossAttrs;
      const diff = sub(ctx.savedInput(0), ctx.savedInput(1));
      let scale: Tensor = mul(grad, 2);
      if (reduction === "mean") scale = div(scale, diff.numel());
      const gradInput = mul(diff, scale);
      return [ctx.needsInputGrad(0) ? gradInput : null, ctx.needsInputGrad(1) ? neg(gradInput) : null];
    },
  },
};
