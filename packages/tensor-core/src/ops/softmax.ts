/**
 * softmax(x)_i = exp(x_i) / Σ_j exp(x_j) along one dimension, and its logarithm. The kernels
 * subtract the maximum first, so large inputs do not overflow `exp`.
 */
import { backendFor } from "../backend.ts";
import { scalarTypeName } from "../dtype.ts";
import { RuntimeError } from "../errors.ts";
import { recordOp } from "../grad-hooks.ts";
import { normalizeDim } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { emptyTensor } from "./creation.ts";

function run(x: Tensor, dim: number, log: boolean): Tensor {
  const d = normalizeDim(dim, x.ndim);
  if (x.dtype !== "float32") {
    // PyTorch names the kernel that refused: a separate one serves the last dimension
    const kernel = `${log ? "log_softmax" : "softmax"}${d === Math.max(x.ndim - 1, 0) ? "_lastdim" : ""}_kernel_impl`;
    throw new RuntimeError(`"${kernel}" not implemented for '${scalarTypeName(x.dtype)}'`);
  }
  const out = emptyTensor(x.shape, "float32", x.device);
  backendFor(x.device).softmax(x, x.ndim === 0 ? 0 : d, log, out);
  return recordOp(log ? "logSoftmax" : "softmax", [x], out, { dim: d });
}

/**
 * Softmax along `dim`: e to each element over the sum of those along the dimension, so each slice
 * along `dim` is positive and sums to 1. Float32 only.
 */
export function softmax(x: Tensor, dim: number): Tensor {
  return run(x, dim, false);
}

/**
 * The logarithm of the softmax along `dim`, computed in one step so that it stays accurate where
 * the softmax itself rounds to 0 (PyTorch's `log_softmax`). Float32 only.
 */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  return run(x, dim, true);
}
