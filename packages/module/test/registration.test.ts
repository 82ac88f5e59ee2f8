import { describe, expect, it } from "vitest";
import { fixture } from "@torchlet/testing";
import { tensor, zeros } from "@torchlet/tensor-core";
import { Module, Parameter } from "../src/index.ts";
import { expectPytorchError } from "./module-api-fixture.ts";
import { Linear, Norm, ReluLayer, Sequential } from "./stand-ins.ts";

describe("registerBuffer, registerParameter, addModule: PyTorch's checks and messages", () => {
  const withBuffer = () => {
    const m = new Module();
    m.registerBuffer("w", zeros(1));
    return m;
  };

  it("refuses names that are taken, dotted or empty", () => {
    expectPytorchError("register_buffer existing attribute", () => withBuffer().registerParameter("w", null));
    expectPytorchError("register_buffer over a method", () => withBuffer().registerBuffer("train", zeros(1)));
    expectPytorchError("register_buffer dotted name", () => withBuffer().registerBuffer("a.b", zeros(1)));
    expectPytorchError("register_buffer empty name", () => withBuffer().registerBuffer("", zeros(1)));
    expectPytorchError("register_parameter existing attribute", () => withBuffer().registerParameter("w", null));
    expectPytorchError("register_parameter dotted name", () => withBuffer().registerParameter("a.b", null));
    expectPytorchError("register_parameter empty name", () => withBuffer().registerParameter("", null));
    expectPytorchError("add_module dotted name", () => withBuffer().addModule("a.b", new Module()));
    expectPytorchError("add_module empty name", () => withBuffer().addModule("", new Module()));
    expectPytorchError("add_module existing attribute", () => withBuffer().addModule("w", new Module()));
    expectPytorchError("add_module over a method", () => withBuffer().addModule("forward", new Module()));
  });

  it("the errors.json cases: register_buffer duplicate name, add_module dotted name", () => {
    const errors = fixture<{ case: string; type: string; error: string }>("errors");
    const expected = (name: string) => {
      const { type, error } = errors.find((c) => c.case === name) as { type: string; error: string };
      return expect.objectContaining({ pythonType: type, message: error });
    };
    const m = new Module();
    m.registerParameter("w", new Parameter(zeros(1)));
    expect(() => m.registerBuffer("w", zeros(1))).toThrow(expected("register_buffer dup name"));
    expect(() => new Module().addModule("a.b", new Module())).toThrow(expected("add_module dotted name"));
  });

  it("registerParameter takes only Parameters (or null)", () => {
    const m = withBuffer();
    expectPytorchError("register_parameter plain tensor", () => m.registerParameter("p", zeros(2) as Parameter));
    expectPytorchError("register_parameter non-leaf", () => m.registerParameter("p", new Parameter(zeros(2)).mul(2) as Parameter));
    expect(m._parameters.has("p")).toBe(false);
  });

  it("registerBuffer re-registers its own name, and persistent: false keeps it out of stateDict", () => {
    const m = new Module();
    m.registerBuffer("b", zeros(1), { persistent: false });
    expect([...m.stateDict().keys()]).toEqual([]);
    m.registerBuffer("b", zeros(2));
    expect([...m.stateDict().keys()]).toEqual(["b"]);
    expect(() => m.registerBuffer("c", 3 as never)).toThrow(
      new TypeError("cannot assign 'number' object to buffer 'c' (torch Tensor or None required)"),
    );
  });

  it("addModule refuses what is not a module; registerModule is its alias", () => {
    const m = new Module();
    expect(() => m.addModule("x", 3 as never)).toThrow(new TypeError("number is not a Module subclass"));
    m.registerModule("relu", new ReluLayer());
    expect([...m._modules.keys()]).toEqual(["relu"]);
  });

  it("a failed registration changes nothing", () => {
    const m = withBuffer();
    const before = m._buffers.get("w");
    expect(() => m.registerBuffer("train", zeros(3))).toThrow();
    expect(() => m.registerParameter("w", new Parameter(zeros(1)))).toThrow();
    expect([...m._buffers.entries()]).toEqual([["w", before]]);
    expect(m._parameters.size).toBe(0);
  });
});

describe("getSubmodule, getParameter, getBuffer", () => {
  class Tree extends Module {
    inner = new Tree2();
  }
  class Tree2 extends Module {
    lin = new Linear(2, 2);
    norm = new Norm(2);
  }

  it("finds entries by dotted path", () => {
    const t = new Tree();
    expect(t.getSubmodule("")).toBe(t);
    expect(t.getSubmodule("inner.lin")).toBe(t.inner.lin);
    expect(t.getParameter("inner.lin.weight")).toBe(t.inner.lin.weight);
    expect(t.getBuffer("inner.norm.running_mean")).toBe(t.inner.norm.running_mean);
  });

  it("raises PyTorch's AttributeErrors", () => {
    // PyTorch's case is nn.Sequential(nn.Sequential(ReluLayer())): the message names the class
    const outer = new Sequential(new Sequential(new ReluLayer()));
    expectPytorchError("get_submodule missing", () => outer.getSubmodule("0.1"));
    expectPytorchError("get_submodule not a module", () => new Linear(2, 2).getSubmodule("weight"));
    expectPytorchError("get_parameter missing", () => new Linear(2, 2).getParameter("gain"));
    expectPytorchError("get_parameter not a parameter", () => new Norm(2).getParameter("running_mean"));
    expectPytorchError("get_buffer not a buffer", () => new Norm(2).getBuffer("weight"));
  });
});

describe("Parameter", () => {
  it("shares storage with its data and requires grad by default", () => {
    const data = tensor([1, -2], { dtype: "float32" });
    const p = new Parameter(data);
    expect(p.requiresGrad).toBe(true);
    expect(p.isLeaf).toBe(true);
    expect(p.storage).toBe(data.storage);
    data.fill_(5);
    expect(p.tolist()).toEqual([5, 5]);
    expect(new Parameter(data, false).requiresGrad).toBe(false);
  });

  it("is an empty tensor when made without data", () => {
    expect(new Parameter().shape).toEqual([0]);
  });

  it("refuses integer data, which cannot require grad", () => {
    expect(() => new Parameter(tensor([1, 2]))).toThrow("only Tensors of floating point dtype can require gradients");
  });
});
