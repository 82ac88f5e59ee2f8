/**
 * Packing strided operands with the WebAssembly packers (`pack-module.ts`): the operand's values
 * are copied into WebAssembly memory as they lie (one `Float32Array.set` over the span its view
 * covers), then rearranged into panels there with vector loads and stores. Where the columns come
 * in runs (a batch folded into them), each run is packed on its own; the panels the packers cannot
 * take (the last, partial panel; a panel of B that straddles two runs) are packed in JavaScript.
 *
 * Operands without strides (a convolution's patches, broadcasts along both axes, thin slices of
 * a large storage) are packed by `pack.ts` directly.
 */
import { KC, MR, NR, type GemmExports } from "./gemm-module.ts";
import { packA, packB, roundUp, type Gather } from "./pack.ts";

/** One past the largest storage offset the operand reads, relative to its `offset`. */
function span(g: Gather): number {
  let rows = 0;
  let cols = 0;
  for (const r of g.rows) rows = Math.max(rows, r);
  for (const c of g.cols) cols = Math.max(cols, c);
  return rows + cols + 1;
}

/**
 * Floats of staging room the operand needs to be packed by WebAssembly, or 0 when it is packed
 * in JavaScript: it must have strides with a unit one, and its span not be much larger than itself.
 */
export function stagingFloats(g: Gather): number {
  if (!g.strides || g.rows.length === 0 || g.cols.length === 0) return 0;
  const [rowStride, colStride] = g.strides;
  if (rowStride !== 1 && colStride !== 1) return 0;
  const s = span(g);
  return s <= 2 * g.rows.length * g.cols.length + 64 ? roundUp(s, 4) : 0;
}

/** Runs of columns colStride apart, as [first, end) pairs. */
function columnRuns(g: Gather): number[] {
  const colStride = g.strides![1];
  const runs: number[] = [];
  for (let j = 0; j < g.cols.length; ) {
    let end = j + 1;
    while (end < g.cols.length && g.cols[end] === g.cols[end - 1] + colStride) end++;
    runs.push(j, end);
    j = end;
  }
  return runs;
}

function stage(g: Gather, memory: Float32Array, at: number): void {
  memory.set(g.data.subarray(g.offset, g.offset + span(g)), at);
}

/** Packs A as `packA` would, staging it at float index `staged`. */
export function packAWithSimd(ex: GemmExports, a: Gather, memory: Float32Array, at: number, staged: number): void {
  const [rs, cs] = a.strides!;
  const m = a.rows.length;
  const k = a.cols.length;
  const mp = roundUp(m, MR);
  stage(a, memory, staged);
  const panels = Math.floor(m / MR);
  const runs = columnRuns(a);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    // the steps of this K block, one run of columns at a time
    for (let r = 0; r < runs.length; r += 2) {
      const from = Math.max(runs[r], k0);
      const to = Math.min(runs[r + 1], k0 + kc);
      if (from >= to) continue;
      const src = (staged + a.cols[from]) * 4;
      const dst = (at + k0 * mp + (from - k0) * MR) * 4;
      if (cs === 1) ex.packTranspose4(src, rs * 4, MR * rs * 4, panels, to - from, dst, MR * kc * 4); // rows run along k
      else ex.packCopy4(src, cs * 4, MR * 4, panels, to - from, dst, MR * kc * 4); // a step's 4 rows are adjacent
    }
  }
  if (panels * MR < m) packA(a, memory, at, panels * MR);
}

/** Packs B as `packB` would, staging it at float index `staged`. */
export function packBWithSimd(ex: GemmExports, b: Gather, memory: Float32Array, at: number, staged: number): void {
  const [rs, cs] = b.strides!;
  const k = b.rows.length;
  const np = roundUp(b.cols.length, NR);
  stage(b, memory, staged);
  const runs = columnRuns(b);
  let packed = 0; // panels [0, packed) are done
  for (let r = 0; r < runs.length; r += 2) {
    // the panels lying wholly inside this run
    const first = Math.ceil(runs[r] / NR);
    const end = Math.floor(runs[r + 1] / NR);
    if (first > packed) packB(b, memory, at, packed * NR, first * NR);
    if (end <= first) continue;
    for (let k0 = 0; k0 < k; k0 += KC) {
      const kc = Math.min(KC, k - k0);
      const src = (staged + k0 * rs + b.cols[first * NR]) * 4;
      const dst = (at + k0 * np + first * NR * kc) * 4;
      if (cs === 1) ex.packCopy16(src, rs * 4, NR * 4, end - first, kc, dst, NR * kc * 4); // a step's 16 columns are adjacent
      else ex.packTranspose16(src, cs * 4, NR * cs * 4, end - first, kc, dst, NR * kc * 4); // columns run along k
    }
    packed = end;
  }
  if (packed * NR < np) packB(b, memory, at, packed * NR);
}
