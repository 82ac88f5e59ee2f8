/**
 * Activation functions: the nonlinearities between layers, and softmax, which turns scores into
 * probabilities. Each is one tensor op; the functions here add PyTorch's functional signatures
 * (`inplace`, softmax's implicit dimension) on top.
 */
import { logSoftmax as logSoftmaxOp, relu as reluOp, sigmoid as sigmoidOp, softmax as softmaxOp, tanh as tanhOp, type Tensor } from "@torchlet/tensor-core";
import { writeBack } from "./inplace.ts";

/** Options of the activations that can overwrite their input. */
export interface InplaceOptions {
  /** Write the result into the input instead of a new tensor (default false; see `inplace.ts`). */
  inplace?: boolean;
}

/** max(0, x), element by element. With `inplace`, the input is overwritten and returned. */
export function relu(input: Tensor, options: InplaceOptions = {}): Tensor {
  return writeBack(input, reluOp(input), options.inplace ?? false);
}

/** 1 / (1 + e^(−x)), element by element. */
export function sigmoid(input: Tensor): Tensor {
  return sigmoidOp(input);
}

/** The hyperbolic tangent, element by element. */
export function tanh(input: Tensor): Tensor {
  return tanhOp(input);
}

/**
 * The dimension softmax runs over when none is given: PyTorch's old rule (dimension 0 for tensors
 * of 0, 1 or 3 dimensions, else 1), kept only so that old code runs. It warns, as PyTorch does.
 */
export function implicitSoftmaxDim(name: string, ndim: number): number {
  const dim = ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
  console.warn(`Implicit dimension choice for ${name} has been deprecated. Change the call to include dim=X as an argument.`);
  return dim;
}

/** exp(x) / Σ exp(x) along `dim`: every slice along `dim` becomes a probability distribution. */
export function softmax(input: Tensor, dim?: number | null): Tensor {
  return softmaxOp(input, dim ?? implicitSoftmaxDim("softmax", input.ndim));
}

/** log(softmax(x)) along `dim`, computed without forming the softmax (so it cannot underflow to −∞ early). */
export function logSoftmax(input: Tensor, dim?: number | null): Tensor {
  return logSoftmaxOp(input, dim ?? implicitSoftmaxDim("log_softmax", input.ndim));
}
