/**
 * The `torch.autograd` namespace: computing gradients on demand, checking them numerically, and
 * teaching the engine the backward rule of a new recorded op.
 */
export { backward, backwardAsync, grad, gradAsync, type BackwardOptions, type GradOptions } from "./engine.ts";
export { gradcheck, gradcheckAsync, GradcheckError, type GradcheckOptions } from "./gradcheck.ts";
export { registerRule } from "./rules/index.ts";
export { type BackwardRule, type BackwardContext } from "./rules/rule.ts";
export { Node, AccumulateGrad } from "./node.ts";
