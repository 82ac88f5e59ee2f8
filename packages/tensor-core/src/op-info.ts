/**
 * The op table for tests, after PyTorch's OpInfo (`common_methods_invocations.py`): every op that
 * tensor-core records (the name given to `recordOp`) has an entry with sample calls. The same
 * entries drive the WebGPU-against-CPU tests here and the gradient checks in the autograd package,
 * so a new op is tested everywhere by adding it once.
 */
import { fromValues } from "./ops/creation.ts";
import type { Tensor } from "./tensor.ts";
import * as ew from "./ops/elementwise.ts";

export interface OpSample {
  /** A few words for the test name: "broadcast [2,3] + [3]", "transposed input", ... */
  readonly name: string;
  /** Fresh CPU inputs for one call; the tests move them to other devices or mark them requiresGrad. */
  readonly inputs: () => Tensor[];
  /** Calls the op on the inputs, with this sample's non-tensor arguments baked in. */
  readonly call: (...inputs: Tensor[]) => Tensor | readonly Tensor[];
}

export interface OpInfo {
  /** The op's name as it is recorded (`recordOp`); the autograd package keys its rules the same. */
  readonly name: string;
  /** Whether autograd must define a backward rule for it (gradcheck runs on every sample). */
  readonly differentiable: boolean;
  /** Positions of the inputs gradients flow to (float inputs; not indices or masks). */
  readonly gradInputs?: readonly number[];
  readonly samples: readonly OpSample[];
}

/** Deterministic test values in [-2, 2) that do not depend on the global generator. */
export function sampleTensor(shape: readonly number[], seed = 1, dtype: "float32" | "int64" | "bool" = "float32"): Tensor {
  let state = seed * 2654435761 >>> 0;
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const u = state / 2 ** 32;
    return dtype === "float32" ? Math.fround(u * 4 - 2) : dtype === "int64" ? Math.floor(u * 10) - 5 : u < 0.5 ? 1 : 0;
  });
  return fromValues(values, shape, dtype);
}

export const opInfos: readonly OpInfo[] = [
  {
    name: "add",
    differentiable: true,
    samples: [
      { name: "same shape", inputs: () => [sampleTensor([2, 3], 1), sampleTensor([2, 3], 2)], call: (a, b) => ew.add(a, b) },
      { name: "broadcast [2,3] + [3]", inputs: () => [sampleTensor([2, 3], 3), sampleTensor([3], 4)], call: (a, b) => ew.add(a, b) },
      { name: "transposed input", inputs: () => [sampleTensor([3, 2], 5), sampleTensor([2, 3], 6)], call: (a, b) => ew.add(a.t(), b) },
    ],
  },
  {
    name: "exp",
    differentiable: true,
    samples: [{ name: "matrix", inputs: () => [sampleTensor([2, 3], 7)], call: (x) => ew.exp(x) }],
  },
];
