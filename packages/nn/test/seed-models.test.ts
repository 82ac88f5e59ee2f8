/**
 * Every case of modules.json with the real layers of @torchlet/nn: the repr character for
 * character, every registry listing, and where PyTorch ran the model, the output of the same
 * seeded model on the same input, its printed form and its grad_fn. Each case was built right
 * after `manual_seed(index + 1)`, in the order the seed document builds it.
 */
import { describe, expect, it } from "vitest";
import { assertClose, fixture, fixtureValues, type ModulesCase } from "@torchlet/testing";
import { nn, torch } from "../src/index.ts";
import { classNames, LinearReluStack, MyFCLayer, NeuralNetwork, ReluLayer, shapes } from "./seed-models.ts";

const cases = fixture<ModulesCase>("modules");

/** The model of each case, built as the seed document builds it. */
const builders: Record<string, () => nn.Module> = {
  ReluLayer: () => new ReluLayer(),
  "MyFCLayer(25,10)": () => new MyFCLayer(25, 10),
  LinearReluStack: () => new LinearReluStack(),
  NeuralNetwork: () => new NeuralNetwork(),
  "mlp Sequential": () => new nn.Sequential(new nn.Linear(25, 100), new nn.ReLU(), new nn.Linear(100, 10)),
  "shared params": () => {
    const shared = new nn.Linear(8, 8);
    return new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), shared, new nn.ReLU(), shared, new nn.ReLU(), new nn.Linear(8, 1));
  },
  "BatchNorm2d(128)": () => new nn.BatchNorm2d({ numFeatures: 128 }),
  "conv Sequential": () =>
    new nn.Sequential(
      new nn.Conv2d({ inChannels: 1, outChannels: 32, kernelSize: 3, stride: 1, padding: 1 }),
      new nn.ReLU(),
      new nn.MaxPool2d({ kernelSize: 2, stride: 2 }),
      new nn.Flatten(),
      new nn.Linear(32 * 14 * 14, 10),
    ),
  // the 50-layer experiment, cut to 3 layers
  "ModuleList 50": () => new nn.Sequential(...Array.from({ length: 3 }, () => new nn.Linear(100, 100))),
  ModuleList: () => {
    const m = new nn.Module() as nn.Module & { layers: nn.ModuleList };
    m.layers = new nn.ModuleList(Array.from({ length: 3 }, () => new nn.Linear(100, 100)));
    return m;
  },
  ModuleDict: () => {
    const m = new nn.Module() as nn.Module & { layers: nn.ModuleDict };
    m.layers = new nn.ModuleDict({ conv: new nn.Conv2d(1, 32, 3, { stride: 1 }), fc: new nn.Linear(32 * 26 * 26, 10) });
    return m;
  },
  "misc layers": () =>
    new nn.Sequential(
      new nn.Conv2d(3, 8, [3, 5], { stride: 2, padding: [1, 2], bias: false }),
      new nn.BatchNorm2d(8, { momentum: 0.2, affine: false }),
      new nn.MaxPool2d(3, { stride: 1, padding: 1 }),
      new nn.Flatten(0),
      new nn.Linear(5, 6, { bias: false }),
      new nn.ReLU(),
    ),
};

describe("the seed's models with the real layers (modules.json)", () => {
  it("builds every case of the fixture", () => {
    expect(Object.keys(builders).sort()).toEqual(cases.map((c) => c.label).sort());
  });

  cases.forEach((c, index) => {
    it(c.label, () => {
      torch.manualSeed(index + 1);
      const model = builders[c.label]();
      expect(String(model)).toBe(c.repr);
      expect(shapes(model.namedParameters())).toEqual(c.named_parameters);
      expect(shapes(model.namedBuffers())).toEqual(c.named_buffers);
      expect(shapes(model.stateDict())).toEqual(c.state_dict);
      expect(classNames(model.namedChildren())).toEqual(c.named_children);
      expect(classNames(model.namedModules())).toEqual(c.named_modules);
      if (c.input === undefined) return;
      const x = torch.randn(c.input.shape);
      assertClose(x.toArray(), fixtureValues(c.input), {}, "input");
      const out = model.call(x) as torch.Tensor;
      assertClose(out.toArray(), fixtureValues(c.output!), { rtol: 1e-4, atol: 1e-5 }, "output");
      expect(out.gradFn?.name ?? null).toBe(c.grad_fn);
      expect(String(out)).toBe(c.output_str);
    });
  });

  it("the shared Linear is one module: listed once, saved under both names, its gradients summed", () => {
    torch.manualSeed(6);
    const net = builders["shared params"]() as nn.Sequential;
    expect(net.at(2)).toBe(net.at(4));
    const out = net.call(torch.randn(3, 4)) as torch.Tensor;
    out.sum().backward();
    expect((net.at(2) as nn.Linear).weight.grad).not.toBeNull();
  });
});
