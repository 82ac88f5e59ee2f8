/**
 * The Tensor: a view (shape, strides, offset) of a storage, plus the slots autograd fills in.
 *
 * Methods are thin: each forwards to the op of the same name in `ops/`, where the arguments are
 * checked, the output is made and the kernel of the tensor's device runs.
 */
import { isDType, type DType } from "./dtype.ts";
import { RuntimeError, ValueError } from "./errors.ts";
import { autogradHook, type BackwardOptions, type GradFn } from "./grad-hooks.ts";
import { trackDeviceTensor, untrackDeviceTensor } from "./memory.ts";
import { contiguousStrides, isContiguous, normalizeDim, numel } from "./shape.ts";
import { Size, size } from "./size.ts";
import { bumpVersion, CpuStorage, type Device, type Storage } from "./storage.ts";
import { formatTensor, formatTensorAsync } from "./format/format-tensor.ts";
import { parseTensorTypeName, tensorTypeName } from "./type-names.ts";
import * as ew from "./ops/elementwise.ts";
import * as reduce from "./ops/reduce.ts";
import * as views from "./ops/views.ts";
import * as linalg from "./ops/matmul.ts";
import * as softmaxOps from "./ops/softmax.ts";
import * as inplace from "./ops/inplace.ts";
import * as transfer from "./ops/transfer.ts";
import type { IndexSpec } from "./ops/views.ts";

type Operand = Tensor | number | boolean;

/**
 * A multi-dimensional array of float32, int64 or bool values, on the CPU or on WebGPU (PyTorch's
 * `torch.Tensor`): a view (shape, strides, offset) of a storage that other tensors may share. Make
 * tensors with `torch.tensor`, `torch.zeros`, `torch.randn` and the other creation functions rather
 * than with `new`. Most methods are the ops of the same name: `x.add(y)` is `torch.add(x, y)`.
 */
export class Tensor {
  /** Lets code that cannot import this class (tidy, formatting of cell output) recognise a tensor. */
  readonly isTensor = true;

  private _storage: Storage;
  private _shape: Size;
  private _strides: number[];
  private _offset: number;
  private _disposed = false;

  private _requiresGrad = false;
  /** The gradient accumulated by `backward()`; null until then (PyTorch's `.grad`). */
  grad: Tensor | null = null;
  /** The backward node that made this tensor; null for leaves (PyTorch's `.grad_fn`). */
  gradFn: GradFn | null = null;
  /** Set by `retainGrad()`: a non-leaf that keeps its `.grad` after backward. */
  retainsGrad = false;
  /** Shared with the views of this tensor (see `_version`). */
  private _versionCounter: { value: number } = { value: 0 };

  /** Internal: ops make tensors through `Tensor.fromStorage` or the creation functions. */
  constructor(storage: Storage, shape: readonly number[], strides?: readonly number[], offset = 0) {
    this._storage = storage;
    this._shape = shape instanceof Size ? shape : size(shape); // a Size is frozen: views can share it
    this._strides = strides ? [...strides] : contiguousStrides(shape);
    this._offset = offset;
    if (storage.device !== "cpu") trackDeviceTensor(this, storage);
  }

  /** A new tensor (view) of `storage`. */
  static fromStorage(storage: Storage, shape: readonly number[], strides?: readonly number[], offset = 0): Tensor {
    return new Tensor(storage, shape, strides, offset);
  }

  // ---------------------------------------------------------------- metadata

  /** The storage this tensor views. Throws once the tensor has been disposed. */
  get storage(): Storage {
    if (this._disposed) throw new RuntimeError("This tensor has been disposed: its memory was given back");
    return this._storage;
  }
  /**
   * The size of each dimension, as a `Size`: a frozen array of numbers that prints as
   * `torch.Size([2, 3])`. The same as `size()`.
   */
  get shape(): Size {
    return this._shape;
  }
  /** `t.size()` is the shape; `t.size(d)` one dimension of it (negative d counts from the end). */
  size(): Size;
  size(dim: number): number;
  size(dim?: number): Size | number {
    return dim === undefined ? this._shape : this._shape[normalizeDim(dim, this.ndim)];
  }
  /** Elements to step over in storage to move one index along each dimension. */
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    return dim === undefined ? [...this._strides] : this._strides[normalizeDim(dim, this.ndim)];
  }
  /**
   * Where this tensor's first element sits in its storage, counted in elements (PyTorch's
   * `storage_offset()`): 0 for a fresh tensor; a view may start further in, as the second row of a
   * matrix does.
   */
  storageOffset(): number {
    return this._offset;
  }
  /** The number of dimensions (0 for a tensor holding one number); the same as `dim()`. */
  get ndim(): number {
    return this._shape.length;
  }
  /** The number of dimensions, as `ndim` gives it. */
  dim(): number {
    return this._shape.length;
  }
  /** The number of elements: the product of the sizes (1 for a 0-d tensor, 0 when a size is 0). */
  numel(): number {
    return numel(this._shape);
  }
  /**
   * The type of the elements: "float32", "int64" or "bool" (`torch.float32`, `torch.int64`,
   * `torch.bool`).
   */
  get dtype(): DType {
    return this._storage.dtype;
  }
  /** Where the values live: "cpu", or "webgpu" after `to("webgpu")`. */
  get device(): Device {
    return this._storage.device;
  }
  /**
   * Whether `dispose()` has given this tensor's memory back; a disposed tensor cannot be read or
   * used in ops any more.
   */
  get isDisposed(): boolean {
    return this._disposed;
  }
  /**
   * Whether the elements lie in storage in row-major order without gaps (PyTorch's
   * `is_contiguous()`): true for a fresh tensor, usually false for a transposed or expanded view or
   * a slice of columns. `contiguous()` gives a tensor for which it is true.
   */
  isContiguous(): boolean {
    return isContiguous(this._shape, this._strides);
  }
  /**
   * Whether the dtype is a floating point one, which here means float32 (PyTorch's
   * `is_floating_point()`). Only such tensors can require gradients.
   */
  isFloatingPoint(): boolean {
    return this.dtype === "float32";
  }

  // ---------------------------------------------------------------- versions

  /**
   * PyTorch's `t._version`: how many in-place writes this tensor has seen, through itself or any
   * view that shares its counter (views made by ops and `detach()` do; `.data` does not, so writes
   * through `.data` go unseen, as in PyTorch). Autograd compares it with the version a tensor had
   * when it was saved for backward.
   */
  get _version(): number {
    return this._versionCounter.value;
  }
  /** Internal: makes this view share `base`'s version counter (ops call it on the views they make). */
  shareVersion(base: Tensor): this {
    this._versionCounter = base._versionCounter;
    return this;
  }
  /**
   * Internal: records an in-place write through this tensor, once per op: bumps its version (and
   * its views') and its storage's (which every tensor on that storage, `.data` included, shares).
   */
  markWritten(): void {
    this._versionCounter.value++;
    bumpVersion(this._storage);
  }

  // ---------------------------------------------------------------- autograd slots

  /** Whether autograd tracks this tensor: set on leaves, implied on results of tracked ops. */
  get requiresGrad(): boolean {
    return this._requiresGrad || this.gradFn !== null;
  }
  set requiresGrad(value: boolean) {
    this.requiresGrad_(value);
  }
  /** In place: turns gradient tracking of a leaf on or off. Returns this tensor. */
  requiresGrad_(value = true): this {
    if (this.gradFn !== null && !value) {
      throw new RuntimeError(
        "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
      );
    }
    if (value && this.dtype !== "float32") {
      throw new RuntimeError("only Tensors of floating point dtype can require gradients");
    }
    this._requiresGrad = value;
    return this;
  }
  /** A leaf was made by the user, not by a tracked op (every tensor that does not require grad is one). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }
  /** Keeps `.grad` on this non-leaf tensor after backward. */
  retainGrad(): void {
    if (!this.requiresGrad) throw new RuntimeError("can't retain_grad on Tensor that has requires_grad=False");
    if (!this.isLeaf) this.retainsGrad = true;
  }
  /** Computes the gradient of this tensor with respect to the graph's leaves (needs @torchlet/autograd). */
  backward(gradient?: Tensor | null, options: BackwardOptions = {}): void {
    const hook = autogradHook();
    if (!hook) throw new Error("backward() needs the autograd package: import @torchlet/autograd (or @torchlet/nn)");
    hook.backward(this, gradient ?? null, options);
  }
  /** A tensor sharing this storage, cut from the graph (PyTorch's `detach()`). */
  detach(): Tensor {
    return views.alias(this);
  }
  /** Like `detach()`, in place: this tensor becomes a leaf. */
  detach_(): this {
    this.gradFn = null;
    this._requiresGrad = false;
    return this;
  }
  /**
   * `.data`: the same values as a tensor outside the graph, sharing storage, so writing to it changes
   * this tensor without autograd seeing it. Assigning `t.data = other` swaps in other's storage.
   */
  get data(): Tensor {
    return views.dataAlias(this);
  }
  set data(other: Tensor) {
    if (other.device !== this.device) {
      throw new RuntimeError(`data set to a tensor on ${other.device}, but this tensor is on ${this.device}`);
    }
    this.replaceStorage(other.storage, other.shape, other._strides, other._offset);
  }

  /** Internal: points this tensor at another storage (for `.data =` and `Module.to`). */
  replaceStorage(storage: Storage, shape: readonly number[], strides: readonly number[], offset: number): void {
    const old = this._storage;
    if (old.device !== "cpu" && !this._disposed) untrackDeviceTensor(this, old);
    this._storage = storage;
    this._shape = size(shape);
    this._strides = [...strides];
    this._offset = offset;
    this._disposed = false;
    if (storage.device !== "cpu") trackDeviceTensor(this, storage);
  }

  // ---------------------------------------------------------------- memory

  /** Gives this tensor's device memory back (the storage is freed when no other view uses it). */
  dispose(): void {
    if (this._disposed) return;
    if (this._storage.device !== "cpu") untrackDeviceTensor(this, this._storage);
    this._disposed = true;
  }

  // ---------------------------------------------------------------- reading values

  /** The CPU values, in row-major order of this view. Throws for a tensor on a device. */
  private cpuValues(what: string): ArrayLike<number> {
    const storage = this.storage;
    if (!(storage instanceof CpuStorage)) {
      throw new RuntimeError(
        `${what} of a tensor on ${storage.device} cannot be read synchronously: use \`await t.cpu()\` first (or \`await t.format()\` to print it)`,
      );
    }
    if (this.isContiguous()) return storage.data.subarray(this._offset, this._offset + this.numel());
    return (views.contiguous(this).storage as CpuStorage).data;
  }
  /** The value of a one-element tensor, as a number (or boolean for bool tensors). */
  item(): number | boolean {
    if (this.numel() !== 1) throw new ValueError("only one element tensors can be converted to Python scalars");
    const v = this.cpuValues("item()")[0];
    return this.dtype === "bool" ? v !== 0 : v;
  }
  /** The values as nested arrays (a number for a 0-d tensor). */
  tolist(): unknown {
    const values = Array.from(this.cpuValues("tolist()"), (v) => (this.dtype === "bool" ? v !== 0 : v));
    const nest = (dim: number, start: number): unknown => {
      if (dim === this.ndim) return values[start];
      const step = numel(this._shape.slice(dim + 1));
      return Array.from({ length: this._shape[dim] }, (_, i) => nest(dim + 1, start + i * step));
    };
    return nest(0, 0);
  }
  /** The values as a flat typed array copy, in row-major order (CPU tensors). */
  toArray(): Float32Array | Float64Array | Uint8Array {
    const values = this.cpuValues("toArray()");
    return (values as Float32Array).slice();
  }

  // ---------------------------------------------------------------- devices and dtypes

  /**
   * A copy on `device` or with `dtype` (this tensor itself when nothing changes). Moving to webgpu
   * is synchronous (the upload is queued); moving back to the CPU needs `await t.cpu()`.
   */
  to(target: Device | DType | { device?: Device; dtype?: DType }): Tensor {
    return transfer.to(this, target);
  }
  /**
   * This tensor's values on the CPU; for a webgpu tensor, waits for the GPU to finish. Like
   * PyTorch's `.cpu()`, the copy is part of the graph (`ToCopyBackward0`): gradients flow back to
   * the GPU tensor. `t.detach().cpu()` reads the values alone.
   */
  cpu(): Promise<Tensor> {
    return transfer.cpu(this);
  }
  /** This tensor converted to float32: a copy, or this tensor itself when it already is float32. */
  float(): Tensor {
    return transfer.to(this, "float32");
  }
  /**
   * This tensor converted to int64 (floats are truncated towards zero): a copy, or this tensor
   * itself when it already is int64.
   */
  long(): Tensor {
    return transfer.to(this, "int64");
  }
  /**
   * This tensor converted to bool (every non-zero element becomes true): a copy, or this tensor
   * itself when it already is bool.
   */
  bool(): Tensor {
    return transfer.to(this, "bool");
  }
  /** The tensor's legacy type name, as PyTorch's `t.type()` gives it: "torch.FloatTensor", "torch.webgpu.LongTensor". */
  type(): string;
  /**
   * This tensor converted to `dtype`, or to a legacy type name's dtype and device
   * ("torch.LongTensor" is int64 on the CPU): a copy, or this tensor itself when nothing changes.
   */
  type(dtype: DType | string): Tensor;
  type(dtype?: DType | string): Tensor | string {
    if (dtype === undefined) return tensorTypeName(this.dtype, this.device);
    return transfer.to(this, isDType(dtype) ? dtype : parseTensorTypeName(dtype));
  }

  // ---------------------------------------------------------------- printing

  /** What PyTorch's `print(t)` shows. For a webgpu tensor use `await t.format()`. */
  toString(): string {
    return formatTensor(this);
  }
  /** What PyTorch's `print(t)` shows, for a tensor on any device (with `device='webgpu:0'`). */
  format(): Promise<string> {
    return formatTensorAsync(this);
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.device === "cpu" && !this._disposed ? this.toString() : `Tensor(shape=[${this.shape.join(", ")}], device='${this.device}')`;
  }

  // ---------------------------------------------------------------- views (share storage)

  /**
   * The same elements in a new shape, without copying: a view that shares this tensor's storage, so
   * a write through either shows in both. Sizes come as separate numbers or one array, and one of
   * them may be -1, worked out from the number of elements. Throws when the strides make a view
   * impossible (a transposed matrix, say); `reshape` copies then.
   */
  view(...shape: number[] | [readonly number[]]): Tensor {
    return views.view(this, ...shape);
  }
  /**
   * The same elements in a new shape (given as for `view`, -1 allowed): a view sharing storage when
   * the strides allow one, otherwise a contiguous copy.
   */
  reshape(...shape: number[] | [readonly number[]]): Tensor {
    return views.reshape(this, ...shape);
  }
  /** `view` to `other`'s shape (PyTorch's `view_as`): a view sharing this tensor's storage. */
  viewAs(other: Tensor): Tensor {
    return views.view(this, other.shape);
  }
  /** `reshape` to `other`'s shape (PyTorch's `reshape_as`): a view when possible, else a copy. */
  reshapeAs(other: Tensor): Tensor {
    return views.reshape(this, other.shape);
  }
  /**
   * Merges dimensions `startDim` to `endDim` (by default all of them) into one, as `reshape` would:
   * a view when the strides allow it, otherwise a copy; a 0-d tensor becomes 1-d. PyTorch's
   * `flatten(start_dim, end_dim)`.
   */
  flatten(startDim = 0, endDim = -1): Tensor {
    return views.flatten(this, startDim, endDim);
  }
  /**
   * Swaps dimensions `dim0` and `dim1` (negative dims count from the end). A view sharing storage:
   * no element moves, only the strides are swapped.
   */
  transpose(dim0: number, dim1: number): Tensor {
    return views.transpose(this, dim0, dim1);
  }
  /** The transpose of a matrix (a tensor of at most 2 dimensions). */
  t(): Tensor {
    return views.t(this);
  }
  /** PyTorch's `.T`: all dimensions reversed. */
  get T(): Tensor {
    return views.permute(this, [...this._shape.keys()].reverse());
  }
  /**
   * Reorders the dimensions: dimension i of the result is dimension `dims[i]` of this tensor, and
   * each dimension must be named once (as separate numbers or one array). A view sharing storage.
   */
  permute(...dims: number[] | [readonly number[]]): Tensor {
    return views.permute(this, ...dims);
  }
  /**
   * Inserts a dimension of size 1 at position `dim` (-1 adds it at the end). A view sharing
   * storage.
   */
  unsqueeze(dim: number): Tensor {
    return views.unsqueeze(this, dim);
  }
  /**
   * Removes dimensions of size 1: every one of them, or only `dim` when it is given (a `dim` whose
   * size is not 1 stays). A view sharing storage.
   */
  squeeze(dim?: number): Tensor {
    return views.squeeze(this, dim);
  }
  /**
   * A view with dimensions of size 1 repeated to the sizes given, and new leading dimensions added,
   * without copying: a repeated element is one element of storage read many times (stride 0). -1
   * keeps a dimension's size. In-place ops other than `fill_`/`zero_` refuse to write into such a
   * view; `clone()` it first.
   */
  expand(...shape: number[] | [readonly number[]]): Tensor {
    return views.expand(this, ...shape);
  }
  /** `expand` to `other`'s shape (PyTorch's `expand_as`): a view sharing storage. */
  expandAs(other: Tensor): Tensor {
    return views.expand(this, other.shape);
  }
  /**
   * The slice at `index` along `dim`, with that dimension removed: `t.select(0, i)` is Python's
   * `t[i]`. A negative index counts from the end. A view sharing storage.
   */
  select(dim: number, index: number): Tensor {
    return views.select(this, dim, index);
  }
  /**
   * `length` elements along `dim`, from `start` on (Python's `t[..., start:start + length]`); a
   * negative `start` counts from the end. A view sharing storage.
   */
  narrow(dim: number, start: number, length: number): Tensor {
    return views.narrow(this, dim, start, length);
  }
  /** Elements start, start+step, ... before end along `dim` (PyTorch's `t[..., start:end:step]`). */
  slice(dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
    return views.slice(this, dim, start, end, step);
  }
  /**
   * Python's indexing, one argument per `[]` entry: a number selects (`t[0]` → `t.index(0)`), a
   * string slices (`t[:, 1:3]` → `t.index(":", "1:3")`), `"..."` is Ellipsis, `null` is None.
   */
  index(...specs: IndexSpec[]): Tensor {
    return views.index(this, specs);
  }
  /** A contiguous tensor with these values: this tensor if it already is one, else a copy. */
  contiguous(): Tensor {
    return views.contiguous(this);
  }
  /** A copy with its own storage. */
  clone(): Tensor {
    return views.clone(this);
  }

  // ---------------------------------------------------------------- elementwise

  /**
   * `this + alpha * other`, elementwise (`alpha` defaults to 1), as `torch.add`. `other` is a
   * tensor, broadcast against this one, or a number; the result has the promoted dtype.
   */
  add(other: Operand, options?: { alpha?: number }): Tensor {
    return ew.add(this, other, options);
  }
  /**
   * `this - alpha * other`, elementwise (`alpha` defaults to 1), as `torch.sub`; operands as for
   * `add`. Bool operands are refused, as in PyTorch.
   */
  sub(other: Operand, options?: { alpha?: number }): Tensor {
    return ew.sub(this, other, options);
  }
  /** The elementwise product with `other`, a tensor (broadcast) or a number, as `torch.mul`. */
  mul(other: Operand): Tensor {
    return ew.mul(this, other);
  }
  /**
   * True division, elementwise, by a tensor (broadcast) or a number, as `torch.div`: integer and
   * bool operands give a float32 result.
   */
  div(other: Operand): Tensor {
    return ew.div(this, other);
  }
  /**
   * Each element raised to `exponent`, a tensor (broadcast) or a number, as `torch.pow`. An int64
   * tensor stays int64 with an integer exponent, and refuses a negative one.
   */
  pow(exponent: Operand): Tensor {
    return ew.pow(this, exponent);
  }
  /**
   * The larger of each pair of elements of this tensor and `other` (broadcast), as `torch.maximum`;
   * not a reduction (that is `max()`).
   */
  maximum(other: Tensor): Tensor {
    return ew.maximum(this, other);
  }
  /**
   * The smaller of each pair of elements of this tensor and `other` (broadcast), as
   * `torch.minimum`; not a reduction (that is `min()`).
   */
  minimum(other: Tensor): Tensor {
    return ew.minimum(this, other);
  }
  /**
   * `this == other`, elementwise, as a bool tensor; `other` is a tensor (broadcast) or a number.
   */
  eq(other: Operand): Tensor {
    return ew.eq(this, other);
  }
  /**
   * `this != other`, elementwise, as a bool tensor; `other` is a tensor (broadcast) or a number.
   */
  ne(other: Operand): Tensor {
    return ew.ne(this, other);
  }
  /** `this < other`, elementwise, as a bool tensor; `other` is a tensor (broadcast) or a number. */
  lt(other: Operand): Tensor {
    return ew.lt(this, other);
  }
  /**
   * `this <= other`, elementwise, as a bool tensor; `other` is a tensor (broadcast) or a number.
   */
  le(other: Operand): Tensor {
    return ew.le(this, other);
  }
  /** `this > other`, elementwise, as a bool tensor; `other` is a tensor (broadcast) or a number. */
  gt(other: Operand): Tensor {
    return ew.gt(this, other);
  }
  /**
   * `this >= other`, elementwise, as a bool tensor; `other` is a tensor (broadcast) or a number.
   */
  ge(other: Operand): Tensor {
    return ew.ge(this, other);
  }
  /**
   * True where both this element and `other`'s are non-zero, as a bool tensor (PyTorch's
   * `logical_and`); works on every dtype, `other` broadcast or a number.
   */
  logicalAnd(other: Operand): Tensor {
    return ew.logicalAnd(this, other);
  }
  /**
   * True where this element or `other`'s is non-zero, as a bool tensor (PyTorch's `logical_or`);
   * works on every dtype, `other` broadcast or a number.
   */
  logicalOr(other: Operand): Tensor {
    return ew.logicalOr(this, other);
  }
  /**
   * True where an element is zero (or false), as a bool tensor (PyTorch's `logical_not`, Python's
   * `~` on a mask).
   */
  logicalNot(): Tensor {
    return ew.logicalNot(this);
  }
  /**
   * `-this`, elementwise, in the same dtype. Bool tensors are refused: invert a mask with
   * `logicalNot()`.
   */
  neg(): Tensor {
    return ew.neg(this);
  }
  /** e raised to each element; int64 and bool input gives a float32 result. */
  exp(): Tensor {
    return ew.exp(this);
  }
  /**
   * The natural logarithm of each element (-Infinity at 0, NaN below); int64 and bool input gives a
   * float32 result.
   */
  log(): Tensor {
    return ew.log(this);
  }
  /** The square root of each element (NaN below 0); int64 and bool input gives a float32 result. */
  sqrt(): Tensor {
    return ew.sqrt(this);
  }
  /** The absolute value of each element, in the same dtype; bool tensors are refused. */
  abs(): Tensor {
    return ew.abs(this);
  }
  /** -1, 0 or 1 for each element by its sign, in the same dtype (a bool tensor stays as it is). */
  sign(): Tensor {
    return ew.sign(this);
  }
  /** The hyperbolic tangent of each element; int64 and bool input gives a float32 result. */
  tanh(): Tensor {
    return ew.tanh(this);
  }
  /**
   * The logistic function 1 / (1 + e^-x) of each element; int64 and bool input gives a float32
   * result.
   */
  sigmoid(): Tensor {
    return ew.sigmoid(this);
  }
  /**
   * Each element where it is positive, 0 elsewhere (NaN stays NaN), in the same dtype; bool tensors
   * are refused.
   */
  relu(): Tensor {
    return ew.relu(this);
  }
  /** Each element times itself (recorded, as PyTorch records it, as `pow(x, 2)`). */
  square(): Tensor {
    return ew.square(this);
  }
  /**
   * Every element limited to [min, max], as `torch.clamp`: either bound may be left out, but not
   * both.
   */
  clamp(options: { min?: number; max?: number }): Tensor {
    return ew.clamp(this, options);
  }
  /**
   * This tensor's element where `condition` (a bool tensor) is true and `other`'s elsewhere, all
   * three broadcast together: PyTorch's `x.where(condition, y)`, which is
   * `torch.where(condition, x, y)`. `other` may be a number.
   */
  where(condition: Tensor, other: Operand): Tensor {
    return ew.where(condition, this, other);
  }

  // ---------------------------------------------------------------- reductions

  /**
   * The sum over `dim`, a dimension or a list of them (all dimensions when it is omitted or null),
   * as `torch.sum`. `keepdim` keeps each reduced dimension with size 1, so the result broadcasts
   * against this tensor. Int64 and bool tensors sum to int64.
   */
  sum(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return reduce.sum(this, dim, keepdim);
  }
  /**
   * The mean over `dim` (all dimensions when omitted), `keepdim` as in `sum`. Float32 tensors only,
   * as in PyTorch: convert an integer tensor with `float()` first.
   */
  mean(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return reduce.mean(this, dim, keepdim);
  }
  /**
   * The variance over `dim` (all dimensions when omitted), float32 only: the sum of squared
   * deviations from the mean divided by n - 1 (Bessel's correction), or by n - `correction` when
   * `options` gives one (`unbiased: false` is `correction: 0`). `options.keepdim` keeps the reduced
   * dimensions.
   */
  var(dim?: number | readonly number[] | null, options?: reduce.VarOptions): Tensor {
    return reduce.var_(this, dim, options);
  }
  /** Standard deviation over `dim` (all when omitted), with Bessel's correction unless told otherwise. */
  std(dim?: number | readonly number[] | null, options?: reduce.VarOptions): Tensor {
    return reduce.std(this, dim, options);
  }
  /**
   * `max()`: the largest element, as a 0-d tensor. `max(dim, keepdim?)`: `{ values, indices }`, the
   * largest element along `dim` and its position there (int64; the first one on ties).
   * `max(other)`: the elementwise larger of this tensor and `other`, as `maximum`.
   */
  max(): Tensor;
  max(dim: number, keepdim?: boolean): reduce.ValuesIndices;
  max(other: Tensor): Tensor;
  max(arg?: number | Tensor, keepdim = false): Tensor | reduce.ValuesIndices {
    return reduce.max(this, arg as number, keepdim);
  }
  /**
   * `min()`: the smallest element, as a 0-d tensor. `min(dim, keepdim?)`: `{ values, indices }`,
   * the smallest element along `dim` and its position there (int64; the first one on ties).
   * `min(other)`: the elementwise smaller of this tensor and `other`, as `minimum`.
   */
  min(): Tensor;
  min(dim: number, keepdim?: boolean): reduce.ValuesIndices;
  min(other: Tensor): Tensor;
  min(arg?: number | Tensor, keepdim = false): Tensor | reduce.ValuesIndices {
    return reduce.min(this, arg as number, keepdim);
  }
  /**
   * The position (int64) of the largest element along `dim`, or in the flattened tensor when `dim`
   * is omitted; the first one on ties. Bool tensors are refused.
   */
  argmax(dim?: number, keepdim = false): Tensor {
    return reduce.argmax(this, dim, keepdim);
  }
  /**
   * The position (int64) of the smallest element along `dim`, or in the flattened tensor when `dim`
   * is omitted; the first one on ties. Bool tensors are refused.
   */
  argmin(dim?: number, keepdim = false): Tensor {
    return reduce.argmin(this, dim, keepdim);
  }
  /**
   * Softmax along `dim`: e to each element, divided by the sum of those along the dimension, so
   * that every slice along it is positive and sums to 1. Float32 only.
   */
  softmax(dim: number): Tensor {
    return softmaxOps.softmax(this, dim);
  }
  /**
   * The logarithm of `softmax(dim)`, computed in one step, which stays accurate where the softmax
   * rounds to 0 (PyTorch's `log_softmax`). Float32 only.
   */
  logSoftmax(dim: number): Tensor {
    return softmaxOps.logSoftmax(this, dim);
  }

  // ---------------------------------------------------------------- linear algebra

  /**
   * The matrix product with `other` (Python's `@`), as `torch.matmul`: vectors and matrices as
   * their dimensions say, and batches of matrices with their batch dimensions broadcast.
   */
  matmul(other: Tensor): Tensor {
    return linalg.matmul(this, other);
  }
  /**
   * The product of two matrices, [M, K] by [K, N] into [M, N]; no broadcasting and no vectors (see
   * `matmul`).
   */
  mm(other: Tensor): Tensor {
    return linalg.mm(this, other);
  }

  // ---------------------------------------------------------------- in place (trailing underscore)

  /** Sets every element to `value` (a number, or a 0-d tensor). */
  fill_(value: number | boolean | Tensor): this {
    return inplace.fill_(this, value);
  }
  /** In place: sets every element to 0, and returns this tensor. */
  zero_(): this {
    return inplace.fill_(this, 0);
  }
  /**
   * In place: copies `src`'s values into this tensor, broadcast to its shape and converted to its
   * dtype, and returns this tensor. A CPU `src` may be copied into a webgpu tensor; a webgpu `src`
   * must be read with `await src.cpu()` before going into a CPU one.
   */
  copy_(src: Tensor): this {
    return inplace.copy_(this, src);
  }
  /**
   * In place: adds `alpha * other` (`alpha` defaults to 1) into this tensor, and returns it.
   * `other` is a tensor broadcast to this shape, or a number; the result must keep this tensor's
   * dtype (a float cannot go into an int64 tensor). Like every in-place method, it refuses a leaf
   * that requires grad while grad mode is on: run it inside `noGrad`.
   */
  add_(other: Operand, options?: { alpha?: number }): this {
    return inplace.binary_(this, "add", other, options?.alpha);
  }
  /**
   * In place: subtracts `alpha * other` (`alpha` defaults to 1) from this tensor, and returns it;
   * operands as for `add_`.
   */
  sub_(other: Operand, options?: { alpha?: number }): this {
    return inplace.binary_(this, "sub", other, options?.alpha);
  }
  /**
   * In place: multiplies this tensor by `other` (a tensor broadcast to this shape, or a number),
   * and returns it; the result must keep this tensor's dtype.
   */
  mul_(other: Operand): this {
    return inplace.binary_(this, "mul", other);
  }
  /**
   * In place: divides this tensor by `other` (a tensor broadcast to this shape, or a number), and
   * returns it. Division gives floats, so only a float32 tensor can take the result.
   */
  div_(other: Operand): this {
    return inplace.binary_(this, "div", other);
  }
  /**
   * In place: limits every element to [min, max] (either bound may be left out, not both), and
   * returns this tensor.
   */
  clamp_(options: { min?: number; max?: number }): this {
    return inplace.clamp_(this, options);
  }
  /**
   * In place: fills this float32 tensor with samples from the normal distribution with `mean` and
   * standard deviation `std`, drawn from the global generator as PyTorch draws them (so
   * `manualSeed` gives PyTorch's values), and returns it.
   */
  normal_(mean = 0, std = 1): this {
    return inplace.normal_(this, mean, std);
  }
  /**
   * In place: fills this float32 tensor with samples uniform in [from, to), drawn from the global
   * generator as PyTorch draws them, and returns it.
   */
  uniform_(from = 0, to = 1): this {
    return inplace.uniform_(this, from, to);
  }
}
