/**
 * Bad input at the tensor level: the error type (the `pythonType` of a TorchletError, or the name of
 * a JavaScript TypeError) and the message are PyTorch 1.13's, and nothing the call was given has
 * changed afterwards. The cases come from `tensor-extra.json` (group "errors") and from the
 * tensor-level cases of the shared `errors.json`.
 */
import { fixture } from "@torchlet/testing";
import { describe, expect, it } from "vitest";
import * as torch from "../src/index.ts";
import type { Tensor } from "../src/index.ts";

interface ErrorCase {
  group?: string;
  case: string;
  type: string;
  error: string;
}

/** A bad call: the tensors it is given (made fresh), and what it does with them. */
interface BadCall {
  inputs: () => Tensor[];
  call: (...inputs: Tensor[]) => unknown;
}

const bad = (inputs: () => Tensor[], call: (...inputs: Tensor[]) => unknown): BadCall => ({ inputs, call });
/** A bad call on one fresh tensor. */
const on = (make: () => Tensor, call: (t: Tensor) => unknown): BadCall => bad(() => [make()], (t) => call(t));
/** A bad call with no tensor to watch (creation functions). */
const creating = (call: () => unknown): BadCall => bad(() => [], call);

const { zeros, ones, tensor } = torch;
const long = { dtype: "int64" } as const;
const boolean = { dtype: "bool" } as const;
const floats = (data: torch.NestedData) => tensor(data, { dtype: "float32" });
const pair = (a: () => Tensor, b: () => Tensor, call: (a: Tensor, b: Tensor) => unknown) => bad(() => [a(), b()], (x, y) => call(x, y));
const z = (...shape: number[]) => () => zeros(shape);

const twins: Record<string, BadCall> = {
  // views and shapes
  "view: two inferred dims": on(z(2, 3), (t) => t.view(2, -1, -1)),
  "view: negative size": on(z(2, 3), (t) => t.view(-2, 3)),
  "view: wrong element count": on(z(2, 3), (t) => t.view(4, 2)),
  "view: transposed tensor": on(z(2, 3), (t) => t.t().view(6)),
  "reshape: wrong element count": on(z(2, 3), (t) => t.reshape(5, -1)),
  "t: 3-d tensor": on(z(2, 3, 4), (t) => t.t()),
  "transpose: dim out of range": on(z(2, 3), (t) => t.transpose(0, 2)),
  "permute: wrong number of dims": on(z(2, 3), (t) => t.permute(0, 1, 2)),
  "permute: repeated dim": on(z(2, 3), (t) => t.permute(0, 0)),
  "unsqueeze: dim out of range": on(z(2, 3), (t) => t.unsqueeze(3)),
  "squeeze: dim out of range": on(z(2, 3), (t) => t.squeeze(2)),
  "cat: no tensors": creating(() => torch.cat([])),
  "cat: sizes differ off the dim": bad(() => [torch.zeros(2, 3), torch.zeros(2, 4)], (a, b) => torch.cat([a!, b!])),
  "cat: dimensions differ": bad(() => [torch.zeros(2, 3), torch.zeros(2, 3, 1)], (a, b) => torch.cat([a!, b!])),
  "cat: dim out of range": bad(() => [torch.zeros(2, 3), torch.zeros(3, 3)], (a, b) => torch.cat([a!, b!], 2)),
  "cat: 0-d tensors": bad(() => [torch.zeros([]), torch.zeros([])], (a, b) => torch.cat([a!, b!])),
  "stack: no tensors": creating(() => torch.stack([])),
  "stack: sizes differ": bad(() => [torch.zeros(2, 3), torch.zeros(3, 3)], (a, b) => torch.stack([a!, b!])),
  "stack: dim out of range": bad(() => [torch.zeros(2, 3), torch.zeros(2, 3)], (a, b) => torch.stack([a!, b!], -4)),
  "expand: size mismatch": on(z(3), (t) => t.expand(2, 4)),
  "expand: too few sizes": on(z(2, 3), (t) => t.expand(3)),
  "expand: too few sizes (int64)": on(() => zeros(2, 3, long), (t) => t.expand(3)),
  "expand: too few sizes (bool)": on(() => zeros(2, 3, boolean), (t) => t.expand(3)),
  "select: index out of range": on(z(2, 3), (t) => t.select(1, 5)),
  "select: negative index out of range": on(z(2, 3), (t) => t.select(0, -3)),
  "select: dim out of range": on(z(2, 3), (t) => t.select(2, 0)),
  "select: 0-d tensor": on(() => tensor(1.5), (t) => t.select(0, 0)),
  "index: too many indices": on(z(2, 3), (t) => t.index(0, 0, 0)),
  "index: negative step": on(z(4), (t) => t.index("::-1")),
  "index: zero step": on(z(4), (t) => t.index("::0")),
  "narrow: past the end": on(z(4), (t) => t.narrow(0, 2, 3)),
  "narrow: start out of range": on(z(4), (t) => t.narrow(0, 5, 0)),
  "narrow: negative start out of range": on(z(4), (t) => t.narrow(0, -5, 1)),
  "flatten: start after end": on(z(2, 3), (t) => t.flatten(1, 0)),
  "item: several elements": on(z(2, 3), (t) => t.item()),

  // elementwise
  "add: broadcast mismatch": pair(z(2, 3), z(2, 4), (a, b) => a.add(b)),
  "add: broadcast mismatch, leading dims": pair(z(5, 1, 3), z(4, 2, 1), (a, b) => a.add(b)),
  "add: two mismatches, the rightmost named": pair(z(2, 3), z(4, 5), (a, b) => a.add(b)),
  "sub: bool tensors": pair(() => tensor([true]), () => tensor([false]), (a, b) => a.sub(b)),
  "sub: float and bool": pair(z(2), () => tensor([true, false]), (a, b) => a.sub(b)),
  "sub: bool and True": on(() => tensor([true]), (t) => t.sub(true)),
  "neg: bool": on(() => tensor([true]), (t) => t.neg()),
  "abs: bool": on(() => tensor([true]), (t) => t.abs()),
  "relu: bool": on(() => tensor([true]), (t) => t.relu()),
  "pow: int to a negative int": on(() => tensor([1, 2]), (t) => t.pow(-1)),
  "clamp: no bounds": on(z(2), (t) => t.clamp({})),
  "where: float condition": bad(() => [zeros(2), zeros(2), ones(2)], (c, a, b) => torch.where(c, a, b)),
  "where: broadcast mismatch": bad(() => [zeros(2, boolean), zeros(3), ones(1)], (c, a, b) => torch.where(c, a, b)),
  "maximum: broadcast mismatch": pair(z(2), z(3), (a, b) => a.maximum(b)),

  // reductions
  "sum: dim out of range": on(z(2, 3), (t) => t.sum(2)),
  "sum: repeated dim": on(z(2, 3), (t) => t.sum([0, -2])),
  "mean: int64": on(() => tensor([1, 2]), (t) => t.mean()),
  "mean: bool": on(() => tensor([true]), (t) => t.mean()),
  "mean: dim out of range": on(z(2, 3), (t) => t.mean(5)),
  "var: int64": on(() => tensor([1, 2]), (t) => t.var()),
  "max: empty": on(z(0), (t) => t.max()),
  "max: empty dim": on(z(2, 0), (t) => t.max(1)),
  "min: dim out of range": on(z(2, 3), (t) => t.min(-3)),
  "softmax: dim out of range": on(z(2, 3), (t) => t.softmax(2)),
  "softmax: int64": on(() => tensor([1, 2]), (t) => t.softmax(0)),
  "log_softmax: int64": on(() => tensor([1, 2]), (t) => t.logSoftmax(0)),

  // matrix products
  "mm: shapes": pair(z(2, 3), z(4, 5), torch.mm),
  "mm: vector first": pair(z(3), z(3, 3), torch.mm),
  "mm: vector second": pair(z(3, 3), z(3), torch.mm),
  "mm: int64 and float32": pair(() => zeros(2, 2, long), z(2, 2), torch.mm),
  "mm: float32 and int64": pair(z(2, 2), () => zeros(2, 2, long), torch.mm),
  "mm: bool": pair(() => zeros(3, 3, boolean), z(3, 3), torch.mm),
  "bmm: 2-d first": pair(z(2, 3), z(2, 3, 3), torch.bmm),
  "bmm: 2-d second": pair(z(2, 3, 3), z(3, 3), torch.bmm),
  "bmm: inner size": pair(z(2, 3, 4), z(2, 3, 3), torch.bmm),
  "bmm: batch size": pair(z(2, 3, 4), z(3, 4, 3), torch.bmm),
  "bmm: bool": pair(() => zeros(2, 2, 2, boolean), () => zeros(2, 2, 2, boolean), torch.bmm),
  "bmm: dtypes": pair(z(2, 2, 2), () => zeros(2, 2, 2, long), torch.bmm),
  "dot: sizes": pair(z(3), z(4), torch.dot),
  "dot: matrices": pair(z(2, 3), z(2, 3), torch.dot),
  "dot: dtypes": pair(z(3), () => zeros(3, long), torch.dot),
  "dot: bool": pair(() => zeros(2, boolean), () => zeros(2, boolean), torch.dot),
  "mv: sizes": pair(z(2, 3), z(4), torch.mv),
  "mv: vector first": pair(z(3), z(3), torch.mv),
  "mv: 3-d matrix": pair(z(2, 3, 4), z(4), torch.mv),
  "mv: dtypes": pair(z(2, 2), () => zeros(2, long), torch.mv),
  "matmul: 0-d": pair(() => tensor(1.5), z(3), torch.matmul),
  "matmul: vectors": pair(z(3), z(4), torch.matmul),
  "matmul: matrix and vector": pair(z(2, 3), z(4), torch.matmul),
  "matmul: vector and matrix": pair(z(3), z(4, 2), torch.matmul),
  "matmul: batch and vector": pair(z(2, 2, 3), z(4), torch.matmul),
  "matmul: batch and matrix": pair(z(2, 2, 3), z(4, 2), torch.matmul),
  "matmul: vector and batch": pair(z(3), z(2, 4, 5), torch.matmul),
  "matmul: matrix and batch": pair(z(2, 3), z(2, 4, 5), torch.matmul),
  "matmul: batches inner size": pair(z(2, 3, 4), z(2, 3, 5), torch.matmul),
  "matmul: batches do not broadcast": pair(z(2, 3, 4), z(3, 4, 5), torch.matmul),
  "addmm: bias does not broadcast": bad(() => [zeros(3), zeros(2, 4), zeros(4, 5)], (b, x, w) => torch.addmm(b, x, w)),
  "addmm: shapes": bad(() => [zeros(5), zeros(2, 4), zeros(3, 5)], (b, x, w) => torch.addmm(b, x, w)),
  "addmm: vector mat1": bad(() => [zeros(3), zeros(3), zeros(3, 3)], (b, x, w) => torch.addmm(b, x, w)),
  "addmm: vector mat2": bad(() => [zeros(3), zeros(3, 3), zeros(3)], (b, x, w) => torch.addmm(b, x, w)),
  "addmm: int64 mat1": bad(() => [zeros(3), zeros(3, 3, long), zeros(3, 3)], (b, x, w) => torch.addmm(b, x, w)),
  "addmm: int64 bias": bad(() => [zeros(3, long), zeros(3, 3), zeros(3, 3)], (b, x, w) => torch.addmm(b, x, w)),

  // convolution and pooling
  "conv2d: 3-d weight": pair(z(1, 3, 8, 8), z(4, 3, 3), (x, w) => torch.conv2d(x, w)),
  "conv2d: 2-d weight": pair(z(1, 3, 8, 8), z(4, 3), (x, w) => torch.conv2d(x, w)),
  "conv2d: int64 weight": pair(z(1, 3, 8, 8), () => zeros(4, 3, 3, 3, long), (x, w) => torch.conv2d(x, w)),
  "conv2d: int64 bias": bad(() => [zeros(1, 3, 8, 8), zeros(4, 3, 3, 3), zeros(4, long)], (x, w, b) => torch.conv2d(x, w, b)),
  "conv2d: 2-d input": pair(z(8, 8), z(4, 3, 3, 3), (x, w) => torch.conv2d(x, w)),
  "conv2d: channels": pair(z(2, 4, 8, 8), z(6, 3, 3, 3), (x, w) => torch.conv2d(x, w)),
  "conv2d: groups do not divide out channels": pair(z(1, 4, 8, 8), z(3, 2, 3, 3), (x, w) => torch.conv2d(x, w, null, { groups: 2 })),
  "conv2d: bias size": bad(() => [zeros(1, 3, 8, 8), zeros(4, 3, 3, 3), zeros(3)], (x, w, b) => torch.conv2d(x, w, b)),
  "conv2d: kernel larger than input": pair(z(1, 1, 4, 4), z(1, 1, 5, 5), (x, w) => torch.conv2d(x, w)),
  "conv2d: kernel larger than padded input": pair(z(1, 1, 4, 4), z(1, 1, 3, 7), (x, w) => torch.conv2d(x, w, null, { padding: 1 })),
  "conv2d: zero stride": pair(z(1, 1, 4, 4), z(1, 1, 3, 3), (x, w) => torch.conv2d(x, w, null, { stride: 0 })),
  "conv2d: negative padding": pair(z(1, 1, 4, 4), z(1, 1, 3, 3), (x, w) => torch.conv2d(x, w, null, { padding: -1 })),
  "conv2d: zero dilation": pair(z(1, 1, 4, 4), z(1, 1, 3, 3), (x, w) => torch.conv2d(x, w, null, { dilation: 0 })),
  "conv2d: zero groups": pair(z(1, 1, 4, 4), z(1, 1, 3, 3), (x, w) => torch.conv2d(x, w, null, { groups: 0 })),
  "max_pool2d: zero kernel": on(z(1, 1, 4, 4), (x) => torch.maxPool2d(x, { kernelSize: 0 })),
  "max_pool2d: zero stride": on(z(1, 1, 4, 4), (x) => torch.maxPool2d(x, { kernelSize: 2, stride: 0 })),
  "max_pool2d: zero kernel, stride 1": on(z(1, 1, 4, 4), (x) => torch.maxPool2d(x, { kernelSize: 0, stride: 1 })),
  "max_pool2d: negative stride": on(z(1, 1, 4, 4), (x) => torch.maxPool2d(x, { kernelSize: 2, stride: -1 })),
  "max_pool2d: negative padding": on(z(1, 1, 4, 4), (x) => torch.maxPool2d(x, { kernelSize: 2, padding: -1 })),
  "max_pool2d: padding against the kernel, not its dilated span": on(z(1, 1, 4, 4), (x) =>
    torch.maxPool2d(x, { kernelSize: 3, stride: 1, padding: 2, dilation: 2 }),
  ),
  "max_pool2d: padding over half the kernel": on(z(1, 1, 4, 4), (x) => torch.maxPool2d(x, { kernelSize: 2, padding: 2 })),
  "max_pool2d: output too small": on(z(1, 1, 2, 2), (x) => torch.maxPool2d(x, { kernelSize: 3 })),
  "max_pool2d: 2-d input": on(z(4, 4), (x) => torch.maxPool2d(x, { kernelSize: 2 })),

  // creation
  "tensor: ragged rows": creating(() => tensor([[1, 2], [3]])),
  "tensor: number among rows": creating(() => tensor([[1, 2], 3])),
  "zeros: negative size": creating(() => zeros(-1)),
  "arange: zero step": creating(() => torch.arange(0, 3, 0)),
  "arange: step away from the end": creating(() => torch.arange(3, 0, 1)),
  "linspace: negative steps": creating(() => torch.linspace(0, 1, -1)),
  "requires_grad_: int64": on(() => zeros(2, long), (t) => t.requiresGrad_()),

  // in place
  "add_: float32 into int64": on(() => tensor([1, 2]), (t) => t.add_(0.5)),
  "add_: float32 tensor into int64": pair(() => tensor([1, 2]), () => floats([0.5, 1]), (a, b) => a.add_(b)),
  "add_: int64 into bool": on(() => tensor([true]), (t) => t.add_(1)),
  "div_: int64": on(() => tensor([4, 2]), (t) => t.div_(2)),
  "mul_: float32 into bool": on(() => tensor([true]), (t) => t.mul_(0.5)),
  "clamp_: int64 with a float bound": on(() => tensor([1, 2, 3]), (t) => t.clamp_({ min: 0, max: 2.5 })),
  "add_: result would grow": pair(z(3), z(2, 3), (a, b) => a.add_(b)),
  "add_: broadcast mismatch": pair(z(3), z(4), (a, b) => a.add_(b)),
  "add_: expanded tensor": on(z(3), (t) => t.expand(2, 3).add_(1)),
  "mul_: expanded tensor": on(z(3, 1), (t) => t.expand(3, 2).mul_(2)),
  "copy_: expanded tensor": pair(z(3), () => ones(2, 3), (a, b) => a.expand(2, 3).copy_(b)),
  "copy_: result would grow": pair(z(2, 3), () => ones(2, 2, 3), (a, b) => a.copy_(b)),
  "copy_: broadcast mismatch": pair(z(2, 3), () => ones(4), (a, b) => a.copy_(b)),
  "fill_: 1-d value": pair(z(3), () => floats([1, 2]), (a, b) => a.fill_(b)),
  "normal_: negative std": on(z(3), (t) => t.normal_(0, -1)),
  "normal_: int64": on(() => zeros(3, long), (t) => t.normal_()),
  "uniform_: from above to": on(z(3), (t) => t.uniform_(2, 1)),
  "uniform_: int64": on(() => zeros(3, long), (t) => t.uniform_()),
};

/** The tensor-level cases of the shared errors.json, with inputs that give the recorded messages. */
const sharedTwins: Record<string, BadCall> = {
  "linear shape mismatch": bad(() => [zeros(10), zeros(1, 25), zeros(10, 100)], (b, x, w) => torch.addmm(b, x, w.t())),
  "matmul mismatch": pair(z(2, 3), z(4, 5), torch.matmul),
  "add broadcast mismatch": pair(z(2, 3), z(2, 4), torch.add),
  "view invalid": on(z(2, 3), (t) => t.view(4, -1)),
  "conv2d channel mismatch": pair(z(1, 3, 8, 8), z(32, 1, 3, 3), (x, w) => torch.conv2d(x, w)),
  // the seed's conv stack feeds a [1, 32, 14, 14] map straight into Linear(6272, 10)
  "seed Sequential conv->linear without flatten": pair(z(1, 32, 14, 14), z(10, 6272), (x, w) => torch.matmul(x, w.t())),
};

/** What a tensor looks like from outside: enough to see that a failed call changed nothing. */
function snapshot(t: Tensor) {
  return { shape: [...t.shape], strides: t.stride(), offset: t.storageOffset(), dtype: t.dtype, values: Array.from(t.toArray()) };
}

function expectRefused(twin: BadCall, type: string, message: string): void {
  const inputs = twin.inputs();
  const before = inputs.map(snapshot);
  let thrown: unknown;
  try {
    twin.call(...inputs);
  } catch (error) {
    thrown = error;
  }
  expect(thrown, "an error").toBeInstanceOf(Error);
  const error = thrown as Error & { pythonType?: string };
  expect(error.pythonType ?? error.name).toBe(type);
  expect(error.message).toBe(message);
  expect(inputs.map(snapshot), "inputs after the failed call").toEqual(before);
}

const extraCases = fixture<ErrorCase>("tensor-extra").filter((c) => c.group === "errors");
const sharedCases = fixture<ErrorCase>("errors").filter((c) => c.case in sharedTwins);

describe("tensor-level errors against PyTorch 1.13", () => {
  it("has a twin for every recorded case, and a case for every twin", () => {
    expect(extraCases.map((c) => c.case).filter((name) => !(name in twins))).toEqual([]);
    expect(Object.keys(twins).filter((name) => !extraCases.some((c) => c.case === name))).toEqual([]);
    expect(sharedCases.map((c) => c.case).sort()).toEqual(Object.keys(sharedTwins).sort());
  });

  it.each(extraCases.map((c) => [c.case, c] as const))("%s", (name, c) => {
    expectRefused(twins[name], c.type, c.error);
  });

  it.each(sharedCases.map((c) => [c.case, c] as const))("errors.json: %s", (name, c) => {
    expectRefused(sharedTwins[name], c.type, c.error);
  });
});

describe("torchlet's errors", () => {
  it("are TorchletErrors that carry PyTorch's type name", () => {
    let thrown: unknown;
    try {
      zeros(2).view(3);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(torch.TorchletError);
    expect(thrown).toBeInstanceOf(torch.RuntimeError);
    expect((thrown as torch.TorchletError).pythonType).toBe("RuntimeError");
    expect((thrown as Error).name).toBe("RuntimeError");
  });
});
