/**
 * In-place ops (PyTorch's trailing underscore): they write into the tensor they are called on, so
 * every view of the same storage sees the change. Each counts its write once (`markWritten`), for
 * autograd's check of saved tensors and for caches of the storage's values. Autograd cannot differentiate through a write
 * that replaces values it saved, so in-place ops refuse leaves that require grad while grad mode is
 * on; initialisation and optimizer steps run them under `noGrad`.
 */
import { backendFor, type BinaryOp } from "../backend.ts";
import { castScalar, cTypeName, promoteTypes, promoteWithScalar, scalarTypeName, type DType } from "../dtype.ts";
import { RuntimeError } from "../errors.ts";
import { belowAutograd, isRecording } from "../grad-hooks.ts";
import { broadcastShapes, isNonOverlappingAndDense } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { scalarTensor } from "./creation.ts";
import { binaryKernel, broadcastTo, checkOperands, toTensors, type Operand } from "./elementwise.ts";
import { fillNormal, fillUniform } from "../random/fill.ts";

/** The check PyTorch makes before writing into a tensor that autograd may depend on. */
export function checkInplace(t: Tensor): void {
  if (!isRecording() || !t.requiresGrad) return;
  if (t.isLeaf) {
    throw new RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.");
  }
  throw new RuntimeError(
    "torchlet does not record in-place operations on tensors that are part of a graph; use the out-of-place op (add instead of add_)",
  );
}

/**
 * Refuses to write into a tensor whose elements share memory (an expanded view, where one stored
 * value stands for a whole row): the result would depend on the order of the writes. Filling with
 * one value is the exception, as in PyTorch.
 */
export function checkNoInternalOverlap(t: Tensor): void {
  if (t.shape.some((size, d) => size > 1 && t.stride(d) === 0)) {
    throw new RuntimeError(
      "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.",
    );
  }
}

/**
 * Refuses an operand that shares part of its memory with the tensor being written, as PyTorch's
 * overlap check does: the answer would depend on the order in which elements are written (and a
 * GPU writes them in no particular order). The very same view (`x.mul_(x)`) is fine: each element
 * is read before it is written. Layouts whose memory blocks cannot be compared simply are allowed.
 */
export function checkNoPartialOverlap(t: Tensor, operand: Tensor): void {
  if (t.storage !== operand.storage || t.numel() === 0 || operand.numel() === 0) return;
  const dense = (x: Tensor) => isNonOverlappingAndDense(x.shape, x.stride());
  if (!dense(t) || !dense(operand)) return;
  const [tBegin, oBegin] = [t.storageOffset(), operand.storageOffset()];
  const [tEnd, oEnd] = [tBegin + t.numel(), oBegin + operand.numel()];
  const same = tBegin === oBegin && tEnd === oEnd;
  const tStrides = t.stride();
  const oStrides = operand.stride();
  const identical =
    same &&
    t.ndim === operand.ndim &&
    t.shape.every((size, d) => size === operand.shape[d] && (size === 1 || tStrides[d] === oStrides[d]));
  if (identical || tEnd <= oBegin || oEnd <= tBegin) return;
  throw new RuntimeError(
    "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation.",
  );
}

/** Whether a result of dtype `from` may be written into a tensor of dtype `into` (no narrowing). */
function canCast(from: DType, into: DType): boolean {
  return promoteTypes(from, into) === into;
}

export function fill_<T extends Tensor>(t: T, value: number | boolean | Tensor): T {
  checkInplace(t);
  if (typeof value === "object") {
    if (value.ndim !== 0) {
      throw new RuntimeError(`fill_ only supports 0-dimension value tensor but got tensor with ${value.ndim} dimensions.`);
    }
    return copy_(t, value);
  }
  backendFor(t.device).fill(t, castScalar(value, t.dtype));
  t.markWritten();
  return t;
}

/** Copies `src` (broadcast to this shape, converted to this dtype) into `t`. */
export function copy_<T extends Tensor>(t: T, src: Tensor): T {
  checkInplace(t);
  checkNoInternalOverlap(t);
  checkNoPartialOverlap(t, src);
  const shape = broadcastShapes(t.shape, src.shape);
  if (shape.length !== t.ndim || shape.some((s, i) => s !== t.shape[i])) {
    throw new RuntimeError(`output with shape [${t.shape.join(", ")}] doesn't match the broadcast shape [${shape.join(", ")}]`);
  }
  let source = src;
  if (src.device !== t.device) {
    if (t.device === "cpu") {
      throw new RuntimeError("copy_ from a webgpu tensor into a CPU tensor cannot be synchronous: use `await src.cpu()` first");
    }
    source = src.to(t.device);
  }
  belowAutograd(() => backendFor(t.device).copy(broadcastTo(source, t.shape), t));
  t.markWritten();
  return t;
}

/** `t.add_(x)`, `t.mul_(x)`, ...: the binary op, written into `t`. */
export function binary_<T extends Tensor>(t: T, op: BinaryOp, other: Operand, alpha?: number): T {
  writeBinary(t, op, other, alpha);
  t.markWritten();
  return t;
}

/** The checks and the write of `binary_`, without counting the write (`clamp_` writes twice as one op). */
function writeBinary(t: Tensor, op: BinaryOp, other: Operand, alpha?: number): void {
  checkInplace(t);
  checkOperands(op, t, other);
  const [, b] = toTensors(t, other);
  const shape = broadcastShapes(t.shape, b.shape);
  if (shape.length !== t.ndim || shape.some((s, i) => s !== t.shape[i])) {
    throw new RuntimeError(`output with shape [${t.shape.join(", ")}] doesn't match the broadcast shape [${shape.join(", ")}]`);
  }
  const resultType = op === "div" ? "float32" : promoteTypes(t.dtype, b.dtype);
  if (!canCast(resultType, t.dtype)) {
    throw new RuntimeError(
      `result type ${scalarTypeName(resultType)} can't be cast to the desired output type ${scalarTypeName(t.dtype)}`,
    );
  }
  checkNoInternalOverlap(t);
  checkNoPartialOverlap(t, b);
  const backend = backendFor(t.device);
  const scaled = alpha !== undefined && alpha !== 1;
  const fused = scaled && (op === "add" || op === "sub") && t.dtype === "float32" && b.dtype === "float32";
  belowAutograd(() => {
    if (fused && backend.addScaled) {
      // t ± alpha·b in one pass, without a temporary (t − alpha·b is exactly t + (−alpha)·b)
      backend.addScaled(t, broadcastTo(b, t.shape), op === "add" ? alpha : -alpha, t);
      return;
    }
    const operand = scaled ? binaryKernel("mul", b, scalarTensor(alpha, b.dtype, b.device)) : b;
    backend.binary(op, t, broadcastTo(operand, t.shape), t);
  });
}

/** Limits every element to [min, max] in place; both bounds are checked before anything is written. */
export function clamp_<T extends Tensor>(t: T, options: { min?: number; max?: number }): T {
  const { min, max } = options;
  if (min === undefined && max === undefined) {
    throw new RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  }
  for (const bound of [min, max]) {
    if (bound !== undefined && !canCast(promoteWithScalar(t.dtype, bound), t.dtype)) {
      throw new RuntimeError(
        `result type ${scalarTypeName(promoteWithScalar(t.dtype, bound))} can't be cast to the desired output type ${cTypeName(t.dtype)}`,
      );
    }
  }
  if (min !== undefined) writeBinary(t, "maximum", min);
  if (max !== undefined) writeBinary(t, "minimum", max);
  t.markWritten();
  return t;
}

/** The random fills are float-only; PyTorch's message names the kernel that refused. */
function checkFloatFill(t: Tensor, kernel: string): void {
  if (t.dtype !== "float32") throw new RuntimeError(`"${kernel}" not implemented for '${scalarTypeName(t.dtype)}'`);
}

/** Fills `t` with samples of N(mean, std²) from the global generator, as PyTorch's `normal_`. */
export function normal_<T extends Tensor>(t: T, mean = 0, std = 1): T {
  checkInplace(t);
  if (std < 0) throw new RuntimeError(`normal expects std >= 0.0, but found std ${std}`);
  checkFloatFill(t, "normal_kernel_cpu");
  checkNoInternalOverlap(t);
  fillNormal(t, mean, std);
  t.markWritten();
  return t;
}

/** Fills `t` with samples of U(from, to) from the global generator, as PyTorch's `uniform_`. */
export function uniform_<T extends Tensor>(t: T, from = 0, to = 1): T {
  checkInplace(t);
  checkFloatFill(t, "check_uniform_bounds");
  if (from > to) {
    throw new RuntimeError(`uniform_ expects to return a [from, to) range, but found from=${from} > to=${to}`);
  }
  checkNoInternalOverlap(t);
  fillUniform(t, from, to);
  t.markWritten();
  return t;
}
