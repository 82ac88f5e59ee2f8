/**
 * How the initialisers behave with modules and autograd: they write into parameters that require
 * grad (which a bare in-place op may not do), leave them leaves, and compose with `Module.apply` as
 * in the seed document's chapter on initialisation, whose result is compared with PyTorch's.
 */
import { describe, expect, it } from "vitest";
import { assertClose, fixture, type FixtureTensor, fixtureValues } from "@torchlet/testing";
import { empty, manualSeed, type Tensor } from "@torchlet/tensor-core";
import { Module, Parameter } from "@torchlet/module";
import { Sequential } from "@torchlet/containers";
import * as init from "../src/index.ts";

/** nn.Linear's parameters and default initialisation, written with this package. */
class Linear extends Module {
  weight: Parameter;
  bias: Parameter;
  constructor(inFeatures: number, outFeatures: number) {
    super();
    this.weight = new Parameter(empty(outFeatures, inFeatures));
    this.bias = new Parameter(empty(outFeatures));
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    const bound = 1 / Math.sqrt(inFeatures);
    init.uniform_(this.bias, { a: -bound, b: bound });
  }
}
class ReLU extends Module {}

describe("initialising parameters", () => {
  it("writes into a parameter that requires grad, which a bare in-place op refuses", () => {
    const p = new Parameter(empty(3, 4));
    expect(() => p.uniform_(-1, 1)).toThrow("a leaf Variable that requires grad is being used in an in-place operation.");
    for (const fill of [
      () => init.uniform_(p),
      () => init.normal_(p),
      () => init.constant_(p, 0.5),
      () => init.ones_(p),
      () => init.zeros_(p),
      () => init.eye_(p),
      () => init.xavierUniform_(p),
      () => init.xavierNormal_(p),
      () => init.kaimingUniform_(p),
      () => init.kaimingNormal_(p),
      () => init.truncNormal_(p),
      () => init.orthogonal_(p),
    ]) {
      expect(fill()).toBe(p);
      expect(p.requiresGrad && p.isLeaf && p.gradFn === null).toBe(true);
    }
  });

  it("orthogonal_ gives orthonormal rows (times gain) for any shape", () => {
    for (const [shape, gain] of [
      [[3, 7], 1],
      [[7, 3], 2],
      [[4, 2, 3], 0.5],
    ] as [number[], number][]) {
      const t = init.orthogonal_(empty(shape), { gain });
      const m = t.reshape(shape[0], -1);
      const gram = shape[0] <= m.shape[1] ? m.matmul(m.t()) : m.t().matmul(m);
      const n = gram.shape[0];
      const expected = Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? gain * gain : 0));
      assertClose(gram.toArray(), expected, { atol: 1e-5, rtol: 1e-5 }, `gram of ${shape}`);
    }
  });

  it("truncNormal_ keeps every value inside [a, b] and warns when the mean is far outside", () => {
    const t = init.truncNormal_(empty(2000), { mean: 0.5, std: 3, a: -1, b: 1 });
    const values = t.toArray();
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    const warnings: unknown[] = [];
    const original = console.warn;
    console.warn = (message: unknown) => warnings.push(message);
    try {
      init.truncNormal_(empty(3), { mean: 10, std: 1, a: -2, b: 2 });
    } finally {
      console.warn = original;
    }
    expect(warnings).toEqual([
      "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be incorrect.",
    ]);
  });

  it("the Kaiming initialisers leave a tensor without elements alone", () => {
    const original = console.warn;
    console.warn = () => {};
    try {
      expect(init.kaimingUniform_(empty(0, 3)).shape).toEqual([0, 3]);
      expect(init.kaimingNormal_(empty(3, 0)).shape).toEqual([3, 0]);
    } finally {
      console.warn = original;
    }
  });
});

describe("the seed's initialisation cells (init-extra.json)", () => {
  it("mlp.apply(norm_init), then mlp[2].apply(xavier_init), after the same seed", () => {
    const c = fixture<{ kind: string; seed: number; state: Record<string, FixtureTensor> }>("init-extra").find(
      (e) => e.kind === "seed-apply",
    ) as { seed: number; state: Record<string, FixtureTensor> };
    manualSeed(c.seed);
    const mlp = new Sequential(new Linear(25, 100), new ReLU(), new Linear(100, 10));
    const normInit = (m: Module) => {
      if (m instanceof Linear) {
        init.normal_(m.weight, { mean: 0, std: 0.01 });
        init.zeros_(m.bias);
      }
    };
    const xavierInit = (m: Module) => {
      if (m instanceof Linear) init.xavierNormal_(m.weight);
    };
    expect(mlp.apply(normInit)).toBe(mlp);
    mlp.at(2).apply(xavierInit);
    const state = mlp.stateDict();
    expect([...state.keys()]).toEqual(Object.keys(c.state));
    for (const [key, expected] of Object.entries(c.state)) {
      const actual = state.get(key) as Tensor;
      expect([...actual.shape]).toEqual(expected.shape);
      assertClose(actual.toArray(), fixtureValues(expected), { rtol: 1e-5, atol: 1e-7 }, key);
    }
  });
});
