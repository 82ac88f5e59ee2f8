/**
 * The engine, on the CPU: where gradients go and when, held against what PyTorch 1.13 does for the
 * same program (each expectation below was read off real PyTorch).
 */
import { belowAutograd, mm, recordOp, tensor, tidy, zeros, type Tensor } from "@torchlet/tensor-core";
import { fixture } from "@torchlet/testing";
import { describe, expect, it } from "vitest";
import { autograd } from "../src/index.ts";

const f32 = (values: number[] | number[][]) => tensor(values, { dtype: "float32" });
const leaf = (values: number[] | number[][]) => f32(values).requiresGrad_();
const list = (t: Tensor | null) => t?.tolist();

/** PyTorch's message, as it printed it, for a second backward through a freed graph. */
const secondBackward =
  "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.";

describe("backward", () => {
  it("fills .grad of the leaves and leaves non-leaves without one", () => {
    const x = leaf([1, 2, 3]);
    const h = x.mul(x);
    h.sum().backward();
    expect(list(x.grad)).toEqual([2, 4, 6]);
    expect(h.grad).toBeNull();
    expect(x.isLeaf).toBe(true);
    expect(h.isLeaf).toBe(false);
  });

  it("runs a node reached by two paths once, with the sum of both gradients", () => {
    // y = e^x; z = y·y + y, so dz/dx = (2y + 1)·y
    const x = leaf([0, 1]);
    const y = x.exp();
    y.mul(y).add(y).sum().backward();
    const expected = [0, 1].map((v) => (2 * Math.exp(v) + 1) * Math.exp(v));
    (x.grad!.toArray() as Float32Array).forEach((g, i) => expect(g).toBeCloseTo(expected[i], 4));
  });

  it("adds the gradients of successive backward calls into .grad, in place", () => {
    const x = leaf([1, 2]);
    x.mul(3).sum().backward();
    const first = x.grad;
    x.mul(3).sum().backward();
    expect(list(x.grad)).toEqual([6, 6]);
    expect(x.grad).toBe(first); // PyTorch's AccumulateGrad adds into the existing .grad
  });

  it("gives every leaf a .grad of its own, even when a rule hands them the same tensor", () => {
    const a = leaf([1, 2]);
    const b = leaf([3, 4]);
    a.add(b).sum().backward(); // AddBackward0 passes one gradient to both
    expect(a.grad).not.toBe(b.grad);
    a.grad!.mul_(10);
    expect(list(b.grad)).toEqual([1, 1]);
  });

  it("copies the gradient given to a leaf, so .grad never aliases the caller's tensor", () => {
    const x = leaf([1, 2]);
    const g = f32([5, 6]);
    x.backward(g);
    g.fill_(0);
    expect(list(x.grad)).toEqual([5, 6]);
  });

  it("makes .grad contiguous when the gradient arrives as a broadcast view", () => {
    const x = leaf([[1, 2], [3, 4]]);
    x.sum().backward(); // SumBackward0 expands the scalar gradient: stride 0
    expect(x.grad!.isContiguous()).toBe(true);
    expect(list(x.grad)).toEqual([[1, 1], [1, 1]]);
  });

  it("keeps .grad alive after the tidy scope that backward ran in", () => {
    const x = leaf([1, 2]);
    tidy(() => x.mul(x).sum().backward());
    expect(x.grad!.isDisposed).toBe(false);
    expect(list(x.grad)).toEqual([2, 4]);
  });

  it("accepts the gradient of a non-scalar output (a vector-Jacobian product)", () => {
    const x = leaf([1, 2, 3]);
    x.mul(x).backward(f32([1, 0, -1]));
    expect(list(x.grad)).toEqual([2, 0, -6]);
  });

  it("handles a graph deeper than the call stack could", () => {
    const x = leaf([1]);
    let y = x;
    for (let i = 0; i < 20000; i++) y = y.add(1);
    y.sum().backward();
    expect(list(x.grad)).toEqual([1]);
  });

  it("on a leaf, puts the gradient straight into its .grad", () => {
    const x = leaf([1, 2]);
    x.backward(f32([3, 4]));
    expect(list(x.grad)).toEqual([3, 4]);
  });
});

describe("errors, with PyTorch's messages", () => {
  it("needs a gradient for a non-scalar output", () => {
    const expected = fixture<{ case: string; type: string; error: string }>("errors").find((c) => c.case === "backward non-scalar")!;
    const y = leaf([1, 2]).mul(2);
    expect(() => y.backward()).toThrow(expected.error);
    try {
      y.backward();
    } catch (error) {
      expect((error as Error).name).toBe(expected.type);
    }
  });

  it("refuses an output that does not require grad", () => {
    expect(() => f32([1, 2]).sum().backward()).toThrow("element 0 of tensors does not require grad and does not have a grad_fn");
    expect(() => f32([1, 2]).backward()).toThrow("element 0 of tensors does not require grad and does not have a grad_fn");
  });

  it("refuses a gradient of the wrong shape", () => {
    expect(() => leaf([1, 2, 3]).mul(2).backward(f32([1, 1]))).toThrow(
      "Mismatch in shape: grad_output[0] has a shape of torch.Size([2]) and output[0] has a shape of torch.Size([3]).",
    );
  });

  it("refuses a second backward through nodes whose saved tensors were freed", () => {
    const x = leaf([1, 2]);
    const y = x.mul(x).sum();
    y.backward();
    expect(() => y.backward()).toThrow(secondBackward);
    expect(list(x.grad)).toEqual([2, 4]); // bad input changes nothing
  });

  it("allows a second backward through nodes that saved nothing, as PyTorch does", () => {
    const x = leaf([1, 2]);
    const y = x.add(1).view(2, 1).mean();
    y.backward();
    y.backward();
    expect(list(x.grad)).toEqual([1, 1]);
  });

  it("reports a rule that returns a gradient of the wrong shape", () => {
    autograd.registerRule("testWrongShape", { gradFn: "WrongShapeBackward", backward: (grad) => [grad.sum()] });
    const x = leaf([1, 2]);
    const y = recordOp("testWrongShape", [x], belowAutograd(() => x.mul(1)));
    expect(() => y.backward(f32([1, 1]))).toThrow(
      "Function WrongShapeBackward returned an invalid gradient at index 0 - got [] but expected shape compatible with [2]",
    );
  });

  it("refuses a second rule for the same op", () => {
    expect(() => autograd.registerRule("mul", { gradFn: "MulBackward0", backward: () => [] })).toThrow('a backward rule for "mul" already exists');
  });

  it("refuses in-place changes to a leaf that requires grad", () => {
    const x = leaf([1, 2]);
    expect(() => x.add_(1)).toThrow("a leaf Variable that requires grad is being used in an in-place operation.");
    expect(list(x)).toEqual([1, 2]);
  });
});

describe("retainGrad and retainGraph", () => {
  it("keeps .grad on a non-leaf that asked for it, accumulating like a leaf", () => {
    const x = leaf([1, 2, 3]);
    const h = x.mul(2);
    h.retainGrad();
    const s = h.sum();
    s.backward(null, { retainGraph: true });
    expect(list(h.grad)).toEqual([1, 1, 1]);
    s.backward();
    expect(list(h.grad)).toEqual([2, 2, 2]);
    expect(list(x.grad)).toEqual([4, 4, 4]);
  });

  it("retains the output's own gradient when the output retains grad", () => {
    const y = leaf([1, 2]).mul(3);
    y.retainGrad();
    y.backward(f32([1, -1]));
    expect(list(y.grad)).toEqual([1, -1]);
  });

  it("takes options after the gradient, and says so when they come first", () => {
    const y = leaf([1]).sum();
    expect(() => y.backward({ retainGraph: true } as never)).toThrow("options come second: t.backward(null, { retainGraph: true })");
  });

  it("runs backward through the same graph twice with retainGraph", () => {
    const x = leaf([0, 1]);
    const y = x.exp().sum();
    y.backward(null, { retainGraph: true });
    y.backward();
    (x.grad!.toArray() as Float32Array).forEach((g, i) => expect(g).toBeCloseTo(2 * Math.exp(i), 5));
    expect(() => y.backward()).toThrow(secondBackward);
  });
});

describe(".data and detach()", () => {
  it("share storage with the tensor and stand outside the graph", () => {
    const w = leaf([1, 2]);
    for (const cut of [w.data, w.detach()]) {
      expect(cut.requiresGrad).toBe(false);
      expect(cut.gradFn).toBeNull();
      expect(cut.mul(2).requiresGrad).toBe(false);
    }
    w.data.mul_(10); // an update autograd does not see, as an optimizer step makes
    expect(list(w)).toEqual([10, 20]);
  });

  it("give the seed's MyFCLayer an AddBackward0 only through its input", () => {
    // forward(x) = x @ w.data + b.data: the graph comes from x alone
    const w = leaf([[1, 0], [0, 1]]);
    const b = leaf([1, 1]);
    const x = leaf([[1, 2]]);
    const y = mm(x, w.data).add(b.data);
    expect(y.gradFn?.name).toBe("AddBackward0");
    y.sum().backward();
    expect(list(x.grad)).toEqual([[1, 1]]);
    expect(w.grad).toBeNull();
    expect(b.grad).toBeNull();
    expect(mm(f32([[1, 2]]), w.data).add(b.data).gradFn).toBeNull();
  });
});

describe("autograd.grad and autograd.backward", () => {
  it("returns gradients without touching .grad", () => {
    const x = leaf([1, 2]);
    const y = leaf([3, 4]);
    const [gx, gy] = autograd.grad(x.mul(y).sum(), [x, y]);
    expect(list(gx)).toEqual([3, 4]);
    expect(list(gy)).toEqual([1, 2]);
    expect(x.grad).toBeNull();
    expect(y.grad).toBeNull();
  });

  it("differentiates with respect to a non-leaf", () => {
    const x = leaf([1, 2]);
    const h = x.mul(x);
    const [gh] = autograd.grad(h.mul(3).sum(), [h]);
    expect(list(gh)).toEqual([3, 3]);
  });

  it("needs allowUnused for an input the output does not depend on", () => {
    const a = leaf([1]);
    const b = leaf([2]);
    expect(() => autograd.grad(a.mul(2).sum(), [b])).toThrow(
      "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.",
    );
    expect(autograd.grad(a.mul(2).sum(), [b], { allowUnused: true })).toEqual([null]);
  });

  it("takes gradOutputs for non-scalar outputs", () => {
    const x = leaf([1, 2]);
    const [g] = autograd.grad(x.mul(x), [x], { gradOutputs: [f32([1, 10])] });
    expect(list(g)).toEqual([2, 40]);
  });

  it("runs backward from several outputs at once, summing into the leaves", () => {
    const x = leaf([1, 2]);
    const y = x.mul(2);
    autograd.backward([y.sum(), y.mul(y).sum()]);
    expect(list(x.grad)).toEqual([2 + 8 * 1, 2 + 8 * 2]);
  });

  it("names the offending output among several", () => {
    expect(() => autograd.backward([leaf([1]).sum(), zeros(1).sum()])).toThrow(
      "element 1 of tensors does not require grad and does not have a grad_fn",
    );
  });
});
