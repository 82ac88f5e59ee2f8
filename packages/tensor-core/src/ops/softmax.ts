/**
 * softmax(x)_i = exp(x_i) / Σ_j exp(x_j) along one dimension, and its logarithm. The kernels
 * subtract the maximum first, so large inputs do not overflow `exp`.
 */
import { backendFor } from "../backend.ts";
import { recordOp } from "../grad-hooks.ts";
import { normalizeDim } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { emptyTensor } from "./creation.ts";

function run(x: Tensor, dim: number, log: boolean): Tensor {
  const d = normalizeDim(dim, x.ndim);
  const input = x.dtype === "float32" ? x : x.to("float32");
  const out = emptyTensor(x.shape, "float32", x.device);
  backendFor(x.device).softmax(input, x.ndim === 0 ? 0 : d, log, out);
  return recordOp(log ? "logSoftmax" : "softmax", [x], out, { dim: d });
}

export function softmax(x: Tensor, dim: number): Tensor {
  return run(x, dim, false);
}

export function logSoftmax(x: Tensor, dim: number): Tensor {
  return run(x, dim, true);
}
