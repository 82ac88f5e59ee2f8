/**
 * Laying the formatted elements out as nested brackets (PyTorch's `_tensor_str_with_formatter`).
 *
 * A vector is one bracketed list, broken into lines of as many elements as fit in `linewidth`.
 * A tensor of n dimensions is a bracketed list of its (n-1)-dimensional slices, separated by a comma
 * and n-1 newlines, so that matrices sit one row per line and 3-d blocks have a blank line between
 * them. Every level of nesting indents its continuation lines by one more space.
 */
import type { ElementFormatter } from "./element-formatter.ts";
import type { PrintOptions } from "./print-options.ts";
import { rowMajorStrides, shownEntries, type DenseValues } from "./summarize.ts";

/**
 * The bracketed body of a tensor (`[[1., 2.],\n        [3., 4.]]`), or the single element of a 0-d
 * tensor. `indent` is the column where the body starts (7 after `tensor(`).
 */
export function layoutTensor(
  dense: DenseValues,
  formatter: ElementFormatter,
  summarize: boolean,
  indent: number,
  options: PrintOptions,
): string {
  const { values, shape } = dense;
  const strides = rowMajorStrides(shape);

  const vector = (offset: number, lineIndent: number): string => {
    const length = shape[shape.length - 1];
    const stride = strides[shape.length - 1];
    const element = (i: number) => formatter.format(values[offset + i * stride]);
    const shown = shownEntries(length, true, summarize, options);
    const items = "all" in shown ? shown.all.map(element) : [...shown.head.map(element), " ...", ...shown.tail.map(element)];

    // each element takes its width plus ", "
    const perLine = Math.max(1, Math.floor((options.linewidth - lineIndent) / (formatter.width + 2)));
    const lines: string[] = [];
    for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(", "));
    return "[" + lines.join(",\n" + " ".repeat(lineIndent + 1)) + "]";
  };

  const block = (dim: number, offset: number, lineIndent: number): string => {
    if (dim === shape.length - 1) return vector(offset, lineIndent);
    const slice = (i: number) => block(dim + 1, offset + i * strides[dim], lineIndent + 1);
    const shown = shownEntries(shape[dim], false, summarize, options);
    const slices = "all" in shown ? shown.all.map(slice) : [...shown.head.map(slice), "...", ...shown.tail.map(slice)];
    const dimsLeft = shape.length - dim;
    return "[" + slices.join("," + "\n".repeat(dimsLeft - 1) + " ".repeat(lineIndent + 1)) + "]";
  };

  if (shape.length === 0) return formatter.format(values[0]);
  return block(0, 0, indent);
}
