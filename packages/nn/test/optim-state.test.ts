/**
 * Optimizer state dicts against PyTorch 1.13. optim-state.json holds `state_dict()` of SGD, Adam
 * and AdamW (one and two parameter groups) before and after a step: the groups' options with
 * their parameters numbered, and which state each parameter has, of which shape. Then resuming:
 * five steps of nn-training.json's runs, interrupted after two by a new model and a new optimizer
 * (built with another learning rate) that load both state dicts, must give PyTorch's five losses,
 * whether the state dicts are handed over or written to files and read back. The file's layout
 * (tensors, and JSON in the metadata for the rest), and `loadStateDict`'s errors, which change
 * nothing.
 */
import { assertClose, fixture, useSoftwareVulkanIfPresent } from "@torchlet/testing";
import { afterAll, describe, expect, it } from "vitest";
import { nn, optim, torch } from "../src/index.ts";
import { NeuralNetwork, thrown } from "./seed-models.ts";
import { makeOptimizer, type TrainingCase } from "./training.ts";

type Recorded = { shape: number[]; value?: number } | null;

interface StateDictCase {
  kind: "state_dict";
  optimizer: TrainingCase["optimizer"];
  options: Record<string, unknown>;
  groups: Record<string, unknown> | null;
  before: PythonStateDict;
  after: PythonStateDict;
}

interface PythonStateDict {
  state: Record<string, Record<string, Recorded>>;
  param_groups: (Record<string, unknown> & { params: number[] })[];
}

interface ErrorCase {
  kind: "error";
  case: string;
  type: string;
  error: string;
}

const cases = fixture<StateDictCase | ErrorCase>("optim-state");
const stateDictCases = cases.filter((c): c is StateDictCase => c.kind === "state_dict");
const errorCases = cases.filter((c): c is ErrorCase => c.kind === "error");

const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const camelKeys = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [camel(k), v]));

/** PyTorch's implementation switches, which torchlet's optimizers do not have. */
const switches = new Set(["foreach", "differentiable", "capturable", "fused"]);

/** A Python state dict as torchlet's stateDict() should read: camelCase names, no switches, tensors by shape. */
function expectedStateDict(python: PythonStateDict) {
  return {
    state: Object.entries(python.state).map(([n, values]) => [Number(n), camelKeys(values)] as const),
    paramGroups: python.param_groups.map((g) => camelKeys(Object.fromEntries(Object.entries(g).filter(([k]) => !switches.has(k))))),
  };
}

/** torchlet's state dict in the fixture's terms: a tensor by its shape; the step count as PyTorch's 0-d tensor. */
function described(sd: optim.OptimizerStateDict) {
  const describe = (name: string, v: unknown): unknown => {
    if (v instanceof torch.Tensor) return { shape: [...v.shape] };
    if (name === "step") return { shape: [], value: v };
    return v;
  };
  return {
    state: [...sd.state].map(([n, values]) => [n, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, describe(k, v)]))] as const),
    paramGroups: sd.paramGroups,
  };
}

/** optim-state.py's model: Sequential(Linear(3, 2), ReLU(), Linear(2, 1)) after manual_seed(0). */
function model(): nn.Sequential {
  torch.manualSeed(0);
  return new nn.Sequential(new nn.Linear(3, 2), new nn.ReLU(), new nn.Linear(2, 1));
}

describe("stateDict() as PyTorch 1.13's state_dict() (optim-state.json)", () => {
  it("has the fixture's cases", () => expect(stateDictCases.length).toBeGreaterThanOrEqual(6));

  it.each(stateDictCases.map((c) => [`${c.optimizer} ${JSON.stringify(c.options)}, groups ${JSON.stringify(c.groups)}`, c] as const))(
    "%s: before and after a step",
    (_, c) => {
      const m = model();
      const params = c.groups
        ? [{ params: m.at(0).parameters() }, { params: m.at(2).parameters(), ...camelKeys(c.groups) }]
        : m.parameters();
      const optimizer = makeOptimizer(c.optimizer, params as Iterable<torch.Tensor>, c.options);
      expect(described(optimizer.stateDict())).toEqual(expectedStateDict(c.before));
      m.call(torch.randn(4, 3)).sum().backward();
      optimizer.step();
      expect(described(optimizer.stateDict())).toEqual(expectedStateDict(c.after));
    },
  );
});

const runs = fixture<TrainingCase>("nn-training");
const lossTolerance = { rtol: 1e-4, atol: 1e-4 };

/** How the state dicts travel from the first model and optimizer to the second. */
const carriers = {
  "the state dicts": <T>(stateDict: T) => stateDict,
  "files (torch.save, torch.load)": (stateDict: Parameters<typeof torch.saveSync>[0]) => torch.load(torch.saveSync(stateDict)),
};

describe("resuming training from state dicts (nn-training.json)", () => {
  const table = runs.flatMap((c) => Object.keys(carriers).map((via) => [`${c.optimizer} ${JSON.stringify(c.options)}`, via as keyof typeof carriers, c] as const));
  it.each(table)(
    "%s: two steps, a new model and optimizer loaded from %s, three more steps: PyTorch's five losses",
    (_, via, c) => {
      const carry = carriers[via] as (stateDict: Parameters<typeof torch.saveSync>[0]) => never;
      torch.manualSeed(c.seed);
      const first = new NeuralNetwork();
      const x = torch.randn(8, 28, 28);
      const y = torch.randint(0, 10, [8]);
      const lossFn = new nn.CrossEntropyLoss();
      const losses: number[] = [];
      const train = (model: NeuralNetwork, optimizer: optim.Optimizer<object>, steps: number) => {
        for (let step = 0; step < steps; step++) {
          optimizer.zeroGrad();
          const loss = lossFn.call(model.call(x), y);
          loss.backward();
          optimizer.step();
          losses.push(loss.item() as number);
        }
      };
      const firstOptimizer = makeOptimizer(c.optimizer, first.parameters(), c.options);
      train(first, firstOptimizer, 2);

      torch.manualSeed(c.seed + 1000); // other starting weights, overwritten by the load
      const second = new NeuralNetwork();
      const secondOptimizer = makeOptimizer(c.optimizer, second.parameters(), { ...c.options, lr: 123 });
      second.loadStateDict(carry(first.stateDict()));
      secondOptimizer.loadStateDict(carry(firstOptimizer.stateDict()));
      expect(secondOptimizer.paramGroups[0]).toMatchObject({ lr: (firstOptimizer.paramGroups[0] as unknown as { lr: number }).lr });
      train(second, secondOptimizer, 3);
      assertClose(losses, c.losses, lossTolerance, "losses");
    },
  );

  it("copies the state it loads: the source optimizer's next steps do not reach it", () => {
    const p = torch.ones(2).requiresGrad_();
    const source = new optim.SGD([p], { lr: 0.1, momentum: 0.9 });
    p.sum().backward();
    source.step();
    const q = torch.ones(2).requiresGrad_();
    const copy = new optim.SGD([q], { lr: 0.1, momentum: 0.9 });
    copy.loadStateDict(source.stateDict());
    source.step();
    assertClose((copy.state.get(q)!.momentumBuffer as torch.Tensor).toArray(), [1, 1]);
    assertClose((source.state.get(p)!.momentumBuffer as torch.Tensor).toArray(), [1.9, 1.9]);
  });
});

describe("an optimizer's state dict in a file", () => {
  function stepped(): { optimizer: optim.Adam; m: nn.Sequential } {
    const m = model();
    const optimizer = new optim.Adam(m.parameters(), { lr: 0.01, betas: [0.8, 0.99], amsgrad: true });
    m.call(torch.randn(4, 3)).sum().backward();
    optimizer.step();
    return { optimizer, m };
  }

  it("stores the tensors as state.<parameter>.<name>, the rest as JSON in the metadata", () => {
    const { optimizer } = stepped();
    const bytes = torch.saveSync(optimizer.stateDict(), { metadata: { note: "kept" } });
    const loaded = torch.load(bytes);
    expect([...loaded.keys()].sort()).toEqual(
      [0, 1, 2, 3].flatMap((n) => ["expAvg", "expAvgSq", "maxExpAvgSq"].map((name) => `state.${n}.${name}`)).sort(),
    );
    const metadata = torch.loadMetadata(bytes)!;
    expect(metadata.note).toBe("kept");
    const json = JSON.parse(metadata["torchlet.optimizer"]!);
    expect(json.paramGroups).toEqual([expect.objectContaining({ lr: 0.01, betas: [0.8, 0.99], amsgrad: true, params: [0, 1, 2, 3] })]);
    expect(json.state[0]).toEqual([0, { step: 1, expAvg: { $tensor: "state.0.expAvg" }, expAvgSq: { $tensor: "state.0.expAvgSq" }, maxExpAvgSq: { $tensor: "state.0.maxExpAvgSq" } }]);
  });

  it("loads back to the same state, values and all", () => {
    const { optimizer } = stepped();
    const copy = new optim.Adam(model().parameters(), { lr: 1 });
    copy.loadStateDict(torch.load(torch.saveSync(optimizer.stateDict())));
    expect(described(copy.stateDict())).toEqual(described(optimizer.stateDict()));
    const [original, loaded] = [optimizer, copy].map((o) => [...o.state.values()].map((v) => Array.from((v.expAvgSq as torch.Tensor).toArray())));
    expect(loaded).toEqual(original);
  });

  it("keeps an SGD buffer not made yet as null, and options JSON cannot spell (NaN, Infinity)", () => {
    const p = torch.ones(2).requiresGrad_();
    const optimizer = new optim.SGD([p], { lr: Infinity });
    p.sum().backward();
    optimizer.step();
    const copy = new optim.SGD([torch.ones(2).requiresGrad_()], { lr: 0.1 });
    copy.loadStateDict(torch.load(torch.saveSync(optimizer.stateDict())));
    expect(copy.paramGroups[0]!.lr).toBe(Infinity);
    expect([...copy.stateDict().state.values()]).toEqual([{ momentumBuffer: null }]);
  });

  it("refuses a file of other tensors, changing nothing", () => {
    const { optimizer, m } = stepped();
    const before = described(optimizer.stateDict());
    expect(thrown(() => optimizer.loadStateDict(torch.load(torch.saveSync(m.stateDict()))))).toEqual({
      type: "TypeError",
      error: "loadStateDict takes an optimizer's state dict; these tensors are not one (torch.save(optimizer.stateDict()) writes a file that is)",
    });
    expect(described(optimizer.stateDict())).toEqual(before);
  });
});

describe("loadStateDict's errors, as PyTorch gives them, changing nothing", () => {
  const bad: Record<string, optim.OptimizerStateDict> = {
    "no groups": { state: new Map(), paramGroups: [] },
    "two groups": { state: new Map(), paramGroups: [{ lr: 0.1, params: [0, 1] }, { lr: 0.1, params: [2, 3] }] },
    "a group of the wrong size": { state: new Map(), paramGroups: [{ lr: 0.1, params: [0, 1, 2] }] },
  };
  it.each(errorCases.map((c) => [c.case, c] as const))("%s", (_, c) => {
    const m = model();
    const optimizer = new optim.SGD(m.parameters(), { lr: 0.1, momentum: 0.9 });
    m.call(torch.randn(4, 3)).sum().backward();
    optimizer.step();
    const before = described(optimizer.stateDict());
    expect(thrown(() => optimizer.loadStateDict(bad[c.case]!))).toEqual({ type: c.type, error: c.error });
    expect(described(optimizer.stateDict())).toEqual(before);
  });
});

useSoftwareVulkanIfPresent();
const available = await torch.webgpu.init();
afterAll(() => torch.webgpu.destroy());

describe.skipIf(!available)("loading a CPU optimizer's state for parameters on webgpu", () => {
  it("puts the state on the parameters' device, and the next step runs there", async () => {
    const m = model();
    const cpuOptimizer = new optim.Adam(m.parameters(), { lr: 0.01 });
    m.call(torch.randn(4, 3)).sum().backward();
    cpuOptimizer.step();
    const gpuModel = model().to("webgpu");
    gpuModel.loadStateDict(m.stateDict());
    const gpuOptimizer = new optim.Adam(gpuModel.parameters(), { lr: 0.01 });
    gpuOptimizer.loadStateDict(cpuOptimizer.stateDict());
    for (const values of gpuOptimizer.state.values()) {
      expect((values.expAvg as torch.Tensor).device).toBe("webgpu");
    }
    const x = torch.randn(4, 3);
    cpuOptimizer.zeroGrad();
    m.call(x).sum().backward();
    cpuOptimizer.step();
    gpuModel.call(x.to("webgpu")).sum().backward();
    gpuOptimizer.step();
    const cpuWeight = Array.from((m.at(0) as nn.Linear).weight.toArray());
    const gpuWeight = Array.from((await (gpuModel.at(0) as nn.Linear).weight.cpu()).toArray());
    assertClose(gpuWeight, cpuWeight, { rtol: 1e-4, atol: 1e-5 });
  });

  it("saves a GPU optimizer's state to a file (await torch.save), which a CPU optimizer loads", async () => {
    const gpuModel = model().to("webgpu");
    const gpuOptimizer = new optim.SGD(gpuModel.parameters(), { lr: 0.1, momentum: 0.9 });
    gpuModel.call(torch.randn(4, 3).to("webgpu")).sum().backward();
    gpuOptimizer.step();
    expect(() => torch.saveSync(gpuOptimizer.stateDict())).toThrow("state.0.momentumBuffer is on webgpu");
    const cpuOptimizer = new optim.SGD(model().parameters(), { lr: 0.5 });
    cpuOptimizer.loadStateDict(torch.load(await torch.save(gpuOptimizer.stateDict())));
    expect(cpuOptimizer.paramGroups[0]).toMatchObject({ lr: 0.1, momentum: 0.9 });
    const buffers = async (o: optim.SGD) =>
      Promise.all([...o.state.values()].map(async (v) => Array.from((await (v.momentumBuffer as torch.Tensor).cpu()).toArray())));
    expect(await buffers(cpuOptimizer)).toEqual(await buffers(gpuOptimizer));
    for (const v of cpuOptimizer.state.values()) expect((v.momentumBuffer as torch.Tensor).device).toBe("cpu");
  });
});
