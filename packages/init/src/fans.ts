/**
 * Fan-in and fan-out: how many inputs feed each output of a layer, and how many outputs each input
 * feeds. A weight of shape [out, in, ...kernel] has fan_in = in × kernel size and fan_out = out ×
 * kernel size. Initialisers divide by them so that a wide layer starts with small weights.
 */
import { ValueError, type Tensor } from "@torchlet/tensor-core";

/** `[fanIn, fanOut]` of a weight with at least 2 dimensions (PyTorch's `_calculate_fan_in_and_fan_out`). */
export function calculateFanInAndFanOut(tensor: Tensor): [number, number] {
  if (tensor.ndim < 2) throw new ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
  let receptiveFieldSize = 1;
  for (const s of tensor.shape.slice(2)) receptiveFieldSize *= s;
  return [tensor.shape[1] * receptiveFieldSize, tensor.shape[0] * receptiveFieldSize];
}

/** Which fan the Kaiming initialisers scale by. */
export type FanMode = "fan_in" | "fan_out";

/**
 * The fan named by `mode`: `"fan_in"` keeps the variance of activations in the forward pass,
 * `"fan_out"` that of gradients in the backward pass. Case does not matter, as in PyTorch.
 */
export function calculateCorrectFan(tensor: Tensor, mode: FanMode | string): number {
  const lower = mode.toLowerCase();
  if (lower !== "fan_in" && lower !== "fan_out") {
    throw new ValueError(`Mode ${lower} not supported, please use one of ['fan_in', 'fan_out']`);
  }
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  return lower === "fan_in" ? fanIn : fanOut;
}
