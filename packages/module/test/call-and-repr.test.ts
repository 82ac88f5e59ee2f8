import { describe, expect, it } from "vitest";
import { tensor, type Tensor } from "@torchlet/tensor-core";
import { Module } from "../src/index.ts";
import { expectPytorchError, pytorchHooks, pytorchRepr } from "./module-api-fixture.ts";
import { Linear, ReluLayer, Sequential } from "./stand-ins.ts";

class Scale extends Module {
  override forward(x: Tensor): Tensor {
    return x.mul(2);
  }
}

describe("call(): hooks, then forward", () => {
  it("runs pre-hooks, forward and hooks in PyTorch's order, with their replacements (fixture)", () => {
    const expected = pytorchHooks();
    const scale = new Scale();
    const log: string[] = [];
    const first = (t: unknown) => t as Tensor;
    scale.registerForwardPreHook((_m, inputs) => {
      log.push("pre1");
      return [first(inputs[0]).add(1)]; // an array replaces the inputs, as Python's tuple
    });
    const h2 = scale.registerForwardPreHook((_m, inputs) => {
      log.push("pre2");
      return first(inputs[0]).mul(10); // a single value is wrapped into one input
    });
    const h3 = scale.registerForwardHook((_m, inputs, output) => {
      log.push("hook1");
      return first(output).sub(first(inputs[0]));
    });
    scale.registerForwardHook(() => {
      log.push("hook2"); // returns nothing: the output stays
    });
    const one = () => tensor([1], { dtype: "float32" });
    const firstResult = scale.call(one()).item();
    h2.remove();
    h3.remove();
    h3.remove(); // removing twice is harmless
    const secondResult = scale.call(one()).item();
    expect(log).toEqual(expected.log);
    expect(firstResult).toBe(expected.first);
    expect(secondResult).toBe(expected.second);
  });

  it("hooks receive the module itself", () => {
    const relu = new ReluLayer();
    let seen: Module | null = null;
    relu.registerForwardHook((m) => {
      seen = m;
    });
    relu.call(tensor([-1, 2], { dtype: "float32" }));
    expect(seen).toBe(relu);
  });

  it("forward without an override raises PyTorch's NotImplementedError", () => {
    expectPytorchError("forward not implemented", () => new Module().call(tensor([0])));
  });

  it("the seed's ReluLayer", () => {
    const out = new ReluLayer().call(tensor([[0.5, -1], [-2, 3]], { dtype: "float32" }));
    expect(out.tolist()).toEqual([[0.5, 0], [0, 3]]);
  });
});

describe("String(module): PyTorch's repr", () => {
  it("one line for one line of extraRepr", () => {
    expect(String(new Linear(3, 2))).toBe(pytorchRepr("Linear stand-in"));
    expect(String(new Linear(3, 2, false))).toBe(pytorchRepr("Linear stand-in without bias"));
  });

  it("a multi-line extraRepr, and an extraRepr before the children", () => {
    class Multi extends Module {
      override extraRepr(): string {
        return "first\nsecond";
      }
    }
    expect(String(new Multi())).toBe(pytorchRepr("module with multi-line extra_repr"));
    class Holder extends Module {
      child = new ReluLayer();
      override extraRepr(): string {
        return "size=3";
      }
    }
    expect(String(new Holder())).toBe(pytorchRepr("extra_repr and a child"));
  });

  it("children indented at every depth", () => {
    const net = new Sequential(new Sequential(new Linear(1, 2), new ReluLayer()), new Linear(2, 1));
    expect(String(net)).toBe(
      [
        "Sequential(",
        "  (0): Sequential(",
        "    (0): Linear(in_features=1, out_features=2, bias=True)",
        "    (1): ReluLayer()",
        "  )",
        "  (1): Linear(in_features=2, out_features=1, bias=True)",
        ")",
      ].join("\n"),
    );
  });

  it("uses a child's own toString, and prints a null child as None", () => {
    class Custom extends Module {
      override toString(): string {
        return "Custom<line 1\nline 2>";
      }
    }
    const m = new Sequential(new Custom());
    m.addModule("gone", null);
    expect(String(m)).toBe("Sequential(\n  (0): Custom<line 1\n  line 2>\n  (gone): None\n)");
  });
});
