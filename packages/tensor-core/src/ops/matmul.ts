/**
 * Matrix products. Every form reaches one batched kernel, `backend.matmul(a [B,M,K], b [B,K,N])`,
 * through views, so transposed operands (as in the backward pass) are never copied:
 * - `mm` (2-D @ 2-D), `dot` (1-D @ 1-D), `mv` (2-D @ 1-D), `bmm` (3-D @ 3-D);
 * - `matmul`, which picks one of those by the operands' dimensions as `torch.matmul` does, and
 *   broadcasts batch dimensions;
 * - `addmm(bias, x, w)` = bias + x @ w, the op behind `nn.Linear` on 2-D input.
 */
import { backendFor } from "../backend.ts";
import { scalarTypeName, type DType } from "../dtype.ts";
import { RuntimeError } from "../errors.ts";
import { belowAutograd, recordOp } from "../grad-hooks.ts";
import { broadcastShapes } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { emptyTensor } from "./creation.ts";
import { contiguous, expand, reshape, squeeze, t, transpose, unsafeView, unsqueeze } from "./views.ts";

/** PyTorch has no bool kernels for products; its message names the kernel that refused. */
function refuseBool(dtype: DType, kernel: string): void {
  if (dtype === "bool") throw new RuntimeError(`"${kernel}" not implemented for 'Bool'`);
}

function checkSameDtype(a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) {
    throw new RuntimeError(`expected scalar type ${scalarTypeName(a.dtype)} but found ${scalarTypeName(b.dtype)}`);
  }
}

function checkSameDevice(a: Tensor, b: Tensor): void {
  if (a.device !== b.device) {
    throw new RuntimeError(
      `Expected all tensors to be on the same device, but found at least two devices, ${a.device} and ${b.device}!`,
    );
  }
}

/** The product of [B, M, K] and [B, K, N] views, as a new contiguous [B, M, N] tensor; no recording. */
export function matmulKernel(a: Tensor, b: Tensor): Tensor {
  const [batch, m] = a.shape;
  const n = b.shape[2];
  const out = emptyTensor([batch, m, n], a.dtype, a.device);
  backendFor(a.device).matmul(a, b, out);
  return out;
}

/** 2-D matrix product: [M, K] @ [K, N] → [M, N]. */
export function mm(a: Tensor, b: Tensor): Tensor {
  checkSameDevice(a, b);
  if (a.ndim !== 2) throw new RuntimeError("self must be a matrix");
  if (b.ndim !== 2) throw new RuntimeError("mat2 must be a matrix");
  if (a.shape[1] !== b.shape[0]) {
    throw new RuntimeError(
      `mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`,
    );
  }
  refuseBool(a.dtype, "addmm_impl_cpu_");
  checkSameDtype(a, b);
  const out = belowAutograd(() => reshape(matmulKernel(unsqueeze(a, 0), unsqueeze(b, 0)), [a.shape[0], b.shape[1]]));
  return recordOp("mm", [a, b], out);
}

/** Batched matrix product: [B, M, K] @ [B, K, N] → [B, M, N]. */
export function bmm(a: Tensor, b: Tensor): Tensor {
  checkSameDevice(a, b);
  if (a.ndim !== 3) throw new RuntimeError(`batch1 must be a 3D tensor`);
  if (b.ndim !== 3) throw new RuntimeError(`batch2 must be a 3D tensor`);
  if (b.shape[0] !== a.shape[0] || b.shape[1] !== a.shape[2]) {
    throw new RuntimeError(
      `Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`,
    );
  }
  refuseBool(a.dtype, "bmm");
  checkSameDtype(a, b);
  return recordOp("bmm", [a, b], belowAutograd(() => matmulKernel(a, b)));
}

/** Inner product of two vectors, a 0-d tensor. */
export function dot(a: Tensor, b: Tensor): Tensor {
  checkSameDevice(a, b);
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new RuntimeError(`1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  }
  if (a.dtype !== b.dtype) {
    throw new RuntimeError(
      `dot : expected both vectors to have same dtype, but found ${scalarTypeName(a.dtype)} and ${scalarTypeName(b.dtype)}`,
    );
  }
  refuseBool(a.dtype, "dot");
  if (a.shape[0] !== b.shape[0]) {
    throw new RuntimeError(
      `inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`,
    );
  }
  const out = belowAutograd(() => reshape(matmulKernel(reshape(a, [1, 1, -1]), reshape(b, [1, -1, 1])), []));
  return recordOp("dot", [a, b], out);
}

/** Matrix-vector product: [M, K] @ [K] → [M]. */
export function mv(a: Tensor, v: Tensor): Tensor {
  checkSameDevice(a, v);
  if (a.ndim !== 2 || v.ndim !== 1) {
    throw new RuntimeError(`vector + matrix @ vector expected, got 1, ${a.ndim}, ${v.ndim}`);
  }
  if (a.shape[1] !== v.shape[0]) {
    throw new RuntimeError(`size mismatch, got ${a.shape[0]}, ${a.shape[0]}x${a.shape[1]},${v.shape[0]}`);
  }
  refuseBool(a.dtype, "addmv_impl_cpu");
  checkSameDtype(a, v);
  const out = belowAutograd(() => reshape(matmulKernel(unsqueeze(a, 0), reshape(v, [1, -1, 1])), [a.shape[0]]));
  return recordOp("mv", [a, v], out);
}

/**
 * Drops the leading 1 of matmul's own [1, N] product. PyTorch squeezes that fresh product in
 * place (`squeeze_(0)`), so its node is `SqueezeBackward3`; torchlet records no in-place ops, so
 * this is the view, recorded under the in-place op's name. Nothing else holds the product, so
 * nobody can tell the two apart.
 */
function squeezeProduct(product: Tensor): Tensor {
  const out = belowAutograd(() => squeeze(product, 0));
  return recordOp("squeezeDim_", [product], out, { shape: product.shape });
}

/**
 * `torch.matmul`: the product the operands' dimensions call for, broadcasting batch dimensions.
 * The forms follow PyTorch 1.13's choices, so the graph has the same nodes as PyTorch's: a batch
 * against a matrix or vector is folded into one `mm`/`mv` on either side, other batches go
 * through one `bmm`.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RuntimeError(`both arguments to matmul need to be at least 1D, but they are ${a.ndim}D and ${b.ndim}D`);
  }
  if (a.ndim === 1 && b.ndim === 1) return dot(a, b);
  if (a.ndim === 2 && b.ndim === 1) return mv(a, b);
  if (a.ndim === 1 && b.ndim === 2) return squeezeProduct(mm(unsqueeze(a, 0), b));
  if (a.ndim === 2 && b.ndim === 2) return mm(a, b);
  if (a.ndim >= 3 && b.ndim <= 2) {
    // fold the batch into the rows: [..., M, K] @ [K, N] is one [(...M), K] @ [K, N] product
    const k = a.shape[a.ndim - 1];
    const rows = reshape(a, [-1, k]);
    if (b.ndim === 1) return unsafeView(mv(rows, b), a.shape.slice(0, -1));
    return unsafeView(mm(rows, b), [...a.shape.slice(0, -1), b.shape[1]]);
  }
  if (b.ndim >= 3 && a.ndim <= 2) {
    // the same fold from the other side, through transposes: a·b = (bᵀ·aᵀ)ᵀ, with bᵀ's batch in
    // its rows, [(...N), K]; bᵀ is rarely viewable that way, so reshape copies it first
    const k = b.shape[b.ndim - 2];
    const n = b.shape[b.ndim - 1];
    const batch = b.shape.slice(0, -2);
    const rows = reshape(transpose(b, -1, -2), [-1, k]);
    if (a.ndim === 1) return unsafeView(mv(rows, a), [...batch, n]);
    const product = unsafeView(mm(rows, t(a)), [...batch, n, a.shape[0]]);
    return contiguous(transpose(product, -1, -2));
  }
  // both batched: broadcast the batch dimensions and run one bmm
  const [m, k] = a.shape.slice(-2);
  const [k2, n] = b.shape.slice(-2);
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batchSize = batch.reduce((x, y) => x * y, 1);
  const lhs = reshape(expand(a, [...batch, m, k]), [batchSize, m, k]);
  const rhs = reshape(expand(b, [...batch, k2, n]), [batchSize, k2, n]);
  // inner sizes that differ are bmm's to report, as in PyTorch
  return unsafeView(bmm(lhs, rhs), [...batch, m, n]);
}

/**
 * bias + a @ b in one op, recorded as PyTorch's `addmm` (what `nn.Linear` runs on 2-D input). The
 * bias must broadcast to the product's shape, as `expand` would stretch it.
 */
export function addmm(bias: Tensor, a: Tensor, b: Tensor): Tensor {
  checkSameDevice(a, b);
  checkSameDevice(bias, a);
  if (a.ndim !== 2) throw new RuntimeError(`mat1 must be a matrix, got ${a.ndim}-D tensor`);
  if (b.ndim !== 2) throw new RuntimeError(`mat2 must be a matrix, got ${b.ndim}-D tensor`);
  if (a.dtype !== b.dtype) throw new RuntimeError("mat1 and mat2 must have the same dtype");
  if (bias.dtype !== b.dtype) throw new RuntimeError("self and mat2 must have the same dtype");
  const out = belowAutograd(() => {
    const product = mm(a, b);
    // the bias is added into the fresh product, in place: no second output to allocate
    backendFor(product.device).binary("add", product, expand(bias, product.shape), product);
    return product;
  });
  return recordOp("addmm", [bias, a, b], out);
}
