/**
 * The `inplace` option of `relu` and `dropout`. PyTorch overwrites the input and returns it. That
 * is what happens here too, with one difference: torchlet's autograd does not follow in-place
 * writes, so when the input is part of a graph that autograd is recording, the result is returned
 * as a new tensor and the input is left alone, which keeps every gradient right. (A leaf that
 * requires grad is refused, with PyTorch's message, exactly as in PyTorch.)
 */
import type { Tensor } from "@torchlet/tensor-core";
import { isGradEnabled } from "@torchlet/autograd";

/** `out` written into `input` when `inplace` asks for it (see above), else `out` itself. */
export function writeBack(input: Tensor, out: Tensor, inplace: boolean): Tensor {
  if (!inplace || out === input) return out;
  if (isGradEnabled() && input.requiresGrad && !input.isLeaf) return out;
  return input.copy_(out);
}
