/**
 * Recording: tensor-core calls this after every differentiable op whose inputs require grad (and
 * only while grad mode is on). It attaches the node that will differentiate the op to the op's
 * result, which from then on requires grad and is no longer a leaf.
 */
import type { OpRecord } from "@torchlet/tensor-core";
import { Node } from "./node.ts";
import { ruleFor } from "./rules/index.ts";

/** The hook's `record`: makes the node of one call and hangs it on the call's result. */
export function record(call: OpRecord): void {
  const rule = ruleFor(call.op);
  const result = call.outputs[0];
  // masks, indices and integer results carry no gradient, as in PyTorch
  if (rule === null || !result.isFloatingPoint()) return;
  result.gradFn = new Node(rule, call);
}
