/**
 * rng-extra.json (recorded with PyTorch 1.13 by rng-extra.py): randperm, bernoulli, fills of
 * non-contiguous views, seeds past 2^31, nn.Linear's initialisation between other draws, the
 * generator's state as bytes, and the errors PyTorch raises for bad input. Each "draws" case is a
 * list of calls, replayed here in the same order after the same seed.
 */
import { describe, expect, it } from "vitest";
import { fixture } from "@torchlet/testing";
import * as torch from "../src/index.ts";
import type { DType, Tensor } from "../src/index.ts";

type Seed = number | string;
type ViewStep = [string, ...number[]];
interface TargetSpec {
  base: number[];
  dtype?: DType;
  view: ViewStep[];
  data?: number[];
}
interface Step {
  op: string;
  shape?: number[];
  low?: number;
  high?: number;
  n?: number;
  dtype?: DType;
  mean?: number;
  std?: number;
  from?: number;
  to?: number;
  p?: number | { shape: number[]; data: number[] };
  in?: number;
  out?: number;
  target?: TargetSpec;
  probs?: TargetSpec;
  source?: TargetSpec;
  // what PyTorch returned
  values?: (number | string | boolean)[];
  storage?: (number | boolean)[];
  contiguous?: boolean;
  stride?: number[];
  weight?: number[];
  bias?: number[];
}
interface DrawsCase {
  kind: "draws";
  label: string;
  seed: Seed;
  initial_seed: Seed;
  steps: Step[];
}
interface StateCase {
  kind: "state";
  label: string;
  seed: number;
  steps: Step[];
  state_hex: string;
  randn_after: number[];
}
interface GeneratorsCase {
  kind: "generators";
  label: string;
  fresh: { initial_seed: number; randn: number[] };
  default_seed: number;
  own_seed: number;
  default_first: number[];
  own: number[];
  default_next: number[];
}
interface ErrorCase {
  kind: "error";
  label: string;
  type: string;
  message: string;
}
type Case = DrawsCase | StateCase | GeneratorsCase | ErrorCase;

const cases = fixture<Case>("rng-extra");
const ofKind = <K extends Case["kind"]>(kind: K) => cases.filter((c): c is Extract<Case, { kind: K }> => c.kind === kind);

/** Seeds past 2^53 are stored as strings; negative seeds stay numbers. */
const seedOf = (s: Seed): number | bigint => (typeof s === "string" ? BigInt(s) : s);
/** Recorded values as numbers: int64s past 2^53 are strings, bools are true/false. */
const numbers = (values: readonly unknown[] | undefined) => values!.map(Number);
const flat = (t: Tensor) => Array.from(t.toArray());

/** A zero tensor of spec.base (filled with spec.data when given) and the view the steps make of it. */
function makeTarget(spec: TargetSpec): { base: Tensor; view: Tensor } {
  const base = spec.data
    ? torch.tensor(spec.data, { dtype: "float32" }).reshape(spec.base)
    : torch.zeros(spec.base, { dtype: spec.dtype ?? "float32" });
  let view = base;
  for (const [name, ...args] of spec.view) {
    if (name === "t") view = view.t();
    else if (name === "narrow") view = view.narrow(args[0], args[1], args[2]);
    else if (name === "permute") view = view.permute(...args);
    else if (name === "slice") view = view.slice(args[0], args[1], args[2], args[3]);
    else throw new Error(`unknown view step ${name}`);
  }
  return { base, view };
}

/** nn.Linear(in, out)'s default initialisation, computed as PyTorch 1.13's reset_parameters does. */
function linearInit(fanIn: number, fanOut: number): { weight: Tensor; bias: Tensor } {
  const a = Math.sqrt(5);
  const gain = Math.sqrt(2.0 / (1 + a ** 2)); // calculate_gain("leaky_relu", a)
  const bound = Math.sqrt(3.0) * (gain / Math.sqrt(fanIn)); // kaiming_uniform_
  const weight = torch.empty(fanOut, fanIn).uniform_(-bound, bound);
  const biasBound = 1 / Math.sqrt(fanIn);
  const bias = torch.empty(fanOut).uniform_(-biasBound, biasBound);
  return { weight, bias };
}

/** Replays one step and checks it against what PyTorch returned. */
function replay(step: Step): void {
  const what = JSON.stringify({ ...step, values: undefined, storage: undefined, weight: undefined, bias: undefined });
  switch (step.op) {
    case "randn":
      expect(flat(torch.randn(step.shape!)), what).toEqual(numbers(step.values));
      return;
    case "rand":
      expect(flat(torch.rand(step.shape!)), what).toEqual(numbers(step.values));
      return;
    case "randint": {
      const t = torch.randint(step.low!, step.high!, step.shape!, { dtype: step.dtype ?? "int64" });
      expect(flat(t), what).toEqual(numbers(step.values));
      return;
    }
    case "randperm":
      expect(flat(torch.randperm(step.n!)), what).toEqual(numbers(step.values));
      return;
    case "normal_":
    case "uniform_":
    case "random_":
    case "bernoulli_":
    case "bernoulli_p": {
      const { base, view } = makeTarget(step.target!);
      expect(view.isContiguous(), what).toBe(step.contiguous);
      if (step.op === "normal_") view.normal_(step.mean, step.std);
      else if (step.op === "uniform_") view.uniform_(step.from, step.to);
      else if (step.op === "random_") torch.fillRandomInteger(view, step.low!, step.high!);
      else if (step.op === "bernoulli_") torch.bernoulli_(view, step.p as number);
      else {
        const p = step.p as { shape: number[]; data: number[] };
        torch.bernoulli_(view, torch.tensor(p.data, { dtype: "float32" }).reshape(p.shape));
      }
      expect(flat(view), what).toEqual(numbers(step.values));
      expect(flat(base), what).toEqual(numbers(step.storage));
      return;
    }
    case "bernoulli": {
      const probs = makeTarget(step.probs!).view;
      const out = torch.bernoulli(probs);
      expect(flat(out), what).toEqual(numbers(step.values));
      expect(out.stride(), what).toEqual(step.stride);
      return;
    }
    case "randn_like":
    case "rand_like": {
      const source = makeTarget(step.source!).view;
      const out = step.op === "randn_like" ? torch.randnLike(source) : torch.randLike(source);
      expect(flat(out), what).toEqual(numbers(step.values));
      expect(out.stride(), what).toEqual(step.stride);
      return;
    }
    case "linear": {
      const { weight, bias } = linearInit(step.in!, step.out!);
      expect(flat(weight), what).toEqual(step.weight);
      expect(flat(bias), what).toEqual(step.bias);
      return;
    }
    case "dropout_mask": {
      // F.dropout(x, p) keeps x where empty_like(x).bernoulli_(1 - p) drew a 1
      const mask = torch.bernoulli_(torch.empty(step.shape!), 1 - (step.p as number));
      expect(flat(mask), what).toEqual(numbers(step.values));
      return;
    }
    default:
      throw new Error(`unknown step ${step.op}`);
  }
}

describe("rng-extra.json: sequences of draws after one seed", () => {
  for (const c of ofKind("draws")) {
    it(`${c.label} (seed ${c.seed}): ${c.steps.map((s) => s.op).join(", ")}`, () => {
      torch.manualSeed(seedOf(c.seed));
      expect(String(torch.initialSeed())).toBe(String(c.initial_seed));
      for (const step of c.steps) replay(step);
    });
  }

  it("covers what it says: views filled one at a time, seeds past 2^32, both bernoulli samplers", () => {
    const steps = ofKind("draws").flatMap((c) => c.steps);
    expect(steps.some((s) => s.op === "normal_" && s.contiguous === false && s.values!.length >= 16)).toBe(true);
    expect(ofKind("draws").some((c) => typeof c.seed === "string")).toBe(true);
    expect(steps.some((s) => s.op === "bernoulli_") && steps.some((s) => s.op === "bernoulli")).toBe(true);
  });
});

describe("rng-extra.json: generators of one's own", () => {
  const [c] = ofKind("generators");

  it("a new Generator starts from PyTorch's default seed", () => {
    const g = new torch.Generator();
    expect(g.initialSeed()).toBe(c.fresh.initial_seed);
    expect(flat(torch.randn(3, { generator: g }))).toEqual(c.fresh.randn);
  });

  it("drawing from one's own generator leaves the default stream where it was", () => {
    torch.manualSeed(c.default_seed);
    expect(flat(torch.randn(3))).toEqual(c.default_first);
    const own = new torch.Generator().manualSeed(c.own_seed);
    expect(flat(torch.randn(3, { generator: own }))).toEqual(c.own);
    expect(flat(torch.randn(3))).toEqual(c.default_next);
  });
});

const hexOf = (t: Tensor) => flat(t).map((b) => b.toString(16).padStart(2, "0")).join("");
const bytesOf = (hex: string) => torch.tensor(Array.from({ length: hex.length / 2 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16)));

describe("rng-extra.json: the generator's state as PyTorch's bytes", () => {
  for (const c of ofKind("state")) {
    it(`${c.label}: getRngState holds PyTorch's bytes`, () => {
      torch.manualSeed(c.seed);
      for (const step of c.steps) {
        expect(["randn", "rand"]).toContain(step.op);
        (step.op === "randn" ? torch.randn : torch.rand)(step.shape!);
      }
      const state = torch.getRngState();
      expect(state.dtype).toBe("int64");
      expect([...state.shape]).toEqual([5056]);
      expect(hexOf(state)).toBe(c.state_hex);
      expect(flat(torch.randn(3))).toEqual(c.randn_after);
    });

    it(`${c.label}: setRngState with PyTorch's bytes continues PyTorch's stream`, () => {
      torch.manualSeed(12345);
      torch.randn(5); // leaves a sample waiting, which the restored state must replace
      torch.setRngState(bytesOf(c.state_hex));
      expect(flat(torch.randn(3))).toEqual(c.randn_after);
    });
  }

  it("getRngState then setRngState replays the same draws", () => {
    torch.manualSeed(3);
    torch.rand(1000);
    torch.randn(3);
    const state = torch.getRngState();
    const first = [flat(torch.randn(5)), flat(torch.rand(20)), flat(torch.randperm(10))];
    torch.setRngState(state);
    expect([flat(torch.randn(5)), flat(torch.rand(20)), flat(torch.randperm(10))]).toEqual(first);
  });

  it("a rejected state leaves the generator as it was", () => {
    torch.manualSeed(8);
    torch.randn(3);
    const expected = hexOf(torch.getRngState());
    expect(() => torch.setRngState(torch.zeros([5056], { dtype: "int64" }))).toThrow("Invalid mt19937 state");
    expect(hexOf(torch.getRngState())).toBe(expected);
  });
});

/** The call behind each recorded error, in torchlet's spelling. */
const badCalls: Record<string, () => unknown> = {
  "randint low >= high": () => torch.randint(5, 2, [3]),
  "randint high <= 0": () => torch.randint(-3, [3]),
  "randint bool to out of bounds": () => torch.randint(0, 3, [3], { dtype: "bool" }),
  "randint bool from out of bounds": () => torch.randint(-1, 2, [3], { dtype: "bool" }),
  "rand int64": () => torch.rand(3, { dtype: "int64" }),
  "randn int64": () => torch.randn(3, { dtype: "int64" }),
  "randn bool": () => torch.randn(3, { dtype: "bool" }),
  "randn_like int64": () => torch.randnLike(torch.zeros([2], { dtype: "int64" })),
  "randperm negative": () => torch.randperm(-1),
  "randperm bool": () => torch.randperm(5, { dtype: "bool" }),
  "normal_ into an expanded view": () => torch.zeros(1, 3).expand(4, 3).normal_(),
  "uniform_ into an expanded view": () => torch.zeros(1, 3).expand(4, 3).uniform_(),
  "bernoulli_ p above 1": () => torch.bernoulli_(torch.empty(3), 1.5),
  "bernoulli_ p below 0": () => torch.bernoulli_(torch.empty(3), -0.1),
  "bernoulli probabilities above 1": () => torch.bernoulli(torch.tensor([0.5, 1.5])),
  "bernoulli int64 probabilities": () => torch.bernoulli(torch.tensor([1, 0])),
  "set_rng_state wrong size": () => torch.setRngState(torch.zeros([5], { dtype: "int64" })),
  "set_rng_state not bytes": () => torch.setRngState(torch.zeros(5056)),
  "set_rng_state invalid": () => torch.setRngState(torch.zeros([5056], { dtype: "int64" })),
  "manual_seed 2^64": () => torch.manualSeed(2n ** 64n),
  "manual_seed below -2^63": () => torch.manualSeed(-(2n ** 63n) - 1n),
  "manual_seed NaN": () => torch.manualSeed(NaN),
  "Generator on cuda": () => new torch.Generator({ device: "cuda" }),
};

describe("rng-extra.json: PyTorch's errors for bad input", () => {
  // the in-place check on a leaf that requires grad needs autograd, a package above this one
  for (const c of ofKind("error").filter((c) => badCalls[c.label] !== undefined)) {
    const call = badCalls[c.label];
    it(`${c.label}: ${c.type}: ${c.message}`, () => {
      let thrown: unknown;
      try {
        call();
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(Error);
      const error = thrown as Error;
      const type = error instanceof torch.TorchletError ? error.pythonType : error.name;
      expect(type).toBe(c.type);
      // torchlet's state tensors are int64, so its ByteTensor message says so after PyTorch's words
      if (c.label === "set_rng_state not bytes") expect(error.message.startsWith(c.message)).toBe(true);
      else expect(error.message).toBe(c.message);
    });
  }

  it("has a torchlet call for every recorded error but the autograd one", () => {
    const missing = ofKind("error").filter((c) => badCalls[c.label] === undefined).map((c) => c.label);
    expect(missing).toEqual(["bernoulli_ on a leaf that requires grad"]);
  });

  it("bad input draws nothing: the stream goes on as if the calls had not been made", () => {
    torch.manualSeed(0);
    torch.randn(3); // leaves a sample waiting, which must still be there afterwards
    const expected = flat(torch.randn(5));
    torch.manualSeed(0);
    torch.randn(3);
    for (const call of Object.values(badCalls)) expect(call).toThrow();
    expect(torch.initialSeed()).toBe(0);
    expect(flat(torch.randn(5))).toEqual(expected);
  });
});
