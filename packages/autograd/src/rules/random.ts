/**
 * Backward rule of sampling. `bernoulli(p)` draws 0 or 1 with probability p: the sample is not a
 * differentiable function of p (it jumps), so PyTorch's node passes back zeros, and so does this one.
 * Code that needs a gradient through the probabilities uses a score-function or relaxation trick
 * on top, not this node.
 */
import { zerosLike } from "@torchlet/tensor-core";
import type { RuleTable } from "./rule.ts";

/** Rules of the samplers. */
export const randomRules: RuleTable = {
  bernoulli: {
    gradFn: "BernoulliBackward0",
    backward: (grad) => [zerosLike(grad)],
  },
};
