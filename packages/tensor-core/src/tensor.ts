/**
 * The Tensor: a view (shape, strides, offset) of a storage, plus the slots autograd fills in.
 *
 * Methods are thin: each forwards to the op of the same name in `ops/`, where the arguments are
 * checked, the output is made and the kernel of the tensor's device runs.
 */
import type { DType } from "./dtype.ts";
import { RuntimeError, ValueError } from "./errors.ts";
import { autogradHook, type BackwardOptions, type GradFn } from "./grad-hooks.ts";
import { trackDeviceTensor, untrackDeviceTensor } from "./memory.ts";
import { contiguousStrides, isContiguous, normalizeDim, numel } from "./shape.ts";
import { Size, size } from "./size.ts";
import { bumpVersion, CpuStorage, type Device, type Storage } from "./storage.ts";
import { formatTensor, formatTensorAsync } from "./format/format-tensor.ts";
import * as ew from "./ops/elementwise.ts";
import * as reduce from "./ops/reduce.ts";
import * as views from "./ops/views.ts";
import * as linalg from "./ops/matmul.ts";
import * as softmaxOps from "./ops/softmax.ts";
import * as inplace from "./ops/inplace.ts";
import * as transfer from "./ops/transfer.ts";
import type { IndexSpec } from "./ops/views.ts";

type Operand = Tensor | number | boolean;

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
  storageOffset(): number {
    return this._offset;
  }
  get ndim(): number {
    return this._shape.length;
  }
  dim(): number {
    return this._shape.length;
  }
  numel(): number {
    return numel(this._shape);
  }
  get dtype(): DType {
    return this._storage.dtype;
  }
  get device(): Device {
    return this._storage.device;
  }
  get isDisposed(): boolean {
    return this._disposed;
  }
  isContiguous(): boolean {
    return isContiguous(this._shape, this._strides);
  }
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
  /** This tensor's values on the CPU; for a webgpu tensor, waits for the GPU to finish. */
  cpu(): Promise<Tensor> {
    return transfer.cpu(this);
  }
  float(): Tensor {
    return transfer.to(this, "float32");
  }
  long(): Tensor {
    return transfer.to(this, "int64");
  }
  bool(): Tensor {
    return transfer.to(this, "bool");
  }
  type(dtype: DType): Tensor {
    return transfer.to(this, dtype);
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

  view(...shape: number[] | [readonly number[]]): Tensor {
    return views.view(this, ...shape);
  }
  reshape(...shape: number[] | [readonly number[]]): Tensor {
    return views.reshape(this, ...shape);
  }
  viewAs(other: Tensor): Tensor {
    return views.view(this, other.shape);
  }
  reshapeAs(other: Tensor): Tensor {
    return views.reshape(this, other.shape);
  }
  flatten(startDim = 0, endDim = -1): Tensor {
    return views.flatten(this, startDim, endDim);
  }
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
  permute(...dims: number[] | [readonly number[]]): Tensor {
    return views.permute(this, ...dims);
  }
  unsqueeze(dim: number): Tensor {
    return views.unsqueeze(this, dim);
  }
  squeeze(dim?: number): Tensor {
    return views.squeeze(this, dim);
  }
  expand(...shape: number[] | [readonly number[]]): Tensor {
    return views.expand(this, ...shape);
  }
  expandAs(other: Tensor): Tensor {
    return views.expand(this, other.shape);
  }
  select(dim: number, index: number): Tensor {
    return views.select(this, dim, index);
  }
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

  add(other: Operand, options?: { alpha?: number }): Tensor {
    return ew.add(this, other, options);
  }
  sub(other: Operand, options?: { alpha?: number }): Tensor {
    return ew.sub(this, other, options);
  }
  mul(other: Operand): Tensor {
    return ew.mul(this, other);
  }
  div(other: Operand): Tensor {
    return ew.div(this, other);
  }
  pow(exponent: Operand): Tensor {
    return ew.pow(this, exponent);
  }
  maximum(other: Tensor): Tensor {
    return ew.maximum(this, other);
  }
  minimum(other: Tensor): Tensor {
    return ew.minimum(this, other);
  }
  eq(other: Operand): Tensor {
    return ew.eq(this, other);
  }
  ne(other: Operand): Tensor {
    return ew.ne(this, other);
  }
  lt(other: Operand): Tensor {
    return ew.lt(this, other);
  }
  le(other: Operand): Tensor {
    return ew.le(this, other);
  }
  gt(other: Operand): Tensor {
    return ew.gt(this, other);
  }
  ge(other: Operand): Tensor {
    return ew.ge(this, other);
  }
  logicalAnd(other: Operand): Tensor {
    return ew.logicalAnd(this, other);
  }
  logicalOr(other: Operand): Tensor {
    return ew.logicalOr(this, other);
  }
  logicalNot(): Tensor {
    return ew.logicalNot(this);
  }
  neg(): Tensor {
    return ew.neg(this);
  }
  exp(): Tensor {
    return ew.exp(this);
  }
  log(): Tensor {
    return ew.log(this);
  }
  sqrt(): Tensor {
    return ew.sqrt(this);
  }
  abs(): Tensor {
    return ew.abs(this);
  }
  sign(): Tensor {
    return ew.sign(this);
  }
  tanh(): Tensor {
    return ew.tanh(this);
  }
  sigmoid(): Tensor {
    return ew.sigmoid(this);
  }
  relu(): Tensor {
    return ew.relu(this);
  }
  square(): Tensor {
    return ew.square(this);
  }
  clamp(options: { min?: number; max?: number }): Tensor {
    return ew.clamp(this, options);
  }
  where(condition: Tensor, other: Operand): Tensor {
    return ew.where(condition, this, other);
  }

  // ---------------------------------------------------------------- reductions

  sum(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return reduce.sum(this, dim, keepdim);
  }
  mean(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return reduce.mean(this, dim, keepdim);
  }
  var(dim?: number | readonly number[] | null, options?: reduce.VarOptions): Tensor {
    return reduce.var_(this, dim, options);
  }
  /** Standard deviation over `dim` (all when omitted), with Bessel's correction unless told otherwise. */
  std(dim?: number | readonly number[] | null, options?: reduce.VarOptions): Tensor {
    return reduce.std(this, dim, options);
  }
  max(): Tensor;
  max(dim: number, keepdim?: boolean): reduce.ValuesIndices;
  max(other: Tensor): Tensor;
  max(arg?: number | Tensor, keepdim = false): Tensor | reduce.ValuesIndices {
    return reduce.max(this, arg as number, keepdim);
  }
  min(): Tensor;
  min(dim: number, keepdim?: boolean): reduce.ValuesIndices;
  min(other: Tensor): Tensor;
  min(arg?: number | Tensor, keepdim = false): Tensor | reduce.ValuesIndices {
    return reduce.min(this, arg as number, keepdim);
  }
  argmax(dim?: number, keepdim = false): Tensor {
    return reduce.argmax(this, dim, keepdim);
  }
  argmin(dim?: number, keepdim = false): Tensor {
    return reduce.argmin(this, dim, keepdim);
  }
  softmax(dim: number): Tensor {
    return softmaxOps.softmax(this, dim);
  }
  logSoftmax(dim: number): Tensor {
    return softmaxOps.logSoftmax(this, dim);
  }

  // ---------------------------------------------------------------- linear algebra

  matmul(other: Tensor): Tensor {
    return linalg.matmul(this, other);
  }
  mm(other: Tensor): Tensor {
    return linalg.mm(this, other);
  }

  // ---------------------------------------------------------------- in place (trailing underscore)

  /** Sets every element to `value` (a number, or a 0-d tensor). */
  fill_(value: number | boolean | Tensor): this {
    return inplace.fill_(this, value);
  }
  zero_(): this {
    return inplace.fill_(this, 0);
  }
  copy_(src: Tensor): this {
    return inplace.copy_(this, src);
  }
  add_(other: Operand, options?: { alpha?: number }): this {
    return inplace.binary_(this, "add", other, options?.alpha);
  }
  sub_(other: Operand, options?: { alpha?: number }): this {
    return inplace.binary_(this, "sub", other, options?.alpha);
  }
  mul_(other: Operand): this {
    return inplace.binary_(this, "mul", other);
  }
  div_(other: Operand): this {
    return inplace.binary_(this, "div", other);
  }
  clamp_(options: { min?: number; max?: number }): this {
    return inplace.clamp_(this, options);
  }
  normal_(mean = 0, std = 1): this {
    return inplace.normal_(this, mean, std);
  }
  uniform_(from = 0, to = 1): this {
    return inplace.uniform_(this, from, to);
  }
}
