/**
 * Views: tensors that share their storage with another tensor and differ only in shape, strides
 * and offset. No element is copied, so writing through a view changes the original. Ops that
 * cannot be a view (`reshape` of a transposed tensor, `contiguous`, `clone`) copy.
 */
import { backendFor } from "../backend.ts";
import { IndexError, RuntimeError, ValueError } from "../errors.ts";
import { recordOp } from "../grad-hooks.ts";
import {
  contiguousStrides,
  expandStrides,
  inferShape,
  normalizeDim,
  parseSizeArgs,
  viewStrides,
  type Shape,
} from "../shape.ts";
import { Tensor } from "../tensor.ts";
import { emptyTensor } from "./creation.ts";

type ShapeArgs = number[] | [readonly number[]];

/** A view of `t`'s storage; it shares `t`'s version counter, as PyTorch's views do. */
function viewOf(t: Tensor, shape: Shape, strides: readonly number[], offset = t.storageOffset()): Tensor {
  return Tensor.fromStorage(t.storage, shape, strides, offset).shareVersion(t);
}

/** A new tensor object over the same storage, outside the graph, sharing `t`'s version (`detach()`). */
export function alias(t: Tensor): Tensor {
  return viewOf(t, t.shape, t.stride());
}

/**
 * `.data`: like `alias`, with a version counter of its own, so that writes through it do not
 * count as writes to `t` (PyTorch's `.data` is how code changes a tensor behind autograd's back).
 */
export function dataAlias(t: Tensor): Tensor {
  return Tensor.fromStorage(t.storage, t.shape, t.stride(), t.storageOffset());
}

/** The same elements in a new shape, without copying; fails when the strides make that impossible. */
export function view(t: Tensor, ...args: ShapeArgs): Tensor {
  const shape = inferShape(parseShapeArgs(args), t.numel());
  const strides = viewStrides(t.shape, t.stride(), shape);
  if (strides === null) {
    throw new RuntimeError(
      "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
    );
  }
  return recordOp("view", [t], viewOf(t, shape, strides), { shape: t.shape });
}

/** The same elements in a new shape: a view when possible, otherwise a contiguous copy. */
export function reshape(t: Tensor, ...args: ShapeArgs): Tensor {
  const shape = inferShape(parseShapeArgs(args), t.numel());
  const strides = viewStrides(t.shape, t.stride(), shape);
  if (strides !== null) return recordOp("reshapeAlias", [t], viewOf(t, shape, strides), { shape: t.shape });
  return unsafeView(clone(t), shape);
}

/**
 * A view of a contiguous tensor in a new shape, recorded as PyTorch's `_unsafe_view` (the last step
 * of `matmul` on batches, and of `reshape` after a copy).
 */
export function unsafeView(t: Tensor, shape: Shape): Tensor {
  return recordOp("unsafeView", [t], viewOf(t, shape, contiguousStrides(shape)), { shape: t.shape });
}

/** Merges dimensions startDim..endDim into one. */
export function flatten(t: Tensor, startDim = 0, endDim = -1): Tensor {
  if (t.ndim === 0) return reshape(t, [1]);
  const start = normalizeDim(startDim, t.ndim);
  const end = normalizeDim(endDim, t.ndim);
  if (start > end) throw new RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim");
  if (start === end) return t;
  const merged = t.shape.slice(start, end + 1).reduce((a, b) => a * b, 1);
  return reshape(t, [...t.shape.slice(0, start), merged, ...t.shape.slice(end + 1)]);
}

/**
 * Swaps dimensions `dim0` and `dim1` of `t` (negative dims count from the end): a view sharing
 * `t`'s storage, with the two strides exchanged.
 */
export function transpose(t: Tensor, dim0: number, dim1: number): Tensor {
  const d0 = normalizeDim(dim0, t.ndim);
  const d1 = normalizeDim(dim1, t.ndim);
  const shape = [...t.shape];
  const strides = t.stride();
  [shape[d0], shape[d1]] = [shape[d1], shape[d0]];
  [strides[d0], strides[d1]] = [strides[d1], strides[d0]];
  return recordOp("transpose", [t], viewOf(t, shape, strides), { dim0: d0, dim1: d1 });
}

/** The transpose of a matrix; vectors and scalars are returned as they are. */
export function t(x: Tensor): Tensor {
  if (x.ndim > 2) throw new RuntimeError(`t() expects a tensor with <= 2 dimensions, but self is ${x.ndim}D`);
  const shape = [...x.shape].reverse();
  const strides = x.stride().reverse();
  return recordOp("t", [x], viewOf(x, shape, strides));
}

/**
 * Reorders `t`'s dimensions: dimension i of the result is dimension `dims[i]` of `t`, every
 * dimension named once, as separate numbers or one array. A view sharing `t`'s storage.
 */
export function permute(t: Tensor, ...args: ShapeArgs): Tensor {
  const requested = parseShapeArgs(args);
  if (requested.length !== t.ndim) {
    throw new RuntimeError(
      `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${t.ndim} is not equal to len(dims) = ${requested.length}`,
    );
  }
  const dims = requested.map((d) => normalizeDim(d, t.ndim));
  if (new Set(dims).size !== dims.length) throw new RuntimeError("permute(): duplicate dims are not allowed.");
  const strides = t.stride();
  return recordOp("permute", [t], viewOf(t, dims.map((d) => t.shape[d]), dims.map((d) => strides[d])), { dims });
}

/** Inserts a dimension of size 1 at `dim`. */
export function unsqueeze(t: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, t.ndim + 1);
  const shape = [...t.shape];
  const strides = t.stride();
  shape.splice(d, 0, 1);
  strides.splice(d, 0, d < t.ndim ? t.shape[d] * strides[d] : 1);
  return recordOp("unsqueeze", [t], viewOf(t, shape, strides), { dim: d });
}

/** Removes dimension `dim` if its size is 1, or every dimension of size 1 when no dim is given. */
export function squeeze(t: Tensor, dim?: number): Tensor {
  const keep = t.shape.map((s, i) => (dim === undefined ? s !== 1 : i !== normalizeDim(dim, t.ndim) || s !== 1));
  const strides = t.stride();
  const out = viewOf(t, t.shape.filter((_, i) => keep[i]), strides.filter((_, i) => keep[i]));
  return recordOp(dim === undefined ? "squeeze" : "squeezeDim", [t], out, { shape: t.shape });
}

/** How PyTorch 1.13 names a CPU tensor's type in `expand`'s message (bool has no legacy class). */
const legacyTypeName = { float32: "torch.FloatTensor", int64: "torch.LongTensor", bool: "CPUBoolType" } as const;

/** Repeats dimensions of size 1 (and new leading ones) without copying: their stride becomes 0. */
export function expand(t: Tensor, ...args: ShapeArgs): Tensor {
  const requested = parseShapeArgs(args, true);
  if (requested.length < t.ndim) {
    throw new RuntimeError(
      `expand(${legacyTypeName[t.dtype]}{[${t.shape.join(", ")}]}, size=[${requested.join(", ")}]): the number of sizes provided (${requested.length}) must be greater or equal to the number of dimensions in the tensor (${t.ndim})`,
    );
  }
  const lead = requested.length - t.ndim;
  const shape = requested.map((s, i) => (s === -1 && i >= lead ? t.shape[i - lead] : s));
  const strides = expandStrides(t.shape, t.stride(), shape);
  return recordOp("expand", [t], viewOf(t, shape, strides), { shape: t.shape });
}

/** The slice at `index` along `dim`, which disappears (PyTorch's `t[i]` on that dimension). */
export function select(t: Tensor, dim: number, index: number): Tensor {
  if (t.ndim === 0) throw new IndexError("select() cannot be applied to a 0-dim tensor.");
  const d = normalizeDim(dim, t.ndim);
  const n = t.shape[d];
  if (index < -n || index >= n) {
    throw new IndexError(`select(): index ${index} out of range for tensor of size [${t.shape.join(", ")}] at dimension ${d}`);
  }
  const i = index < 0 ? index + n : index;
  const strides = t.stride();
  const out = viewOf(
    t,
    t.shape.filter((_, k) => k !== d),
    strides.filter((_, k) => k !== d),
    t.storageOffset() + i * strides[d],
  );
  return recordOp("select", [t], out, { dim: d, index: i, shape: t.shape });
}

/**
 * `length` elements of `t` along `dim` from `start` on (a negative `start` counts from the end):
 * Python's `t[..., start:start + length]`, a view sharing `t`'s storage.
 */
export function narrow(t: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim(dim, t.ndim);
  const n = t.shape[d];
  // PyTorch 1.13 wraps `start` as it wraps a dim (message included), but lets it sit at the end
  const s = start === n ? n : normalizeDim(start, n);
  if (length < 0 || s + length > n) {
    throw new RuntimeError(`start (${s}) + length (${length}) exceeds dimension size (${n}).`);
  }
  return slice(t, d, s, s + length);
}

/** Python's `start:end:step` along one dimension; out-of-range bounds are clamped as Python does. */
export function slice(t: Tensor, dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
  if (step === 0) throw new ValueError("slice step cannot be zero");
  if (step < 0) throw new ValueError("step must be greater than zero");
  const d = normalizeDim(dim, t.ndim);
  const n = t.shape[d];
  const clampBound = (v: number) => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  const s = clampBound(start ?? 0);
  const e = Math.max(clampBound(end ?? n), s);
  const shape = [...t.shape];
  const strides = t.stride();
  shape[d] = Math.ceil((e - s) / step);
  const out = viewOf(t, shape, strides.map((st, k) => (k === d ? st * step : st)), t.storageOffset() + s * strides[d]);
  return recordOp("slice", [t], out, { dim: d, start: s, end: e, step, shape: t.shape });
}

/** One entry of Python's `t[...]`: a number, a slice string like "1:3" or "::2", "...", or null. */
export type IndexSpec = number | string | null;

/** Python indexing: `t[0, :, 1:3]` is `index(t, [0, ":", "1:3"])`. */
export function index(t: Tensor, specs: readonly IndexSpec[]): Tensor {
  const consumed = specs.filter((s) => s !== null && s !== "...").length;
  if (consumed > t.ndim) {
    throw new IndexError(`too many indices for tensor of dimension ${t.ndim}`);
  }
  let out = t;
  let dim = 0;
  for (const spec of specs) {
    if (spec === "...") {
      dim += t.ndim - consumed; // Ellipsis covers the dimensions nobody named
    } else if (spec === null) {
      out = unsqueeze(out, dim++);
    } else if (typeof spec === "number") {
      out = select(out, dim, spec); // the dimension disappears, so dim stays
    } else {
      const [start, end, step] = parseSlice(spec);
      out = slice(out, dim++, start, end, step ?? 1);
    }
  }
  return out;
}

function parseSlice(spec: string): [number | null, number | null, number | null] {
  const parts = spec.split(":");
  if (parts.length < 2 || parts.length > 3) throw new TypeError(`"${spec}" is not a slice like "1:3" or "::2"`);
  const num = (p: string | undefined) => {
    if (p === undefined || p.trim() === "") return null;
    const v = Number(p);
    if (!Number.isInteger(v)) throw new TypeError(`"${spec}" is not a slice like "1:3" or "::2"`);
    return v;
  };
  return [num(parts[0]), num(parts[1]), num(parts[2])];
}

/** The same values laid out contiguously: `t` itself when it already is. */
export function contiguous(t: Tensor): Tensor {
  return t.isContiguous() ? t : clone(t);
}

/** A copy with its own, contiguous storage. */
export function clone(t: Tensor): Tensor {
  const out = emptyTensor(t.shape, t.dtype, t.device);
  backendFor(t.device).copy(t, out);
  return recordOp("clone", [t], out);
}

function parseShapeArgs(args: ShapeArgs, allowMinusOne = true): number[] {
  const dims = args.length === 1 && Array.isArray(args[0]) ? [...(args[0] as readonly number[])] : (args as number[]);
  if (allowMinusOne) return dims;
  return parseSizeArgs(dims);
}
