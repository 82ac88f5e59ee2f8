/**
 * Packing: copying the operands of a matrix product into the order the micro-kernel reads.
 *
 * Every operand is described as a gather: element (i, j) is `data[offset + rows[i] + cols[j]]`.
 * That one form covers a plain matrix (rows[i] = i * rowStride, cols[j] = j * colStride), its
 * transpose (swap the two tables: so `a.t()` costs nothing), a batch folded into the columns, and
 * the patches of a convolution (im2col: the offset of input pixel (c, y + ky, x + kx) splits into a
 * part from the kernel tap and a part from the output pixel). Packing reads through the tables once
 * and writes unit-stride panels, so the strided reads happen O(M·K + K·N) times rather than
 * O(M·N·K) times, and the copy into WebAssembly memory is the packing itself.
 *
 * Packed layouts (K cut into blocks of KC; within a block of depth kc starting at k0):
 * - A (m x k), panels of MR rows: element (i, kk) at k0·mp + ⌊i/MR⌋·MR·kc + (kk−k0)·MR + i mod MR
 * - B (k x n), panels of NR columns: element (kk, j) at k0·np + ⌊j/NR⌋·NR·kc + (kk−k0)·NR + j mod NR
 * with mp, np the sizes rounded up to MR and NR; the padding is zeros.
 */
import { KC, MR, NR } from "./gemm-module.ts";

/** A matrix read in place: element (i, j) is `data[offset + rows[i] + cols[j]]`. */
export interface Gather {
  readonly data: Float32Array;
  readonly offset: number;
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  /**
   * Set when the tables are strides, so that the WebAssembly packers (`pack-simd.ts`) may read the
   * operand: rows[i] = i·rowStride, cols[0] = 0, and consecutive columns colStride apart except at
   * a few breaks (a batch folded into the columns: each image's pixels form one run).
   */
  readonly strides?: readonly [rowStride: number, colStride: number];
}

/** A gather over a strided matrix: element (i, j) at offset + i·rowStride + j·colStride. */
export function stridedMatrix(data: Float32Array, offset: number, rows: number, cols: number, rowStride: number, colStride: number): Gather {
  return { data, offset, rows: strided(rows, rowStride), cols: strided(cols, colStride), strides: [rowStride, colStride] };
}

/** The offsets 0, stride, 2·stride, ... of `count` rows or columns. */
export function strided(count: number, stride: number): Int32Array {
  const offsets = new Int32Array(count);
  for (let i = 0; i < count; i++) offsets[i] = i * stride;
  return offsets;
}

/** Rounds `n` up to a multiple of `to`. */
export function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/** Packs A (rows.length x cols.length) into `dst` at float index `at`, from row `firstRow` (a multiple of MR) on. */
export function packA(a: Gather, dst: Float32Array, at: number, firstRow = 0): void {
  const { data, offset, rows, cols } = a;
  const m = rows.length;
  const k = cols.length;
  const mp = roundUp(m, MR);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    for (let i = firstRow; i < mp; i += MR) {
      let d = at + k0 * mp + i * kc;
      if (i + MR <= m) {
        const r0 = offset + rows[i], r1 = offset + rows[i + 1], r2 = offset + rows[i + 2], r3 = offset + rows[i + 3];
        for (let kk = k0; kk < k0 + kc; kk++, d += MR) {
          const c = cols[kk];
          dst[d] = data[r0 + c];
          dst[d + 1] = data[r1 + c];
          dst[d + 2] = data[r2 + c];
          dst[d + 3] = data[r3 + c];
        }
      } else {
        // the last, partial panel: rows past m are zeros
        for (let kk = k0; kk < k0 + kc; kk++) {
          for (let r = 0; r < MR; r++, d++) dst[d] = i + r < m ? data[offset + rows[i + r] + cols[kk]] : 0;
        }
      }
    }
  }
}

/**
 * Packs B (rows.length x cols.length) into `dst` at float index `at`: the panels of columns
 * [firstCol, endCol) (multiples of NR), all of them by default.
 */
export function packB(b: Gather, dst: Float32Array, at: number, firstCol = 0, endCol = roundUp(b.cols.length, NR)): void {
  const { data, offset, rows, cols } = b;
  const k = rows.length;
  const n = cols.length;
  const np = roundUp(n, NR);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    for (let j = firstCol; j < endCol; j += NR) {
      let d = at + k0 * np + j * kc;
      if (j + NR <= n) {
        // a full panel, eight columns at a time (unrolled: this loop packs every convolution's patches)
        for (let g = 0; g < NR; g += 8) {
          const c0 = cols[j + g], c1 = cols[j + g + 1], c2 = cols[j + g + 2], c3 = cols[j + g + 3];
          const c4 = cols[j + g + 4], c5 = cols[j + g + 5], c6 = cols[j + g + 6], c7 = cols[j + g + 7];
          for (let kk = k0, e = d + g; kk < k0 + kc; kk++, e += NR) {
            const r = offset + rows[kk];
            dst[e] = data[r + c0];
            dst[e + 1] = data[r + c1];
            dst[e + 2] = data[r + c2];
            dst[e + 3] = data[r + c3];
            dst[e + 4] = data[r + c4];
            dst[e + 5] = data[r + c5];
            dst[e + 6] = data[r + c6];
            dst[e + 7] = data[r + c7];
          }
        }
      } else {
        // the last, partial panel: columns past n are zeros
        for (let kk = k0; kk < k0 + kc; kk++) {
          const r = offset + rows[kk];
          for (let c = 0; c < NR; c++, d++) dst[d] = j + c < n ? data[r + cols[j + c]] : 0;
        }
      }
    }
  }
}
