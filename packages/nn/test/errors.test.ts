/**
 * Every case of errors.json, reproduced with the public API and the real layers: PyTorch's error
 * type and the first line of its message, including the seed document's convolutional
 * `Sequential`, which has no `Flatten` between the pooling and the Linear layer and cannot run.
 */
import { describe, expect, it } from "vitest";
import { fixture } from "@torchlet/testing";
import { nn, torch } from "../src/index.ts";
import { thrown } from "./seed-models.ts";

const cases = fixture<{ case: string; type: string; error: string }>("errors");

const calls: Record<string, () => unknown> = {
  "linear shape mismatch": () => new nn.Linear(100, 10).call(torch.randn(1, 25)),
  "matmul mismatch": () => torch.randn(2, 3).matmul(torch.randn(4, 5)),
  "add broadcast mismatch": () => torch.randn(2, 3).add(torch.randn(2, 4)),
  "view invalid": () => torch.randn(2, 3).view(4, -1),
  "load_state_dict missing/unexpected": () =>
    new nn.Linear(3, 2).loadStateDict(new Map([["weight", torch.zeros(2, 3)], ["extra", torch.zeros(1)]])),
  "load_state_dict shape": () => new nn.Linear(3, 2).loadStateDict(new Map([["weight", torch.zeros(3, 3)], ["bias", torch.zeros(2)]])),
  "register_buffer dup name": () => {
    const m = new nn.Module() as nn.Module & { w: number };
    m.w = 1;
    m.registerBuffer("w", torch.zeros(1));
  },
  "add_module dotted name": () => new nn.Module().addModule("a.b", new nn.ReLU()),
  "backward non-scalar": () => torch.randn(3).requiresGrad_().mul(2).backward(),
  "conv2d channel mismatch": () => new nn.Conv2d(1, 32, 3).call(torch.randn(1, 3, 8, 8)),
  "seed Sequential conv->linear without flatten": () =>
    new nn.Sequential(
      new nn.Conv2d({ inChannels: 1, outChannels: 32, kernelSize: 3, stride: 1, padding: 1 }),
      new nn.ReLU(),
      new nn.MaxPool2d({ kernelSize: 2, stride: 2 }),
      new nn.Linear(32 * 14 * 14, 10), // the seed assumes 28x28 images
    ).call(torch.randn(1, 1, 28, 28)),
  "Sequential index out of range": () => new nn.Sequential(new nn.ReLU(), new nn.ReLU(), new nn.ReLU()).at(3),
  "ModuleDict missing key": () => new nn.ModuleDict({ a: new nn.ReLU() }).get("b"),
};

describe("errors.json with the real layers", () => {
  it("reproduces every case", () => {
    expect(Object.keys(calls).sort()).toEqual(cases.map((c) => c.case).sort());
  });

  for (const c of cases) {
    it(c.case, () => expect(thrown(calls[c.case])).toEqual({ type: c.type, error: c.error }));
  }

  it("the seed's conv Sequential runs once the Flatten is in place", () => {
    const fixed = new nn.Sequential(
      new nn.Conv2d(1, 32, 3, { stride: 1, padding: 1 }),
      new nn.ReLU(),
      new nn.MaxPool2d(2, { stride: 2 }),
      new nn.Flatten(),
      new nn.Linear(32 * 14 * 14, 10),
    );
    expect([...(fixed.call(torch.randn(2, 1, 28, 28)) as torch.Tensor).shape]).toEqual([2, 10]);
  });
});
