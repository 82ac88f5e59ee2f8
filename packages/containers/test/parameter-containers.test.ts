import { describe, expect, it } from "vitest";
import { ones, zeros } from "@torchlet/tensor-core";
import { Module, Parameter } from "@torchlet/module";
import { ParameterDict, ParameterList } from "../src/index.ts";
import { expectPytorchError, pytorchListing, pytorchRepr } from "./fixtures.ts";
import { shapes } from "./stand-ins.ts";

describe("ParameterList", () => {
  it("turns tensors into Parameters and registers them under their positions", () => {
    const raw = zeros(4);
    const given = new Parameter(zeros(2, 3));
    const list = new ParameterList([given, raw]);
    expect(list.at(0)).toBe(given);
    expect(list.at(1)).toBeInstanceOf(Parameter);
    expect((list.at(1) as Parameter).storage).toBe(raw.storage);
    expect(list[1]).toBe(list.at(-1));
    expect(list.length).toBe(2);
    expect(shapes(list.namedParameters())).toEqual([["0", [2, 3]], ["1", [4]]]);
    expect(String(list)).toBe(pytorchRepr("ParameterList"));
  });

  it("is seen by its parent's parameters() and stateDict()", () => {
    class Mixture extends Module {
      weights = new ParameterList([ones(2), ones(3)]);
    }
    const m = new Mixture();
    expect([...m.stateDict().keys()]).toEqual(["weights.0", "weights.1"]);
    expect([...m.parameters()].length).toBe(2);
  });

  it("appends, extends, replaces and slices", () => {
    const list = new ParameterList();
    list.append(zeros(1)).extend([zeros(2), zeros(3)]);
    list.set(-1, ones(5));
    expect([...list].map((p) => (p as Parameter).shape[0])).toEqual([1, 2, 5]);
    const sliced = list.slice(null, null, -2);
    expect([...sliced].map((p) => (p as Parameter).shape[0])).toEqual([5, 1]);
    expect(() => list.extend(zeros(2) as never)).toThrow("ParameterList.extend should be called with an iterable, but got Tensor");
  });

  it("keeps values that are not tensors as they are", () => {
    const list = new ParameterList(["note", zeros(1)]);
    expect(list.at(0)).toBe("note");
    expect(String(list)).toBe("ParameterList(\n    (0): Object of type: string\n    (1): Parameter containing: [torch.float32 of size 1]\n)");
  });

  it("raises PyTorch's errors", () => {
    expectPytorchError("ParameterList index out of range", () => new ParameterList([new Parameter(zeros(1))]).at(2));
    expectPytorchError("ParameterList called", () => new ParameterList().call());
  });
});

describe("ParameterDict", () => {
  it("turns tensors into Parameters and registers them under their keys", () => {
    const dict = new ParameterDict(new Map([["b", zeros(1)], ["a", new Parameter(zeros(2, 3))]]));
    expect([...dict.keys()]).toEqual(["b", "a"]);
    expect(dict.get("b")).toBeInstanceOf(Parameter);
    expect(shapes(dict.namedParameters())).toEqual([["b", [1]], ["a", [2, 3]]]);
    expect(String(dict)).toBe(pytorchRepr("ParameterDict two entries"));
    expect(String(new ParameterDict({ a: new Parameter(zeros(2, 3)) }))).toBe(pytorchRepr("ParameterDict one entry"));
  });

  it("takes a plain object's keys in sorted order, as PyTorch 1.13 does (fixture)", () => {
    const dict = new ParameterDict();
    dict.update({ z: zeros(1), y: new Parameter(zeros(2)) });
    expect(shapes(dict.namedParameters())).toEqual(pytorchListing("ParameterDict update from a plain dict sorts the keys").named_parameters);
  });

  it("behaves as a dict: get with a default, has, pop, popitem, setdefault, delete, clear, copy, fromkeys", () => {
    const dict = new ParameterDict([["w", ones(2)], ["v", ones(3)]]);
    expect(dict.get("missing", null)).toBeNull();
    expect(dict.has("w")).toBe(true);
    const w = dict.get("w");
    expect(dict.pop("w")).toBe(w);
    expect(dict.has("w")).toBe(false);
    expect(dict._parameters.has("w")).toBe(false);
    expect(dict.setdefault("u", zeros(4))).toBeInstanceOf(Parameter);
    const [lastKey] = dict.popitem();
    expect(lastKey).toBe("u");
    const copy = dict.copy();
    expect(copy.get("v")).toBe(dict.get("v"));
    expect([...dict.fromkeys(["p", "q"]).keys()]).toEqual(["p", "q"]);
    dict.clear();
    expect(dict.length).toBe(0);
    expect([...dict.parameters()]).toEqual([]);
    expect(() => dict.delete("v")).toThrow(expect.objectContaining({ pythonType: "KeyError", message: "'v'" }));
  });

  it("raises PyTorch's errors", () => {
    expectPytorchError("ParameterDict missing key", () => new ParameterDict({ a: new Parameter(zeros(1)) }).get("b"));
    expectPytorchError("ParameterDict called", () => new ParameterDict().call());
    expect(() => new ParameterDict({ "a.b": zeros(1) })).toThrow(
      expect.objectContaining({ pythonType: "KeyError", message: `'parameter name can\\'t contain "."'` }),
    );
  });

  it("a key that fails to register is not kept", () => {
    const dict = new ParameterDict();
    expect(() => dict.set("a.b", zeros(1))).toThrow();
    expect([...dict.keys()]).toEqual([]);
  });
});
