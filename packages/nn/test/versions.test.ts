/**
 * Version counters seen from the layers: a Linear layer's weight, kept packed by the CPU's matrix
 * product between calls, must be packed again after any write — an optimizer's step, `copy_`,
 * an initialiser, `.data =`, `loadStateDict` — so the layer's output after the write is the output
 * of a fresh layer holding the same values. And PyTorch's error for a weight that an optimizer
 * changed between forward and backward (versions.json, the `linear` case).
 */
import { afterEach, describe, expect, it } from "vitest";
import { fixture } from "@torchlet/testing";
import { nn, optim, torch } from "../src/index.ts";

afterEach(() => {
  torch.backends.cpu.kernel = "wasm";
});

/** The output of a new Linear layer with `layer`'s current values: its weight never packed before. */
function freshOutput(layer: nn.Linear, x: torch.Tensor): number[] {
  const twin = new nn.Linear(layer.inFeatures, layer.outFeatures);
  torch.noGrad(() => {
    twin.weight.copy_(layer.weight);
    twin.bias!.copy_(layer.bias!);
  });
  return Array.from(torch.noGrad(() => twin.call(x)).toArray());
}

/** Runs the layer on `x` a few times without gradients, as an inference loop does. */
function infer(layer: nn.Linear, x: torch.Tensor): number[] {
  let out: number[] = [];
  for (let i = 0; i < 3; i++) out = Array.from(torch.noGrad(() => layer.call(x)).toArray());
  return out;
}

describe("a Linear layer's kept weight packing", () => {
  const writes: Record<string, (layer: nn.Linear) => void> = {
    "an SGD step": (layer) => {
      const opt = new optim.SGD(layer.parameters(), { lr: 0.5 });
      layer.call(torch.randn(4, layer.inFeatures)).sum().backward();
      opt.step();
    },
    "an Adam step": (layer) => {
      const opt = new optim.Adam(layer.parameters(), { lr: 0.1 });
      layer.call(torch.randn(4, layer.inFeatures)).square().sum().backward();
      opt.step();
    },
    "copy_ under noGrad": (layer) => torch.noGrad(() => layer.weight.copy_(torch.randn(layer.outFeatures, layer.inFeatures))),
    "nn.init.normal_": (layer) => nn.init.normal_(layer.weight, { mean: 0, std: 2 }),
    "nn.init.xavierUniform_": (layer) => nn.init.xavierUniform_(layer.weight),
    ".data = another tensor": (layer) => {
      layer.weight.data = torch.randn(layer.outFeatures, layer.inFeatures);
    },
    ".data.mul_": (layer) => layer.weight.data.mul_(-1),
    loadStateDict: (layer) => {
      const other = new nn.Linear(layer.inFeatures, layer.outFeatures);
      layer.loadStateDict(other.stateDict());
    },
  };

  for (const [name, write] of Object.entries(writes)) {
    it(`sees ${name}`, () => {
      torch.backends.cpu.kernel = "wasm";
      torch.manualSeed(1);
      const layer = new nn.Linear(300, 40);
      const x = torch.randn(32, 300);
      const before = infer(layer, x);
      expect(torch.backends.cpu.packCache.entries).toBeGreaterThan(0);
      write(layer);
      const after = infer(layer, x);
      expect(after).toEqual(freshOutput(layer, x));
      expect(after).not.toEqual(before);
    });
  }
});

interface SavedCase {
  kind: string;
  case: string;
  error: string | null;
}

describe("an optimizer step between forward and backward", () => {
  it("fails backward with PyTorch's message (versions.json)", () => {
    const [c] = fixture<SavedCase>("versions").filter((k) => k.kind === "saved" && k.case.startsWith("linear"));
    torch.manualSeed(0);
    const lin = new nn.Linear(4, 3);
    const x = torch.randn(2, 4).requiresGrad_();
    const out = lin.call(x);
    const opt = new optim.SGD(lin.parameters(), { lr: 0.1 });
    for (const p of lin.parameters()) p.grad = torch.onesLike(p);
    opt.step();
    expect(() => out.sum().backward()).toThrow(c.error!);
  });
});
