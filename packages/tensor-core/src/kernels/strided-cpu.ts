/**
 * Walking strided tensors on the CPU. Kernels visit the output one row (last dimension) at a time:
 * `forEachRow` works out where each row starts in every operand's storage, and the kernel's inner
 * loop steps along the row by each operand's last stride. That keeps the per-element work to one
 * add per operand, whatever the views look like.
 *
 * Before walking, `coalesce` merges dimensions that every operand steps through as one (PyTorch's
 * TensorIterator does the same): a contiguous tensor, or a contiguous tensor with a scalar, becomes
 * a single long row, so the inner loop runs over the whole tensor in one call. Only layouts that
 * truly differ between operands (a bias broadcast along rows, a transposed operand) keep more
 * than one row.
 */
import type { Tensor } from "../tensor.ts";

/** Layout of one operand: where its element (0, 0, ...) is and how far each index moves it. */
export interface Layout {
  readonly strides: readonly number[];
  readonly offset: number;
}

/** A tensor's layout over its own shape. */
export function layoutOf(t: Tensor): Layout {
  return { strides: t.stride(), offset: t.storageOffset() };
}

/**
 * How an operand steps through the elements of its shape taken in row-major order, when one step
 * serves them all: 1 for a contiguous tensor, 0 for one value broadcast everywhere (every
 * dimension of size > 1 has stride 0); null otherwise. When every operand of a kernel has one,
 * the whole kernel is a single loop over `numel` elements, with no walk to set up.
 */
export function linearStride(t: Tensor): 0 | 1 | null {
  if (t.isContiguous()) return 1;
  for (let d = 0; d < t.ndim; d++) if (t.shape[d] > 1 && t.stride(d) !== 0) return null;
  return 0;
}

/** An iteration space: a shape and, for each operand, its layout over that shape. */
export interface Walk {
  readonly shape: readonly number[];
  readonly operands: readonly Layout[];
}

/**
 * The same walk with fewer dimensions: dimensions of size 1 are dropped (their index is always 0),
 * and a dimension merges into the one before it when, for every operand, stepping the outer index
 * once moves exactly as far as running through the whole inner dimension
 * (`stride[outer] = stride[inner] · size[inner]`). Elements are visited in the same order.
 */
export function coalesce(shape: readonly number[], operands: readonly Layout[]): Walk {
  if (shape.includes(0)) return { shape, operands }; // nothing to visit
  const count = operands.length;
  const merged: number[] = [];
  const strides: number[][] = [];
  for (let k = 0; k < count; k++) strides.push([]);
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d];
    if (size === 1) continue;
    const last = merged.length - 1;
    let mergeable = last >= 0;
    for (let k = 0; k < count && mergeable; k++) mergeable = strides[k][last] === operands[k].strides[d] * size;
    if (mergeable) {
      merged[last] *= size;
      for (let k = 0; k < count; k++) strides[k][last] = operands[k].strides[d];
    } else {
      merged.push(size);
      for (let k = 0; k < count; k++) strides[k].push(operands[k].strides[d]);
    }
  }
  const layouts: Layout[] = [];
  for (let k = 0; k < count; k++) layouts.push({ strides: strides[k], offset: operands[k].offset });
  return { shape: merged, operands: layouts };
}

/**
 * Calls `row(starts)` for every row of `shape`, where `starts[k]` is the storage index of the row's
 * first element in operand k. Rows have length `shape[last]` (1 for a 0-d shape); the inner loop
 * steps by `innerStrides(operands)[k]`. `starts` is one array, updated between calls: a row must
 * read it, not keep it.
 */
export function forEachRow(shape: readonly number[], operands: readonly Layout[], row: (starts: number[]) => void): void {
  const ndim = shape.length;
  const count = operands.length;
  for (let d = 0; d < ndim; d++) if (shape[d] === 0) return;
  // a plain array, not a Float64Array: its numbers stay small integers, and the row loops that
  // start from them index typed arrays with integer arithmetic (about twice as fast in V8)
  const starts: number[] = [];
  for (let k = 0; k < count; k++) starts.push(operands[k].offset);
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
