/**
 * Kaiming (He) initialisation: weights with variance gain² / fan, so that layers followed by a
 * ReLU-like nonlinearity (which discards part of the signal) keep the spread of activations
 * (mode "fan_in") or of gradients (mode "fan_out") steady (He et al., 2015). nn.Linear and
 * nn.Conv2d use the uniform variant with a = √5 for their default initialisation.
 */
import type { Tensor } from "@torchlet/tensor-core";
import { noGrad } from "@torchlet/autograd";
import { calculateCorrectFan, type FanMode } from "./fans.ts";
import { calculateGain } from "./gain.ts";

/**
 * The options of `kaimingUniform_` and `kaimingNormal_` (PyTorch's keyword arguments, in
 * camelCase).
 */
export interface KaimingOptions {
  /** The negative slope of the leaky ReLU that follows the layer (used with "leaky_relu"); 0 by default. */
  a?: number;
  /** "fan_in" (default) or "fan_out". */
  mode?: FanMode;
  /** The nonlinearity after the layer, an `nn.functional` name: "leaky_relu" (default) or "relu" are the ones it is meant for. */
  nonlinearity?: string;
}

/** The standard deviation Kaiming initialisation aims for, or null for a tensor with no elements. */
function kaimingStd(tensor: Tensor, { a = 0, mode = "fan_in", nonlinearity = "leaky_relu" }: KaimingOptions): number | null {
  if (tensor.shape.includes(0)) {
    console.warn("Initializing zero-element tensors is a no-op");
    return null;
  }
  const fan = calculateCorrectFan(tensor, mode);
  const gain = calculateGain(nonlinearity, a);
  return gain / Math.sqrt(fan);
}

/** Fills `tensor` from U(-bound, bound), bound = gain × √(3 / fan). */
export function kaimingUniform_<T extends Tensor>(tensor: T, options: KaimingOptions = {}): T {
  const std = kaimingStd(tensor, options);
  if (std === null) return tensor;
  const bound = Math.sqrt(3.0) * std; // a uniform on [-b, b] has standard deviation b / √3
  return noGrad(() => tensor.uniform_(-bound, bound));
}

/** Fills `tensor` from N(0, std²), std = gain / √fan. */
export function kaimingNormal_<T extends Tensor>(tensor: T, options: KaimingOptions = {}): T {
  const std = kaimingStd(tensor, options);
  if (std === null) return tensor;
  return noGrad(() => tensor.normal_(0, std));
}
