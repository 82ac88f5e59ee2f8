/**
 * Two special paths of the backward rules. A matrix used transposed (a layer's weight, as `x·wᵀ`)
 * has its gradient computed in its own layout, (B·Gᵀ)ᵀ instead of G·Bᵀ, as PyTorch's
 * `mm_mat1_backward`/`mm_mat2_backward` do, to spare a copy: the values must be those of the plain
 * form. And ReLU's backward is PyTorch's `threshold_backward`: where the result is NaN, the
 * gradient passes.
 */
import { addmm, manualSeed, mm, randn, relu, tensor, type Tensor } from "@torchlet/tensor-core";
import { assertClose } from "@torchlet/testing";
import { describe, expect, it } from "vitest";
import "../src/index.ts";

/** The gradients of `leaves` after `loss(...leaves)` is summed and differentiated. */
function gradsOf(leaves: Tensor[], loss: (...xs: Tensor[]) => Tensor): Tensor[] {
  loss(...leaves).sum().backward();
  return leaves.map((l) => l.grad!);
}

/** The same product computed on contiguous copies, for the values the transposed forms must give. */
function leaf(t: Tensor): Tensor {
  return t.detach().clone().requiresGrad_();
}

const values = (t: Tensor) => Array.from(t.toArray() as Float32Array);

/** The same sums, perhaps in another order: equal within float32 rounding. */
function expectSameGradient(actual: Tensor, expected: Tensor): void {
  expect([...actual.shape]).toEqual([...expected.shape]);
  assertClose(values(actual), values(expected.contiguous()), { rtol: 1e-6, atol: 1e-6 });
}

describe("the gradient of a matrix used transposed", () => {
  it("mm: a weight used as w.t() gets the plain product's gradient", () => {
    manualSeed(0);
    const [x, w] = [randn(5, 3), randn(4, 3)];
    const [, gw] = gradsOf([leaf(x), leaf(w)], (a, b) => mm(a, b.t()));
    // the same product with wᵀ made contiguous first: its gradient, transposed back
    const [, gwt] = gradsOf([leaf(x), leaf(w.t().contiguous())], (a, b) => mm(a, b));
    expectSameGradient(gw, gwt.t());
  });

  it("mm: a left operand used transposed gets the plain product's gradient", () => {
    manualSeed(1);
    const [x, w] = [randn(3, 5), randn(3, 4)];
    const [gx] = gradsOf([leaf(x), leaf(w)], (a, b) => mm(a.t(), b));
    const [gxt] = gradsOf([leaf(x.t().contiguous()), leaf(w)], (a, b) => mm(a, b));
    expectSameGradient(gx, gxt.t());
  });

  it("addmm, the op of nn.Linear: a transposed weight's gradient as the plain product's; the bias's summed over rows", () => {
    manualSeed(2);
    const [b, x, w] = [randn(4), randn(6, 3), randn(4, 3)];
    const [gb, , gw] = gradsOf([leaf(b), leaf(x), leaf(w)], (bias, a, weight) => addmm(bias, a, weight.t()));
    const [, , gwt] = gradsOf([leaf(b), leaf(x), leaf(w.t().contiguous())], (bias, a, weight) => addmm(bias, a, weight));
    expectSameGradient(gw, gwt.t());
    expect(values(gb)).toEqual([6, 6, 6, 6]);
  });

  it("a vector-shaped operand (one row or one column) is not taken for a transposed matrix", () => {
    manualSeed(3);
    const [x, w] = [randn(1, 3), randn(3, 1)];
    const [gx, gw] = gradsOf([leaf(x), leaf(w)], (a, b) => mm(a, b));
    expectSameGradient(gx, w.reshape(1, 3));
    expectSameGradient(gw, x.reshape(3, 1));
  });
});

describe("ReLU's backward", () => {
  it("passes the gradient where the result is positive or NaN, as PyTorch 1.13 does", () => {
    // PyTorch: relu(tensor([nan, -1, 2, 0])).backward(tensor([1, 2, 3, 4])) leaves grad [1, 0, 3, 0]
    const x = tensor([NaN, -1, 2, 0]).requiresGrad_();
    relu(x).backward(tensor([1, 2, 3, 4]));
    expect(values(x.grad!)).toEqual([1, 0, 3, 0]);
  });
});
