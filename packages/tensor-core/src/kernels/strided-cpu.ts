/**
 * Walking strided tensors on the CPU. Kernels visit the output one row (last dimension) at a time:
 * `forEachRow` works out where each row starts in every operand's storage, and the kernel's inner
 * loop steps along the row by each operand's last stride. That keeps the per-element work to one
 * multiply-add per operand, whatever the views look like.
 */
import type { Tensor } from "../tensor.ts";

/** Layout of one operand: where its element (0, 0, ...) is and how far each index moves it. */
export interface Layout {
  readonly strides: readonly number[];
  readonly offset: number;
}

export function layoutOf(t: Tensor): Layout {
  return { strides: t.stride(), offset: t.storageOffset() };
}

/**
 * Calls `row(starts)` for every row of `shape`, where `starts[k]` is the storage index of the row's
 * first element in operand k. Rows have length `shape[last]` (1 for a 0-d shape); the inner loop
 * steps by `innerStrides(operands)[k]`.
 */
export function forEachRow(shape: readonly number[], operands: readonly Layout[], row: (starts: Float64Array) => void): void {
  const ndim = shape.length;
  const count = operands.length;
  const starts = new Float64Array(count);
  for (let k = 0; k < count; k++) starts[k] = operands[k].offset;
  if (shape.some((s) => s === 0)) return;
  if (ndim <= 1) {
    row(starts);
    return;
  }
  const outer = ndim - 1; // dimensions that select a row
  const index = new Array<number>(outer).fill(0);
  for (;;) {
    row(starts);
    // odometer: advance the last outer dimension, carrying into earlier ones
    let d = outer - 1;
    for (; d >= 0; d--) {
      index[d]++;
      for (let k = 0; k < count; k++) starts[k] += operands[k].strides[d];
      if (index[d] < shape[d]) break;
      for (let k = 0; k < count; k++) starts[k] -= operands[k].strides[d] * shape[d];
      index[d] = 0;
    }
    if (d < 0) return;
  }
}

/** The step along a row for each operand (0 for a 0-d shape). */
export function innerStrides(shape: readonly number[], operands: readonly Layout[]): number[] {
  return operands.map((o) => (shape.length === 0 ? 0 : o.strides[shape.length - 1]));
}

/** Row length: the size of the last dimension (1 for a 0-d shape). */
export function rowLength(shape: readonly number[]): number {
  return shape.length === 0 ? 1 : shape[shape.length - 1];
}
