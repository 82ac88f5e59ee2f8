/**
 * One matrix product C = A · B on the WebAssembly kernels: pack both operands into the workspace,
 * run the blocked SIMD kernel (split over threads when the product is large enough), then write C
 * out to its destination.
 *
 * Operands and destination are gathers (see `pack.ts`), so the same function serves `mm` on
 * transposed views, each entry of a batch, and the three products of a convolution.
 */
import { MR, NR } from "./gemm-module.ts";
import { packA, packB, roundUp, type Gather } from "./pack.ts";
import { packAWithSimd, packBWithSimd, stagingFloats } from "./pack-simd.ts";
import { getNumThreads } from "./settings.ts";
import { runJob } from "./threads.ts";
import { CONTROL_BYTES, reserve, type WasmKernels } from "./workspace.ts";

/** Where C goes: element (i, j) lands at `data[offset + rows[i] + cols[j]]`. */
export interface Scatter extends Gather {
  /** A value added to every element of row i (a convolution's bias), if any. */
  readonly rowBias?: Float32Array;
  /** Adds into the destination instead of overwriting it (col2im sums overlapping patches). */
  readonly accumulate?: boolean;
}

export interface GemmOptions {
  /** A is the same as in the previous call (same values, same shape): keep its packing. */
  readonly reuseA?: boolean;
  /** B is the same as in the previous call: keep its packing. */
  readonly reuseB?: boolean;
}

/** Counters a test can read to see which paths ran: products, and products that workers took part in. */
export const gemmStats = { calls: 0, threadedCalls: 0 };

/**
 * Where each part lives in the workspace, as float indices: packed A, packed B, C, then the
 * staging areas where strided operands are copied before the WebAssembly packers run.
 */
function layout(m: number, n: number, k: number, stageA = 0, stageB = 0) {
  const mp = roundUp(m, MR);
  const np = roundUp(n, NR);
  const a = CONTROL_BYTES / 4;
  const b = a + mp * k;
  const c = b + k * np;
  const bias = c + mp * np;
  const stagedA = bias + roundUp(m, 4);
  const stagedB = stagedA + stageA;
  return { mp, np, a, b, c, bias, stagedA, stagedB, end: stagedB + stageB };
}

/** Bytes of workspace a product of these sizes needs with operands of ordinary strides (for the caller's fit check). */
export function gemmWorkspaceBytes(m: number, n: number, k: number): number {
  const { a, end } = layout(m, n, k, 2 * m * k + 64, 2 * k * n + 64);
  return (end - a) * 4;
}

/** C = A · B with A [m x k] and B [k x n], written into `out`. */
export function gemm(kernels: WasmKernels, a: Gather, b: Gather, out: Scatter, options: GemmOptions = {}): void {
  const m = a.rows.length;
  const k = a.cols.length;
  const n = b.cols.length;
  if (b.rows.length !== k || out.rows.length !== m || out.cols.length !== n) {
    throw new Error(`gemm: shapes do not fit: A ${m}x${k}, B ${b.rows.length}x${n}, C ${out.rows.length}x${out.cols.length}`);
  }
  if (m === 0 || n === 0) return;
  const at = layout(m, n, k, stagingFloats(a), stagingFloats(b));
  const memory = reserve(kernels, (at.end - at.a) * 4);
  if (!options.reuseA) {
    if (at.stagedB > at.stagedA) packAWithSimd(kernels.exports, a, memory, at.a, at.stagedA);
    else packA(a, memory, at.a);
  }
  if (!options.reuseB) {
    if (at.end > at.stagedB) packBWithSimd(kernels.exports, b, memory, at.b, at.stagedB);
    else packB(b, memory, at.b);
  }
  if (k === 0) memory.fill(0, at.c, at.c + at.mp * at.np);
  else multiply(kernels, at, k, m * n * k);
  if (out.rowBias) {
    memory.set(out.rowBias.subarray(0, m), at.bias);
    kernels.exports.addRowBias(at.c * 4, at.np, m, at.bias * 4);
  }
  unpack(memory, at.c, at.np, out);
  gemmStats.calls++;
}

/**
 * Runs the kernel over all panels of C: on this thread alone for small products, else shared
 * with the workers in chunks along whichever dimension of C has more panels.
 */
function multiply(kernels: WasmKernels, at: ReturnType<typeof layout>, k: number, work: number): void {
  const rowPanels = at.mp / MR;
  const colPanels = at.np / NR;
  const byRows = rowPanels >= colPanels;
  // the kernel's arguments: ap, bp, cp, mp, np, k, then the row panels [p0, p1) and column panels
  // [q0, q1) to compute; the split dimension's pair is filled in per chunk
  const args = [at.a * 4, at.b * 4, at.c * 4, at.mp, at.np, k, 0, rowPanels, 0, colPanels];
  const job = { range: byRows ? rowPanels : colPanels, calls: [{ kernel: "gemm" as const, args, rangeAt: byRows ? 6 : 8 }] };
  if (runJob(kernels, job, work, getNumThreads())) gemmStats.threadedCalls++;
}

/**
 * Runs of consecutive destinations among the columns (a matrix row, an image's pixels, a row of a
 * patch): [first column, length] pairs, so that C is written out a run at a time.
 */
function columnRuns(cols: Int32Array): number[] {
  const runs: number[] = [];
  for (let j = 0; j < cols.length; ) {
    let end = j + 1;
    while (end < cols.length && cols[end] === cols[end - 1] + 1) end++;
    runs.push(j, end - j);
    j = end;
  }
  return runs;
}

/** Copies (or adds) the padded C (row length np, at float index `at`) to its destination. */
function unpack(memory: Float32Array, at: number, np: number, out: Scatter): void {
  const { data, offset, rows, cols, accumulate } = out;
  const runs = columnRuns(cols);
  for (let i = 0; i < rows.length; i++) {
    const src = at + i * np;
    const dst = offset + rows[i];
    for (let r = 0; r < runs.length; r += 2) {
      const j = runs[r];
      const length = runs[r + 1];
      const s = src + j;
      const d = dst + cols[j];
      // a plain loop, not set(subarray()): runs are short, and a subarray per run is garbage
      if (!accumulate) for (let t = 0; t < length; t++) data[d + t] = memory[s + t];
      else for (let t = 0; t < length; t++) data[d + t] += memory[s + t];
    }
  }
}
