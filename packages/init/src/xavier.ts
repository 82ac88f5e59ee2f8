/**
 * Xavier (Glorot) initialisation: weights with variance 2 / (fan_in + fan_out), a compromise that
 * keeps the spread of activations (forward) and of gradients (backward) roughly constant through
 * layers with a linear or tanh-like response (Glorot & Bengio, 2010).
 */
import type { Tensor } from "@torchlet/tensor-core";
import { noGrad } from "@torchlet/autograd";
import { calculateFanInAndFanOut } from "./fans.ts";

/** Fills `tensor` from U(-a, a), a = gain × √(6 / (fan_in + fan_out)). */
export function xavierUniform_<T extends Tensor>(tensor: T, options: { gain?: number } = {}): T {
  const { gain = 1 } = options;
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  const a = Math.sqrt(3.0) * std; // a uniform on [-a, a] has standard deviation a / √3
  return noGrad(() => tensor.uniform_(-a, a));
}

/** Fills `tensor` from N(0, std²), std = gain × √(2 / (fan_in + fan_out)). */
export function xavierNormal_<T extends Tensor>(tensor: T, options: { gain?: number } = {}): T {
  const { gain = 1 } = options;
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  return noGrad(() => tensor.normal_(0, std));
}
