/**
 * Reductions: sum, mean, var, std, max/min (with the positions they came from), argmax/argmin. Each
 * takes `dim` (a number, a list, or nothing for all dimensions) and `keepdim`, which keeps reduced
 * dimensions as size 1 so the result still broadcasts against the input.
 */
import { backendFor, type ReduceOp } from "../backend.ts";
import type { DType } from "../dtype.ts";
import { IndexError, RuntimeError } from "../errors.ts";
import { belowAutograd, recordOp } from "../grad-hooks.ts";
import { normalizeDim } from "../shape.ts";
import { Tensor } from "../tensor.ts";
import { emptyTensor, scalarTensor } from "./creation.ts";
import { binaryKernel, maximum, minimum, unaryKernel } from "./elementwise.ts";
import { reshape } from "./views.ts";

/**
 * The dimensions a reduction runs over: one dimension, a list of them, or null/undefined for all of
 * them (negative dims count from the end).
 */
export type Dims = number | readonly number[] | null | undefined;

/**
 * The reduced dimensions, sorted; all of them when `dim` is null or undefined, or an empty list
 * (PyTorch 1.13 reads `sum(dim=[])` as a sum over everything).
 */
export function reductionDims(x: Tensor, dim: Dims): number[] {
  if (dim === null || dim === undefined) return [...x.shape.keys()];
  const list = typeof dim === "number" ? [dim] : [...dim];
  if (list.length === 0) return [...x.shape.keys()];
  const dims = list.map((d) => normalizeDim(d, x.ndim));
  if (new Set(dims).size !== dims.length) {
    throw new RuntimeError(`dim ${dims.find((d, i) => dims.indexOf(d) !== i)} appears multiple times in the list of dims`);
  }
  return dims.sort((a, b) => a - b);
}

function keptShape(x: Tensor, dims: readonly number[]): number[] {
  return x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
}

function droppedShape(x: Tensor, dims: readonly number[]): number[] {
  return x.shape.filter((_, i) => !dims.includes(i));
}

/** Runs a reduce kernel; the result has the kept (size-1) dims unless `keepdim` is false. */
export function reduceKernel(op: ReduceOp, x: Tensor, dims: readonly number[], keepdim: boolean, dtype: DType): Tensor {
  const out = emptyTensor(keptShape(x, dims), dtype, x.device);
  backendFor(x.device).reduce(op, x, dims, out, null);
  return keepdim ? out : belowAutograd(() => reshape(out, droppedShape(x, dims)));
}

/** Sum of elements over `dim` (all when omitted). Integers and bools sum to int64. */
export function sum(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  const dims = reductionDims(x, dim);
  const dtype = x.dtype === "float32" ? "float32" : "int64";
  const out = belowAutograd(() => reduceKernel("sum", x, dims, keepdim, dtype));
  return recordOp(dim == null ? "sum" : "sumDim", [x], out, { dims, keepdim, shape: x.shape });
}

/** Mean over `dim` (all when omitted); floating point input only, as in PyTorch. */
export function mean(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  if (x.dtype !== "float32") {
    throw new RuntimeError(
      `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${x.dtype === "int64" ? "Long" : "Bool"}`,
    );
  }
  const dims = reductionDims(x, dim);
  const count = dims.reduce((n, d) => n * x.shape[d], 1);
  const out = belowAutograd(() => binaryKernel("div", reduceKernel("sum", x, dims, keepdim, "float32"), scalarTensor(count, "float32", x.device)));
  return recordOp(dim == null ? "mean" : "meanDim", [x], out, { dims, keepdim, shape: x.shape, count });
}

/** Options of `var` and `std`: the correction of the denominator and `keepdim`. */
export interface VarOptions {
  /** Subtracted from the count in the denominator: 1 (Bessel's correction, the default) or 0. */
  correction?: number;
  /** PyTorch's older flag: `unbiased: false` is `correction: 0`. */
  unbiased?: boolean;
  keepdim?: boolean;
}

/** Variance over `dim`: mean of squared deviations, divided by (n - correction). */
export function var_(x: Tensor, dim?: Dims, options: VarOptions = {}): Tensor {
  const { dims, keepdim, correction, count } = varianceArgs(x, dim, options);
  const out = belowAutograd(() => {
    const { scaled, scale } = scaledVariance(x, dims, correction, count);
    return dropDims(binaryKernel("mul", binaryKernel("mul", scaled, scale), scale), x, dims, keepdim);
  });
  return recordOp("var", [x], out, { dims, keepdim, correction, shape: x.shape, count });
}

/**
 * Standard deviation over `dim`: the square root of `var` with the same options. It is an op of
 * its own, as in PyTorch, so that its graph node is `StdBackward0` and its backward divides by the
 * result it already has.
 */
export function std(x: Tensor, dim?: Dims, options: VarOptions = {}): Tensor {
  const { dims, keepdim, correction, count } = varianceArgs(x, dim, options);
  const out = belowAutograd(() => {
    const { scaled, scale } = scaledVariance(x, dims, correction, count);
    return dropDims(binaryKernel("mul", unaryKernel("sqrt", scaled), scale), x, dims, keepdim);
  });
  return recordOp("std", [x], out, { dims, keepdim, correction, shape: x.shape, count });
}

/** The checked arguments shared by var and std. */
function varianceArgs(x: Tensor, dim: Dims, options: VarOptions) {
  if (x.dtype !== "float32") throw new RuntimeError("std and var only support floating point and complex dtypes");
  const dims = reductionDims(x, dim);
  return {
    dims,
    keepdim: options.keepdim ?? false,
    correction: options.correction ?? (options.unbiased === false ? 0 : 1),
    count: dims.reduce((n, d) => n * x.shape[d], 1),
  };
}

/** The smallest normal float32: a scale for groups that are all zeros (any positive number would do). */
const smallestNormal = 2 ** -126;

/**
 * The variance over `dims` as `scaled · scale²`, both with the reduced dims kept as size 1, computed
 * with kernels only (no graph). `scaled` is Σ(y − ȳ)² / (count − correction) of y = x / scale, where
 * `scale` is the group's largest magnitude. Why the detour: a square overflows float32 once a value
 * passes about 1.8e19, yet PyTorch's CPU kernels accumulate in double and still give a finite std
 * for such values (and a finite var while it fits). With |y| ≤ 1 no square overflows, and the scale
 * is put back after the sum.
 */
function scaledVariance(x: Tensor, dims: readonly number[], correction: number, count: number): { scaled: Tensor; scale: Tensor } {
  const largest = reduceKernel("max", unaryKernel("abs", x), dims, true, "float32");
  const scale = binaryKernel("maximum", largest, scalarTensor(smallestNormal, "float32", x.device));
  const y = binaryKernel("div", x, scale);
  const centered = binaryKernel("sub", y, binaryKernel("div", reduceKernel("sum", y, dims, true, "float32"), scalarTensor(count, "float32", x.device)));
  const squares = binaryKernel("mul", centered, centered);
  const divisor = scalarTensor(Math.max(count - correction, 0), "float32", x.device);
  return { scaled: binaryKernel("div", reduceKernel("sum", squares, dims, true, "float32"), divisor), scale };
}

/** A result computed with the reduced dims kept, shaped as `keepdim` asks. */
function dropDims(kept: Tensor, x: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  return keepdim ? kept : reshape(kept, droppedShape(x, dims));
}

/** `max(dim)` returns both: the largest values and where they were. */
export interface ValuesIndices {
  values: Tensor;
  indices: Tensor;
}

function extremeAlongDim(op: "max" | "min", x: Tensor, dim: number, keepdim: boolean): ValuesIndices {
  const d = normalizeDim(dim, x.ndim);
  if (x.ndim > 0 && x.shape[d] === 0) {
    throw new IndexError(`${op}(): Expected reduction dim ${d} to have non-zero size.`);
  }
  const dims = x.ndim === 0 ? [] : [d];
  // made inside one scope, so that without keepdim the kept-shape tensors behind the returned
  // views are given back with the scope (the views keep their storage alive)
  const result = belowAutograd(() => {
    const values = emptyTensor(keptShape(x, [d]), x.dtype, x.device);
    const indices = emptyTensor(keptShape(x, [d]), "int64", x.device);
    backendFor(x.device).reduce(op, x, dims, values, indices);
    if (keepdim) return { values, indices };
    const shape = droppedShape(x, dims);
    return { values: reshape(values, shape), indices: reshape(indices, shape) };
  });
  recordOp(op === "max" ? "maxDim" : "minDim", [x], [result.values, result.indices], { dim: d, keepdim, shape: x.shape });
  return result;
}

function extremeOfAll(op: "max" | "min", x: Tensor): Tensor {
  if (x.numel() === 0) {
    throw new RuntimeError(
      `${op}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`,
    );
  }
  const out = belowAutograd(() => reduceKernel(op, x, reductionDims(x, null), false, x.dtype));
  return recordOp(op, [x], out);
}

/**
 * `max(x)`: the largest element. `max(x, dim, keepdim)`: `{ values, indices }` along `dim`.
 * `max(x, other)`: the elementwise maximum, as `torch.max(a, b)` is.
 */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, other: Tensor): Tensor;
export function max(x: Tensor, arg?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
  if (arg instanceof Tensor) return maximum(x, arg);
  return arg === undefined ? extremeOfAll("max", x) : extremeAlongDim("max", x, arg, keepdim);
}

/**
 * `min(x)`: the smallest element. `min(x, dim, keepdim)`: `{ values, indices }` along `dim`, the
 * indices int64 (the first position on ties). `min(x, other)`: the elementwise minimum, as
 * `torch.min(a, b)` is.
 */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, other: Tensor): Tensor;
export function min(x: Tensor, arg?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
  if (arg instanceof Tensor) return minimum(x, arg);
  return arg === undefined ? extremeOfAll("min", x) : extremeAlongDim("min", x, arg, keepdim);
}

/** Position of the largest element along `dim`, or in the flattened tensor when no dim is given. */
export function argmax(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtreme("max", x, dim, keepdim);
}

/**
 * Position (int64) of the smallest element along `dim`, or in the flattened tensor when no dim is
 * given; the first one on ties. Bool tensors are refused.
 */
export function argmin(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtreme("min", x, dim, keepdim);
}

function argExtreme(op: "max" | "min", x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  if (x.dtype === "bool") throw new RuntimeError(`"arg${op}_cpu" not implemented for 'Bool'`);
  return belowAutograd(() => {
    if (dim !== undefined) return extremeAlongDim(op, x, dim, keepdim).indices;
    const flat = reshape(x, [-1]);
    const { indices } = extremeAlongDim(op, flat, 0, false);
    return keepdim ? reshape(indices, x.shape.map(() => 1)) : indices;
  });
}
