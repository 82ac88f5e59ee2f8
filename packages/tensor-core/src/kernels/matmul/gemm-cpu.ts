/**
 * GEMM on the CPU: C = A · B (or C += A · B) for float32 matrices, fast enough to train on.
 *
 * The plain triple loop is slow for two reasons, and the classic answer to both is the one of
 * GotoBLAS and BLIS:
 *
 * 1. Memory. For large matrices every pass over B streams it from main memory. So the product is
 *    cut into blocks that fit in the caches: a KC×NC block of B is copied ("packed") once into a
 *    scratch buffer and then reused by every row of A; an MC×KC block of A is packed likewise.
 *    Packing lays each block out in exactly the order the inner loop reads it (thin panels,
 *    MR rows of A or NR columns of B at a time), so the inner loop reads both operands
 *    sequentially. Packing is also where strides are absorbed: a transposed or broadcast operand
 *    is simply read with its own strides while packing, so it costs no extra copy.
 * 2. Registers. The micro-kernel keeps a 4×4 tile of C in 16 local variables and, for each step
 *    along K, loads 4 values of A and 4 of B and does 16 multiply-adds: 32 flops for 8 loads,
 *    where the naive loop does 2 flops per load and store.
 *
 * Panels are packed into Float64Arrays: JavaScript arithmetic is in doubles anyway, and loading a
 * double avoids a float32→float64 conversion per load in the innermost loop. Sums are therefore
 * accumulated in doubles and rounded to float32 when a tile is stored; with K > KC the partial sums
 * of successive K-blocks meet in C, as in any float32 BLAS.
 *
 * Matrix-vector products (a single row of C or a single column) skip all of this: packing would
 * pad them to a 4-wide tile and compute four times what is needed, so a direct strided loop of dot
 * products is faster there.
 */

/** A matrix read through strides: element (i, j) is `data[offset + i * rowStride + j * colStride]`. */
export interface StridedMatrix {
  readonly data: Float32Array | Float64Array;
  readonly offset: number;
  readonly rowStride: number;
  readonly colStride: number;
}

/** The same elements read as the transpose: rows become columns. */
export function transposed(m: StridedMatrix): StridedMatrix {
  return { data: m.data, offset: m.offset, rowStride: m.colStride, colStride: m.rowStride };
}

/** Rows and columns of the register tile of C (the micro-kernel below is written out for 4×4). */
const MR = 4;
const NR = 4;
/** Block sizes: a KC×NR panel of B (8 KiB of doubles) stays in L1, an MC×KC block of A in L2. */
const KC = 256;
const MC = 64;
const NC = 512;

// Scratch buffers, allocated on first use and reused: a training step runs many small products,
// and fresh buffers for each would keep the garbage collector busy.
let packedA: Float64Array | null = null;
let packedB: Float64Array | null = null;
const tile = new Float64Array(MR * NR);

/**
 * C = A · B for A m×k and B k×n, or C += A · B when `accumulate` is true. A and B may have any
 * strides (transposed views, stride-0 broadcasts); C must not overlap them.
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: StridedMatrix,
  b: StridedMatrix,
  c: StridedMatrix,
  accumulate = false,
): void {
  if (m === 0 || n === 0) return;
  if (m === 1 || n === 1 || k === 0) {
    gemmDirect(m, n, k, a, b, c, accumulate);
    return;
  }
  packedA ??= new Float64Array(MC * KC);
  packedB ??= new Float64Array(KC * NC);
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      packB(b, p0, kc, j0, nc, packedB);
      // the first K-block sets C (unless asked to accumulate); the later ones add to it
      const add = accumulate || p0 > 0;
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = Math.min(MC, m - i0);
        packA(a, i0, mc, p0, kc, packedA);
        macroKernel(mc, nc, kc, packedA, packedB, c, i0, j0, add);
      }
    }
  }
}

/**
 * Copies A[i0 : i0+mc, p0 : p0+kc] into `out` as panels of MR rows: panel r holds, for each p in
 * turn, the MR values of column p. Rows past the edge of A are zeros, so the micro-kernel never
 * needs to know about edges.
 */
function packA(a: StridedMatrix, i0: number, mc: number, p0: number, kc: number, out: Float64Array): void {
  const { data, rowStride, colStride } = a;
  for (let ip = 0; ip < mc; ip += MR) {
    const rows = Math.min(MR, mc - ip);
    const first = a.offset + (i0 + ip) * rowStride + p0 * colStride;
    let o = ip * kc;
    if (rows === MR) {
      // the common case, a full panel, written out for the four rows
      const s1 = rowStride, s2 = 2 * rowStride, s3 = 3 * rowStride;
      for (let p = 0, q = first; p < kc; p++, q += colStride, o += MR) {
        out[o] = data[q]; out[o + 1] = data[q + s1]; out[o + 2] = data[q + s2]; out[o + 3] = data[q + s3];
      }
      continue;
    }
    for (let p = 0, q = first; p < kc; p++, q += colStride, o += MR) {
      for (let r = 0; r < MR; r++) out[o + r] = r < rows ? data[q + r * rowStride] : 0;
    }
  }
}

/**
 * Copies B[p0 : p0+kc, j0 : j0+nc] into `out` as panels of NR columns: panel j holds, for each p
 * in turn, the NR values of row p. Columns past the edge of B are zeros.
 */
function packB(b: StridedMatrix, p0: number, kc: number, j0: number, nc: number, out: Float64Array): void {
  const { data, rowStride, colStride } = b;
  for (let jp = 0; jp < nc; jp += NR) {
    const cols = Math.min(NR, nc - jp);
    const first = b.offset + p0 * rowStride + (j0 + jp) * colStride;
    let o = jp * kc;
    if (cols === NR) {
      const s1 = colStride, s2 = 2 * colStride, s3 = 3 * colStride;
      for (let p = 0, q = first; p < kc; p++, q += rowStride, o += NR) {
        out[o] = data[q]; out[o + 1] = data[q + s1]; out[o + 2] = data[q + s2]; out[o + 3] = data[q + s3];
      }
      continue;
    }
    for (let p = 0, q = first; p < kc; p++, q += rowStride, o += NR) {
      for (let j = 0; j < NR; j++) out[o + j] = j < cols ? data[q + j * colStride] : 0;
    }
  }
}

/** Runs the micro-kernel over every MR×NR tile of an mc×nc block of C and stores the tiles. */
function macroKernel(
  mc: number,
  nc: number,
  kc: number,
  pa: Float64Array,
  pb: Float64Array,
  c: StridedMatrix,
  i0: number,
  j0: number,
  add: boolean,
): void {
  // Column panels outside, row panels inside: one KC×NR panel of B stays hot in L1 while the
  // panels of A stream past it from L2.
  for (let jp = 0; jp < nc; jp += NR) {
    const cols = Math.min(NR, nc - jp);
    for (let ip = 0; ip < mc; ip += MR) {
      microKernel4x4(kc, pa, ip * kc, pb, jp * kc, tile);
      storeTile(c, i0 + ip, j0 + jp, Math.min(MR, mc - ip), cols, add);
    }
  }
}

/**
 * The register tile: out[r·4 + j] = Σ_p A[r, p] · B[p, j] over one packed A panel (from `ia`) and
 * one packed B panel (from `ib`). Sixteen accumulators in locals let V8 keep most of them in
 * registers; the arrays are touched only to load operands and, once, to hand the tile back.
 */
function microKernel4x4(kc: number, pa: Float64Array, ia: number, pb: Float64Array, ib: number, out: Float64Array): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++, ia += MR, ib += NR) {
    const a0 = pa[ia], a1 = pa[ia + 1], a2 = pa[ia + 2], a3 = pa[ia + 3];
    const b0 = pb[ib], b1 = pb[ib + 1], b2 = pb[ib + 2], b3 = pb[ib + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  out[0] = c00; out[1] = c01; out[2] = c02; out[3] = c03;
  out[4] = c10; out[5] = c11; out[6] = c12; out[7] = c13;
  out[8] = c20; out[9] = c21; out[10] = c22; out[11] = c23;
  out[12] = c30; out[13] = c31; out[14] = c32; out[15] = c33;
}

/** Writes (or adds) the valid rows × cols corner of `tile` into C at (row0, col0). */
function storeTile(c: StridedMatrix, row0: number, col0: number, rows: number, cols: number, add: boolean): void {
  const { data, rowStride, colStride } = c;
  for (let r = 0; r < rows; r++) {
    let q = c.offset + (row0 + r) * rowStride + col0 * colStride;
    if (add) {
      for (let j = 0; j < cols; j++, q += colStride) data[q] += tile[r * NR + j];
    } else {
      for (let j = 0; j < cols; j++, q += colStride) data[q] = tile[r * NR + j];
    }
  }
}

/** The unblocked product: one strided dot product per element of C (zeros when k = 0). */
function gemmDirect(
  m: number,
  n: number,
  k: number,
  a: StridedMatrix,
  b: StridedMatrix,
  c: StridedMatrix,
  accumulate: boolean,
): void {
  const ad = a.data, bd = b.data, cd = c.data;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let qa = a.offset + i * a.rowStride;
      let qb = b.offset + j * b.colStride;
      for (let p = 0; p < k; p++, qa += a.colStride, qb += b.rowStride) sum += ad[qa] * bd[qb];
      const q = c.offset + i * c.rowStride + j * c.colStride;
      cd[q] = accumulate ? cd[q] + sum : sum;
    }
  }
}
