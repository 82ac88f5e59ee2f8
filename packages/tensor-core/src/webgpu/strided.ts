/**
 * Strided tensors in a shader. A thread gets the row-major index `i` of one element of the
 * iteration shape and must find that element in every operand's storage: split `i` into
 * coordinates (last dimension first), and add coordinate × stride per operand. That is the shader
 * twin of `forEachRow` in `kernels/strided-cpu.ts`.
 *
 * Before that, `coalesce` merges dimensions that every operand walks as one (a contiguous
 * [2, 3, 4] tensor is, for indexing, a [24] one), and drops dimensions of size 1. Fewer dimensions
 * mean fewer divisions per thread and fewer shader variants, since the rank is part of the shader.
 */
import type { Params } from "./dispatch.ts";

/** An iteration shape and, for each operand, its strides over it. */
export interface StridedLayout {
  readonly shape: number[];
  readonly strides: number[][];
}

/** Merges adjacent dimensions that every operand steps through as one; drops size-1 dimensions. */
export function coalesce(shape: readonly number[], strides: readonly (readonly number[])[]): StridedLayout {
  const keep = [...shape.keys()].filter((d) => shape[d] !== 1);
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (const d of keep) {
    const last = outShape.length - 1;
    // dimension `last` (outer) can absorb `d` (inner) if stepping `last` once equals stepping `d` shape[d] times
    const mergeable = last >= 0 && strides.every((s, k) => outStrides[k][last] === s[d] * shape[d]);
    if (mergeable) {
      outShape[last] *= shape[d];
      strides.forEach((s, k) => (outStrides[k][last] = s[d]));
    } else {
      outShape.push(shape[d]);
      strides.forEach((s, k) => outStrides[k].push(s[d]));
    }
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Adds the layout's parameters: `size{d}` per dimension and `st{k}_{d}` per operand k and
 * dimension d. (Offsets are added by the kernel, since some operands are not tensors.)
 */
export function addLayoutParams(params: Params, layout: StridedLayout, prefix = ""): void {
  layout.shape.forEach((s, d) => params.u32(`${prefix}size${d}`, s));
  layout.strides.forEach((strides, k) => strides.forEach((s, d) => params.u32(`${prefix}st${k}_${d}`, s)));
}

/**
 * WGSL statements that turn the linear index `index` into storage positions `pos0`, `pos1`, ...
 * (one per operand), starting from the WGSL expressions `starts[k]`. `prefix` names the layout's
 * parameters (as given to `addLayoutParams`); `name` replaces `pos` when a shader needs two sets.
 */
export function stridedPositions(rank: number, starts: readonly string[], index: string, prefix = "", name = "pos"): string {
  const lines = starts.map((s, k) => `  var ${name}${k}: u32 = ${s};`);
  if (rank > 0) lines.push(`  var ${name}Rest: u32 = ${index};`);
  for (let d = rank - 1; d >= 0; d--) {
    // the outermost dimension takes what is left, with no division
    const coordinate = d === 0 ? `${name}Rest` : `${name}Rest % p.${prefix}size${d}`;
    lines.push(`  {`, `    let c = ${coordinate};`);
    if (d > 0) lines.push(`    ${name}Rest = ${name}Rest / p.${prefix}size${d};`);
    starts.forEach((_, k) => lines.push(`    ${name}${k} += c * p.${prefix}st${k}_${d};`));
    lines.push(`  }`);
  }
  return lines.join("\n");
}
