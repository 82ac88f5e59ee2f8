/**
 * The rule table: every op tensor-core records, by the name it records under, mapped to its
 * backward rule. Families live in their own files, beside each other as the kernels do in
 * tensor-core. An op that produces only masks or indices is listed as not differentiable instead,
 * so that every recorded name is accounted for (a test reads tensor-core's source to check it).
 */
import { convRules } from "./conv.ts";
import { elementwiseRules, nonDifferentiableElementwise } from "./elementwise.ts";
import { lossRules } from "./loss.ts";
import { matmulRules } from "./matmul.ts";
import { normRules } from "./norm.ts";
import { poolRules } from "./pool.ts";
import { randomRules } from "./random.ts";
import { reduceRules } from "./reduce.ts";
import type { BackwardRule } from "./rule.ts";
import { softmaxRules } from "./softmax.ts";
import { transferRules } from "./transfer.ts";
import { viewRules } from "./views.ts";

const rules = new Map<string, BackwardRule>(
  Object.entries({
    ...elementwiseRules,
    ...reduceRules,
    ...viewRules,
    ...matmulRules,
    ...convRules,
    ...poolRules,
    ...softmaxRules,
    ...normRules,
    ...lossRules,
    ...transferRules,
    ...randomRules,
  }),
);

const nonDifferentiable = new Set<string>(nonDifferentiableElementwise);

/**
 * The rule for a recorded op; null for an op that is not differentiable. Throws for an op nobody
 * wrote a rule for, so a new op cannot silently drop out of the graph.
 */
export function ruleFor(op: string): BackwardRule | null {
  const rule = rules.get(op);
  if (rule) return rule;
  if (nonDifferentiable.has(op)) return null;
  throw new Error(`autograd has no backward rule for the op "${op}": add one to @torchlet/autograd's rule table`);
}

/** Every op name the table knows, differentiable or not. */
export function knownOps(): { differentiable: string[]; nonDifferentiable: string[] } {
  return { differentiable: [...rules.keys()], nonDifferentiable: [...nonDifferentiable] };
}

/**
 * Adds the backward rule of an op that a package above tensor-core records itself (through
 * tensor-core's `recordOp`), such as a fused loss. Like PyTorch's `autograd.Function`, but keyed
 * by the recorded name so that the op still has one entry in one table.
 */
export function registerRule(op: string, rule: BackwardRule): void {
  if (rules.has(op) || nonDifferentiable.has(op)) throw new Error(`a backward rule for "${op}" already exists`);
  rules.set(op, rule);
}
