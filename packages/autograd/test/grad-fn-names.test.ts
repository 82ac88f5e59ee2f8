/**
 * grad_fn names, against what PyTorch 1.13 printed for the same calls (`grad-fns.json`, written by
 * `grad-fns.py` beside it): the node's name, its `nextFunctions`, and whether the result requires
 * grad at all.
 */
import {
  add,
  addmm,
  bernoulli,
  bmm,
  conv2d,
  div,
  dot,
  max,
  maximum,
  maxPool2d,
  minimum,
  mm,
  mv,
  sub,
  tensor,
  where,
  type Tensor,
} from "@torchlet/tensor-core";
import { fixture } from "@torchlet/testing";
import { describe, expect, it } from "vitest";
import { autograd, noGrad } from "../src/index.ts";

interface GradFnCase {
  case: string;
  grad_fn: string | null;
  requires_grad: boolean;
  next_functions: (string | null)[] | null;
}

const leaf = (shape: number[], seed: number) => {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, (_, i) => Math.sin(seed * 7 + i * 1.3) + 0.1);
  return tensor(values, { dtype: "float32" }).reshape(shape).detach();
};
const x = leaf([2, 3], 1).requiresGrad_();
const y = leaf([2, 3], 2).requiresGrad_();
const v = leaf([3], 3).requiresGrad_();
const c = leaf([2, 3], 4);
const m = leaf([3, 4], 5).requiresGrad_();
const img = leaf([1, 2, 4, 4], 6).requiresGrad_();
const kernel = leaf([3, 2, 3, 3], 7).requiresGrad_();
const bias = leaf([3], 8).requiresGrad_();
const zero = tensor(0, { dtype: "float32" });

/** The TypeScript twin of each Python call in grad-fns.py. */
const calls: Record<string, () => Tensor> = {
  "x + 2": () => x.add(2),
  "x + y": () => x.add(y),
  "x + c": () => x.add(c),
  "x + v (broadcast)": () => x.add(v),
  "add(x, y, alpha=2)": () => add(x, y, { alpha: 2 }),
  "x - 2": () => x.sub(2),
  "x - y": () => x.sub(y),
  "2 - x": () => sub(2, x),
  "x * 2": () => x.mul(2),
  "x * y": () => x.mul(y),
  "x / 2": () => x.div(2),
  "x / y": () => x.div(y),
  "2 / x": () => div(2, x),
  "x ** 2": () => x.pow(2),
  "x ** y": () => x.pow(y),
  "x.square()": () => x.square(),
  "maximum(x, y)": () => maximum(x, y),
  "minimum(x, y)": () => minimum(x, y),
  "max(x, y)": () => max(x, y),
  neg: () => x.neg(),
  exp: () => x.exp(),
  log: () => x.log(),
  sqrt: () => x.sqrt(),
  abs: () => x.abs(),
  sign: () => x.sign(),
  tanh: () => x.tanh(),
  sigmoid: () => x.sigmoid(),
  relu: () => x.relu(),
  "clamp(min=0)": () => x.clamp({ min: 0 }),
  "clamp(-1, 1)": () => x.clamp({ min: -1, max: 1 }),
  "clamp(max=1)": () => x.clamp({ max: 1 }),
  "where(c > 0, x, y)": () => where(c.gt(0), x, y),
  "where(c > 0, x, 0)": () => where(c.gt(0), x, zero),
  "sum()": () => x.sum(),
  "sum(1)": () => x.sum(1),
  "sum(1, keepdim)": () => x.sum(1, true),
  "mean()": () => x.mean(),
  "mean(1)": () => x.mean(1),
  "var()": () => x.var(),
  "var(1)": () => x.var(1),
  "max()": () => x.max(),
  "max(1)": () => x.max(1).values,
  "min()": () => x.min(),
  "min(1)": () => x.min(1).values,
  "x[0]": () => x.index(0),
  "select(1, 1)": () => x.select(1, 1),
  "x[:, 1:]": () => x.index(":", "1:"),
  "narrow(1, 0, 2)": () => x.narrow(1, 0, 2),
  "squeeze()": () => x.unsqueeze(0).squeeze(),
  "squeeze(0)": () => x.unsqueeze(0).squeeze(0),
  "unsqueeze(0)": () => x.unsqueeze(0),
  "v.expand(2, 3)": () => v.expand(2, 3),
  "v.expand_as(x)": () => v.expandAs(x),
  "contiguous of a transposed tensor": () => x.t().contiguous(),
  clone: () => x.clone(),
  "reshape that copies": () => x.t().reshape(6),
  "reshape that views": () => x.reshape(6),
  view: () => x.view(3, 2),
  flatten: () => x.flatten(),
  "transpose(0, 1)": () => x.transpose(0, 1),
  "t()": () => x.t(),
  "permute(1, 0)": () => x.permute(1, 0),
  ".T": () => x.T,
  "addmm(v, x, m[:, :3])": () => addmm(v, x, m.index(":", ":3")),
  mm: () => mm(x, m),
  bmm: () => bmm(x.unsqueeze(0), m.unsqueeze(0)),
  dot: () => dot(v, v),
  mv: () => mv(x, v),
  "matmul 2d @ 2d": () => x.matmul(m),
  "matmul 3d @ 2d": () => x.unsqueeze(0).matmul(m),
  "matmul 3d @ 3d": () => x.unsqueeze(0).matmul(m.unsqueeze(0)),
  "matmul 1d @ 2d": () => v.matmul(m),
  "matmul 3d @ 1d": () => x.unsqueeze(0).matmul(v),
  "matmul 1d @ 3d": () => v.matmul(m.unsqueeze(0).expand(2, 3, 4)),
  "matmul 2d @ 3d": () => x.matmul(m.unsqueeze(0).expand(2, 3, 4)),
  "matmul 2d @ 3d, batch of one": () => x.matmul(m.unsqueeze(0)),
  // F.linear(x, m.t(), b) is addmm(b, x, m.t().t())
  linear: () => addmm(bias.index(":1").expand(4).contiguous(), x, m.t().t()),
  "softmax(1)": () => x.softmax(1),
  "log_softmax(1)": () => x.logSoftmax(1),
  conv2d: () => conv2d(img, kernel, bias, { padding: 1 }),
  "conv2d without bias": () => conv2d(img, kernel),
  max_pool2d: () => maxPool2d(img, { kernelSize: 2 }),
  "bernoulli(p)": () => bernoulli(x.sigmoid()),
  "x > 0": () => x.gt(0),
  detach: () => x.detach(),
  ".data": () => x.data,
  "x * 2 under no_grad": () => noGrad(() => x.mul(2)),
};

/** Cases that only exist on another device: a float32 copy can only change device here. */
const onlyOnWebgpu = new Set(["to another dtype or device"]);

/**
 * PyTorch's Scalar overloads take the number as a plain argument, not as an input, so their node
 * has one fewer next function (`x ** 2`); and `2 / x` runs as `x.reciprocal() * 2`. torchlet
 * records every operand as a tensor, so these nodes list the number's input as null.
 */
const scalarOverloadNext = new Set(["2 - x", "x ** 2", "x.square()", "2 / x"]);

const cases = fixture<GradFnCase>("grad-fns");

describe("grad_fn names, as PyTorch gives them", () => {
  it("has a call for every recorded case", () => {
    const missing = cases.map((c) => c.case).filter((name) => !(name in calls) && !onlyOnWebgpu.has(name));
    expect(missing).toEqual([]);
  });

  for (const c of cases.filter((c) => !onlyOnWebgpu.has(c.case))) {
    it(c.case, () => {
      const out = calls[c.case]();
      expect(out.gradFn?.name ?? null).toBe(c.grad_fn);
      expect(out.requiresGrad).toBe(c.requires_grad);
      if (c.next_functions === null || scalarOverloadNext.has(c.case)) return;
      const node = out.gradFn as autograd.Node;
      expect(node.nextFunctions.map(([fn]) => fn?.name ?? null)).toEqual(c.next_functions);
    });
  }

  it("a leaf's AccumulateGrad holds the leaf, and is the same object each time", () => {
    const [[first]] = (x.mul(y).gradFn as autograd.Node).nextFunctions;
    const [[again]] = (x.add(1).gradFn as autograd.Node).nextFunctions;
    expect(first).toBeInstanceOf(autograd.AccumulateGrad);
    expect((first as autograd.AccumulateGrad).variable).toBe(x);
    expect(again).toBe(first);
  });

  it("the graph ends at AccumulateGrad: its nextFunctions are empty, as PyTorch's are ()", () => {
    const [[first]] = (x.mul(y).gradFn as autograd.Node).nextFunctions;
    expect(first!.nextFunctions).toEqual([]);
  });
});
