/**
 * Making tensors: from JavaScript values (`tensor`), filled with one value (`zeros`, `ones`,
 * `full`, `empty`), from ranges (`arange`, `linspace`, `eye`), and the `*Like` forms that copy
 * another tensor's shape, dtype and device.
 */
import { backendFor } from "../backend.ts";
import { castScalar, cpuArrayFor, dtypeOfScalar, promoteTypes, type CpuArray, type DType } from "../dtype.ts";
import { RuntimeError, ValueError } from "../errors.ts";
import { keep } from "../memory.ts";
import { denseStridesLike, numel } from "../shape.ts";
import { CpuStorage, type Device } from "../storage.ts";
import { Tensor } from "../tensor.ts";
import { resolveOptions, splitSizeAndOptions, type TensorOptions } from "./options.ts";

/** Nested arrays of numbers or booleans, as Python's nested lists. */
export type NestedData = number | boolean | readonly NestedData[];

export function cpuArray(dtype: DType, length: number): CpuArray {
  return cpuArrayFor(dtype, length);
}

/** A new, uninitialised tensor on `device` (contents are whatever the memory held). */
export function emptyTensor(shape: readonly number[], dtype: DType, device: Device = "cpu", strides?: readonly number[]): Tensor {
  const n = numel(shape);
  const storage = device === "cpu" ? new CpuStorage(cpuArrayFor(dtype, n), dtype) : backendFor(device).allocate(dtype, n);
  return Tensor.fromStorage(storage, shape, strides);
}

/**
 * An empty tensor shaped like `t` and laid out like it, as PyTorch's `*_like` functions make it
 * (`memory_format=torch.preserve_format`): dense, with `t`'s dimension order, so `zerosLike(x.t())`
 * is transposed in memory as `x.t()` is, and a gapped or expanded `t` gives a dense tensor. The
 * layout also sets the order in which a random fill draws (`randnLike`).
 */
export function emptyLikeLayout(t: Tensor, dtype: DType, device: Device): Tensor {
  return emptyTensor(t.shape, dtype, device, denseStridesLike(t.shape, t.stride()));
}

/** A tensor on `device` holding host values, given in row-major order. */
export function fromValues(values: ArrayLike<number>, shape: readonly number[], dtype: DType, device: Device = "cpu"): Tensor {
  const data = cpuArrayFor(dtype, values.length);
  if (dtype === "float32") data.set(values);
  else for (let i = 0; i < values.length; i++) data[i] = castScalar(values[i], dtype);
  if (device === "cpu") return Tensor.fromStorage(new CpuStorage(data, dtype), shape);
  return Tensor.fromStorage(backendFor(device).upload(dtype, data), shape);
}

function finish(t: Tensor, requiresGrad: boolean): Tensor {
  return requiresGrad ? t.requiresGrad_(true) : t;
}

/**
 * `torch.tensor(data)`: a new tensor holding a copy of `data` (nested arrays, a number, or a typed
 * array). Like PyTorch it infers the dtype from the values: booleans give bool, numbers that are all
 * integers give int64, anything else float32. JavaScript writes `1.0` as `1`, so pass
 * `{ dtype: "float32" }` when integral values should be floats.
 */
export function tensor(data: NestedData | Float32Array, options: TensorOptions = {}): Tensor {
  const opts = resolveOptions(options);
  if (data instanceof Tensor) {
    throw new TypeError("torch.tensor(t) copies values, not tensors: use t.clone().detach()");
  }
  // The shape comes from the first element at each depth; every other element must agree.
  const shape: number[] = [];
  for (let v: unknown = data; isSequence(v); v = v[0]) {
    shape.push(v.length);
    if (v.length === 0) break;
  }
  const flat: number[] = [];
  let inferred: DType = "bool";
  const walk = (value: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof value !== "number" && typeof value !== "boolean") {
        if (isSequence(value)) throw new ValueError(`too many dimensions at dim ${depth}: expected a number`);
        throw new TypeError(`torch.tensor() takes numbers, booleans and nested arrays of them, got ${String(value)}`);
      }
      inferred = promoteTypes(inferred, dtypeOfScalar(value));
      flat.push(Number(value));
      return;
    }
    if (!isSequence(value)) throw new TypeError("not a sequence");
    if (value.length !== shape[depth]) {
      throw new ValueError(`expected sequence of length ${shape[depth]} at dim ${depth} (got ${value.length})`);
    }
    if (value instanceof Float32Array || value instanceof Float64Array) inferred = "float32";
    for (let i = 0; i < value.length; i++) walk(value[i], depth + 1);
  };
  walk(data, 0);
  if (flat.length === 0) inferred = "float32"; // torch.tensor([]) is float32
  const dtype = opts.dtype ?? inferred;
  return finish(fromValues(flat, shape, dtype, opts.device), opts.requiresGrad);
}

function isSequence(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/** A tensor of `shape` with every element `value`. */
export function filled(shape: readonly number[], value: number | boolean, options: TensorOptions = {}, defaultDtype?: DType): Tensor {
  const opts = resolveOptions(options);
  const dtype = opts.dtype ?? defaultDtype ?? dtypeOfScalar(value);
  const t = emptyTensor(shape, dtype, opts.device);
  backendFor(opts.device).fill(t, castScalar(value, dtype));
  return finish(t, opts.requiresGrad);
}

type SizeAndOptions = (number | readonly number[] | TensorOptions)[];

/**
 * A tensor of zeros, `torch.zeros(2, 3)` or `torch.zeros([2, 3])`, with an options object after the
 * sizes for dtype, device and requiresGrad (float32 on the CPU by default).
 */
export function zeros(...args: SizeAndOptions): Tensor {
  const [shape, options] = splitSizeAndOptions(args);
  return filled(shape, 0, options, "float32");
}

/**
 * A tensor of ones, `torch.ones(2, 3)` or `torch.ones([2, 3])`, with an options object after the
 * sizes for dtype, device and requiresGrad (float32 on the CPU by default).
 */
export function ones(...args: SizeAndOptions): Tensor {
  const [shape, options] = splitSizeAndOptions(args);
  return filled(shape, 1, options, "float32");
}

/** Like PyTorch, the dtype follows the fill value: `full([2], 7)` is int64, `full([2], 0.5)` float32. */
export function full(shape: readonly number[], value: number | boolean, options: TensorOptions = {}): Tensor {
  return filled(shape, value, options);
}

/**
 * A tensor whose values are not set, to be filled in place: `torch.empty(2, 3)` or
 * `torch.empty([2, 3])`, options after the sizes (float32 on the CPU by default). Read nothing from
 * it before writing: its contents are whatever the memory held.
 */
export function empty(...args: SizeAndOptions): Tensor {
  const [shape, options] = splitSizeAndOptions(args);
  const opts = resolveOptions(options);
  return finish(emptyTensor(shape, opts.dtype ?? "float32", opts.device), opts.requiresGrad);
}

/** An empty tensor like `t` (see `emptyLikeLayout`), with `options` over `t`'s dtype and device. */
function likeTensor(t: Tensor, options: TensorOptions): { out: Tensor; requiresGrad: boolean } {
  const opts = resolveOptions({ dtype: t.dtype, device: t.device, ...options });
  return { out: emptyLikeLayout(t, opts.dtype ?? t.dtype, opts.device), requiresGrad: opts.requiresGrad };
}

/** A tensor like `t` with every element `value` (in its dtype). */
function filledLike(t: Tensor, value: number | boolean, options: TensorOptions): Tensor {
  const { out, requiresGrad } = likeTensor(t, options);
  backendFor(out.device).fill(out, castScalar(value, out.dtype));
  return finish(out, requiresGrad);
}

/**
 * A tensor of zeros with `t`'s shape, dtype and device, unless `options` gives another dtype or
 * device (PyTorch's `zeros_like`). Only the shape and the layout come from `t`, not its values:
 * a transposed `t` gives a tensor transposed in memory too, as PyTorch's does.
 */
export function zerosLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return filledLike(t, 0, options);
}
/**
 * A tensor of ones with `t`'s shape, layout, dtype and device, unless `options` gives another
 * dtype or device (PyTorch's `ones_like`).
 */
export function onesLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return filledLike(t, 1, options);
}
/**
 * A tensor with `t`'s shape, layout, dtype and device (unless `options` says otherwise), every
 * element `value` converted to that dtype: `fullLike(intTensor, 0.5)` holds zeros (PyTorch's
 * `full_like`).
 */
export function fullLike(t: Tensor, value: number | boolean, options: TensorOptions = {}): Tensor {
  return filledLike(t, value, options);
}
/**
 * A tensor with `t`'s shape, layout, dtype and device (unless `options` says otherwise) whose
 * values are not set (PyTorch's `empty_like`); see `empty`.
 */
export function emptyLike(t: Tensor, options: TensorOptions = {}): Tensor {
  const { out, requiresGrad } = likeTensor(t, options);
  return finish(out, requiresGrad);
}

/**
 * `arange(end)`, `arange(start, end)`, `arange(start, end, step)`: start, start+step, ... before
 * end. int64 when every argument is an integer, float32 otherwise (as in PyTorch).
 */
export function arange(...args: (number | TensorOptions)[]): Tensor {
  const last = args[args.length - 1];
  const options = typeof last === "object" ? (args.pop() as TensorOptions) : {};
  const nums = args as number[];
  const [start, end, step] = nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1];
  if (step === 0) throw new RuntimeError("step must be nonzero");
  if ((end - start) / step < 0) {
    throw new RuntimeError("upper bound and larger bound inconsistent with step sign");
  }
  const opts = resolveOptions(options);
  const integral = [start, end, step].every(Number.isInteger);
  const dtype = opts.dtype ?? (integral ? "int64" : "float32");
  const n = Math.max(0, Math.ceil((end - start) / step));
  // PyTorch computes each value as start + i * step in double, then casts
  const values = Array.from({ length: n }, (_, i) => start + i * step);
  return finish(fromValues(values, [n], dtype, opts.device), opts.requiresGrad);
}

/** `steps` evenly spaced values from start to end inclusive (float32 unless dtype says otherwise). */
export function linspace(start: number, end: number, steps: number, options: TensorOptions = {}): Tensor {
  if (steps < 0) throw new RuntimeError("number of steps must be non-negative");
  const opts = resolveOptions(options);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  // PyTorch fills the first half from start and the second half from end, so both ends are exact;
  // a single step is the start
  const half = steps === 1 ? 1 : Math.floor(steps / 2);
  const values = Array.from({ length: steps }, (_, i) => (i < half ? start + step * i : end - step * (steps - 1 - i)));
  return finish(fromValues(values, [steps], opts.dtype ?? "float32", opts.device), opts.requiresGrad);
}

/** The identity matrix, n × m (m defaults to n). */
export function eye(n: number, m?: number | TensorOptions, options: TensorOptions = {}): Tensor {
  if (typeof m === "object") [m, options] = [undefined, m];
  const cols = m ?? n;
  const opts = resolveOptions(options);
  const values = new Float64Array(n * cols);
  for (let i = 0; i < Math.min(n, cols); i++) values[i * cols + i] = 1;
  return finish(fromValues(values, [n, cols], opts.dtype ?? "float32", opts.device), opts.requiresGrad);
}

/**
 * Device constants for scalar operands, so `x.mul(0.5)` in a training loop does not upload (and
 * leave behind) a new GPU buffer on every step. Entries are read-only by contract: ops only read
 * their operands. The cache is emptied when it grows large; dropped entries are freed by the
 * finalizer once no saved graph refers to them.
 */
const deviceConstants = new Map<string, Tensor>();
const maxDeviceConstants = 512;

/**
 * A 0-d tensor for a scalar operand, on `device` with `dtype`. Read-only: on a device it may be
 * shared by every op that uses the same number.
 */
export function scalarTensor(value: number | boolean, dtype: DType, device: Device): Tensor {
  const stored = castScalar(value, dtype);
  if (device === "cpu") return fromValues([stored], [], dtype, device);
  const key = `${device}:${dtype}:${Object.is(stored, -0) ? "-0" : stored}`;
  let constant = deviceConstants.get(key);
  if (constant === undefined || constant.isDisposed) {
    if (deviceConstants.size >= maxDeviceConstants) deviceConstants.clear();
    constant = keep(fromValues([stored], [], dtype, device));
    deviceConstants.set(key, constant);
  }
  return constant;
}
