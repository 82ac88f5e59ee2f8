/**
 * A tensor saved for backward and then written in place: backward fails with PyTorch's message
 * instead of differentiating with values the forward pass never used. Held against PyTorch 1.13
 * (versions.json, `saved` cases): which writes are caught (through the tensor, a view, `detach()`),
 * which are not (through `.data`; into a tensor that backward turns out not to read), and the
 * message, word for word. The `linear` case, which needs nn.Linear and an optimizer, is tested in
 * the nn package.
 */
import { manualSeed, mm, randn, RuntimeError, type Tensor } from "@torchlet/tensor-core";
import { fixture } from "@torchlet/testing";
import { describe, expect, it } from "vitest";
import { noGrad } from "../src/index.ts";

interface SavedCase {
  kind: "saved";
  case: string;
  error: string | null;
}

/** A graph whose output `y` has a tensor written after it was saved; backward follows. */
function outputWritten(op: (h: Tensor) => Tensor): () => void {
  return () => {
    const w = randn(3, 4).requiresGrad_();
    const y = op(w.mul(2));
    noGrad(() => y.add_(1));
    y.sum().backward();
  };
}

const programs: Record<string, () => void> = {
  "mm, the input written": () => {
    const x = randn(5, 3);
    const w = randn(3, 4).requiresGrad_();
    const out = mm(x, w);
    x.add_(1);
    out.sum().backward();
  },
  "mm, the weight written": () => {
    const x = randn(5, 3);
    const w = randn(3, 4).requiresGrad_();
    const out = mm(x, w);
    noGrad(() => w.add_(1));
    out.sum().backward();
  },
  "mul, a leaf written": () => {
    const a = randn(3, 4).requiresGrad_();
    const b = randn(3, 4).requiresGrad_();
    const out = a.mul(b);
    noGrad(() => a.mul_(2));
    out.sum().backward();
  },
  "sigmoid, its output written": outputWritten((h) => h.sigmoid()),
  "exp, its output written": outputWritten((h) => h.exp()),
  "relu, its output written": outputWritten((h) => h.relu()),
  "tanh, its output written": outputWritten((h) => h.tanh()),
  "exp, its output written through detach()": () => {
    const w = randn(3, 4).requiresGrad_();
    const y = w.exp();
    y.detach().add_(1);
    y.sum().backward();
  },
  "exp, its output written through .data": () => {
    const w = randn(3, 4).requiresGrad_();
    const y = w.exp();
    y.data.add_(1);
    y.sum().backward();
  },
  "exp, a view of its output written": () => {
    const w = randn(3, 4).requiresGrad_();
    const y = w.exp();
    noGrad(() => y.index(1).mul_(2));
    y.sum().backward();
  },
  "sigmoid, its output multiplied by 1": () => {
    const w = randn(3, 4).requiresGrad_();
    const y = w.sigmoid();
    noGrad(() => y.mul_(1));
    y.sum().backward();
  },
};

/** The error message `run` throws, or null when it runs through. */
function errorOf(run: () => void): string | null {
  manualSeed(0);
  try {
    run();
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(RuntimeError);
    return (error as Error).message;
  }
}

describe("saved tensors written in place", () => {
  const cases = fixture<SavedCase>("versions").filter((c) => c.kind === "saved" && !c.case.startsWith("linear"));

  it("covers every case of the fixture", () => {
    expect(cases.map((c) => c.case).sort()).toEqual(Object.keys(programs).sort());
  });

  for (const c of cases) {
    it(`${c.case}: ${c.error === null ? "backward runs" : "PyTorch's error"}`, () => {
      expect(errorOf(programs[c.case])).toBe(c.error);
    });
  }

  it("a graph retained and run again after a write fails the second time, with the versions of then and now", () => {
    const w = randn(2, 2).requiresGrad_();
    const y = w.exp();
    y.sum().backward(null, { retainGraph: true });
    noGrad(() => y.mul_(3).mul_(2));
    expect(() => y.sum().backward()).toThrow(/\[torch\.FloatTensor \[2, 2\]\], which is output 0 of ExpBackward0, is at version 2; expected version 0 instead\./);
  });

  it("writes before the op count for nothing: the version is taken when the tensor is saved", () => {
    const x = randn(3, 3);
    x.mul_(2).add_(1);
    const w = randn(3, 3).requiresGrad_();
    const out = mm(x, w);
    out.sum().backward();
    expect(w.grad!.shape).toEqual([3, 3]);
  });
});
