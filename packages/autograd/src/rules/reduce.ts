/**
 * Backward rules of the reductions. A reduction maps many input elements to one output element, so
 * its backward hands the output's gradient back to each of them:
 * - sum: every element contributed with weight 1, so each gets the gradient as it is (`expand`);
 * - mean: weight 1/n;
 * - var: the derivative of Σ(x − x̄)² / (n − correction), which is 2(x − x̄) / (n − correction);
 * - std: the square root of var, so var's derivative divided by 2·std (0 where std is 0);
 * - max/min: only the elements that won get it.
 * The reduced dimensions are put back (size 1) first, unless `keepdim` kept them.
 */
import {
  arange,
  div,
  eq,
  expand,
  mean,
  mul,
  ne,
  reshape,
  sub,
  sum,
  unsqueeze,
  where,
  type Size,
  type Tensor,
} from "@torchlet/tensor-core";
import type { BackwardContext, BackwardRule, RuleTable } from "./rule.ts";

interface ReduceAttrs {
  dims: readonly number[];
  keepdim: boolean;
  count: number;
  correction: number;
}

/** The gradient with the reduced dimensions restored as size 1, so it broadcasts against the input. */
function unreduce(grad: Tensor, ctx: BackwardContext): Tensor {
  const { dims, keepdim } = ctx.attrs as unknown as ReduceAttrs;
  if (keepdim || ctx.inputShape(0).length === 0) return grad;
  return dims.reduce((g, d) => unsqueeze(g, d), grad); // dims are sorted, so each lands in place
}

const sumRule = (gradFn: string): BackwardRule => ({
  gradFn,
  backward: (grad, ctx) => [expand(unreduce(grad, ctx), ctx.inputShape(0))],
});

const meanRule = (gradFn: string): BackwardRule => ({
  gradFn,
  backward: (grad, ctx) => [div(expand(unreduce(grad, ctx), ctx.inputShape(0)), (ctx.attrs as unknown as ReduceAttrs).count)],
});

/**
 * `max()` of a whole tensor: PyTorch shares the gradient evenly among all elements equal to the
 * maximum, so that ties do not pick one arbitrarily.
 */
const extremeOfAllRule = (gradFn: string): BackwardRule => ({
  gradFn,
  saves: { inputs: [0], outputs: [0] },
  backward(grad, ctx) {
    const winners = eq(ctx.savedInput(0), ctx.savedOutput(0));
    return [div(where(winners, grad, 0), sum(winners))];
  },
});

/**
 * `max(dim)`: the gradient of each output element goes to the one input element its index names.
 * Comparing the saved indices with the positions 0..n−1 along `dim` builds that one-hot mask on
 * the device, with no scatter kernel and no trip to the CPU.
 */
const extremeAlongDimRule = (gradFn: string): BackwardRule => ({
  gradFn,
  saves: { outputs: [1] },
  backward(grad, ctx) {
    const shape: Size = ctx.inputShape(0);
    if (shape.length === 0) return [grad];
    const { dim, keepdim } = ctx.attrs as { dim: number; keepdim: boolean };
    const indices = keepdim ? ctx.savedOutput(1) : unsqueeze(ctx.savedOutput(1), dim);
    const g = keepdim ? grad : unsqueeze(grad, dim);
    const positions = reshape(
      arange(shape[dim], { device: ctx.device }),
      shape.map((s, d) => (d === dim ? s : 1)),
    );
    return [where(eq(positions, indices), g, 0)];
  },
});

/** Rules of the reductions. */
export const reduceRules: RuleTable = {
  sum: sumRule("SumBackward0"),
  sumDim: sumRule("SumBackward1"),
  mean: meanRule("MeanBackward0"),
  meanDim: meanRule("MeanBackward1"),

  var: {
    gradFn: "VarBackward0",
    saves: { inputs: [0] },
    backward(grad, ctx) {
      const x = ctx.savedInput(0);
      const { dims, count, correction } = ctx.attrs as unknown as ReduceAttrs;
      const centered = sub(x, mean(x, dims, true));
      return [mul(mul(unreduce(grad, ctx), centered), 2 / (count - correction))];
    },
  },

  std: {
    // d std / dx = (d var / dx) / (2 std) = (x − x̄) / ((n − correction) · std). Where std is 0
    // (all values equal) PyTorch passes 0 on rather than 0/0, and so do we.
    gradFn: "StdBackward0",
    saves: { inputs: [0], outputs: [0] },
    backward(grad, ctx) {
      const x = ctx.savedInput(0);
      const { dims, count, correction } = ctx.attrs as unknown as ReduceAttrs;
      const std = unreduce(ctx.savedOutput(0), ctx);
      const perStd = where(ne(std, 0), div(unreduce(grad, ctx), std), 0);
      const centered = sub(x, mean(x, dims, true));
      return [div(mul(perStd, centered), count - correction)];
    },
  },

  max: extremeOfAllRule("MaxBackward1"),
  min: extremeOfAllRule("MinBackward1"),
  maxDim: extremeAlongDimRule("MaxBackward0"),
  minDim: extremeAlongDimRule("MinBackward0"),
};
