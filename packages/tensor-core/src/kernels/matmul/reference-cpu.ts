/**
 * Matrix product on the CPU as plain loops: out[b] = a[b] @ b[b] for every batch b.
 *
 * This is the reference the blocked kernel (`gemm-cpu.ts`) is tested against, and the path for
 * dtypes other than float32 (int64 values live in a Float64Array, and summing them in doubles is
 * exact up to 2^53). The loops run in i-k-j order, so the innermost loop walks a row of B and a row
 * of the output; each output row is summed in doubles and rounded once when it is stored.
 */
import type { Tensor } from "../../tensor.ts";
import { dataOf } from "../elementwise/cpu.ts";

/** a [B, M, K] @ b [B, K, N] → out [B, M, N]; `a` and `b` may be strided, `out` is contiguous. */
export function matmulReference(a: Tensor, b: Tensor, out: Tensor): void {
  const [batch, m, k] = a.shape;
  const n = b.shape[2];
  const [sab, sam, sak] = a.stride();
  const [sbb, sbk, sbn] = b.stride();
  const ad = dataOf(a);
  const bd = dataOf(b);
  const o = dataOf(out);
  const row = new Float64Array(n);
  for (let p = 0; p < batch; p++) {
    for (let i = 0; i < m; i++) {
      row.fill(0);
      const aBase = a.storageOffset() + p * sab + i * sam;
      for (let kk = 0; kk < k; kk++) {
        const aik = ad[aBase + kk * sak]; // no shortcut for aik = 0: 0 · ∞ must still give NaN
        const bBase = b.storageOffset() + p * sbb + kk * sbk;
        for (let j = 0; j < n; j++) row[j] += aik * bd[bBase + j * sbn];
      }
      o.set(row, out.storageOffset() + (p * m + i) * n);
    }
  }
}
