/**
 * Dropout (Srivastava et al., 2014): in training, each element is zeroed with probability p and the
 * survivors are scaled by 1/(1 − p), so the expected value of every element stays the same; in
 * evaluation it is the identity.
 *
 * The mask is drawn as PyTorch 1.13 draws it on the CPU, `empty_like(x).bernoulli_(1 − p)`, from
 * the global generator, so after the same `manualSeed` the same elements are dropped. The result
 * is `x * mask`, recorded as the multiplication it is (`MulBackward0`).
 */
import { bernoulli_, emptyLike, fromValues, mul, pythonFloatRepr, ValueError, type Tensor } from "@torchlet/tensor-core";
import { writeBack } from "./inplace.ts";

/** `F.dropout`'s keyword arguments. */
export interface DropoutOptions {
  /** The probability of zeroing an element (default 0.5). */
  p?: number;
  /** Drop only when true (default true, as in `F.dropout`; a `Dropout` layer passes its own mode). */
  training?: boolean;
  /** Overwrite the input (see `inplace.ts`). */
  inplace?: boolean;
}

/** PyTorch's check of a dropout probability. */
export function checkDropoutProbability(p: number): void {
  if (!(p >= 0 && p <= 1)) {
    throw new ValueError(`dropout probability has to be between 0 and 1, but got ${pythonFloatRepr(p)}`);
  }
}

/** Zeroes each element with probability `p` and scales the rest by 1/(1 − p) (in training). */
export function dropout(input: Tensor, options: DropoutOptions = {}): Tensor {
  const { p = 0.5, training = true, inplace = false } = options;
  checkDropoutProbability(p);
  if (p === 0 || !training || input.numel() === 0) return input;
  if (p === 1) return writeBack(input, mul(input, fromValues([0], [], input.dtype, input.device)), inplace);
  const mask = bernoulli_(emptyLike(input), 1 - p).div_(1 - p);
  return writeBack(input, mul(input, mask), inplace);
}
