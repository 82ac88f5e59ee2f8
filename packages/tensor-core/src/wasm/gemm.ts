/**
 * One matrix product C = A · B on the WebAssembly kernels: pack both operands into the workspace
 * (or find an operand's packing kept from an earlier call, see `pack-cache.ts`), run the blocked
 * SIMD kernel (split over threads when the product is large enough), then write C out to its
 * destination.
 *
 * Operands and destination are gathers (see `pack.ts`), so the same function serves `mm` on
 * transposed views, each entry of a batch, and the three products of a convolution.
 */
import { MR, NR } from "./gemm-module.ts";
import { packA, packB, roundUp, type Gather } from "./pack.ts";
import { packAWithSimd, packBWithSimd, stagingFloats } from "./pack-simd.ts";
import { getNumThreads } from "./settings.ts";
import { runJob } from "./threads.ts";
import type { Storage } from "../storage.ts";
import { markPacked, packCache, residentPackings, type PackRequest, type Resident } from "./pack-cache.ts";
import { MAX_WORKSPACE_BYTES, reserve, workspaceStart, type WasmKernels } from "./workspace.ts";

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
  /**
   * The storage A is read from (A must be a strided gather of its values): its packing may then be
   * kept between calls while the storage is unchanged (`pack-cache.ts`). Not with `reuseA`.
   */
  readonly sourceA?: Storage;
  /** The storage B is read from, likewise. */
  readonly sourceB?: Storage;
}

/** Counters a test can read to see which paths ran: products, and products that workers took part in. */
export const gemmStats = { calls: 0, threadedCalls: 0 };

/**
 * Where each part lives in the workspace, as float indices: packed A, packed B, C, then the
 * staging areas where strided operands are copied before the WebAssembly packers run. An operand
 * whose packing is kept (`resident`) has no room here: it lies among the kept packings.
 */
function layout(m: number, n: number, k: number, stageA = 0, stageB = 0, residentA = false, residentB = false) {
  const mp = roundUp(m, MR);
  const np = roundUp(n, NR);
  const a = workspaceStart();
  const b = a + (residentA ? 0 : mp * k);
  const c = b + (residentB ? 0 : k * np);
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
  const [stageA, stageB] = [stagingFloats(a), stagingFloats(b)];
  const [keptA, keptB] = keptPackings(kernels, a, b, options, layout(m, n, k, stageA, stageB));
  const at = layout(m, n, k, keptA && !keptA.fresh ? 0 : stageA, keptB && !keptB.fresh ? 0 : stageB, keptA !== null, keptB !== null);
  const memory = reserve(kernels, (at.end - at.a) * 4);
  // a kept packing lies where the cache put it; `entry.at` is read after every lookup of this call
  const ap = keptA ? keptA.entry.at : at.a;
  const bp = keptB ? keptB.entry.at : at.b;
  if (!options.reuseA && (!keptA || keptA.fresh)) {
    if (at.stagedB > at.stagedA) packAWithSimd(kernels.exports, a, memory, ap, at.stagedA);
    else packA(a, memory, ap);
    if (keptA) markPacked(keptA);
  }
  if (!options.reuseB && (!keptB || keptB.fresh)) {
    if (at.end > at.stagedB) packBWithSimd(kernels.exports, b, memory, bp, at.stagedB);
    else packB(b, memory, bp);
    if (keptB) markPacked(keptB);
  }
  if (k === 0) memory.fill(0, at.c, at.c + at.mp * at.np);
  else multiply(kernels, { ...at, a: ap, b: bp }, k, m * n * k);
  if (out.rowBias) {
    memory.set(out.rowBias.subarray(0, m), at.bias);
    kernels.exports.addRowBias(at.c * 4, at.np, m, at.bias * 4);
  }
  unpack(memory, at.c, at.np, out);
  gemmStats.calls++;
}

/**
 * The kept packings of A and B for this call, where their sources allow it (see `pack-cache.ts`).
 * A product so large that its scratch space and a full cache would not fit in memory together
 * keeps nothing, so that making room for it never has to drop a packing it uses.
 */
function keptPackings(kernels: WasmKernels, a: Gather, b: Gather, options: GemmOptions, plain: ReturnType<typeof layout>): (Resident | null)[] {
  if (!options.sourceA && !options.sourceB) return [null, null];
  if ((plain.end - plain.a) * 4 + packCache.maxBytes > MAX_WORKSPACE_BYTES) return [null, null];
  const request = (role: string, g: Gather, source: Storage | undefined, floats: number): PackRequest | null => {
    if (!source || !g.strides) return null;
    // equal layouts of equal values pack to equal panels
    const layoutKey = `${role} ${g.offset} ${g.strides[0]} ${g.strides[1]} ${g.rows.length} ${g.cols.length}`;
    return { storage: source, layout: layoutKey, floats };
  };
  const k = a.cols.length;
  return residentPackings(kernels, [
    options.reuseA ? null : request("A", a, options.sourceA, plain.mp * k),
    options.reuseB ? null : request("B", b, options.sourceB, k * plain.np),
  ]);
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

/** Runs at least this long are copied with `set`, which costs a subarray but copies several times faster. */
const LONG_RUN = 64;

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
      if (accumulate) for (let t = 0; t < length; t++) data[d + t] += memory[s + t];
      // a long run is one memory copy; a short one a plain loop, as a subarray per run is garbage
      else if (length >= LONG_RUN) data.set(memory.subarray(s, s + length), d);
      else for (let t = 0; t < length; t++) data[d + t] = memory[s + t];
    }
  }
}
