import { describe, expect, it } from "vitest";
import { fixture } from "@torchlet/testing";
import { arange, ones, tensor, zeros, type Tensor } from "@torchlet/tensor-core";
import { IncompatibleKeys, Module, type LoadReport } from "../src/index.ts";
import { caught, expectPytorchError, pytorchRepr } from "./module-api-fixture.ts";
import { Linear, Norm, Sequential } from "./stand-ins.ts";

/** A Linear whose values are 0, 1, 2, ... so that copies are visible. */
function numberedLinear(inFeatures: number, outFeatures: number): Linear {
  const lin = new Linear(inFeatures, outFeatures);
  lin.weight.data.copy_(arange(inFeatures * outFeatures, { dtype: "float32" }).view(outFeatures, inFeatures));
  lin.bias?.data.copy_(arange(outFeatures, { dtype: "float32" }));
  return lin;
}

const snapshot = (m: Module) => [...m.stateDict()].map(([k, t]) => [k, t.tolist()]);

describe("stateDict()", () => {
  it("maps dotted names to tensors that share the module's storage, detached", () => {
    const lin = numberedLinear(3, 2);
    const state = lin.stateDict();
    expect(state).toBeInstanceOf(Map);
    expect([...state.keys()]).toEqual(["weight", "bias"]);
    const w = state.get("weight") as Tensor;
    expect(w).not.toBe(lin.weight);
    expect(w.storage).toBe(lin.weight.storage);
    expect(w.requiresGrad).toBe(false);
    expect(lin.stateDict({ keepVars: true }).get("weight")).toBe(lin.weight);
  });

  it("prefixes children's keys and keeps persistent buffers", () => {
    const net = new Sequential(new Linear(2, 2), new Norm(2));
    expect([...net.stateDict({ prefix: "model." }).keys()]).toEqual([
      "model.0.weight",
      "model.0.bias",
      "model.1.weight",
      "model.1.running_mean",
      "model.1.num_batches_tracked",
    ]);
  });
});

describe("loadStateDict()", () => {
  it("copies every tensor in place and reports all keys matched", () => {
    const source = new Sequential(numberedLinear(3, 2), new Norm(2));
    (source._modules.get("1") as Norm).running_mean.fill_(7);
    const target = new Sequential(new Linear(3, 2), new Norm(2));
    const weight = (target._modules.get("0") as Linear).weight;
    const result = target.loadStateDict(source.stateDict());
    expect(result).toBeInstanceOf(IncompatibleKeys);
    expect(String(result)).toBe(pytorchRepr("load_state_dict all matched"));
    expect(snapshot(target)).toEqual(snapshot(source));
    expect((target._modules.get("0") as Linear).weight).toBe(weight); // same Parameter, new values
    expect(weight.storage).not.toBe((source._modules.get("0") as Linear).weight.storage);
  });

  it("accepts a plain object as well as a Map", () => {
    const lin = new Linear(2, 1);
    lin.loadStateDict({ weight: tensor([[1, 2]], { dtype: "float32" }), bias: tensor([3], { dtype: "float32" }) });
    expect(lin.weight.tolist()).toEqual([[1, 2]]);
    expect(lin.bias?.tolist()).toEqual([3]);
    expect(() => lin.loadStateDict([1] as never)).toThrow(new TypeError("Expected state_dict to be dict-like, got <class 'Array'>."));
  });

  it("lists missing and unexpected keys in PyTorch's message (errors.json's case)", () => {
    expectPytorchError("load_state_dict missing and unexpected", () =>
      new Linear(3, 2).loadStateDict(new Map([["weight", zeros(2, 3)], ["extra", zeros(1)]])),
    );
    const firstLine = fixture<{ case: string; error: string }>("errors").find((c) => c.case === "load_state_dict missing/unexpected");
    expect(caught(() => new Linear(3, 2).loadStateDict({ weight: zeros(2, 3) })).message.split("\n")[0]).toBe(firstLine?.error);
  });

  it("lists every shape mismatch (errors.json's case)", () => {
    expectPytorchError("load_state_dict shape mismatch", () =>
      new Linear(3, 2).loadStateDict(new Map([["weight", zeros(2, 4)], ["bias", zeros(3)]])),
    );
  });

  it("reports every problem of a nested model in PyTorch's order", () => {
    expectPytorchError("load_state_dict every problem", () =>
      new Sequential(new Linear(3, 2), new Norm(2)).loadStateDict(
        new Map([
          ["0.weight", zeros(2, 4)],
          ["0.bias", zeros(2)],
          ["1.weight", zeros(2)],
          ["1.running_mean", zeros(3)],
          ["1.scratch", zeros(2)],
          ["2.weight", zeros(1)],
          ["bias", zeros(1)],
        ]),
      ),
    );
  });

  it("changes nothing when it fails, even the entries that were fine", () => {
    const net = new Sequential(numberedLinear(3, 2), new Norm(2));
    const before = snapshot(net);
    const bad = new Map([
      ["0.weight", ones(2, 3)], // fine
      ["0.bias", ones(2)], // fine
      ["1.weight", ones(2)], // fine
      ["1.running_mean", ones(5)], // wrong shape
      ["1.num_batches_tracked", tensor(4)],
    ]);
    expect(() => net.loadStateDict(bad)).toThrow("size mismatch for 1.running_mean");
    expect(snapshot(net)).toEqual(before);
  });

  it("with strict: false, returns the unmatched keys and still refuses wrong shapes", () => {
    const lin = new Linear(3, 2);
    const result = lin.loadStateDict(new Map([["weight", ones(2, 3)], ["extra", zeros(1)]]), { strict: false });
    expect(result.missingKeys).toEqual(["bias"]);
    expect(result.unexpectedKeys).toEqual(["extra"]);
    expect(String(result)).toBe(pytorchRepr("load_state_dict not strict"));
    expect(lin.weight.tolist()).toEqual([[1, 1, 1], [1, 1, 1]]);
    expectPytorchError("load_state_dict shape mismatch, not strict", () =>
      new Linear(3, 2).loadStateDict(new Map([["weight", zeros(3, 3)], ["extra", zeros(1)]]), { strict: false }),
    );
  });

  it("refuses a value that is not a tensor", () => {
    expect(() => new Linear(1, 1).loadStateDict({ weight: 3, bias: zeros(1) })).toThrow(
      `While copying the parameter named "weight", expected torch.Tensor or Tensor-like object from checkpoint but received <class 'number'>`,
    );
  });

  it("loads a one-element vector into a 0-d buffer, as PyTorch does for old checkpoints", () => {
    const norm = new Norm(2);
    norm.loadStateDict({ weight: ones(2), running_mean: ones(2), num_batches_tracked: tensor([5]) });
    expect(norm.num_batches_tracked.item()).toBe(5);
  });

  it("lets a module accept an older layout by overriding _loadFromStateDict, on its own copy", () => {
    // like BatchNorm filling in num_batches_tracked, which checkpoints before PyTorch 0.4.1 lack
    class Versioned extends Norm {
      override _loadFromStateDict(stateDict: Map<string, unknown>, prefix: string, report: LoadReport): void {
        const key = `${prefix}num_batches_tracked`;
        if (!stateDict.has(key)) stateDict.set(key, tensor(0));
        super._loadFromStateDict(stateDict, prefix, report);
      }
    }
    const net = new Sequential(new Versioned(2));
    (net._modules.get("0") as Norm).num_batches_tracked.fill_(9);
    const old = new Map([["0.weight", ones(2)], ["0.running_mean", ones(2)]]);
    expect(String(net.loadStateDict(old))).toBe("<All keys matched successfully>");
    expect((net._modules.get("0") as Norm).num_batches_tracked.item()).toBe(0);
    expect([...old.keys()]).toEqual(["0.weight", "0.running_mean"]);
  });

  it("round-trips a model through stateDict", () => {
    const a = new Sequential(numberedLinear(4, 3), numberedLinear(3, 1));
    const b = new Sequential(new Linear(4, 3), new Linear(3, 1));
    b.loadStateDict(a.stateDict());
    expect(snapshot(b)).toEqual(snapshot(a));
  });
});
