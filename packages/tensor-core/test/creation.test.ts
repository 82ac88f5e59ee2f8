/**
 * Creation functions against PyTorch 1.13: the dtype each infers from its arguments, the shape and
 * the values (`tensor-extra.json`, group "creation", recorded by `tensor-extra.py`).
 */
import { assertClose, fixture, fixtureValues, type FixtureTensor } from "@torchlet/testing";
import { describe, expect, it } from "vitest";
import * as torch from "../src/index.ts";
import type { Tensor } from "../src/index.ts";

interface CreationCase {
  group: string;
  case: string;
  result: FixtureTensor & { dtype: string };
}

const cases = fixture<CreationCase>("tensor-extra").filter((c) => c.group === "creation");

/** The TypeScript twin of every recorded case, under the same name. */
const twins: Record<string, () => Tensor> = {
  "tensor of nested ints": () => torch.tensor([[1, 2, 3], [4, 5, 6]]),
  "tensor of floats": () => torch.tensor([1.5, -2.25, 3.0]),
  "tensor of ints and floats": () => torch.tensor([1, 2.5]),
  "tensor of bools": () => torch.tensor([[true, false], [false, true]]),
  "tensor of bools and ints": () => torch.tensor([true, 2]),
  "tensor of bools and floats": () => torch.tensor([true, 2.5]),
  "tensor of one int": () => torch.tensor(3),
  "tensor of one float": () => torch.tensor(-0.5),
  "tensor of one bool": () => torch.tensor(true),
  "tensor of nothing": () => torch.tensor([]),
  "tensor of empty rows": () => torch.tensor([[], []]),
  "tensor of depth 3": () => torch.tensor([[[1], [2]], [[3], [4]]]),
  "tensor rounds to float32": () => torch.tensor([0.1, 1e-8, 16777217, 1e39]),
  "tensor of large ints": () => torch.tensor([2 ** 40, -3]),
  "tensor of ints as float32": () => torch.tensor([1, 2], { dtype: "float32" }),
  "tensor of floats as int64": () => torch.tensor([1.7, -1.7, 2.5], { dtype: "int64" }),
  "tensor of floats as bool": () => torch.tensor([0.0, 0.5, -1.0], { dtype: "bool" }),
  "tensor of bools as float32": () => torch.tensor([true, false], { dtype: "float32" }),

  "arange(5)": () => torch.arange(5),
  "arange(2, 7)": () => torch.arange(2, 7),
  "arange(1, 10, 3)": () => torch.arange(1, 10, 3),
  "arange(10, 0, -3)": () => torch.arange(10, 0, -3),
  "arange(3, 3)": () => torch.arange(3, 3),
  "arange(0, 1, 0.1)": () => torch.arange(0, 1, 0.1),
  "arange(0, 1, 0.3)": () => torch.arange(0, 1, 0.3),
  "arange(0, 2, 0.4)": () => torch.arange(0, 2, 0.4),
  "arange(0.5, 3)": () => torch.arange(0.5, 3),
  "arange(-1, 1, 0.25)": () => torch.arange(-1, 1, 0.25),
  "arange(1, 2.5, 0.5)": () => torch.arange(1, 2.5, 0.5),
  "arange(5, float32)": () => torch.arange(5, { dtype: "float32" }),
  "arange(2.5, -1, -0.5)": () => torch.arange(2.5, -1, -0.5),

  "linspace(0, 1, 5)": () => torch.linspace(0, 1, 5),
  "linspace(-1, 1, 7)": () => torch.linspace(-1, 1, 7),
  "linspace(0, 1, 1)": () => torch.linspace(0, 1, 1),
  "linspace(0, 1, 0)": () => torch.linspace(0, 1, 0),
  "linspace(3, -2, 6)": () => torch.linspace(3, -2, 6),
  "linspace(0.1, 0.7, 4)": () => torch.linspace(0.1, 0.7, 4),
  "linspace(0, 1, 3)": () => torch.linspace(0, 1, 3),
  "linspace(0, 10, 4, int64)": () => torch.linspace(0, 10, 4, { dtype: "int64" }),
  "linspace(-5, 5, 11, int64)": () => torch.linspace(-5, 5, 11, { dtype: "int64" }),

  "eye(3)": () => torch.eye(3),
  "eye(2, 4)": () => torch.eye(2, 4),
  "eye(4, 2)": () => torch.eye(4, 2),
  "eye(3, int64)": () => torch.eye(3, { dtype: "int64" }),
  "eye(2, bool)": () => torch.eye(2, { dtype: "bool" }),
  "eye(0)": () => torch.eye(0),

  "full([2, 3], 7)": () => torch.full([2, 3], 7),
  "full([2], 0.5)": () => torch.full([2], 0.5),
  "full([2], True)": () => torch.full([2], true),
  "full([2, 2], -1, float32)": () => torch.full([2, 2], -1, { dtype: "float32" }),
  "full([], 3.25)": () => torch.full([], 3.25),
  "full([3], 2.7, int64)": () => torch.full([3], 2.7, { dtype: "int64" }),

  "zeros(2, 3)": () => torch.zeros(2, 3),
  "zeros(2, 3, int64)": () => torch.zeros(2, 3, { dtype: "int64" }),
  "ones(2, bool)": () => torch.ones(2, { dtype: "bool" }),
  "zeros([])": () => torch.zeros([]),
  "zeros(0, 3)": () => torch.zeros(0, 3),
  "ones([1, 2, 1])": () => torch.ones([1, 2, 1]),
  "zeros_like(int64)": () => torch.zerosLike(torch.tensor([[1, 2]])),
  "ones_like(float32, int64)": () => torch.onesLike(torch.tensor([0.5, 1.5]), { dtype: "int64" }),
  "full_like(int64, 2.7)": () => torch.fullLike(torch.tensor([1, 2]), 2.7),
  "full_like(bool, 5)": () => torch.fullLike(torch.tensor([true, false]), 5),
};

/** Holds a tensor against a recorded one: dtype and shape exactly, values to float32 precision. */
function expectRecorded(actual: Tensor, expected: CreationCase["result"]): void {
  expect(actual.dtype).toBe(expected.dtype);
  expect([...actual.shape]).toEqual(expected.shape);
  const values = Array.from(actual.toArray());
  if (expected.dtype === "float32") assertClose(values, fixtureValues(expected), { rtol: 1e-6, atol: 1e-7 });
  else expect(values).toEqual(fixtureValues(expected));
}

describe("creation functions against PyTorch 1.13", () => {
  it("has a twin for every recorded case", () => {
    expect(cases.map((c) => c.case).filter((name) => !(name in twins))).toEqual([]);
    expect(Object.keys(twins).filter((name) => !cases.some((c) => c.case === name))).toEqual([]);
  });

  it.each(cases.map((c) => [c.case, c] as const))("%s", (name, c) => {
    expectRecorded(twins[name](), c.result);
  });
});

describe("creation options", () => {
  it("accept sizes variadic or as one list, with the options last", () => {
    expect([...torch.zeros(2, 3).shape]).toEqual([2, 3]);
    expect([...torch.zeros([2, 3]).shape]).toEqual([2, 3]);
    expect(torch.ones([2], { dtype: "int64" }).tolist()).toEqual([1, 1]);
  });

  it("make a leaf that requires grad when asked", () => {
    const t = torch.zeros(2, { requiresGrad: true });
    expect(t.requiresGrad).toBe(true);
    expect(t.isLeaf).toBe(true);
    expect(torch.tensor([1.5], { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it("read typed arrays as float32 and copy them", () => {
    const source = new Float32Array([1, 2, 3]);
    const t = torch.tensor(source);
    expect(t.dtype).toBe("float32");
    source[0] = 100;
    expect(t.tolist()).toEqual([1, 2, 3]);
  });

  it("copy the *Like tensor's shape, dtype, device and layout, not its values", () => {
    const base = torch.tensor([[1, 2, 3], [4, 5, 6]]).t();
    const like = torch.onesLike(base);
    expect(like.dtype).toBe("int64");
    expect([...like.shape]).toEqual([3, 2]);
    expect(like.stride()).toEqual(base.stride()); // transposed in memory, as PyTorch's ones_like
    expect(like.tolist()).toEqual([[1, 1], [1, 1], [1, 1]]);
    expect(base.tolist()).toEqual([[1, 4], [2, 5], [3, 6]]);
  });

  describe("lay their results out as PyTorch's *_like do (tensor-extra.json, group \"like layouts\")", () => {
    const layouts = fixture<{ group: string; case: string; input_strides: number[]; strides: number[] }>("tensor-extra").filter(
      (c) => c.group === "like layouts",
    );
    const inputs: Record<string, () => Tensor> = {
      "transposed [3,4]": () => torch.zeros(3, 4).t(),
      "permuted [2,3,4] (2,0,1)": () => torch.zeros(2, 3, 4).permute(2, 0, 1),
      "every other column of [3,8]": () => torch.zeros(3, 8).slice(1, 0, null, 2),
      "expanded [3,1] to [3,4]": () => torch.zeros(3, 1).expand(3, 4),
      "rows 1:3 of transposed [4,6]": () => torch.zeros(4, 6).t().slice(0, 1, 3),
    };
    const functions: Record<string, (t: Tensor) => Tensor> = {
      zeros_like: (t) => torch.zerosLike(t),
      ones_like: (t) => torch.onesLike(t),
      full_like: (t) => torch.fullLike(t, 2.5),
      empty_like: (t) => torch.emptyLike(t),
      randn_like: (t) => torch.randnLike(t),
      randint_like: (t) => torch.randintLike(t, 5),
    };

    it("has every function on every layout", () => expect(layouts.length).toBe(30));

    it.each(layouts.map((c) => [c.case, c] as const))("%s", (name, c) => {
      const [, fn, input] = /^(\w+)\((.+)\)$/.exec(name)!;
      const t = inputs[input!]!();
      expect(t.stride()).toEqual(c.input_strides);
      expect(functions[fn!]!(t).stride()).toEqual(c.strides);
    });
  });

  it("refuse unknown dtypes and name PyTorch's cuda device as webgpu", () => {
    expect(() => torch.zeros(2, { dtype: "float64" as never })).toThrow(TypeError);
    expect(() => torch.zeros(2, { device: "cuda" })).toThrow('PyTorch\'s "cuda" is "webgpu" here');
  });
});
