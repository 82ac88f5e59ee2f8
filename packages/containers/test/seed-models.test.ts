/**
 * The seed document's models and containers against modules.json: the repr character for
 * character, every registry listing, and, where PyTorch ran the model, the output of the same
 * seeded model on the same input, its printed form and its grad_fn. The layers of the nn package
 * are played by stand-ins with the same parameters, buffers, reprs and initialisation.
 */
import { describe, expect, it } from "vitest";
import { assertClose, fixtureValues, type ModulesCase } from "@torchlet/testing";
import { manualSeed, randn, type Tensor } from "@torchlet/tensor-core";
import { Module } from "@torchlet/module";
import { ModuleDict, ModuleList, Sequential } from "../src/index.ts";
import { seedCase } from "./fixtures.ts";
import { BatchNorm2d, classNames, Conv2d, Flatten, Linear, MaxPool2d, MyFCLayer, ReLU, ReluLayer, shapes } from "./stand-ins.ts";

class LinearReluStack extends Module {
  stack = new Sequential(
    new Linear(28 * 28, 100),
    new ReluLayer(),
    new Linear(100, 100),
    new ReluLayer(),
    new MyFCLayer(100, 10, (...shape) => randn(shape)),
  );
  override forward(x: Tensor): Tensor {
    return this.stack.call(x);
  }
}

class NeuralNetwork extends Module {
  flatten = new Flatten();
  stack = new LinearReluStack();
  override forward(x: Tensor): Tensor {
    return this.stack.call(this.flatten.call(x));
  }
}

/** The repr and every listing of `module` must be PyTorch's. */
function expectSameAsPytorch(module: Module, c: ModulesCase): void {
  expect(String(module)).toBe(c.repr);
  expect(shapes(module.namedParameters())).toEqual(c.named_parameters);
  expect(shapes(module.namedBuffers())).toEqual(c.named_buffers);
  expect(shapes(module.stateDict())).toEqual(c.state_dict);
  expect(classNames(module.namedChildren())).toEqual(c.named_children);
  expect(classNames(module.namedModules())).toEqual(c.named_modules);
}

/** Runs `build` right after the case's seed, then the input; output, print and grad_fn must match. */
function expectSameRun(c: ModulesCase & { seed: number }, build: () => Module): void {
  manualSeed(c.seed);
  const model = build();
  expectSameAsPytorch(model, c);
  const input = c.input as NonNullable<typeof c.input>;
  const x = randn(input.shape);
  assertClose(x.toArray(), fixtureValues(input));
  const out = model.call(x) as Tensor;
  assertClose(out.toArray(), fixtureValues(c.output as NonNullable<typeof c.output>), { rtol: 1e-4, atol: 1e-5 });
  expect(out.gradFn?.name ?? null).toBe(c.grad_fn);
  expect(String(out)).toBe(c.output_str);
}

describe("the seed's models (modules.json)", () => {
  it("LinearReluStack: a block holding a Sequential", () => {
    expectSameRun(seedCase("LinearReluStack"), () => new LinearReluStack());
  });

  it("NeuralNetwork: a model holding a Flatten and the block", () => {
    expectSameRun(seedCase("NeuralNetwork"), () => new NeuralNetwork());
  });

  it("mlp: nn.Sequential(Linear, ReLU, Linear)", () => {
    expectSameRun(seedCase("mlp Sequential"), () => new Sequential(new Linear(25, 100), new ReLU(), new Linear(100, 10)));
  });

  it("shared parameters: one Linear twice, listed once, saved under both names", () => {
    const shared = new Linear(8, 8);
    const net = new Sequential(new Linear(4, 8), new ReLU(), shared, new ReLU(), shared, new ReLU(), new Linear(8, 1));
    expectSameAsPytorch(net, seedCase("shared params"));
    expect(net.at(2)).toBe(net.at(4));
  });

  it("the conv Sequential, with the Flatten the seed forgot", () => {
    const net = new Sequential(
      new Conv2d([32, 1, 3, 3], true, "1, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1)"),
      new ReLU(),
      new MaxPool2d("kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False"),
      new Flatten(),
      new Linear(6272, 10),
    );
    expectSameAsPytorch(net, seedCase("conv Sequential"));
  });

  it("a Sequential of Linear layers (the 50-layer experiment, cut to 3)", () => {
    expectSameAsPytorch(new Sequential(...Array.from({ length: 3 }, () => new Linear(100, 100))), seedCase("ModuleList 50"));
  });

  it("a module holding a ModuleList", () => {
    const m = new Module() as Module & { layers: ModuleList };
    m.layers = new ModuleList(Array.from({ length: 3 }, () => new Linear(100, 100)));
    expectSameAsPytorch(m, seedCase("ModuleList"));
  });

  it("a module holding a ModuleDict", () => {
    const m = new Module() as Module & { layers: ModuleDict };
    m.layers = new ModuleDict({
      conv: new Conv2d([32, 1, 3, 3], true, "1, 32, kernel_size=(3, 3), stride=(1, 1)"),
      fc: new Linear(32 * 26 * 26, 10),
    });
    expectSameAsPytorch(m, seedCase("ModuleDict"));
  });

  it("BatchNorm2d's buffers, and the misc layers with an absent bias and absent affine parameters", () => {
    expectSameAsPytorch(
      new BatchNorm2d(128, true, "128, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True"),
      seedCase("BatchNorm2d(128)"),
    );
    const net = new Sequential(
      new Conv2d([8, 3, 3, 5], false, "3, 8, kernel_size=(3, 5), stride=(2, 2), padding=(1, 2), bias=False"),
      new BatchNorm2d(8, false, "8, eps=1e-05, momentum=0.2, affine=False, track_running_stats=True"),
      new MaxPool2d("kernel_size=3, stride=1, padding=1, dilation=1, ceil_mode=False"),
      new Flatten(0),
      new Linear(5, 6, false),
      new ReLU(),
    );
    expectSameAsPytorch(net, seedCase("misc layers"));
  });
});
