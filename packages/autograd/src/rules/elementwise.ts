/**
 * Backward rules of the elementwise ops. Each output element depends on the input elements at the
 * same index only, so every gradient is the upstream gradient times a local derivative, element by
 * element; inputs that were broadcast get their gradient summed back to their shape (`sumToShape`).
 *
 * Binary ops called with a JavaScript number record which operand it was (`attrs.scalarInput`),
 * because PyTorch names a few nodes after that: `x ** 2` is `PowBackward0` but `x ** y` is
 * `PowBackward1`, and `2 - x` is `RsubBackward1`.
 */
import {
  div,
  eq,
  ge,
  gt,
  le,
  log,
  logicalAnd,
  mul,
  neg,
  pow,
  reluBackward,
  sign,
  sub,
  where,
  zerosLike,
  type OpRecord,
  type Tensor,
} from "@torchlet/tensor-core";
import type { BackwardContext, BackwardRule, RuleTable } from "./rule.ts";
import { sumToShape } from "./sum-to-shape.ts";

/** A binary rule's two local gradients, before they are summed back to the inputs' shapes. */
type BinaryGrads = (grad: Tensor, ctx: BackwardContext) => [Tensor | null, Tensor | null];

/** Wraps a binary op's gradients so each is computed only when wanted and reduced to its input's shape. */
function binaryRule(gradFn: BackwardRule["gradFn"], saves: readonly number[], grads: BinaryGrads): BackwardRule {
  return {
    gradFn,
    saves: { inputs: saves },
    backward(grad, ctx) {
      const [ga, gb] = grads(grad, ctx);
      return [ga && sumToShape(ga, ctx.inputShape(0)), gb && sumToShape(gb, ctx.inputShape(1))];
    },
  };
}

/** A unary rule: the input's gradient from the upstream gradient and what was saved. */
function unaryRule(gradFn: string, saves: { inputs?: number[]; outputs?: number[] }, grad: BackwardRule["backward"]): BackwardRule {
  return { gradFn, saves, backward: grad };
}

const scalarInput = (call: OpRecord) => call.attrs.scalarInput;
const alphaOf = (ctx: BackwardContext) => (ctx.attrs.alpha as number | undefined) ?? 1;
const scaled = (grad: Tensor, alpha: number) => (alpha === 1 ? grad : mul(grad, alpha));

/** The derivative of max(a, b) goes to the larger input; a tie splits it in half, as in PyTorch. */
function selectLarger(grad: Tensor, a: Tensor, b: Tensor): Tensor {
  return where(gt(a, b), grad, where(eq(a, b), div(grad, 2), 0));
}

/** Rules of the elementwise ops. */
export const elementwiseRules: RuleTable = {
  add: binaryRule("AddBackward0", [], (grad, ctx) => [
    ctx.needsInputGrad(0) ? grad : null,
    ctx.needsInputGrad(1) ? scaled(grad, alphaOf(ctx)) : null,
  ]),

  sub: binaryRule(
    (call) => (scalarInput(call) === 0 ? "RsubBackward1" : "SubBackward0"),
    [],
    (grad, ctx) => [ctx.needsInputGrad(0) ? grad : null, ctx.needsInputGrad(1) ? scaled(neg(grad), alphaOf(ctx)) : null],
  ),

  mul: binaryRule("MulBackward0", [0, 1], (grad, ctx) => [
    ctx.needsInputGrad(0) ? mul(grad, ctx.savedInput(1)) : null,
    ctx.needsInputGrad(1) ? mul(grad, ctx.savedInput(0)) : null,
  ]),

  // d(a/b)/da = 1/b, d(a/b)/db = -a/b². PyTorch computes `2 / x` as `x.reciprocal() * 2`, hence the name.
  div: binaryRule(
    (call) => (scalarInput(call) === 0 ? "MulBackward0" : "DivBackward0"),
    [0, 1],
    (grad, ctx) => {
      const b = ctx.savedInput(1);
      return [
        ctx.needsInputGrad(0) ? div(grad, b) : null,
        ctx.needsInputGrad(1) ? neg(div(mul(grad, ctx.savedInput(0)), mul(b, b))) : null,
      ];
    },
  ),

  // d(a^b)/da = b·a^(b−1), zero where b = 0 (a^0 is constant even at a = 0);
  // d(a^b)/db = a^b·ln a, zero where a = 0 and b ≥ 0 (the limit, where ln a is −∞).
  pow: binaryRule(
    (call) => (scalarInput(call) === 1 ? "PowBackward0" : "PowBackward1"),
    [0, 1],
    (grad, ctx) => {
      const a = ctx.savedInput(0);
      const b = ctx.savedInput(1);
      return [
        ctx.needsInputGrad(0) ? where(eq(b, 0), 0, mul(grad, mul(b, pow(a, sub(b, 1))))) : null,
        ctx.needsInputGrad(1) ? where(logicalAnd(eq(a, 0), ge(b, 0)), 0, mul(grad, mul(pow(a, b), log(a)))) : null,
      ];
    },
  ),

  maximum: binaryRule("MaximumBackward0", [0, 1], (grad, ctx) => {
    const [a, b] = [ctx.savedInput(0), ctx.savedInput(1)];
    return [ctx.needsInputGrad(0) ? selectLarger(grad, a, b) : null, ctx.needsInputGrad(1) ? selectLarger(grad, b, a) : null];
  }),

  minimum: binaryRule("MinimumBackward0", [0, 1], (grad, ctx) => {
    const [a, b] = [ctx.savedInput(0), ctx.savedInput(1)];
    return [ctx.needsInputGrad(0) ? selectLarger(grad, b, a) : null, ctx.needsInputGrad(1) ? selectLarger(grad, a, b) : null];
  }),

  neg: unaryRule("NegBackward0", {}, (grad) => [neg(grad)]),
  exp: unaryRule("ExpBackward0", { outputs: [0] }, (grad, ctx) => [mul(grad, ctx.savedOutput(0))]),
  log: unaryRule("LogBackward0", { inputs: [0] }, (grad, ctx) => [div(grad, ctx.savedInput(0))]),
  // d√x/dx = 1 / (2√x), from the saved result
  sqrt: unaryRule("SqrtBackward0", { outputs: [0] }, (grad, ctx) => [div(grad, mul(ctx.savedOutput(0), 2))]),
  abs: unaryRule("AbsBackward0", { inputs: [0] }, (grad, ctx) => [mul(grad, sign(ctx.savedInput(0)))]),
  // sign is flat wherever it has a derivative
  sign: unaryRule("SignBackward0", {}, (grad) => [zerosLike(grad)]),
  // d tanh(x)/dx = 1 − tanh²(x)
  tanh: unaryRule("TanhBackward0", { outputs: [0] }, (grad, ctx) => {
    const y = ctx.savedOutput(0);
    return [mul(grad, sub(1, mul(y, y)))];
  }),
  // dσ(x)/dx = σ(x)·(1 − σ(x))
  sigmoid: unaryRule("SigmoidBackward0", { outputs: [0] }, (grad, ctx) => {
    const y = ctx.savedOutput(0);
    return [mul(grad, mul(y, sub(1, y)))];
  }),
  // the gradient passes where the output is positive (PyTorch's threshold_backward on the result)
  // PyTorch's threshold_backward in one pass: the gradient where the result is positive (or NaN)
  relu: unaryRule("ReluBackward0", { outputs: [0] }, (grad, ctx) => [reluBackward(grad, ctx.savedOutput(0))]),

  // the gradient passes where the input was inside [min, max], bounds included
  clamp: unaryRule("ClampBackward1", { inputs: [0] }, (grad, ctx) => {
    const x = ctx.savedInput(0);
    const { min, max } = ctx.attrs as { min?: number; max?: number };
    const aboveMin = min === undefined ? null : ge(x, min);
    const belowMax = max === undefined ? null : le(x, max);
    const inside = aboveMin && belowMax ? logicalAnd(aboveMin, belowMax) : (aboveMin ?? belowMax)!;
    return [where(inside, grad, 0)];
  }),

  // inputs: condition, a, b; the condition is a mask and gets no gradient
  where: {
    gradFn: "WhereBackward0",
    maskInputs: [0],
    saves: { inputs: [0] },
    backward(grad, ctx) {
      const condition = ctx.savedInput(0);
      return [
        null,
        ctx.needsInputGrad(1) ? sumToShape(where(condition, grad, 0), ctx.inputShape(1)) : null,
        ctx.needsInputGrad(2) ? sumToShape(where(condition, 0, grad), ctx.inputShape(2)) : null,
      ];
    },
  },
};

/**
 * Ops whose results are bool masks: recorded by tensor-core, but nothing flows back through them.
 * And `reluBackward`, which only backward runs (with grad mode off, and torchlet has no double
 * backward), so it is never recorded.
 */
export const nonDifferentiableElementwise = ["eq", "ne", "lt", "le", "gt", "ge", "logicalAnd", "logicalOr", "logicalNot", "reluBackward"] as const;
