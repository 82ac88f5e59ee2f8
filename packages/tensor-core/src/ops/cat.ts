/**
 * Joining tensors: `cat` puts them end to end along an existing dimension, `stack` along a new
 * one. The result is a fresh tensor of the promoted dtype, each input copied into its slice of it
 * (`narrow` + `copy_`, so every device runs them). The gradient of each input is its slice of the
 * result's gradient: a `narrow` for `cat`, a `select` for `stack`.
 */
import { promoteTypes } from "../dtype.ts";
import { RuntimeError } from "../errors.ts";
import { belowAutograd, recordOp } from "../grad-hooks.ts";
import { normalizeDim } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { emptyTensor } from "./creation.ts";
import { narrow, unsqueeze } from "./views.ts";

/** PyTorch's device check for ops over a list of tensors. */
function sameDevice(tensors: readonly Tensor[]): void {
  const other = tensors.find((t) => t.device !== tensors[0]!.device);
  if (other) {
    throw new RuntimeError(`Expected all tensors to be on the same device, but found at least two devices, ${tensors[0]!.device} and ${other.device}!`);
  }
}

/** A tensor of shape [0], which `cat` skips whatever the other shapes, as PyTorch still allows. */
const isLegacyEmpty = (t: Tensor) => t.ndim === 1 && t.shape[0] === 0;

/** `tensors` joined along `dim`, skipping those of shape [0]. */
function join(tensors: readonly Tensor[], dim: number): Tensor {
  const parts = tensors.filter((t) => !isLegacyEmpty(t));
  if (parts.length === 0) return emptyTensor([0], tensors.map((t) => t.dtype).reduce(promoteTypes), tensors[0]!.device);
  const first = parts[0]!;
  const shape = [...first.shape];
  shape[dim] = parts.reduce((total, t) => total + t.shape[dim]!, 0);
  const result = emptyTensor(shape, tensors.map((t) => t.dtype).reduce(promoteTypes), first.device);
  let at = 0;
  for (const t of parts) {
    if (t.shape[dim]! > 0) narrow(result, dim, at, t.shape[dim]!).copy_(t);
    at += t.shape[dim]!;
  }
  return result;
}

/**
 * `torch.cat(tensors, dim)`: the tensors end to end along `dim` (default 0). They must have the
 * same number of dimensions and the same sizes except along `dim`; the dtype is the promoted one.
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RuntimeError("torch.cat(): expected a non-empty list of Tensors");
  const parts = tensors.filter((t) => !isLegacyEmpty(t));
  const reference = parts[0] ?? tensors[0]!;
  parts.forEach((t, i) => {
    if (t.ndim === 0) throw new RuntimeError(`zero-dimensional tensor (at position ${tensors.indexOf(t)}) cannot be concatenated`);
    if (i === 0) return;
    if (t.ndim !== reference.ndim) throw new RuntimeError(`Tensors must have same number of dimensions: got ${reference.ndim} and ${t.ndim}`);
  });
  const d = normalizeDim(dim, reference.ndim);
  parts.forEach((t) => {
    const mismatch = t.shape.findIndex((size, k) => k !== d && size !== reference.shape[k]);
    if (mismatch >= 0) {
      throw new RuntimeError(
        `Sizes of tensors must match except in dimension ${d}. Expected size ${reference.shape[mismatch]} but got size ${t.shape[mismatch]} for tensor number ${tensors.indexOf(t)} in the list.`,
      );
    }
  });
  sameDevice(tensors);
  const out = belowAutograd(() => join(tensors, d));
  return recordOp("cat", tensors, out, { dim: d, sizes: tensors.map((t) => (isLegacyEmpty(t) ? 0 : t.shape[d]!)) });
}

/** `torch.stack(tensors, dim)`: tensors of equal shape along a new dimension `dim` (default 0). */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RuntimeError("stack expects a non-empty TensorList");
  const first = tensors[0]!;
  tensors.forEach((t, i) => {
    if (!t.shape.equals(first.shape)) {
      throw new RuntimeError(`stack expects each tensor to be equal size, but got [${first.shape.join(", ")}] at entry 0 and [${t.shape.join(", ")}] at entry ${i}`);
    }
  });
  const d = normalizeDim(dim, first.ndim + 1);
  sameDevice(tensors);
  const out = belowAutograd(() => join(tensors.map((t) => unsqueeze(t, d)), d));
  return recordOp("stack", tensors, out, { dim: d });
}
