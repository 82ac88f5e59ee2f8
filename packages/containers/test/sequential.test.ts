import { describe, expect, it } from "vitest";
import { tensor, type Tensor } from "@torchlet/tensor-core";
import { Module } from "@torchlet/module";
import { Sequential } from "../src/index.ts";
import { errorsJson, expectPytorchError, pytorchListing, pytorchRepr } from "./fixtures.ts";
import { classNames, Linear, ReluLayer, shapes } from "./stand-ins.ts";

class AddOne extends Module {
  override forward(x: Tensor): Tensor {
    return x.add(1);
  }
}
class Double extends Module {
  override forward(x: Tensor): Tensor {
    return x.mul(2);
  }
}

describe("Sequential", () => {
  it("chains its modules in order", () => {
    const seq = new Sequential(new AddOne(), new Double(), new AddOne());
    expect(seq.call(tensor([1, 2], { dtype: "float32" })).tolist()).toEqual([5, 7]);
  });

  it("names its modules by position, or keeps the names of a Map", () => {
    const byPosition = new Sequential(new AddOne(), new Double());
    expect([...byPosition._modules.keys()]).toEqual(["0", "1"]);
    const named = new Sequential(new Map<string, Module>([["inc", new AddOne()], ["dbl", new Double()]]));
    expect([...named._modules.keys()]).toEqual(["inc", "dbl"]);
    expect(named.call(tensor([1], { dtype: "float32" })).tolist()).toEqual([4]);
    expect(String(named)).toBe("Sequential(\n  (inc): AddOne()\n  (dbl): Double()\n)");
    expect(String(new Sequential())).toBe(pytorchRepr("empty Sequential"));
  });

  it("indexes by position with at(), negative indices included, and by name with seq[i]", () => {
    const a = new AddOne();
    const b = new Double();
    const seq = new Sequential(a, b);
    expect(seq.at(0)).toBe(a);
    expect(seq.at(-1)).toBe(b);
    expect(seq[0]).toBe(a);
    expect(seq[1]).toBe(b);
    expect(seq.length).toBe(2);
    expect([...seq]).toEqual([a, b]);
    const named = new Sequential(new Map([["first", a]]));
    expect(named.at(0)).toBe(a);
  });

  it("raises PyTorch's IndexError outside the list (errors.json and module-api.json)", () => {
    const three = () => new Sequential(new ReluLayer(), new ReluLayer(), new ReluLayer());
    expectPytorchError("Sequential index out of range", () => three().at(3));
    const { type, error } = errorsJson("Sequential index out of range");
    expect(() => three().at(3)).toThrow(expect.objectContaining({ pythonType: type, message: error }));
    expectPytorchError("Sequential negative index out of range", () => new Sequential(new ReluLayer()).at(-2));
    expectPytorchError("Sequential insert out of range", () => new Sequential(new ReluLayer()).insert(5, new ReluLayer()));
    expectPytorchError("Sequential pop out of range", () => new Sequential().pop(0));
  });

  it("slices, appends, inserts, pops, deletes, extends and replaces as PyTorch does (fixture)", () => {
    const { steps, state_dict } = pytorchListing("Sequential operations");
    const expected = steps as Record<string, [string, string][]>;
    const s = new Sequential(new ReluLayer(), new Linear(1, 1), new ReluLayer(), new Linear(2, 2));
    expect(classNames(s.slice(1, 3).namedChildren())).toEqual(expected["slice 1:3"]);
    expect(classNames(s.slice(null, null, -1).namedChildren())).toEqual(expected["slice ::-1"]);
    s.append(new Linear(3, 3));
    expect(classNames(s.namedChildren())).toEqual(expected.append);
    s.insert(1, new Linear(4, 4));
    expect(classNames(s.namedChildren())).toEqual(expected["insert 1"]);
    s.insert(-1, new ReluLayer());
    expect(classNames(s.namedChildren())).toEqual(expected["insert -1"]);
    const popped = s.pop(2);
    expect([...classNames(s.namedChildren()), ["popped", popped._getName()]]).toEqual(expected["pop 2"]);
    s.delete(0);
    expect(classNames(s.namedChildren())).toEqual(expected["delete 0"]);
    s.extend(new Sequential(new Linear(5, 5)));
    expect(classNames(s.namedChildren())).toEqual(expected.extend);
    s.set(-1, new ReluLayer());
    expect(classNames(s.namedChildren())).toEqual(expected["set -1"]);
    expect(shapes(s.stateDict())).toEqual(state_dict);
  });

  it("a failed insert changes nothing", () => {
    const s = new Sequential(new ReluLayer());
    expect(() => s.insert(0, {} as Module)).toThrow("module should be of type");
    expect(() => s.insert(3, new ReluLayer())).toThrow();
    expect(s.length).toBe(1);
  });

  it("the seed's MySequential, built with addModule, prints like Sequential under its own name", () => {
    class MySequential extends Module {
      constructor(...modules: Module[]) {
        super();
        modules.forEach((module, idx) => this.addModule(String(idx), module));
      }
      override forward(x: Tensor): Tensor {
        // _modules is the ordered registry of children
        for (const module of this._modules.values()) x = module?.call(x);
        return x;
      }
    }
    const mlp = new MySequential(new Linear(25, 100), new ReluLayer(), new Linear(100, 10));
    expect(String(mlp)).toBe(
      "MySequential(\n  (0): Linear(in_features=25, out_features=100, bias=True)\n  (1): ReluLayer()\n  (2): Linear(in_features=100, out_features=10, bias=True)\n)",
    );
    expect(mlp.call(tensor([[...Array(25).keys()]], { dtype: "float32" })).shape).toEqual([1, 10]);
  });
});
