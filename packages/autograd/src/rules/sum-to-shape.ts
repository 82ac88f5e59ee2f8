/**
 * Undoing broadcasting. When an op broadcast an input of shape [3] against [2, 3], each element of
 * the input was used twice, so its gradient is the sum of the two gradients that reach it. PyTorch
 * calls this `sum_to`: sum over the leading dimensions the input did not have and over the
 * dimensions where it had size 1, then drop the leading ones.
 */
import { reshape, sum, type Tensor } from "@torchlet/tensor-core";

/** `grad` summed down to `shape`, the shape of an input that was broadcast up to grad's. */
export function sumToShape(grad: Tensor, shape: readonly number[]): Tensor {
  const lead = grad.ndim - shape.length;
  const dims: number[] = [];
  for (let d = 0; d < grad.ndim; d++) {
    if (d < lead || (shape[d - lead] === 1 && grad.shape[d] !== 1)) dims.push(d);
  }
  if (dims.length === 0) return grad;
  return reshape(sum(grad, dims, true), shape);
}
