/**
 * `F.max_pool2d`: the largest value of each window. Python's positional `kernel_size` stays
 * positional; the rest are options, and `returnIndices` also returns where each maximum was.
 */
import { maxPool2dWithIndices, type Pair, type Tensor } from "@torchlet/tensor-core";

/** `F.maxPool2d`'s keyword arguments after the kernel size. */
export interface MaxPool2dOptions {
  /** Step between windows; defaults to the kernel size (windows that touch but do not overlap). */
  stride?: Pair | null;
  /** Implicit −∞ border added on both sides. */
  padding?: Pair;
  /** Spacing between the elements of a window. */
  dilation?: Pair;
  /** Round the output size up, so a partial window at the edge still counts. */
  ceilMode?: boolean;
  /** Also return the flat position (h·W + w) of each maximum in its channel. */
  returnIndices?: boolean;
}

/** Max pooling over windows of `kernelSize` of an [N, C, H, W] (or [C, H, W]) input. */
export function maxPool2d(input: Tensor, kernelSize: Pair, options?: MaxPool2dOptions & { returnIndices?: false }): Tensor;
/** With `returnIndices: true`: the pooled values and the flat position of each maximum. */
export function maxPool2d(input: Tensor, kernelSize: Pair, options: MaxPool2dOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(input: Tensor, kernelSize: Pair, options: MaxPool2dOptions = {}): Tensor | [Tensor, Tensor] {
  const { returnIndices = false, ...rest } = options;
  const [out, indices] = maxPool2dWithIndices(input, { kernelSize, ...rest });
  return returnIndices ? [out, indices] : out;
}
