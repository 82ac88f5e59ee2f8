/**
 * Summarising large tensors. A tensor with more than `threshold` elements shows only the first and
 * last `edgeitems` entries of each dimension, with `...` between them; the formatter then measures
 * only what is shown (PyTorch's `get_summarized_data`), so a hidden 0.5 cannot turn `1.` into `1.0000`.
 */
import { RuntimeError } from "../errors.ts";
import type { PrintOptions } from "./print-options.ts";

/** A tensor's values in row-major order with the shape that reads them. */
export interface DenseValues {
  readonly values: ArrayLike<number>;
  readonly shape: readonly number[];
}

/** The entries shown along one dimension: every one, or a head and a tail with `...` between. */
export type Shown = { readonly all: number[] } | { readonly head: number[]; readonly tail: number[] };

function range(start: number, end: number): number[] {
  return Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
}

/**
 * Which entries of a dimension of `length` are shown. `innermost` marks the last dimension, where
 * PyTorch slices (`t[-edgeitems:]`) rather than counts: with `edgeitems` 0 that slice is `t[-0:]`,
 * the whole row, so PyTorch prints `[ ..., 0, 1, 2, ...]`, and so does torchlet.
 */
export function shownEntries(length: number, innermost: boolean, summarize: boolean, options: PrintOptions): Shown {
  const edge = options.edgeitems;
  if (!summarize || length <= 2 * edge) return { all: range(0, length) };
  const tail = innermost && edge === 0 ? range(0, length) : range(length - edge, length);
  return { head: range(0, edge), tail };
}

/** Row-major strides of a contiguous tensor of this shape. */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = step;
    step *= shape[d];
  }
  return strides;
}

/** The values a printout shows: all of them, or only those of the summarised part. */
export function shownValues(dense: DenseValues, summarize: boolean, options: PrintOptions): number[] {
  const { values, shape } = dense;
  if (!summarize) return Array.from(values);
  const strides = rowMajorStrides(shape);
  const out: number[] = [];
  const walk = (dim: number, offset: number): void => {
    if (dim === shape.length) {
      out.push(values[offset]);
      return;
    }
    const innermost = dim === shape.length - 1;
    const shown = shownEntries(shape[dim], innermost, true, options);
    const indices = "all" in shown ? shown.all : [...shown.head, ...shown.tail];
    // PyTorch stacks the shown slices of an outer dimension, and stacking nothing fails
    if (!innermost && indices.length === 0) throw new RuntimeError("stack expects a non-empty TensorList");
    for (const i of indices) walk(dim + 1, offset + i * strides[dim]);
  };
  walk(0, 0);
  return out;
}
