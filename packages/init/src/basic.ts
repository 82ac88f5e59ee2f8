/**
 * The plain initialisers: random uniform and normal values, constants, the identity matrix and
 * Dirac deltas. Each writes into the tensor it is given and returns it. They run under `noGrad`:
 * a parameter requires grad, and filling it is setting a starting point, not a computation for
 * autograd to record (which would refuse an in-place write to a leaf anyway).
 *
 * The random ones draw from the global generator exactly as PyTorch does, so after the same
 * `manualSeed` they give PyTorch's values.
 */
import { fromValues, ValueError, type Tensor } from "@torchlet/tensor-core";
import { noGrad } from "@torchlet/autograd";

/** Fills `tensor` with values drawn uniformly from [a, b). */
export function uniform_<T extends Tensor>(tensor: T, options: { a?: number; b?: number } = {}): T {
  const { a = 0, b = 1 } = options;
  return noGrad(() => tensor.uniform_(a, b));
}

/** Fills `tensor` with values drawn from the normal distribution N(mean, std²). */
export function normal_<T extends Tensor>(tensor: T, options: { mean?: number; std?: number } = {}): T {
  const { mean = 0, std = 1 } = options;
  return noGrad(() => tensor.normal_(mean, std));
}

/** Fills `tensor` with `val`. */
export function constant_<T extends Tensor>(tensor: T, val: number): T {
  return noGrad(() => tensor.fill_(val));
}

/** Fills `tensor` with ones. */
export function ones_<T extends Tensor>(tensor: T): T {
  return noGrad(() => tensor.fill_(1));
}

/** Fills `tensor` with zeros. */
export function zeros_<T extends Tensor>(tensor: T): T {
  return noGrad(() => tensor.zero_());
}

/**
 * Fills a matrix with the identity (ones on the main diagonal), so that a Linear layer starts by
 * passing as many of its inputs through unchanged as its shape allows.
 */
export function eye_<T extends Tensor>(tensor: T): T {
  if (tensor.ndim !== 2) throw new ValueError("Only tensors with 2 dimensions are supported");
  const [rows, cols] = tensor.shape;
  const values = new Float32Array(rows * cols);
  for (let i = 0; i < Math.min(rows, cols); i++) values[i * cols + i] = 1;
  return noGrad(() => tensor.copy_(fromValues(values, tensor.shape, "float32")));
}

/**
 * Fills a convolution weight ([out, in, ...kernel], 3 to 5 dimensions) with Dirac deltas: a one
 * at the kernel's centre linking output channel d to input channel d, so the convolution starts
 * as the identity on as many channels as possible, within each of `groups` groups.
 */
export function dirac_<T extends Tensor>(tensor: T, options: { groups?: number } = {}): T {
  const { groups = 1 } = options;
  const dims = tensor.ndim;
  if (dims < 3 || dims > 5) throw new ValueError("Only tensors with 3, 4, or 5 dimensions are supported");
  const shape = tensor.shape;
  if (shape[0] % groups !== 0) throw new ValueError("dim 0 must be divisible by groups");
  const outPerGroup = shape[0] / groups;
  const minDim = Math.min(outPerGroup, shape[1]);
  // row-major strides, to find the flat position of [out, in, centre...]
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, s) => p * s, 1));
  const centre = shape.slice(2).reduce((offset, size, i) => offset + Math.floor(size / 2) * strides[i + 2], 0);
  const values = new Float32Array(tensor.numel());
  for (let g = 0; g < groups; g++) {
    for (let d = 0; d < minDim; d++) values[(g * outPerGroup + d) * strides[0] + d * strides[1] + centre] = 1;
  }
  return noGrad(() => tensor.copy_(fromValues(values, shape, "float32")));
}
