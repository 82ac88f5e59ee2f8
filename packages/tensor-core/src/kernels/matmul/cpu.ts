/**
 * The CPU backend's matrix product: out[b] = a[b] @ b[b] for every batch b.
 *
 * float32 products go through the blocked GEMM (`gemm-cpu.ts`), one call per batch entry, each
 * operand described by its strides, so transposed and broadcast views are read in place. int64
 * products take the reference loops, which sum in doubles and so stay exact up to 2^53.
 */
import type { Tensor } from "../../tensor.ts";
import { dataOf } from "../elementwise/cpu.ts";
import { gemm, type StridedMatrix } from "./gemm-cpu.ts";
import { matmulReference } from "./reference-cpu.ts";

/** a [B, M, K] @ b [B, K, N] → out [B, M, N]; `a` and `b` may be strided, `out` is contiguous. */
export function matmul(a: Tensor, b: Tensor, out: Tensor): void {
  if (out.dtype !== "float32") {
    matmulReference(a, b, out);
    return;
  }
  const [batch, m, k] = a.shape;
  const n = b.shape[2];
  const [sab, sam, sak] = a.stride();
  const [sbb, sbk, sbn] = b.stride();
  const ad = dataOf(a) as Float32Array;
  const bd = dataOf(b) as Float32Array;
  const od = dataOf(out) as Float32Array;
  if (batch > 1 && sbb === 0 && sab === m * sam) {
    // One B for every batch entry (broadcast, stride 0) and A's batches stacked row after row:
    // that is a single (batch·m)×k product, which packs B once instead of once per entry.
    const lhs: StridedMatrix = { data: ad, offset: a.storageOffset(), rowStride: sam, colStride: sak };
    const rhs: StridedMatrix = { data: bd, offset: b.storageOffset(), rowStride: sbk, colStride: sbn };
    gemm(batch * m, n, k, lhs, rhs, { data: od, offset: out.storageOffset(), rowStride: n, colStride: 1 });
    return;
  }
  for (let p = 0; p < batch; p++) {
    const lhs: StridedMatrix = { data: ad, offset: a.storageOffset() + p * sab, rowStride: sam, colStride: sak };
    const rhs: StridedMatrix = { data: bd, offset: b.storageOffset() + p * sbb, rowStride: sbk, colStride: sbn };
    const dst: StridedMatrix = { data: od, offset: out.storageOffset() + p * m * n, rowStride: n, colStride: 1 };
    gemm(m, n, k, lhs, rhs, dst);
  }
}
