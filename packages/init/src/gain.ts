/**
 * `calculateGain`: how much a nonlinearity shrinks the spread of values passing through it, so that
 * initialisers can scale weights to keep the variance of activations steady from layer to layer.
 * A ReLU zeroes half its inputs, halving the variance: its gain is √2.
 */
import { ValueError } from "@torchlet/tensor-core";

/** The functions whose gain is 1: linear maps keep the variance they are initialised for. */
const linearFns = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"];

/**
 * The recommended gain for `nonlinearity` (an `nn.functional` name, as in PyTorch): 1 for linear
 * maps, convolutions and sigmoid, 5/3 for tanh, √2 for relu, √(2 / (1 + slope²)) for leaky_relu
 * (`param` is the negative slope, 0.01 by default) and 3/4 for selu.
 */
export function calculateGain(nonlinearity: string, param?: number | null): number {
  if (linearFns.includes(nonlinearity) || nonlinearity === "sigmoid") return 1;
  if (nonlinearity === "tanh") return 5.0 / 3;
  if (nonlinearity === "relu") return Math.sqrt(2.0);
  if (nonlinearity === "leaky_relu") {
    let negativeSlope = 0.01;
    if (param !== undefined && param !== null) {
      if (typeof param !== "number") throw new ValueError(`negative_slope ${String(param)} not a valid number`);
      negativeSlope = param;
    }
    return Math.sqrt(2.0 / (1 + negativeSlope ** 2));
  }
  // found by experiment in PyTorch (pytorch/pytorch#50664)
  if (nonlinearity === "selu") return 3.0 / 4;
  throw new ValueError(`Unsupported nonlinearity ${nonlinearity}`);
}
