/**
 * gradcheck itself: it passes correct rules (see gradcheck-ops.test.ts for all of them) and must
 * fail wrong ones. Each wrong rule here is registered for an op of its own, whose forward is a
 * correct tensor-core op, so only the backward is wrong.
 */
import {
  arange,
  belowAutograd,
  eq,
  max,
  mul,
  recordOp,
  reshape,
  sub,
  tanh,
  tensor,
  unsqueeze,
  where,
  type Tensor,
} from "@torchlet/tensor-core";
import { describe, expect, it } from "vitest";
import { autograd } from "../src/index.ts";

const leaf = (values: number[] | number[][]) => tensor(values, { dtype: "float32", requiresGrad: true });

/** An op recorded as `name` whose forward is `forward` and whose backward is the given (wrong) rule. */
function opWithRule(name: string, forward: (...xs: Tensor[]) => Tensor, rule: autograd.BackwardRule) {
  autograd.registerRule(name, rule);
  return (...xs: Tensor[]) => recordOp(name, xs, belowAutograd(() => forward(...xs)));
}

/** tanh with a backward of our choosing, from the saved result y. */
const tanhWith = (name: string, derivative: (y: Tensor) => Tensor) =>
  opWithRule(name, tanh, {
    gradFn: "TanhBackward0",
    saves: { outputs: [0] },
    backward: (grad, ctx) => [mul(grad, derivative(ctx.savedOutput(0)))],
  });

const x23 = () => leaf([[0.3, -0.8, 1.2], [0.1, 0.6, -0.4]]);
/** 64 elements, more than the full-Jacobian limit, so random upstream vectors are used. */
const x64 = () => tensor(Array.from({ length: 64 }, (_, i) => Math.sin(i) * 1.5), { dtype: "float32", requiresGrad: true });

describe("gradcheck", () => {
  it("passes a correct rule", () => {
    const right = tanhWith("testTanhRight", (y) => sub(1, mul(y, y)));
    expect(autograd.gradcheck(right, [x23()])).toBe(true);
    expect(autograd.gradcheck(right, [x64()])).toBe(true);
  });

  it("fails a rule with the wrong formula: 1 − y instead of 1 − y²", () => {
    const wrong = tanhWith("testTanhWrongFormula", (y) => sub(1, y));
    expect(autograd.gradcheck(wrong, [x23()], { raiseException: false })).toBe(false);
    expect(autograd.gradcheck(wrong, [x64()], { raiseException: false })).toBe(false);
  });

  it("fails a rule that is 2% off", () => {
    const wrong = tanhWith("testTanhTwoPercent", (y) => mul(sub(1, mul(y, y)), 1.02));
    expect(autograd.gradcheck(wrong, [x23()], { raiseException: false })).toBe(false);
    expect(autograd.gradcheck(wrong, [x64()], { raiseException: false })).toBe(false);
  });

  it("fails a rule with the wrong sign for one input (sub's second operand)", () => {
    const wrong = opWithRule("testSubWrongSign", (a, b) => sub(a, b), {
      gradFn: "SubBackward0",
      backward: (grad) => [grad, grad],
    });
    expect(autograd.gradcheck(wrong, [x23(), x23()], { raiseException: false })).toBe(false);
  });

  it("fails a max(dim) rule that sends the gradient to the wrong element", () => {
    // the gradient goes to position (index + 1) mod n instead of index
    const wrong = opWithRule("testMaxDimWrongElement", (x) => max(x, 1).values, {
      gradFn: "MaxBackward0",
      saves: { inputs: [0] },
      backward(grad, ctx) {
        const x = ctx.savedInput(0);
        const n = x.shape[1];
        const indices = max(x, 1, true).indices;
        const shifted = where(eq(indices, n - 1), 0, indices.add(1));
        const positions = reshape(arange(n), [1, n]);
        return [where(eq(positions, shifted), unsqueeze(grad, 1), 0)];
      },
    });
    expect(autograd.gradcheck(wrong, [x23()], { raiseException: false })).toBe(false);
  });

  it("describes the mismatch in a GradcheckError", () => {
    const wrong = tanhWith("testTanhForMessage", (y) => sub(1, y));
    expect(() => autograd.gradcheck(wrong, [x23()])).toThrow(autograd.GradcheckError);
    expect(() => autograd.gradcheck(wrong, [x23()])).toThrow(/^Jacobian mismatch for output 0 with respect to input 0,\n/);
  });

  it("checks only the inputs that require grad", () => {
    // the rule is wrong for b, which does not require grad, so the check passes
    const wrongForB = opWithRule("testMulWrongForB", (a, b) => mul(a, b), {
      gradFn: "MulBackward0",
      saves: { inputs: [0, 1] },
      backward: (grad, ctx) => [mul(grad, ctx.savedInput(1)), grad],
    });
    const a = x23();
    const b = x23().detach();
    expect(autograd.gradcheck(wrongForB, [a, b])).toBe(true);
    expect(autograd.gradcheck(wrongForB, [a, b.requiresGrad_()], { raiseException: false })).toBe(false);
  });

  it("ignores outputs without a gradient, such as the indices of max(dim)", () => {
    expect(autograd.gradcheck((x) => { const r = max(x, 1); return [r.values, r.indices]; }, [x23()])).toBe(true);
  });

  it("checks every output of a function with several", () => {
    const right = tanhWith("testTanhRightAgain", (y) => sub(1, mul(y, y)));
    const wrong = tanhWith("testTanhWrongSecond", (y) => sub(1, y));
    expect(autograd.gradcheck((x) => [right(x), right(x.mul(2))], [x23()])).toBe(true);
    expect(autograd.gradcheck((x) => [right(x), wrong(x)], [x23()], { raiseException: false })).toBe(false);
  });

  it("needs at least one input that requires grad", () => {
    expect(() => autograd.gradcheck((x) => x.exp(), [tensor([1], { dtype: "float32" })])).toThrow(
      "gradcheck expects at least one input tensor to require gradient, but none of the them have requires_grad=True.",
    );
  });

  it("leaves the inputs and their .grad as they were", () => {
    const x = x23();
    const before = x.tolist();
    autograd.gradcheck((t) => t.exp().sum(), [x]);
    expect(x.tolist()).toEqual(before);
    expect(x.grad).toBeNull();
  });
});
