/**
 * The padding modes that fill the border from the input's own values, PyTorch's
 * `reflection_pad{1,2,3}d`, `replication_pad{1,2,3}d` and `_pad_circular` (what `F.pad` runs with
 * mode "reflect", "replicate" and "circular"). Along a padded dimension of size n, with `before`
 * and `after` elements added (a negative amount crops):
 *
 * - reflect:   ... 2 1 | 0 1 2 ... n-1 | n-2 n-3 ...   the edge itself is not repeated
 * - replicate: ... 0 0 | 0 1 2 ... n-1 | n-1 n-1 ...
 * - circular:  ... n-2 n-1 | 0 1 2 ... n-1 | 0 1 ...   (after any cropping)
 *
 * Each dimension's result is a few runs of the input: a straight copy, a mirrored run (reflect)
 * or one element repeated (replicate). The forward pass copies the runs into a fresh tensor; the
 * backward pass is the same runs in reverse, adding the border's gradient back onto the elements
 * it came from. Both use only `narrow`, `copy_`, `add_` and `sum`, so every device runs them.
 * Dimensions are padded one after another, which also fills the corners (reflection of a
 * reflection, and so on), as PyTorch's kernels do.
 */
import { NotImplementedError, RuntimeError } from "../errors.ts";
import { belowAutograd, recordOp } from "../grad-hooks.ts";
import type { Tensor } from "../tensor.ts";
import { emptyTensor, zeros } from "./creation.ts";
import { narrow } from "./views.ts";

/** How the border is filled from the input: mirrored without the edge, the edge repeated, or wrapped around. */
export type EdgePadMode = "reflect" | "replicate" | "circular";

/**
 * A run of the output along one dimension: `length` elements from position `out`, taken from the
 * input at `from`: onward ("copy"), backward ("mirror": out + k ← from − k), or all from `from`
 * ("repeat").
 */
interface Run {
  readonly kind: "copy" | "mirror" | "repeat";
  readonly out: number;
  readonly from: number;
  readonly length: number;
}

/** The runs of one dimension of size n padded by (before, after), and the padded size. */
function edgeRuns(mode: EdgePadMode, n: number, before: number, after: number): { size: number; runs: Run[] } {
  const runs: Run[] = [];
  const add = (kind: Run["kind"], out: number, from: number, length: number) => {
    if (length > 0) runs.push({ kind, out, from, length });
  };
  if (mode === "circular") {
    // crop first, then wrap around what is left
    const start = Math.max(-before, 0);
    const kept = n - start - Math.max(-after, 0);
    const [left, right] = [Math.max(before, 0), Math.max(after, 0)];
    add("copy", left, start, kept);
    add("copy", 0, start + kept - left, left);
    add("copy", left + kept, start, right);
    return { size: kept + left + right, runs };
  }
  const size = n + before + after;
  const middle = Math.max(before, 0);
  add("copy", middle, middle - before, Math.min(before + n, size) - middle);
  const edge = mode === "reflect" ? "mirror" : "repeat";
  add(edge, 0, mode === "reflect" ? before : 0, Math.min(before, size));
  add(edge, before + n, mode === "reflect" ? n - 2 : n - 1, size - (before + n));
  return { size, runs };
}

/** The (before, after) amounts of the i-th padded dimension from the end. */
function amounts(pad: readonly number[], i: number): [number, number] {
  return [pad[2 * i], pad[2 * i + 1]];
}

/** `x` padded along `dim` by the runs, into a fresh tensor of `size` there. */
function padAlong(x: Tensor, dim: number, size: number, runs: readonly Run[]): Tensor {
  const shape = [...x.shape];
  shape[dim] = size;
  const out = emptyTensor(shape, x.dtype, x.device); // the runs write every element
  for (const { kind, out: at, from, length } of runs) {
    if (kind === "copy") narrow(out, dim, at, length).copy_(narrow(x, dim, from, length));
    else if (kind === "repeat") narrow(out, dim, at, length).copy_(narrow(x, dim, from, 1));
    else for (let k = 0; k < length; k++) narrow(out, dim, at + k, 1).copy_(narrow(x, dim, from - k, 1));
  }
  return out;
}

/** The gradient of `padAlong`: each run's gradient added back onto the input elements it came from. */
function unpadAlong(grad: Tensor, dim: number, inputSize: number, runs: readonly Run[]): Tensor {
  const shape = [...grad.shape];
  shape[dim] = inputSize;
  const result = zeros(shape, { dtype: grad.dtype, device: grad.device });
  for (const { kind, out: at, from, length } of runs) {
    if (kind === "copy") narrow(result, dim, from, length).add_(narrow(grad, dim, at, length));
    else if (kind === "repeat") narrow(result, dim, from, 1).add_(narrow(grad, dim, at, length).sum(dim, true));
    else for (let k = 0; k < length; k++) narrow(result, dim, from - k, 1).add_(narrow(grad, dim, at + k, 1));
  }
  return result;
}

/**
 * `x` padded in `mode` by `pad`: (before, after) pairs from the last dimension backwards, for the
 * last 1, 2 or 3 dimensions of a tensor with one or two more (batch, channels; circular needs
 * both). PyTorch's checks and messages for anything else.
 */
export function edgePad(x: Tensor, pad: readonly number[], mode: EdgePadMode): Tensor {
  checkEdgePad(x, pad, mode);
  const dims = pad.length / 2;
  const out = belowAutograd(() => {
    let result = x;
    for (let i = dims - 1; i >= 0; i--) {
      const dim = x.ndim - 1 - i;
      const { size, runs } = edgeRuns(mode, result.shape[dim], ...amounts(pad, i));
      result = padAlong(result, dim, size, runs);
    }
    return result;
  });
  return recordOp("edgePad", [x], out, { pad: [...pad], mode });
}

/** The gradient of `edgePad(x, pad, mode)` with respect to `x`, of shape `inputShape`. */
export function edgePadBackward(grad: Tensor, inputShape: readonly number[], pad: readonly number[], mode: EdgePadMode): Tensor {
  const ndim = inputShape.length;
  let result = grad;
  for (let i = 0; i < pad.length / 2; i++) {
    const dim = ndim - 1 - i;
    result = unpadAlong(result, dim, inputShape[dim], edgeRuns(mode, inputShape[dim], ...amounts(pad, i)).runs);
  }
  return result;
}

/** Whether any dimension of `x` after the first `batchDims` has size 0. */
function hasEmptyDim(x: Tensor, batchDims: number): boolean {
  return x.shape.slice(batchDims).some((s) => s === 0);
}

const DTYPE_NAMES = { int64: "Long", bool: "Bool", float32: "Float" } as const;
const KERNELS = {
  reflect: ["reflection_pad1d", "reflection_pad2d", "reflection_pad3d_cpu"],
  replicate: ["replication_pad1d_cpu", "replication_pad2d_cpu", "replication_pad3d_cpu"],
} as const;

/**
 * PyTorch's checks, in its order: those of `F.pad` (whole amounts, in pairs, for 1 to 3 dimensions
 * of an input with one or two more), then those of each mode's kernel: for circular, a batch and
 * a channel dimension and no wrapping around twice; for reflect and replicate, a float input,
 * non-empty dimensions besides the batch, amounts smaller than the dimension (reflect), and a 1-d
 * result at least one wide.
 */
function checkEdgePad(x: Tensor, pad: readonly number[], mode: EdgePadMode): void {
  if (!pad.every((p) => Number.isInteger(p))) throw new TypeError("pad(): argument 'pad' (position 2) must be tuple of ints, not tuple");
  if (pad.length % 2 !== 0) throw new RuntimeError("Padding length must be divisible by 2");
  const dims = pad.length / 2;
  if (dims < 1 || dims > 3 || (x.ndim !== dims + 1 && x.ndim !== dims + 2)) {
    throw new NotImplementedError("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
  }
  const batched = x.ndim === dims + 2;
  if (mode === "circular") {
    if (x.ndim !== dims + 2) throw new RuntimeError(`Invalid padding size, expected ${2 * (x.ndim - 2)} but got ${pad.length}`);
    for (let i = 0; i < dims; i++) {
      const n = x.shape[x.ndim - 1 - i];
      const [before, after] = amounts(pad, i);
      // PyTorch checks against the whole size; wrapping past what cropping the other side leaves
      // reads memory PyTorch 1.13 never wrote, so torchlet refuses that as well
      const kept = n - Math.max(-before, 0) - Math.max(-after, 0);
      if (before > n || after > n || before > kept || after > kept) throw new RuntimeError("Padding value causes wrapping around more than once.");
    }
    return;
  }
  if (x.dtype !== "float32") throw new RuntimeError(`"${KERNELS[mode][dims - 1]}" not implemented for '${DTYPE_NAMES[x.dtype]}'`);
  if (hasEmptyDim(x, batched ? 1 : 0)) {
    const [low, high] = [dims + 1, dims + 2];
    throw new RuntimeError(
      mode === "reflect"
        ? `${low}D or ${high}D (batch mode) tensor expected for input, but got: [ torch.FloatTensor{${x.shape.join(",")}} ]`
        : `Expected ${low}D or ${high}D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: [${x.shape.join(", ")}]`,
    );
  }
  if (mode === "reflect") {
    for (let i = 0; i < dims; i++) {
      const dim = x.ndim - 1 - i;
      const [before, after] = amounts(pad, i);
      const n = x.shape[dim];
      if (before >= n || after >= n) {
        // PyTorch's 2-d kernel names the dimension's size, the others the whole shape
        const input = dims === 2 ? String(n) : `[${x.shape.join(", ")}]`;
        throw new RuntimeError(
          `Argument #${4 + 2 * i}: Padding size should be less than the corresponding input dimension, but got: padding (${before}, ${after}) at dimension ${dim} of input ${input}`,
        );
      }
    }
  }
  if (dims === 1) {
    const n = x.shape[x.ndim - 1];
    const size = n + pad[0] + pad[1];
    if (size < 1) {
      // (the missing spaces are PyTorch's)
      throw new RuntimeError(mode === "reflect" ? `2input (W: ${n})is too small. Calculated output W: ${size}` : `input (W: ${n}) is too small. Calculated output W: ${size}`);
    }
  }
}
