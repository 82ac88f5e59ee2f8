/**
 * The layers against PyTorch 1.13 (nn-layers.json): each repr character for character, Dropout's
 * exact mask after a seed, the grad_fn PyTorch picks for `linear` by the input's shape, and the
 * errors of every layer for bad input.
 */
import { describe, expect, it } from "vitest";
import { fixture, fixtureValues, type FixtureTensor } from "@torchlet/testing";
import { F, nn, torch } from "../src/index.ts";
import { thrown } from "./seed-models.ts";

interface LayersCase {
  kind: string;
  label: string;
  repr: string;
  grad_fn: string;
  shape: number[];
}
const cases = fixture<LayersCase>("nn-layers");
const ofKind = (kind: string) => cases.filter((c) => c.kind === kind);

describe("layer reprs (nn-layers.json)", () => {
  const layers: Record<string, () => nn.Module> = {
    "Linear(784, 100)": () => new nn.Linear(784, 100),
    "Linear(5, 6, bias=False)": () => new nn.Linear(5, 6, { bias: false }),
    "Conv2d(1, 32, 3, stride=1, padding=1)": () => new nn.Conv2d(1, 32, 3, { stride: 1, padding: 1 }),
    "Conv2d(1, 32, 3, 1)": () => new nn.Conv2d(1, 32, 3, { stride: 1 }),
    "Conv2d(3, 8, (3, 5), stride=2, padding=(1, 2), bias=False)": () =>
      new nn.Conv2d({ inChannels: 3, outChannels: 8, kernelSize: [3, 5], stride: 2, padding: [1, 2], bias: false }),
    "Conv2d(4, 6, 3, dilation=2, groups=2)": () => new nn.Conv2d(4, 6, 3, { dilation: 2, groups: 2 }),
    "MaxPool2d(2, stride=2)": () => new nn.MaxPool2d(2, { stride: 2 }),
    "MaxPool2d(3, 1, 1)": () => new nn.MaxPool2d({ kernelSize: 3, stride: 1, padding: 1 }),
    "MaxPool2d((2, 3))": () => new nn.MaxPool2d([2, 3]),
    "MaxPool2d(2, ceil_mode=True)": () => new nn.MaxPool2d(2, { ceilMode: true }),
    "BatchNorm2d(128)": () => new nn.BatchNorm2d(128),
    "BatchNorm2d(8, momentum=0.2, affine=False)": () => new nn.BatchNorm2d(8, { momentum: 0.2, affine: false }),
    "BatchNorm2d(3, eps=0.001, momentum=None, track_running_stats=False)": () =>
      new nn.BatchNorm2d({ numFeatures: 3, eps: 0.001, momentum: null, trackRunningStats: false }),
    "Flatten()": () => new nn.Flatten(),
    "Flatten(0, 2)": () => new nn.Flatten(0, 2),
    "Dropout()": () => new nn.Dropout(),
    "Dropout(0.2, inplace=True)": () => new nn.Dropout(0.2, { inplace: true }),
    "ReLU()": () => new nn.ReLU(),
    "ReLU(inplace=True)": () => new nn.ReLU({ inplace: true }),
    "Sigmoid()": () => new nn.Sigmoid(),
    "Tanh()": () => new nn.Tanh(),
    "Softmax(dim=1)": () => new nn.Softmax(1),
    "Softmax()": () => new nn.Softmax(),
    "LogSoftmax(dim=-1)": () => new nn.LogSoftmax(-1),
    "Identity()": () => new nn.Identity(),
    "CrossEntropyLoss()": () => new nn.CrossEntropyLoss(),
    "NLLLoss(reduction='sum')": () => new nn.NLLLoss({ reduction: "sum" }),
    "MSELoss()": () => new nn.MSELoss(),
  };

  it("builds every recorded layer", () => {
    expect(Object.keys(layers).sort()).toEqual(ofKind("repr").map((c) => c.label).sort());
  });
  for (const c of ofKind("repr")) {
    it(c.label, () => expect(String(layers[c.label]())).toBe(c.repr));
  }
});

describe("Dropout (nn-layers.json)", () => {
  const dropouts = fixture<{ kind: string; seed: number; p: number; shape: number[]; train: FixtureTensor; eval: FixtureTensor }>(
    "nn-layers",
  ).filter((c) => c.kind === "dropout");

  for (const c of dropouts) {
    it(`p=${c.p}: PyTorch's mask after manual_seed(${c.seed}), survivors scaled by 1/(1-p)`, () => {
      const layer = new nn.Dropout(c.p);
      torch.manualSeed(c.seed);
      const y = layer.call(torch.ones(c.shape));
      expect(Array.from(y.toArray())).toEqual(fixtureValues(c.train).map(Math.fround));
      layer.eval();
      const x = torch.ones(c.shape);
      expect(layer.call(x)).toBe(x);
    });
  }

  it("drops about p of a large tensor, and keeps the mean", () => {
    torch.manualSeed(1);
    const y = F.dropout(torch.ones(20000), { p: 0.3 });
    const kept = Array.from(y.toArray()).filter((v) => v !== 0);
    expect(Math.abs(kept.length / 20000 - 0.7)).toBeLessThan(0.02);
    expect(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
  });

  it("p = 0 and evaluation return the input itself; p = 1 zeroes everything", () => {
    const x = torch.randn(3, 4);
    expect(F.dropout(x, { p: 0 })).toBe(x);
    expect(F.dropout(x, { p: 0.5, training: false })).toBe(x);
    expect(Array.from(F.dropout(x, { p: 1 }).toArray()).every((v) => v === 0)).toBe(true);
  });

  it("the gradient flows through the kept elements only (MulBackward0)", () => {
    torch.manualSeed(5);
    const x = torch.randn(4, 5).requiresGrad_();
    const y = F.dropout(x, { p: 0.4 });
    expect(y.gradFn?.name).toBe("MulBackward0");
    y.sum().backward();
    const grads = Array.from(x.grad!.toArray());
    const outs = Array.from(y.toArray());
    grads.forEach((g, i) => expect(g).toBeCloseTo(outs[i] === 0 && x.toArray()[i] !== 0 ? 0 : 1 / 0.6, 5));
  });

  it("inplace writes into the input when autograd is not tracking it", () => {
    torch.manualSeed(2);
    const x = torch.ones(10);
    const y = new nn.Dropout(0.5, { inplace: true }).call(x);
    expect(y).toBe(x);
    expect(Array.from(x.toArray()).some((v) => v === 0)).toBe(true);
  });
});

describe("grad_fn names PyTorch picks by shape (nn-layers.json)", () => {
  const w = torch.randn(2, 3).requiresGrad_();
  const b = torch.randn(2).requiresGrad_();
  const calls: Record<string, () => torch.Tensor> = {
    "linear 2-D with bias": () => F.linear(torch.randn(4, 3), w, b),
    "linear 2-D without bias": () => F.linear(torch.randn(4, 3), w),
    "linear 3-D with bias": () => F.linear(torch.randn(5, 4, 3), w, b),
    "linear 1-D with bias": () => F.linear(torch.randn(3), w, b),
    "dropout in training": () => F.dropout(torch.randn(3, 4).requiresGrad_(), { p: 0.5 }),
    relu: () => F.relu(torch.randn(3).requiresGrad_()),
  };
  for (const c of ofKind("grad_fn")) {
    it(c.label, () => {
      const out = calls[c.label]();
      expect(out.gradFn?.name).toBe(c.grad_fn);
      expect([...out.shape]).toEqual(c.shape);
    });
  }
});

describe("activation layers", () => {
  it("compute what their functions compute", () => {
    const x = torch.tensor([[-1, 0.5, 2], [3, -2, 0]]);
    expect(Array.from(new nn.ReLU().call(x).toArray())).toEqual([0, 0.5, 2, 3, 0, 0]);
    expect(Array.from(new nn.Sigmoid().call(x).toArray())).toEqual(Array.from(torch.sigmoid(x).toArray()));
    expect(Array.from(new nn.Tanh().call(x).toArray())).toEqual(Array.from(torch.tanh(x).toArray()));
    expect(Array.from(new nn.Softmax(1).call(x).toArray())).toEqual(Array.from(torch.softmax(x, 1).toArray()));
    expect(Array.from(new nn.LogSoftmax(0).call(x).toArray())).toEqual(Array.from(torch.logSoftmax(x, 0).toArray()));
    expect(new nn.Identity().call(x)).toBe(x);
  });

  it("Softmax without a dim picks PyTorch's implicit one (1 for a matrix)", () => {
    const x = torch.tensor([[1, 2], [3, 5]], { dtype: "float32" });
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (m: string) => warnings.push(m);
    try {
      expect(Array.from(new nn.Softmax().call(x).toArray())).toEqual(Array.from(torch.softmax(x, 1).toArray()));
    } finally {
      console.warn = warn;
    }
    expect(warnings[0]).toContain("Implicit dimension choice for softmax has been deprecated");
  });

  it("ReLU inplace overwrites a plain tensor, and leaves a tensor in a graph alone with the gradient right", () => {
    const x = torch.tensor([-1, 2], { dtype: "float32" });
    expect(new nn.ReLU({ inplace: true }).call(x)).toBe(x);
    expect(Array.from(x.toArray())).toEqual([0, 2]);
    const leaf = torch.tensor([-1, 2, 3], { dtype: "float32" }).requiresGrad_();
    const h = leaf.mul(2);
    const y = new nn.ReLU({ inplace: true }).call(h);
    y.sum().backward();
    expect(Array.from(leaf.grad!.toArray())).toEqual([0, 2, 2]);
  });

  it("Flatten keeps the batch dimension by default", () => {
    expect([...new nn.Flatten().call(torch.zeros(2, 3, 4, 5)).shape]).toEqual([2, 60]);
    expect([...new nn.Flatten(0, 2).call(torch.zeros(2, 3, 4, 5)).shape]).toEqual([24, 5]);
  });
});

describe("layer errors: PyTorch's type and first line (nn-layers.json)", () => {
  const errors = fixture<{ kind: string; case: string; type: string; error: string }>("nn-layers").filter((c) => c.kind === "error");
  const calls: Record<string, () => unknown> = {
    "Dropout probability": () => new nn.Dropout(1.5),
    "dropout probability": () => F.dropout(torch.randn(3), { p: -0.1 }),
    "Linear input features": () => new nn.Linear(3, 2).call(torch.randn(2, 4)),
    "Linear 1-D input": () => new nn.Linear(3, 2).call(torch.randn(4)),
    "Linear 0-d input": () => new nn.Linear(3, 2).call(torch.tensor(1.0)),
    "Conv2d 2-D input": () => new nn.Conv2d(1, 2, 3).call(torch.randn(5, 5)),
    "Conv2d in_channels groups": () => new nn.Conv2d(3, 2, 3, { groups: 2 }),
    "Conv2d out_channels groups": () => new nn.Conv2d(2, 3, 3, { groups: 2 }),
    "Conv2d zero groups": () => new nn.Conv2d(2, 3, 3, { groups: 0 }),
    "MaxPool2d output too small": () => new nn.MaxPool2d(3).call(torch.randn(1, 1, 2, 2)),
    "Flatten start after end": () => new nn.Flatten(2, 1).call(torch.randn(2, 3, 4)),
    "Softmax dim out of range": () => new nn.Softmax(3).call(torch.randn(2, 3)),
  };
  for (const [name, call] of Object.entries(calls)) {
    it(name, () => {
      const { type, error } = errors.find((e) => e.case === name)!;
      expect(thrown(call)).toEqual({ type, error });
    });
  }
});
