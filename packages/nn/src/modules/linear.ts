/**
 * `nn.Linear`, the fully connected layer y = x·Wᵀ + b, and `nn.Identity`, the layer that does
 * nothing (a placeholder where a model is configured to have no layer).
 *
 * Linear starts from PyTorch's default initialisation (`reset_parameters`): the weight from
 * Kaiming's uniform distribution with a = √5, which is U(−1/√in, 1/√in), then the bias from the
 * same range. The weight is drawn first, so after `torch.manualSeed` both match PyTorch's.
 */
import { empty, type Device, type Tensor } from "@torchlet/tensor-core";
import { Module, Parameter } from "@torchlet/module";
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from "@torchlet/init";
import { linear } from "../functional/linear.ts";

/** Linear's keyword arguments after the two sizes. */
export interface LinearOptions {
  /** Whether the layer adds a learned bias (default true). */
  bias?: boolean;
  /** Where the parameters live (default "cpu"). */
  device?: Device;
}

/** y = x·Wᵀ + b, for input [..., inFeatures] → output [..., outFeatures]. */
export class Linear extends Module {
  /** Size of each input sample (PyTorch's `in_features`). */
  readonly inFeatures: number;
  /** Size of each output sample (PyTorch's `out_features`). */
  readonly outFeatures: number;
  /** The learned weight, [outFeatures, inFeatures]. */
  declare weight: Parameter;
  /** The learned bias, [outFeatures], or null without one. */
  declare bias: Parameter | null;

  /** `nn.Linear(in_features, out_features, bias=True)` is `new nn.Linear(in, out, { bias: true })`. */
  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    const { bias = true, device = "cpu" } = options;
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = new Parameter(empty([outFeatures, inFeatures], { device }));
    if (bias) this.bias = new Parameter(empty([outFeatures], { device }));
    else this.registerParameter("bias", null);
    this.resetParameters();
  }

  /** Draws new starting values, exactly as PyTorch's `reset_parameters` does. */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const [fanIn] = calculateFanInAndFanOut(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(this.bias, { a: -bound, b: bound });
    }
  }

  override forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias !== null ? "True" : "False"}`;
  }
}

/** Returns its input unchanged (the same tensor). */
export class Identity extends Module {
  override forward(input: Tensor): Tensor {
    return input;
  }
}
