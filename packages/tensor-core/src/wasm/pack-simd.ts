/**
 * Packing strided operands with the WebAssembly packers (`pack-module.ts`): the operand's values
 * are copied into WebAssembly memory as they lie (one `Float32Array.set` over the span its view
 * covers), then rearranged into panels there with vector loads and stores. Full panels go this
 * way; the last, partial panel (M mod 4 rows, N mod 8 columns) is padded by the JavaScript packer.
 *
 * Operands that are not plain strided matrices with a unit stride (a convolution's patches,
 * broadcasts along both axes, thin slices of a large storage) are packed by `pack.ts` directly.
 */
import { KC, MR, NR, type GemmExports } from "./gemm-module.ts";
import { packA, packB, roundUp, type Gather } from "./pack.ts";

/** Elements between the first and the last element of a strided operand, both included. */
function span(g: Gather): number {
  const [rowStride, colStride] = g.strides!;
  return (g.rows.length - 1) * rowStride + (g.cols.length - 1) * colStride + 1;
}

/**
 * Floats of staging room the operand needs to be packed by WebAssembly, or 0 when it is packed
 * in JavaScript: it must be strided with a unit stride, and its span not much larger than itself.
 */
export function stagingFloats(g: Gather): number {
  if (!g.strides || g.rows.length === 0 || g.cols.length === 0) return 0;
  const [rowStride, colStride] = g.strides;
  if (rowStride !== 1 && colStride !== 1) return 0;
  const size = g.rows.length * g.cols.length;
  const s = span(g);
  return s <= 2 * size + 64 ? roundUp(s, 4) : 0;
}

/** Packs A as `packA` would, staging it at float index `stage`. */
export function packAWithSimd(ex: GemmExports, a: Gather, memory: Float32Array, at: number, stage: number): void {
  const [rs, cs] = a.strides!;
  const m = a.rows.length;
  const k = a.cols.length;
  const mp = roundUp(m, MR);
  memory.set(a.data.subarray(a.offset, a.offset + span(a)), stage);
  const panels = Math.floor(m / MR);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    const dst = (at + k0 * mp) * 4;
    if (cs === 1) ex.packTranspose4((stage + k0) * 4, rs * 4, MR * rs * 4, panels, kc, dst); // rows run along k
    else ex.packCopy4((stage + k0 * cs) * 4, cs * 4, MR * 4, panels, kc, dst); // a step's 4 rows are adjacent
  }
  if (panels * MR < m) packA(a, memory, at, panels * MR);
}

/** Packs B as `packB` would, staging it at float index `stage`. */
export function packBWithSimd(ex: GemmExports, b: Gather, memory: Float32Array, at: number, stage: number): void {
  const [rs, cs] = b.strides!;
  const k = b.rows.length;
  const n = b.cols.length;
  const np = roundUp(n, NR);
  memory.set(b.data.subarray(b.offset, b.offset + span(b)), stage);
  const panels = Math.floor(n / NR);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    const dst = (at + k0 * np) * 4;
    if (cs === 1) ex.packCopy8((stage + k0 * rs) * 4, rs * 4, NR * 4, panels, kc, dst); // a step's 8 columns are adjacent
    else ex.packTranspose8((stage + k0) * 4, cs * 4, NR * cs * 4, panels, kc, dst); // columns run along k
  }
  if (panels * NR < n) packB(b, memory, at, panels * NR);
}
