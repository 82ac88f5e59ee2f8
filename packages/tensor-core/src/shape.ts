/**
 * Shapes and strides: the arithmetic that lets many tensors share one storage.
 *
 * A tensor's element at index (i0, i1, ...) lives at `offset + i0*stride0 + i1*stride1 + ...` of its
 * storage. Views (transpose, expand, slicing, ...) only change shape, strides and offset.
 */
import { IndexError, RuntimeError } from "./errors.ts";

export type Shape = readonly number[];

/** Sizes given the PyTorch way: variadic `randn(2, 3)` or as one list `randn([2, 3])`. */
export type SizeArgs = number[] | [readonly number[]];

export function parseSizeArgs(args: readonly unknown[]): number[] {
  const dims = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  for (const d of dims) {
    if (typeof d !== "number" || !Number.isInteger(d)) {
      throw new TypeError(`sizes must be integers, got ${String(d)}`);
    }
    if (d < 0) throw new RuntimeError(`Trying to create tensor with negative dimension ${d}: [${dims.join(", ")}]`);
  }
  return dims as number[];
}

/** The number of elements a tensor of `shape` holds: the product of its sizes (1 for `[]`). */
export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides: the last dimension is contiguous. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = step;
    step *= Math.max(shape[i], 1);
  }
  return strides;
}

export function isContiguous(shape: Shape, strides: readonly number[]): boolean {
  if (shape.includes(0)) return true; // no element, nothing out of place
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] === 1) continue; // a dimension of size 1 may have any stride
    if (strides[i] !== expected) return false;
    expected *= shape[i];
  }
  return true;
}

/** Wraps a possibly negative dimension into [0, ndim), with PyTorch's message when out of range. */
export function normalizeDim(dim: number, ndim: number): number {
  const n = Math.max(ndim, 1); // a 0-d tensor accepts dim 0 and -1
  if (dim < -n || dim >= n) {
    throw new IndexError(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`);
  }
  return dim < 0 ? dim + n : dim;
}

/**
 * PyTorch's broadcasting: align shapes on the right; each pair of sizes must match or be 1. Like
 * PyTorch, it walks from the last dimension, so a mismatch is reported at the rightmost one.
 */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const ndim = Math.max(a.length, b.length);
  const out = new Array<number>(ndim);
  for (let i = ndim - 1; i >= 0; i--) {
    const da = a[a.length - ndim + i] ?? 1;
    const db = b[b.length - ndim + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RuntimeError(
        `The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i}`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * The strides that make a tensor of `shape`/`strides` read as if it had `target` shape: new leading
 * dimensions and dimensions of size 1 that grow get stride 0, so one element is read many times.
 */
export function expandStrides(shape: Shape, strides: readonly number[], target: Shape): number[] {
  const out = new Array<number>(target.length);
  const lead = target.length - shape.length;
  for (let i = 0; i < target.length; i++) {
    const j = i - lead;
    if (j < 0) {
      out[i] = 0;
    } else if (shape[j] === target[i]) {
      out[i] = strides[j];
    } else if (shape[j] === 1) {
      out[i] = 0;
    } else {
      throw new RuntimeError(
        `The expanded size of the tensor (${target[i]}) must match the existing size (${shape[j]}) at non-singleton dimension ${i}.  Target sizes: [${target.join(", ")}].  Tensor sizes: [${shape.join(", ")}]`,
      );
    }
  }
  return out;
}

/** Resolves one `-1` in a requested shape, as `view` and `reshape` do. */
export function inferShape(requested: Shape, total: number): number[] {
  const shape = [...requested];
  let inferred = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === -1) {
      if (inferred >= 0) throw new RuntimeError("only one dimension can be inferred");
      inferred = i;
    } else if (shape[i] < 0 || !Number.isInteger(shape[i])) {
      throw new RuntimeError(`invalid shape dimension ${shape[i]}`);
    } else {
      known *= shape[i];
    }
  }
  const invalid = () => new RuntimeError(`shape '[${requested.join(", ")}]' is invalid for input of size ${total}`);
  if (inferred >= 0) {
    if (known === 0 || total % known !== 0) throw invalid();
    shape[inferred] = total / known;
  } else if (known !== total) {
    throw invalid();
  }
  return shape;
}

/**
 * The strides a view of `newShape` needs over a tensor of `oldShape`/`oldStrides`, or null when no
 * view exists (the data would have to be copied). PyTorch's `computeStride`: dimensions that are
 * contiguous with each other form chunks, and the new shape must split or merge only within chunks.
 */
export function viewStrides(oldShape: Shape, oldStrides: readonly number[], newShape: Shape): number[] | null {
  if (numel(oldShape) === 0) {
    // no element to place: keep the strides when the shape stays, else lay the shape out afresh
    const same = oldShape.length === newShape.length && oldShape.every((s, i) => s === newShape[i]);
    return same ? [...oldStrides] : contiguousStrides(newShape);
  }
  if (oldShape.length === 0) return newShape.map(() => 1); // a 0-d tensor views as any all-ones shape
  const newStrides = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  let chunkBase = oldStrides[oldStrides.length - 1] ?? 1;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d];
    const chunkEnds = d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBase);
    if (chunkEnds) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = oldStrides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  if (viewD !== -1) return null;
  return newStrides;
}

/**
 * Whether the elements of a view occupy a gap-free block of storage, each exactly once, in some
 * order of dimensions (a transposed matrix does; a column slice or an expanded view does not).
 */
export function isNonOverlappingAndDense(shape: Shape, strides: readonly number[]): boolean {
  const dims = [...shape.keys()].filter((d) => shape[d] !== 1).sort((a, b) => strides[a] - strides[b]);
  let expected = 1;
  for (const d of dims) {
    if (strides[d] !== expected) return false;
    expected *= shape[d];
  }
  return true;
}

/**
 * All dimensions from the largest stride to the smallest: the `permute` that makes a view walk
 * memory in order. (Only dimensions of size 1 can tie, and they do not change the order.)
 */
export function memoryOrder(strides: readonly number[]): number[] {
  return [...strides.keys()].sort((a, b) => strides[b] - strides[a]);
}

/**
 * Dense strides with the same dimension order as `strides`: a tensor laid out by these has no gaps,
 * and its memory order matches that of the original view (PyTorch's `infer_dense_strides`, which
 * `empty_like` uses to keep the layout of the tensor it copies).
 */
export function denseStridesLike(shape: readonly number[], strides: readonly number[]): number[] {
  const order = memoryOrder(strides);
  const dense = new Array<number>(shape.length);
  let step = 1;
  for (let i = order.length - 1; i >= 0; i--) {
    dense[order[i]] = step;
    step *= Math.max(shape[order[i]], 1);
  }
  return dense;
}
