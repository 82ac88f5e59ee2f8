/**
 * Every initialiser against PyTorch 1.13: init.json (each function on a seeded 4x6 tensor, the
 * default initialisation of Linear and Conv2d, calculate_gain) and init-extra.json (more shapes and
 * options, fans, errors). A seeded initialisation must give PyTorch's numbers.
 */
import { describe, expect, it } from "vitest";
import { assertClose, fixture, fixtureValues, type FixtureTensor } from "@torchlet/testing";
import { empty, manualSeed, type Tensor } from "@torchlet/tensor-core";
import { Parameter } from "@torchlet/module";
import * as init from "../src/index.ts";

interface InitCase {
  what: string;
  seed?: number;
  shape?: number[];
  values?: number[] | Record<string, number>;
  weight?: FixtureTensor;
  bias?: FixtureTensor;
}
const initJson = fixture<InitCase>("init");
const initCase = (what: string) => initJson.find((c) => c.what === what) as InitCase;

interface ExtraCase {
  kind: "fill" | "fans" | "gain" | "error" | "erfinv" | "qr";
  label?: string;
  fn?: string;
  kwargs?: Record<string, number | string>;
  seed?: number;
  shape?: number[];
  values?: number[];
  fan_in?: number;
  fan_out?: number;
  nonlinearity?: string;
  param?: number | null;
  gain?: number;
  type?: string;
  message?: string;
}
const extra = fixture<ExtraCase>("init-extra");

/** PyTorch's nn.init call `fn(tensor, **kwargs)`, the torchlet way. */
function callInit(fn: string, t: Tensor, kwargs: Record<string, number | string> = {}): Tensor {
  const k = kwargs as Record<string, never>;
  switch (fn) {
    case "constant_":
      return init.constant_(t, k.val);
    case "ones_":
      return init.ones_(t);
    case "zeros_":
      return init.zeros_(t);
    case "eye_":
      return init.eye_(t);
    case "dirac_":
      return init.dirac_(t, { groups: k.groups });
    case "uniform_":
      return init.uniform_(t, { a: k.a, b: k.b });
    case "normal_":
      return init.normal_(t, { mean: k.mean, std: k.std });
    case "xavier_uniform_":
      return init.xavierUniform_(t, { gain: k.gain });
    case "xavier_normal_":
      return init.xavierNormal_(t, { gain: k.gain });
    case "kaiming_uniform_":
      return init.kaimingUniform_(t, { a: k.a, mode: k.mode, nonlinearity: k.nonlinearity });
    case "kaiming_normal_":
      return init.kaimingNormal_(t, { a: k.a, mode: k.mode, nonlinearity: k.nonlinearity });
    case "trunc_normal_":
      return init.truncNormal_(t, { mean: k.mean, std: k.std, a: k.a, b: k.b });
    case "orthogonal_":
      return init.orthogonal_(t, { gain: k.gain });
    default:
      throw new Error(`no initialiser for ${fn}`);
  }
}

/** nn.Linear's and nn.Conv2d's reset_parameters: kaiming_uniform_(a=√5), then a uniform bias. */
function defaultInit(weightShape: number[]): { weight: Tensor; bias: Tensor } {
  const weight = new Parameter(empty(weightShape));
  const bias = new Parameter(empty(weightShape[0]));
  init.kaimingUniform_(weight, { a: Math.sqrt(5) });
  const [fanIn] = init.calculateFanInAndFanOut(weight);
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  init.uniform_(bias, { a: -bound, b: bound });
  return { weight, bias };
}

describe("init.json", () => {
  const fns: [string, string, Record<string, number>][] = [
    ["normal_(0,0.01)", "normal_", { mean: 0, std: 0.01 }],
    ["xavier_normal_", "xavier_normal_", {}],
    ["xavier_uniform_", "xavier_uniform_", {}],
    ["kaiming_normal_", "kaiming_normal_", {}],
    ["kaiming_uniform_", "kaiming_uniform_", {}],
    ["uniform_(-1,1)", "uniform_", { a: -1, b: 1 }],
    ["trunc_normal_", "trunc_normal_", {}],
    ["orthogonal_", "orthogonal_", {}],
  ];
  for (const [what, fn, kwargs] of fns) {
    it(`${what} on a seeded 4x6 parameter`, () => {
      const c = initCase(what);
      manualSeed(c.seed as number);
      const p = new Parameter(empty(c.shape as number[]));
      expect(callInit(fn, p, kwargs)).toBe(p);
      assertClose(p.toArray(), c.values as number[], { rtol: 1e-5, atol: 1e-6 }, what);
      expect(p.requiresGrad && p.isLeaf).toBe(true);
    });
  }

  for (const [what, shape] of [
    ["Linear(3,2) default init", [2, 3]],
    ["Linear(25,10) default init", [10, 25]],
    ["Linear(784,100) default init", [100, 784]],
    ["Conv2d(2,3,3) default init", [3, 2, 3, 3]],
  ] as const) {
    it(`the default initialisation of ${what.replace(" default init", "")}`, () => {
      const c = initCase(what);
      manualSeed(c.seed as number);
      const { weight, bias } = defaultInit([...shape]);
      assertClose(weight.toArray(), fixtureValues(c.weight as FixtureTensor), { rtol: 1e-5, atol: 1e-7 }, "weight");
      assertClose(bias.toArray(), fixtureValues(c.bias as FixtureTensor), { rtol: 1e-5, atol: 1e-7 }, "bias");
    });
  }

  it("calculate_gain", () => {
    const values = initCase("calculate_gain").values as Record<string, number>;
    for (const [key, gain] of Object.entries(values)) {
      const [nonlinearity, param] = key.split(",");
      expect(init.calculateGain(nonlinearity, param === undefined ? undefined : Number(param))).toBe(gain);
    }
  });
});

describe("init-extra.json", () => {
  for (const c of extra.filter((e) => e.kind === "fill")) {
    it(`${c.label}`, () => {
      manualSeed(c.seed as number);
      const t = empty(c.shape as number[]);
      callInit(c.fn as string, t, c.kwargs);
      assertClose(t.toArray(), c.values as number[], { rtol: 1e-5, atol: 1e-6 }, c.label);
    });
  }

  it("fans", () => {
    for (const c of extra.filter((e) => e.kind === "fans")) {
      expect(init.calculateFanInAndFanOut(empty(c.shape as number[]))).toEqual([c.fan_in, c.fan_out]);
    }
  });

  it("gains", () => {
    for (const c of extra.filter((e) => e.kind === "gain")) {
      expect(init.calculateGain(c.nonlinearity as string, c.param)).toBe(c.gain);
    }
  });

  it("PyTorch's errors for bad input", () => {
    const run: Record<string, () => unknown> = {
      "calculate_gain unknown": () => init.calculateGain("softmax"),
      "calculate_gain bad slope": () => init.calculateGain("leaky_relu", "x" as never),
      "fans of a vector": () => init.calculateFanInAndFanOut(empty(3)),
      "kaiming bad mode": () => init.kaimingUniform_(empty(2, 2), { mode: "fan_avg" as never }),
      "xavier of a vector": () => init.xavierUniform_(empty(3)),
      "eye_ of 3 dimensions": () => init.eye_(empty(2, 2, 2)),
      "dirac_ of 2 dimensions": () => init.dirac_(empty(2, 2)),
      "dirac_ groups": () => init.dirac_(empty(3, 2, 2), { groups: 2 }),
      "orthogonal_ of a vector": () => init.orthogonal_(empty(3)),
    };
    const cases = extra.filter((e) => e.kind === "error");
    expect(cases.map((c) => c.label).sort()).toEqual(Object.keys(run).sort());
    for (const c of cases) {
      expect(run[c.label as string], c.label).toThrow(expect.objectContaining({ pythonType: c.type, message: c.message }));
    }
  });
});
