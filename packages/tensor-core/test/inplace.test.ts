/**
 * In-place ops: they write into the tensor they are called on, so every view of the same storage
 * sees the change. The cases of `tensor-extra.json` (group "inplace") write through a view and
 * record the base tensor afterwards, as PyTorch 1.13 left it. Refused writes are in errors.test.ts.
 */
import { assertClose, fixture, fixtureValues, type FixtureTensor } from "@torchlet/testing";
import { describe, expect, it } from "vitest";
import * as torch from "../src/index.ts";
import type { Tensor } from "../src/index.ts";

interface InplaceCase {
  group: string;
  case: string;
  result: FixtureTensor & { dtype: string };
}

const cases = fixture<InplaceCase>("tensor-extra").filter((c) => c.group === "inplace");

/** 0, 1, 2, ... laid out in `shape`, as the recording script's `grid`. */
function grid(...shape: number[]): Tensor {
  return torch.arange(shape.reduce((a, b) => a * b, 1), { dtype: "float32" }).view(shape);
}
const floats = (data: torch.NestedData) => torch.tensor(data, { dtype: "float32" });

/** Each twin writes through a view and returns the base. */
const twins: Record<string, () => Tensor> = {
  "add_ on a column changes the base": () => {
    const b = grid(2, 3);
    b.index(":", 1).add_(10);
    return b;
  },
  "mul_ through a transpose": () => {
    const b = grid(2, 3);
    b.t().mul_(floats([[1], [2], [3]]));
    return b;
  },
  "sub_ with alpha on a strided slice": () => {
    const b = grid(3, 3);
    b.index("::2", "1:").sub_(floats([1, 2]), { alpha: 3 });
    return b;
  },
  "div_ on a selected plane": () => {
    const b = grid(2, 2, 2);
    b.index(1).div_(4);
    return b;
  },
  "add_ a 0-d tensor": () => grid(2, 2).add_(torch.tensor(2.5)),
  "add_ bool and True": () => torch.tensor([true, false]).add_(true),
  "mul_ int64 by bool": () => torch.tensor([3, 4]).mul_(torch.tensor([true, false])),
  "add_ float32 and int64": () => torch.tensor([0.5, 1.5]).add_(torch.tensor([1, 2])),
  "clamp_ a row": () => {
    const b = grid(2, 3);
    b.index(1).clamp_({ min: 3.5, max: 4.5 });
    return b;
  },
  "clamp_ int64 with int bounds": () => torch.tensor([-5, 0, 5]).clamp_({ min: -1, max: 1 }),
  "fill_ a row": () => {
    const b = torch.zeros(3, 4);
    b.index(1).fill_(2.5);
    return b;
  },
  "fill_ int64 with a float": () => torch.zeros(3, { dtype: "int64" }).fill_(2.7),
  "fill_ with a 0-d tensor": () => torch.zeros(2).fill_(torch.tensor(1.5)),
  "fill_ an expanded view": () => {
    const b = torch.zeros(3);
    b.expand(2, 3).fill_(1);
    return b;
  },
  "zero_ a slice": () => {
    const b = grid(2, 4);
    b.index(":", "1:3").zero_();
    return b;
  },
  "copy_ broadcasts a row": () => torch.zeros(2, 3).copy_(torch.tensor([1, 2, 3])),
  "copy_ float32 into int64 truncates": () => torch.zeros(3, { dtype: "int64" }).copy_(torch.tensor([1.7, -1.7, 2.5])),
  "copy_ into bool": () => torch.zeros(3, { dtype: "bool" }).copy_(floats([0, 2, -0.5])),
  "copy_ into a strided slice": () => {
    const b = torch.zeros(4, 4);
    b.index("1:3", "::2").copy_(torch.ones(2, 2).mul(5));
    return b;
  },
  "copy_ from a transpose": () => torch.zeros(3, 2).copy_(grid(2, 3).t()),
  "copy_ a column into a row": () => {
    const b = grid(3, 3);
    b.index(0).copy_(b.index(":", 0));
    return b;
  },
};

describe("in-place ops through views, against PyTorch 1.13", () => {
  it("has a twin for every recorded case", () => {
    expect(cases.map((c) => c.case).filter((name) => !(name in twins))).toEqual([]);
    expect(Object.keys(twins).filter((name) => !cases.some((c) => c.case === name))).toEqual([]);
  });

  it.each(cases.map((c) => [c.case, c] as const))("%s", (name, c) => {
    const base = twins[name]();
    expect(base.dtype).toBe(c.result.dtype);
    expect([...base.shape]).toEqual(c.result.shape);
    const values = Array.from(base.toArray());
    if (base.dtype === "float32") assertClose(values, fixtureValues(c.result), { rtol: 1e-6, atol: 0 });
    else expect(values).toEqual(fixtureValues(c.result));
  });
});

describe("in-place ops", () => {
  it("return the tensor they wrote into, so calls chain", () => {
    const t = torch.zeros(3);
    expect(t.add_(1)).toBe(t);
    expect(t.mul_(2).sub_(1).div_(2)).toBe(t);
    expect(t.clamp_({ max: 0 })).toBe(t);
    expect(t.tolist()).toEqual([0, 0, 0]);
  });

  it("change every view of the storage, and nothing outside the view", () => {
    const base = grid(3, 4);
    const before = Array.from(base.toArray());
    const column = base.index(":", 2);
    const alsoColumn = base.t().index(2);
    column.mul_(-1);
    expect(alsoColumn.tolist()).toEqual([-2, -6, -10]);
    const after = Array.from(base.toArray());
    after.forEach((v, i) => expect(v).toBe(i % 4 === 2 ? -before[i] : before[i]));
  });
});

describe("in-place ops while autograd records", () => {
  it("refuse a leaf that requires grad, and say why", () => {
    // a stand-in for the autograd package, for this file only
    let enabled = true;
    torch.installAutograd({
      isGradEnabled: () => enabled,
      record: () => {},
      backward: () => {},
    });
    const leaf = torch.ones(2, { requiresGrad: true });
    expect(() => leaf.add_(1)).toThrow("a leaf Variable that requires grad is being used in an in-place operation.");
    expect(leaf.tolist()).toEqual([1, 1]);
    enabled = false; // what noGrad does: initialisation and optimizer steps write into leaves
    leaf.add_(1);
    expect(leaf.tolist()).toEqual([2, 2]);
  });
});

describe("in-place ops whose operand shares memory with the target", () => {
  // outcomes as PyTorch 1.13 gives them for a 3x3 tensor of ones
  const overlap =
    "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation.";
  const cases: [string, (x: Tensor) => unknown, boolean][] = [
    ["x.add_(x[0])", (x) => x.add_(x.index(0)), false],
    ["x.mul_(x.t())", (x) => x.mul_(x.t()), false],
    ["x.copy_(x.t())", (x) => x.copy_(x.t()), false],
    ["x.mul_(x)", (x) => x.mul_(x), true],
    ["x[0].add_(x[1])", (x) => x.index(0).add_(x.index(1)), true],
  ];
  for (const [name, call, allowed] of cases) {
    it(`${name} is ${allowed ? "allowed" : "refused, leaving x unchanged"}`, () => {
      const x = torch.ones(3, 3).add(torch.arange(9, { dtype: "float32" }).reshape(3, 3));
      const before = x.tolist();
      if (allowed) {
        call(x);
      } else {
        expect(() => call(x)).toThrow(overlap);
        expect(x.tolist()).toEqual(before);
      }
    });
  }
});
