/**
 * Type promotion against PyTorch 1.13 (`tensor-extra.json`, group "dtype"): every binary op on every
 * pair of dtypes and with JavaScript numbers on either side, every unary op and reduction on every
 * dtype, and conversions. A case holds the result's dtype and values, or PyTorch's error.
 *
 * Case names are the calls themselves, `add(int64, -1.5)` or `sum(dim=0)(bool)`, so the twins are
 * read off the names: operands name a sample tensor of that dtype or a number.
 */
import { assertClose, fixture, fixtureValues, type FixtureTensor } from "@torchlet/testing";
import { describe, expect, it } from "vitest";
import * as torch from "../src/index.ts";
import type { Operand, Tensor } from "../src/index.ts";

interface DtypeCase {
  group: string;
  case: string;
  result?: FixtureTensor & { dtype: string };
  type?: string;
  error?: string;
}

const cases = fixture<DtypeCase>("tensor-extra").filter((c) => c.group === "dtype");

/** The operands the fixture names: a tensor of each dtype (fresh each time) and three numbers. */
const operands: Record<string, () => Operand> = {
  bool: () => torch.tensor([true, false, true]),
  int64: () => torch.tensor([2, -3, 0]),
  float32: () => torch.tensor([0.5, -1.5, 2.0], { dtype: "float32" }),
  True: () => true,
  "2": () => 2,
  "-1.5": () => -1.5,
};
const tensorOf = (name: string) => operands[name]() as Tensor;

const binary: Record<string, (a: Operand, b: Operand) => Tensor> = {
  add: torch.add,
  sub: torch.sub,
  mul: torch.mul,
  div: torch.div,
  pow: torch.pow,
  maximum: (a, b) => torch.maximum(a as Tensor, b as Tensor),
  eq: torch.eq,
  lt: torch.lt,
  logical_and: torch.logicalAnd,
};

const unary: Record<string, (t: Tensor) => Tensor> = {
  neg: torch.neg,
  abs: torch.abs,
  sign: torch.sign,
  relu: torch.relu,
  exp: torch.exp,
  log: torch.log,
  sqrt: torch.sqrt,
  tanh: torch.tanh,
  sigmoid: torch.sigmoid,
  logical_not: torch.logicalNot,
  sum: (t) => t.sum(),
  "sum(dim=0)": (t) => t.sum(0),
  "sum(dim=[])": (t) => t.sum([]),
  mean: (t) => t.mean(),
  var: (t) => t.var(),
  max: (t) => t.max(),
  "max(dim=0).values": (t) => t.max(0).values,
  min: (t) => t.min(),
  argmax: (t) => t.argmax(),
  "softmax(dim=0)": (t) => t.softmax(0),
  "log_softmax(dim=0)": (t) => t.logSoftmax(0),
};

const mixed: Record<string, () => Tensor> = {
  "where(bool, int64, float32)": () => torch.where(tensorOf("bool"), tensorOf("int64"), tensorOf("float32")),
  "where(bool, int64, 2.5)": () => torch.where(tensorOf("bool"), tensorOf("int64"), 2.5),
  "where(bool, bool, int64)": () => torch.where(tensorOf("bool"), tensorOf("bool"), tensorOf("int64")),
  "clamp(int64, min=0.5)": () => torch.clamp(tensorOf("int64"), { min: 0.5 }),
  "clamp(int64, min=-1, max=1)": () => torch.clamp(tensorOf("int64"), { min: -1, max: 1 }),
  "clamp(float32, max=1)": () => torch.clamp(tensorOf("float32"), { max: 1 }),
  "mm(int64, int64)": () => torch.mm(torch.tensor([[1, 2], [3, 4]]), torch.tensor([[5], [6]])),
  "mm(int64, float32)": () => torch.mm(torch.tensor([[1, 2], [3, 4]]), torch.tensor([[5], [6]], { dtype: "float32" })),
  "mm(bool, bool)": () => torch.mm(torch.tensor([[true]]), torch.tensor([[true]])),
  "float32 to int64": () => torch.tensor([-1.7, 0.2, 2.5]).long(),
  "float32 to bool": () => torch.tensor([-1.7, 0.0, 2.5], { dtype: "float32" }).bool(),
  "int64 to float32": () => torch.tensor([2 ** 40 + 1, -3]).float(),
  "bool to int64": () => tensorOf("bool").long(),
  "int64 to bool": () => tensorOf("int64").bool(),
  "square(int64)": () => torch.square(tensorOf("int64")),
  "float32.type('torch.LongTensor')": () => tensorOf("float32").type("torch.LongTensor"),
  "int64.type('torch.FloatTensor')": () => tensorOf("int64").type("torch.FloatTensor"),
  "bool.type('torch.LongTensor')": () => tensorOf("bool").type("torch.LongTensor"),
  "int64.type('torch.BoolTensor')": () => tensorOf("int64").type("torch.BoolTensor"),
  "float32.type('torch.Foo')": () => tensorOf("float32").type("torch.Foo"),
  "float32.type('float')": () => tensorOf("float32").type("float"),
};

/** The call a case name stands for. */
function twin(name: string): (() => Tensor) | undefined {
  if (name in mixed) return mixed[name];
  const pair = /^(\w+)\((\S+), (\S+)\)$/.exec(name);
  if (pair && pair[1] in binary && pair[2] in operands && pair[3] in operands) {
    return () => binary[pair[1]](operands[pair[2]](), operands[pair[3]]());
  }
  const single = /^(.+)\((bool|int64|float32)\)$/.exec(name);
  if (single && single[1] in unary) return () => unary[single[1]](tensorOf(single[2]));
  return undefined;
}

function pythonType(error: unknown): string {
  return (error as { pythonType?: string }).pythonType ?? (error as Error).name;
}

describe("type promotion against PyTorch 1.13", () => {
  it("has a twin for every recorded case", () => {
    expect(cases.filter((c) => !twin(c.case)).map((c) => c.case)).toEqual([]);
  });

  it.each(cases.map((c) => [c.case, c] as const))("%s", (name, c) => {
    const run = twin(name)!;
    if (c.result) {
      const t = run();
      expect(t.dtype).toBe(c.result.dtype);
      expect([...t.shape]).toEqual(c.result.shape);
      const values = Array.from(t.toArray());
      if (t.dtype === "float32") assertClose(values, fixtureValues(c.result), { rtol: 1e-6, atol: 1e-7 });
      else expect(values).toEqual(fixtureValues(c.result));
    } else {
      let thrown: unknown;
      try {
        run();
      } catch (error) {
        thrown = error;
      }
      expect(thrown, "an error").toBeInstanceOf(Error);
      expect(pythonType(thrown)).toBe(c.type);
      expect((thrown as Error).message).toBe(c.error);
    }
  });
});

describe("legacy type names against PyTorch 1.13", () => {
  const names = fixture<{ group: string; case: string; name: string }>("tensor-extra").filter((c) => c.group === "type names");

  it("has a name for each dtype", () => expect(names.map((c) => c.case).sort()).toEqual(["bool", "float32", "int64"]));

  it.each(names.map((c) => [c.case, c.name] as const))("a %s tensor's type() is %s", (dtype, name) => {
    expect(tensorOf(dtype).type()).toBe(name);
    const converted = torch.zeros(2).type(name);
    expect(converted.dtype).toBe(dtype);
  });

  it("gives back the tensor itself when the type is already its own", () => {
    const t = tensorOf("float32");
    expect(t.type("torch.FloatTensor")).toBe(t);
    expect(t.type("float32")).toBe(t);
  });
});

describe("promotion rules", () => {
  it("rank the dtypes bool < int64 < float32, symmetrically", () => {
    const order = ["bool", "int64", "float32"] as const;
    for (const a of order) {
      for (const b of order) {
        const expected = order[Math.max(order.indexOf(a), order.indexOf(b))];
        expect(torch.promoteTypes(a, b)).toBe(expected);
      }
    }
  });

  it("let a number lift only the category: an int64 tensor plus an integer stays int64", () => {
    expect(torch.add(torch.tensor([1, 2]), 3).dtype).toBe("int64");
    expect(torch.add(torch.tensor([1, 2]), 0.5).dtype).toBe("float32");
    expect(torch.mul(torch.tensor([true]), 2).dtype).toBe("int64");
  });
});
