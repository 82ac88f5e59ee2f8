/**
 * `Backend.matmul` on the WebAssembly GEMM: a [B, M, K] @ b [B, K, N] → out [B, M, N], float32.
 *
 * Each operand is read through its own strides, so transposed views (the backward pass's
 * `grad @ w.t()`) and expanded batches (stride 0) cost no copy. An operand whose batch stride is 0
 * is the same matrix for every batch entry, so it is packed once. A single product names the
 * storages of its operands, so that a weight multiplied again unchanged is not packed again.
 */
import type { Tensor } from "../tensor.ts";
import { gemm, gemmWorkspaceBytes } from "./gemm.ts";
import { stridedMatrix } from "./pack.ts";
import { floats } from "./tensor-data.ts";
import { MAX_WORKSPACE_BYTES, type WasmKernels } from "./workspace.ts";

/** Runs the product and returns true, or returns false (doing nothing) if it does not fit. */
export function matmulWasm(kernels: WasmKernels, a: Tensor, b: Tensor, out: Tensor): boolean {
  const [batch, m, k] = a.shape;
  const n = b.shape[2];
  if (gemmWorkspaceBytes(m, n, k) > MAX_WORKSPACE_BYTES) return false;
  const [sab, sam, sak] = a.stride();
  const [sbb, sbk, sbn] = b.stride();
  const [sob, som, son] = out.stride();
  const lhs = stridedMatrix(floats(a), 0, m, k, sam, sak);
  const rhs = stridedMatrix(floats(b), 0, k, n, sbk, sbn);
  const dst = stridedMatrix(floats(out), 0, m, n, som, son);
  // a single product may keep its operands' packings between calls; a batch reuses within itself
  const sources = batch === 1 ? { sourceA: a.storage, sourceB: b.storage } : {};
  for (let p = 0; p < batch; p++) {
    gemm(
      kernels,
      { ...lhs, offset: a.storageOffset() + p * sab },
      { ...rhs, offset: b.storageOffset() + p * sbb },
      { ...dst, offset: out.storageOffset() + p * sob },
      { reuseA: p > 0 && sab === 0, reuseB: p > 0 && sbb === 0, ...sources },
    );
  }
  return true;
}
