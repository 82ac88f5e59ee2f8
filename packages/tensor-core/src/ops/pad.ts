/**
 * Constant padding, PyTorch's `constant_pad_nd` (what `F.pad` runs in its default mode): a border
 * of `value` around the last dimensions of a tensor. `pad` lists (before, after) pairs starting
 * from the last dimension, as PyTorch's does: `[1, 2]` adds one column on the left and two on the
 * right, `[1, 2, 3, 4]` also three rows on top and four below. A negative amount crops instead.
 *
 * The result is a fresh tensor filled with `value`, with the (possibly cropped) input copied into
 * its middle: two ops every backend has, so padding runs on every device. Its gradient is the
 * same padding undone, `constantPadNd(grad, −pad)`: the border's gradient is dropped, and a
 * cropped part of the input gets zeros.
 */
import { RuntimeError } from "../errors.ts";
import { belowAutograd, recordOp } from "../grad-hooks.ts";
import type { Tensor } from "../tensor.ts";
import { full } from "./creation.ts";
import { clone, narrow } from "./views.ts";

/** The amounts for dimension `d` of a tensor with `ndim` dimensions: [before, after]. */
function amountsFor(pad: readonly number[], ndim: number, d: number): [number, number] {
  const at = 2 * (ndim - d - 1);
  return [pad[at] ?? 0, pad[at + 1] ?? 0];
}

/**
 * `torch.constant_pad_nd(x, pad, value)`: `x` with `pad[2i]` elements of `value` before and
 * `pad[2i + 1]` after its i-th dimension from the end; negative amounts crop. Integer and bool
 * tensors take `value` converted to their dtype.
 */
export function constantPadNd(x: Tensor, pad: readonly number[], value = 0): Tensor {
  if (!pad.every((p) => Number.isInteger(p))) throw new RuntimeError(`pad must be integers, got [${pad.join(", ")}]`);
  if (pad.length % 2 !== 0) throw new RuntimeError("Padding length must be divisible by 2");
  if (pad.length / 2 > x.ndim) throw new RuntimeError("Padding length too large");
  const first = x.ndim - pad.length / 2;
  const out = belowAutograd(() => {
    // crop first, as PyTorch does (its narrow's message is the one a too large crop gets)
    let inner = x;
    for (let d = first; d < x.ndim; d++) {
      const [before, after] = amountsFor(pad, x.ndim, d);
      if (before < 0) inner = narrow(inner, d, -before, inner.shape[d] + before);
      if (after < 0) inner = narrow(inner, d, 0, inner.shape[d] + after);
    }
    if (pad.every((p) => p <= 0)) return clone(inner);
    const shape = x.shape.map((size, d) => {
      const [before, after] = amountsFor(pad, x.ndim, d);
      return d < first ? size : size + before + after;
    });
    const result = full(shape, value, { dtype: x.dtype, device: x.device });
    // the part of the result the input goes into: past the border before it, as long as the input
    let middle = result;
    for (let d = first; d < x.ndim; d++) middle = narrow(middle, d, Math.max(amountsFor(pad, x.ndim, d)[0], 0), inner.shape[d]);
    middle.copy_(inner);
    return result;
  });
  return recordOp("constantPadNd", [x], out, { pad: [...pad] });
}
