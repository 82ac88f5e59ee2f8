import { describe, expect, it } from "vitest";
import { ones, tensor, zeros, type Tensor } from "@torchlet/tensor-core";
import { Module, Parameter } from "../src/index.ts";
import { expectPytorchError, pytorchListing } from "./module-api-fixture.ts";
import { classNames, Linear, MyFCLayer, Norm, ReluLayer, shapes } from "./stand-ins.ts";

describe("assigning to a field registers it (Module.__setattr__)", () => {
  it("registers Parameters assigned in the constructor", () => {
    const fc = new MyFCLayer(25, 10);
    expect([...fc._parameters.keys()]).toEqual(["weights", "bias"]);
    expect(Object.hasOwn(fc, "weights")).toBe(false); // it lives in the registry only
    expect(fc.weights).toBe(fc._parameters.get("weights"));
    expect(fc.weights.shape).toEqual([25, 10]);
  });

  it("registers class fields, which are defined rather than assigned", () => {
    class Fields extends Module {
      weight = new Parameter(zeros(2, 3));
      child = new ReluLayer();
      plain = 7;
    }
    const m = new Fields();
    expect([...m._parameters.keys()]).toEqual(["weight"]);
    expect([...m._modules.keys()]).toEqual(["child"]);
    expect(Object.hasOwn(m, "plain")).toBe(true);
    expect(m.weight).toBeInstanceOf(Parameter);
    expect(m.child).toBeInstanceOf(ReluLayer);
  });

  it("lets a field declared without a value be registered later, by assignment or registerBuffer", () => {
    class Declared extends Module {
      weight!: Parameter;
      running!: Tensor;
      constructor() {
        super();
        this.weight = new Parameter(ones(2));
        this.registerBuffer("running", zeros(2));
      }
    }
    const m = new Declared();
    expect([...m._parameters.keys()]).toEqual(["weight"]);
    expect([...m._buffers.keys()]).toEqual(["running"]);
  });

  it("does not let a subclass's bare field declaration clear a registered parameter", () => {
    class Sub extends Linear {
      // TypeScript refuses this redeclaration, but JavaScript, and tools that strip types without
      // checking them, define the field as undefined after super(): the proxy must ignore that.
      // @ts-expect-error TS2612
      override weight!: Parameter;
    }
    const m = new Sub(3, 2);
    expect(m.weight).toBeInstanceOf(Parameter);
    expect([...m._parameters.keys()]).toEqual(["weight", "bias"]);
  });

  it("keeps plain tensors as plain fields: only Parameters are trained", () => {
    class Cache extends Module {
      last: Tensor | null = null;
    }
    const m = new Cache();
    m.last = ones(3);
    expect([...m.parameters()]).toEqual([]);
    expect(m._buffers.size).toBe(0);
    expect(Object.hasOwn(m, "last")).toBe(true);
  });

  it("updates a registered buffer when a tensor is assigned to its name", () => {
    const norm = new Norm(3);
    const next = ones(3);
    norm.running_mean = next;
    expect(norm._buffers.get("running_mean")).toBe(next);
    expect(norm.running_mean).toBe(next);
    expect(Object.hasOwn(norm, "running_mean")).toBe(false);
  });

  it("reads registered names through the registries, and `in` sees them", () => {
    const norm = new Norm(2);
    expect("weight" in norm).toBe(true);
    expect("running_mean" in norm).toBe(true);
    expect("scratch" in norm).toBe(true);
    expect("nothing" in norm).toBe(false);
    expect((norm as unknown as Record<string, unknown>).nothing).toBeUndefined();
  });

  it("raises PyTorch's TypeError for a plain tensor assigned to a parameter's name, and changes nothing", () => {
    const lin = new Linear(3, 2);
    const before = lin.weight;
    expectPytorchError("assign float tensor to parameter", () => {
      (lin as unknown as { weight: Tensor }).weight = zeros(2, 3);
    });
    expectPytorchError("assign long tensor to parameter", () => {
      (lin as unknown as { weight: Tensor }).weight = zeros([2, 3], { dtype: "int64" });
    });
    expect(lin.weight).toBe(before);
  });

  it("raises PyTorch's TypeError for a tensor assigned to a child module's name", () => {
    class Holder extends Module {
      constructor() {
        super();
        this.addModule("0", new ReluLayer());
      }
    }
    const seq = new Holder();
    expectPytorchError("assign tensor to child module", () => {
      (seq as unknown as Record<string, unknown>)["0"] = zeros(2);
    });
  });

  it("raises TypeError for a non-tensor assigned to a buffer's name", () => {
    const norm = new Norm(2);
    expect(() => {
      (norm as unknown as Record<string, unknown>).running_mean = 3;
    }).toThrow(new TypeError("cannot assign 'number' as buffer 'running_mean' (torch.Tensor or None expected)"));
  });

  it("assigning null keeps the name registered with no value, as Python's None", () => {
    const lin = new Linear(3, 2);
    lin.bias = null;
    expect(lin._parameters.has("bias")).toBe(true);
    expect(lin.bias).toBeNull();
    expect(shapes(lin.namedParameters())).toEqual([["weight", [2, 3]]]);
    expect([...lin.stateDict().keys()]).toEqual(["weight"]);
  });

  it("moves a name between registries as PyTorch does (fixture)", () => {
    const expected = pytorchListing("assignment moves a name between registries");
    const swap = new Module() as Module & Record<string, unknown>;
    swap.registerBuffer("x", zeros(2));
    swap.x = new Parameter(zeros(3));
    swap.plain = 5;
    swap.plain = new ReluLayer();
    expect(shapes(swap.namedParameters())).toEqual(expected.named_parameters);
    expect(shapes(swap.namedBuffers())).toEqual(expected.named_buffers);
    expect(shapes(swap.stateDict())).toEqual(expected.state_dict);
    expect(classNames(swap.namedChildren())).toEqual(expected.named_children);
    expect(classNames(swap.namedModules())).toEqual(expected.named_modules);
    expect(Object.hasOwn(swap, "plain")).toBe(false);
  });

  it("delete removes a registered name from its registry (Module.__delattr__)", () => {
    const norm = new Norm(2);
    const fields = norm as unknown as Record<string, unknown>;
    delete fields.scratch;
    expect(norm._buffers.has("scratch")).toBe(false);
    expect(norm._nonPersistentBuffersSet.has("scratch")).toBe(false);
    delete fields.weight;
    expect(norm._parameters.has("weight")).toBe(false);
    expect(norm.weight).toBeUndefined();
  });

  it("the seed's BatchNorm2D sketch: Parameters by assignment, buffers by registerBuffer", () => {
    class BatchNorm2D extends Module {
      mean: Parameter;
      var: Parameter;
      constructor(numFeatures: number) {
        super();
        this.mean = new Parameter(zeros(numFeatures));
        this.var = new Parameter(ones(numFeatures));
        this.registerBuffer("moving_mean", zeros(numFeatures));
        this.registerBuffer("moving_var", ones(numFeatures));
      }
    }
    const bn = new BatchNorm2D(4);
    expect(shapes(bn.namedParameters())).toEqual([["mean", [4]], ["var", [4]]]);
    expect(shapes(bn.namedBuffers())).toEqual([["moving_mean", [4]], ["moving_var", [4]]]);
    expect([...bn.stateDict().keys()]).toEqual(["mean", "var", "moving_mean", "moving_var"]);
  });

  it("a Parameter assigned outside the constructor registers too", () => {
    const m = new Module() as Module & { late?: Parameter };
    m.late = new Parameter(tensor([1, 2], { dtype: "float32" }));
    expect([...m._parameters.keys()]).toEqual(["late"]);
  });
});
