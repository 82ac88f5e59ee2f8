/**
 * Truncated normal initialisation: values from N(mean, std²) restricted to [a, b], drawn as
 * PyTorch 1.13 draws them, by inverse-CDF sampling: a uniform number between the CDF values of a
 * and b, mapped back through the normal distribution's inverse CDF, Φ⁻¹(p) = √2 · erfinv(2p − 1).
 * No value needs to be redrawn, and the same seed gives PyTorch's numbers.
 */
import { empty, fromValues, type Tensor } from "@torchlet/tensor-core";
import { noGrad } from "@torchlet/autograd";
import { erf, erfinv } from "./erfinv.ts";

/** The standard normal CDF Φ(x). */
function normCdf(x: number): number {
  return (1 + erf(x / Math.SQRT2)) / 2;
}

/**
 * The options of `truncNormal_`: the normal distribution's mean and standard deviation, and the
 * bounds [a, b] it is cut to.
 */
export interface TruncNormalOptions {
  /** Mean of the normal distribution (0). */
  mean?: number;
  /** Standard deviation of the normal distribution (1). */
  std?: number;
  /** Lowest value (−2). */
  a?: number;
  /** Highest value (2). */
  b?: number;
}

/** Fills `tensor` with values from N(mean, std²) truncated to [a, b]. */
export function truncNormal_<T extends Tensor>(tensor: T, options: TruncNormalOptions = {}): T {
  const { mean = 0, std = 1, a = -2, b = 2 } = options;
  if (mean < a - 2 * std || mean > b + 2 * std) {
    console.warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be incorrect.");
  }
  return noGrad(() => {
    // erfinv runs on the host: a CPU tensor is worked on in place, a GPU one through a host copy
    const host = tensor.device === "cpu" ? tensor : empty(tensor.shape);
    const l = normCdf((a - mean) / std);
    const u = normCdf((b - mean) / std);
    // uniform in [2l − 1, 2u − 1], so that erfinv maps it to a standard normal truncated to [a, b]
    host.uniform_(2 * l - 1, 2 * u - 1);
    const values = host.toArray();
    for (let i = 0; i < values.length; i++) values[i] = erfinv(values[i]);
    host.copy_(fromValues(values, host.shape, "float32"));
    // to the requested mean and std (in float32, as PyTorch computes it), and clamp to guard the ends
    host.mul_(std * Math.SQRT2).add_(mean).clamp_({ min: a, max: b });
    if (host !== tensor) tensor.copy_(host);
    return tensor;
  });
}
