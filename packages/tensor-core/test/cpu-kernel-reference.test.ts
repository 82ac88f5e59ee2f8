/**
 * `torch.backends.cpu.kernel = "reference"` routes the CPU's float32 matrix products and
 * convolutions (forward and both gradients) to the plain reference loops, and "ts" and "wasm"
 * route them elsewhere.
 *
 * Two kinds of evidence. The reference functions are wrapped in spies (the mock below replaces the
 * module for every file that imports it, the CPU backend included), so each test sees which loops
 * ran. And a sum whose rounding is known by hand shows that what ran computes as the reference
 * does: 2^24 + 1 + 0 + ... + 0 - 2^24 over 257 terms is exactly 1. The reference loops add every
 * product in doubles and round once, so they give 1; the WebAssembly kernel keeps its sums in
 * float32, where 2^24 + 1 rounds to 2^24 (ties to even), so the 1 is lost.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as torch from "../src/index.ts";
import * as matmulReference from "../src/kernels/matmul/reference-cpu.ts";
import * as convReference from "../src/kernels/conv/reference-cpu.ts";

vi.mock("../src/kernels/matmul/reference-cpu.ts", async (original) => {
  const m = await original<typeof import("../src/kernels/matmul/reference-cpu.ts")>();
  return { ...m, matmulReference: vi.fn(m.matmulReference) };
});
vi.mock("../src/kernels/conv/reference-cpu.ts", async (original) => {
  const m = await original<typeof import("../src/kernels/conv/reference-cpu.ts")>();
  return {
    ...m,
    conv2dReference: vi.fn(m.conv2dReference),
    conv2dBackwardInputReference: vi.fn(m.conv2dBackwardInputReference),
    conv2dBackwardWeightReference: vi.fn(m.conv2dBackwardWeightReference),
  };
});

const initial = torch.backends.cpu.kernel;
beforeEach(() => {
  vi.clearAllMocks();
});
afterEach(() => {
  torch.backends.cpu.kernel = initial;
});

const K = 257;
/** The 257 terms: 2^24, 1, zeros, -2^24. */
const terms = Array.from({ length: K }, (_, k) => (k === 0 ? 2 ** 24 : k === 1 ? 1 : k === K - 1 ? -(2 ** 24) : 0));

/** A float32 tensor of `shape` whose element at flat index i is `at(i)`. */
function filled(shape: number[], at: (i: number) => number): torch.Tensor {
  const n = shape.reduce((x, y) => x * y, 1);
  return torch.fromValues(Float32Array.from({ length: n }, (_, i) => at(i)), shape, "float32");
}

/** Every element of `t`, flat. */
function values(t: torch.Tensor): number[] {
  return t.reshape(-1).tolist() as number[];
}

/** Stride 1, no padding, no dilation, one group. */
const plain: torch.Conv2dParams = { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 };

/**
 * Each op on operands that make every output element the 257-term sum (at least 4 rows and
 * columns, so that no kernel takes a matrix-vector shortcut), with the reference function it
 * should reach.
 */
const probes = {
  // A [4, 257] of ones @ B [257, 8] whose every column holds the terms
  matmul: {
    run: () => torch.matmul(filled([4, K], () => 1), filled([K, 8], (i) => terms[Math.floor(i / 8)]!)),
    reference: () => matmulReference.matmulReference,
  },
  // 257 input channels of ones, 1x1 filters holding the terms: out[o, y, x] = Σ_c w[o, c]
  conv2d: {
    run: () => torch.conv2d(filled([1, K, 2, 2], () => 1), filled([4, K, 1, 1], (i) => terms[i % K]!)),
    reference: () => convReference.conv2dReference,
  },
  // ∂x[c] = Σ_o w[o, c] ∂out[o]: 257 output channels whose weights are the terms
  conv2dBackwardInput: {
    run: () => torch.conv2dBackwardInput(filled([1, K, 2, 2], () => 1), filled([K, 4, 1, 1], (i) => terms[Math.floor(i / 4)]!), [1, 4, 2, 2], plain),
    reference: () => convReference.conv2dBackwardInputReference,
  },
  // ∂w[o, c] = Σ_p ∂out[o, p] x[c, p]: 257 positions along the width
  conv2dBackwardWeight: {
    run: () => torch.conv2dBackwardWeight(filled([1, 4, 1, K], (i) => terms[i % K]!), filled([1, 4, 1, K], () => 1), [4, 4, 1, 1], plain),
    reference: () => convReference.conv2dBackwardWeightReference,
  },
};

describe('torch.backends.cpu.kernel = "reference"', () => {
  it('is accepted beside "wasm" and "ts", and read back', () => {
    torch.backends.cpu.kernel = "reference";
    expect(torch.backends.cpu.kernel).toBe("reference");
  });

  for (const [name, probe] of Object.entries(probes)) {
    it(`${name} runs the reference loops, which give the exact sum`, () => {
      torch.backends.cpu.kernel = "reference";
      const result = values(probe.run());
      expect(probe.reference()).toHaveBeenCalledTimes(1);
      expect(result.length).toBeGreaterThanOrEqual(16);
      expect(result.every((v) => v === 1)).toBe(true);
    });

    it(`${name} stays off the reference loops on "ts" and "wasm" (where WebAssembly sums in float32)`, () => {
      torch.backends.cpu.kernel = "ts";
      probe.run();
      torch.backends.cpu.kernel = "wasm";
      const wasm = values(probe.run());
      expect(probe.reference()).not.toHaveBeenCalled();
      expect(wasm).not.toContain(1);
    });
  }
});
