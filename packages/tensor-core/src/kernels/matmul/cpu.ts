/**
 * Matrix product on the CPU: out[b] = a[b] @ b[b] for every batch b.
 *
 * The reference loop, in i-k-j order so the innermost loop walks a row of B and a row of the
 * output contiguously.
 */
import type { Tensor } from "../../tensor.ts";
import { dataOf } from "../elementwise/cpu.ts";

export function matmul(a: Tensor, b: Tensor, out: Tensor): void {
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
        const aik = ad[aBase + kk * sak];
        if (aik === 0) continue;
        const bBase = b.storageOffset() + p * sbb + kk * sbk;
        for (let j = 0; j < n; j++) row[j] += aik * bd[bBase + j * sbn];
      }
      o.set(row, (p * m + i) * n);
    }
  }
}
