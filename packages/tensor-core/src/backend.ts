/**
 * A backend runs the primitive kernels of one device. Ops (in `ops/`) check arguments, work out
 * shapes and dtypes, allocate the output and then call one of these; the CPU backend loops over
 * typed arrays, the WebGPU backend records WGSL compute passes. Both implement the same list, kernel
 * family by kernel family, in `kernels/<family>/cpu.ts` and `kernels/<family>/webgpu.ts`.
 *
 * Conventions shared by every kernel:
 * - Input tensors may be strided views (transposed, expanded with stride 0, sliced); kernels read
 *   them through shape/strides/offset, so ops never copy just to make a layout simple.
 * - `out` is freshly allocated and contiguous unless a kernel says otherwise.
 */
import type { CpuArray, DType } from "./dtype.ts";
import type { Device, Storage } from "./storage.ts";
import type { Tensor } from "./tensor.ts";

/** The elementwise kernels of one input that every backend implements (`Backend.unary`). */
export type UnaryOp =
  | "neg"
  | "exp"
  | "log"
  | "sqrt"
  | "abs"
  | "sign"
  | "tanh"
  | "sigmoid"
  | "relu"
  | "logicalNot";

/**
 * The elementwise kernels of two inputs that every backend implements (`Backend.binary`):
 * arithmetic, `maximum`/`minimum`, the comparisons and logical ops (which write bool), and ReLU's
 * backward.
 */
export type BinaryOp =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "pow"
  | "maximum"
  | "minimum"
  | "eq"
  | "ne"
  | "lt"
  | "le"
  | "gt"
  | "ge"
  | "logicalAnd"
  | "logicalOr"
  // ReLU's backward: a where b (ReLU's result) is positive or NaN, else 0 (see ops/elementwise.ts)
  | "reluBackward";

/** The reductions every backend implements (`Backend.reduce`). */
export type ReduceOp = "sum" | "max" | "min";

/**
 * A convolution's parameters as the kernels take them: every size resolved to a [height, width]
 * pair.
 */
export interface Conv2dParams {
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  groups: number;
}

/**
 * A pooling window's parameters as the kernels take them: every size resolved to a [height, width]
 * pair.
 */
export interface Pool2dParams {
  kernelSize: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
}

/**
 * The kernels of one device. Ops check their arguments and allocate their outputs, then call one
 * of these; a new device implements them all and registers itself with `registerBackend`.
 */
export interface Backend {
  /** The device whose tensors this backend computes on. */
  readonly device: Device;

  /** Storage for `length` elements; contents undefined. */
  allocate(dtype: DType, length: number): Storage;
  /** Storage holding a copy of host values (already converted to `dtype`'s CPU array). */
  upload(dtype: DType, values: CpuArray): Storage;
  /** The values of a storage on the host, in storage order. */
  download(storage: Storage): CpuArray | Promise<CpuArray>;

  /** Sets every element of `out` (which may be a strided view) to `value`. */
  fill(out: Tensor, value: number): void;
  /** Copies `src` into `out` element by element (same shape, any strides), converting dtype. */
  copy(src: Tensor, out: Tensor): void;

  /** out = op(x), elementwise; `out` may be strided (in-place ops pass a view of `x` itself). */
  unary(op: UnaryOp, x: Tensor, out: Tensor): void;
  /**
   * out = op(a, b), elementwise over `out.shape`. `a` and `b` have already been expanded to that
   * shape (broadcast dimensions have stride 0). Arithmetic happens in `out`'s dtype (so integer
   * `div` divides as floats); comparisons compare in the promoted dtype of `a` and `b`. Storing into
   * a bool `out` stores any non-zero value as true. `out` may be strided.
   */
  binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void;
  /**
   * Optional, float32 only: out = a + alpha·b in one pass, with alpha·b rounded to float32 before
   * the add, as PyTorch's `add(a, b, alpha=...)` computes it (so the result is exactly that of
   * `binary("mul")` into a temporary, then `binary("add")`). `add_(b, { alpha })` is how
   * optimizers update their parameters; a backend without this method gets the two passes.
   */
  addScaled?(a: Tensor, b: Tensor, alpha: number, out: Tensor): void;
  /** out = cond ? a : b, all three expanded to `out.shape`. */
  where(cond: Tensor, a: Tensor, b: Tensor, out: Tensor): void;

  /**
   * Reduces `x` over `dims` (sorted, distinct). `out` has x's shape with those dims set to 1. For
   * max/min over a single dim, `indices` (int64, same shape as `out`) receives the position of the
   * first extreme value along that dim.
   */
  reduce(op: ReduceOp, x: Tensor, dims: readonly number[], out: Tensor, indices: Tensor | null): void;
  /** softmax (or log_softmax) of `x` along `dim`, into `out` of the same shape. */
  softmax(x: Tensor, dim: number, log: boolean, out: Tensor): void;

  /** Batched matrix product: a [B, M, K] @ b [B, K, N] → out [B, M, N]. */
  matmul(a: Tensor, b: Tensor, out: Tensor): void;

  /** 2-D convolution (cross-correlation): x [N, C, H, W], weight [O, C/groups, kH, kW]. */
  conv2d(x: Tensor, weight: Tensor, bias: Tensor | null, out: Tensor, p: Conv2dParams): void;
  /** The gradient of conv2d with respect to its input, into `out` of x's shape. */
  conv2dBackwardInput(gradOut: Tensor, weight: Tensor, out: Tensor, p: Conv2dParams): void;
  /** The gradient of conv2d with respect to its weight, into `out` of the weight's shape. */
  conv2dBackwardWeight(gradOut: Tensor, x: Tensor, out: Tensor, p: Conv2dParams): void;

  /**
   * 2-D max pooling of x [N, C, H, W]; `indices` (int64) receives, per output element, the flat
   * position h * W + w of the chosen input element within its (n, c) plane, as PyTorch records it.
   */
  maxPool2d(x: Tensor, out: Tensor, indices: Tensor, p: Pool2dParams): void;
  /** Routes each output gradient back to the input position its index names, summing collisions. */
  maxPool2dBackward(gradOut: Tensor, indices: Tensor, out: Tensor, p: Pool2dParams): void;
}

const backends = new Map<Device, Backend>();

/**
 * Makes `backend` the one that runs the kernels of its device, replacing any registered before. The
 * CPU backend registers itself on import; `torch.webgpu.init()` registers WebGPU's.
 */
export function registerBackend(backend: Backend): void {
  backends.set(backend.device, backend);
}

/**
 * The backend registered for `device`. Throws when there is none, as for webgpu until
 * `await torch.webgpu.init()` has succeeded.
 */
export function backendFor(device: Device): Backend {
  const backend = backends.get(device);
  if (!backend) {
    throw new Error(
      device === "webgpu"
        ? 'The webgpu device is not ready: call `await torch.webgpu.init()` first (and check torch.webgpu.isAvailable()).'
        : `No backend for device ${device}`,
    );
  }
  return backend;
}
