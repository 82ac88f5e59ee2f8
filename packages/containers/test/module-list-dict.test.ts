import { describe, expect, it } from "vitest";
import { zeros } from "@torchlet/tensor-core";
import { Module } from "@torchlet/module";
import { ModuleDict, ModuleList, Sequential } from "../src/index.ts";
import { errorsJson, expectPytorchError, pytorchListing, pytorchRepr } from "./fixtures.ts";
import { classNames, Linear, ReluLayer, shapes } from "./stand-ins.ts";

describe("ModuleList", () => {
  it("registers its modules, so the parent sees their parameters", () => {
    class MyModel extends Module {
      layers = new ModuleList(Array.from({ length: 50 }, () => new Linear(4, 4)));
    }
    const model = new MyModel();
    expect(model.layers.length).toBe(50);
    expect([...model.parameters()].length).toBe(100);
    expect([...model.stateDict().keys()].slice(-2)).toEqual(["layers.49.weight", "layers.49.bias"]);
    expect(model.layers[49]).toBe(model.layers.at(-1));
    expect(String(new ModuleList())).toBe(pytorchRepr("empty ModuleList"));
  });

  it("has no forward of its own", () => {
    expect(() => new ModuleList([new ReluLayer()]).call(zeros(1))).toThrow(
      'Module [ModuleList] is missing the required "forward" function',
    );
  });

  it("appends, inserts, extends, pops and slices as PyTorch does (fixture)", () => {
    const { steps, state_dict } = pytorchListing("ModuleList operations");
    const expected = steps as Record<string, [string, string][]>;
    const ml = new ModuleList([new Linear(1, 1), new ReluLayer()]);
    ml.append(new Linear(2, 2));
    expect(classNames(ml.namedChildren())).toEqual(expected.append);
    ml.insert(0, new ReluLayer());
    expect(classNames(ml.namedChildren())).toEqual(expected["insert 0"]);
    ml.extend([new Linear(3, 3), new Linear(4, 4)]);
    expect(classNames(ml.namedChildren())).toEqual(expected.extend);
    const popped = ml.pop(-2);
    expect([...classNames(ml.namedChildren()), ["popped", popped._getName()]]).toEqual(expected["pop -2"]);
    expect(classNames(ml.slice(1).namedChildren())).toEqual(expected["slice 1:"]);
    expect(shapes(ml.stateDict())).toEqual(state_dict);
  });

  it("raises PyTorch's IndexError, and checks insert's index", () => {
    expectPytorchError("ModuleList index out of range", () => new ModuleList([new ReluLayer()]).at(1));
    const ml = new ModuleList([new ReluLayer()]);
    expect(() => ml.insert(5, new ReluLayer())).toThrow("Index out of range: 5");
    expect(() => ml.insert(0, 3 as never)).toThrow(new TypeError("number is not a Module subclass"));
    expect(() => ml.extend(5 as never)).toThrow("ModuleList.extend should be called with an iterable, but got number");
    expect(ml.length).toBe(1);
    ml.insert(-1, new Linear(1, 1));
    expect(classNames(ml.namedChildren())).toEqual([["0", "Linear"], ["1", "ReluLayer"]]);
  });

  it("replaces and deletes by position", () => {
    const ml = new ModuleList([new ReluLayer(), new ReluLayer(), new ReluLayer()]);
    const lin = new Linear(1, 1);
    ml.set(-1, lin);
    expect(ml.at(2)).toBe(lin);
    ml.delete(0);
    expect([...ml._modules.keys()]).toEqual(["0", "1"]);
    expect(ml.at(1)).toBe(lin);
  });
});

describe("ModuleDict", () => {
  it("holds modules by key in insertion order", () => {
    const a = new Linear(1, 1);
    const md = new ModuleDict({ conv: a, fc: new ReluLayer() });
    expect([...md.keys()]).toEqual(["conv", "fc"]);
    expect([...md]).toEqual(["conv", "fc"]);
    expect(md.get("conv")).toBe(a);
    expect(md.has("fc")).toBe(true);
    expect(md.has("nope")).toBe(false);
    expect([...md.values()].map((m) => m._getName())).toEqual(["Linear", "ReluLayer"]);
    expect([...md.entries()].map(([k]) => k)).toEqual(["conv", "fc"]);
    expect(md.length).toBe(2);
    expect(String(new ModuleDict())).toBe(pytorchRepr("empty ModuleDict"));
  });

  it("sets, updates, pops, deletes and clears as PyTorch does (fixture)", () => {
    const expected = pytorchListing("ModuleDict operations").steps as Record<string, [string, string][]>;
    const md = new ModuleDict(new Map<string, Module>([["b", new Linear(1, 1)], ["a", new ReluLayer()]]));
    md.set("c", new Linear(2, 2));
    expect(classNames(md.namedChildren())).toEqual(expected["set c"]);
    md.update([["a", new Linear(3, 3)], ["d", new ReluLayer()]]);
    expect(classNames(md.namedChildren())).toEqual(expected["update pairs"]);
    const popped = md.pop("b");
    expect([...classNames(md.namedChildren()), ["popped", popped._getName()]]).toEqual(expected["pop b"]);
    expect([...md.keys()].map((k) => [k, "str"])).toEqual(expected.keys);
    md.delete("a");
    expect(classNames(md.namedChildren())).toEqual(expected["delete a"]);
    md.clear();
    expect(classNames(md.namedChildren())).toEqual(expected.clear);
  });

  it("raises PyTorch's KeyError for a missing key (errors.json and module-api.json)", () => {
    const md = new ModuleDict({ a: new ReluLayer() });
    expectPytorchError("ModuleDict missing key", () => md.get("b"));
    const { type, error } = errorsJson("ModuleDict missing key");
    expect(() => md.get("b")).toThrow(expect.objectContaining({ pythonType: type, message: error }));
    expectPytorchError("ModuleDict pop missing key", () => md.pop("b"));
    expectPytorchError("ModuleDict dotted key", () => new ModuleDict({ "a.b": new ReluLayer() }));
    expect(() => md.delete("b")).toThrow(expect.objectContaining({ pythonType: "KeyError" }));
  });

  it("checks the pairs given to update", () => {
    const md = new ModuleDict();
    expect(() => md.update([["a"]] as never)).toThrow("ModuleDict update sequence element #0 has length 1; 2 is required");
    expect(() => md.update([5] as never)).toThrow("ModuleDict update sequence element #0 should be Iterable; isnumber");
    expect(() => md.update(5 as never)).toThrow("ModuleDict.update should be called with an iterable of key/value pairs");
    md.update(new ModuleDict({ x: new ReluLayer() }));
    expect([...md.keys()]).toEqual(["x"]);
  });

  it("the seed's ModuleDict model registers both layers under the parent", () => {
    const layers = new ModuleDict({ conv: new Linear(2, 3), fc: new Linear(3, 1) });
    const model = new Sequential(new Map([["layers", layers]]));
    expect([...model.stateDict().keys()]).toEqual(["layers.conv.weight", "layers.conv.bias", "layers.fc.weight", "layers.fc.bias"]);
  });
});
