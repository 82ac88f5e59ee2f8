/**
 * Stand-ins for the layers of the nn package (a layer above this one), enough to build the seed
 * document's models: each has the parameters and buffers of the real layer, under the same names
 * and shapes, and prints the same repr. Linear also initialises itself as PyTorch does (drawing the
 * same random numbers) and computes, so seeded forward passes can be compared with PyTorch's.
 */
import { addmm, empty, maximum, tensor, zeros, type Tensor } from "@torchlet/tensor-core";
import { Module, Parameter } from "@torchlet/module";

/** PyTorch's nn.Linear: kaiming_uniform_(a=√5) for the weight, then a uniform bias. */
export class Linear extends Module {
  weight: Parameter;
  declare bias: Parameter | null;
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    bias = true,
  ) {
    super();
    // kaiming_uniform_(w, a=√5), computed in the same order as PyTorch so the bound is bit-identical
    const gain = Math.sqrt(2 / (1 + 5));
    const bound = Math.sqrt(3) * (gain / Math.sqrt(inFeatures));
    this.weight = new Parameter(empty(outFeatures, inFeatures).uniform_(-bound, bound));
    if (bias) {
      const b = 1 / Math.sqrt(inFeatures);
      this.bias = new Parameter(empty(outFeatures).uniform_(-b, b));
    } else {
      this.registerParameter("bias", null);
    }
  }
  override forward(x: Tensor): Tensor {
    if (this.bias && x.ndim === 2) return addmm(this.bias, x, this.weight.t());
    const y = x.matmul(this.weight.t());
    return this.bias ? y.add(this.bias) : y;
  }
  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? "True" : "False"}`;
  }
}

export class ReLU extends Module {
  override forward(x: Tensor): Tensor {
    return x.relu();
  }
}

/** The seed's ReluLayer. */
export class ReluLayer extends Module {
  override forward(x: Tensor): Tensor {
    return maximum(x, tensor(0));
  }
}

/** The seed's MyFCLayer, drawing randn weights as the seed does (through `init`). */
export class MyFCLayer extends Module {
  weights: Parameter;
  bias: Parameter;
  constructor(inDim: number, outDim: number, init: (...shape: number[]) => Tensor = (...s) => zeros(s)) {
    super();
    this.weights = new Parameter(init(inDim, outDim));
    this.bias = new Parameter(init(outDim));
  }
  override forward(x: Tensor): Tensor {
    return x.matmul(this.weights.data).add(this.bias.data);
  }
}

export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/** Conv2d's parameters (weight [out, in, kh, kw], optional bias) and a given repr. */
export class Conv2d extends Module {
  weight: Parameter;
  declare bias: Parameter | null;
  constructor(
    shape: [number, number, number, number],
    bias: boolean,
    readonly repr: string,
  ) {
    super();
    this.weight = new Parameter(zeros(shape));
    if (bias) this.bias = new Parameter(zeros(shape[0]));
    else this.registerParameter("bias", null);
  }
  override extraRepr(): string {
    return this.repr;
  }
}

export class MaxPool2d extends Module {
  constructor(readonly repr: string) {
    super();
  }
  override extraRepr(): string {
    return this.repr;
  }
}

/** BatchNorm2d's parameters (when affine) and buffers, with PyTorch's snake_case names. */
export class BatchNorm2d extends Module {
  constructor(
    n: number,
    affine: boolean,
    readonly repr: string,
  ) {
    super();
    if (affine) {
      this.registerParameter("weight", new Parameter(zeros(n)));
      this.registerParameter("bias", new Parameter(zeros(n)));
    } else {
      this.registerParameter("weight", null);
      this.registerParameter("bias", null);
    }
    this.registerBuffer("running_mean", zeros(n));
    this.registerBuffer("running_var", zeros(n));
    this.registerBuffer("num_batches_tracked", tensor(0));
  }
  override extraRepr(): string {
    return this.repr;
  }
}

/** Registry listings in the fixtures' format: `[name, shape]` and `[name, class name]` pairs. */
export function shapes(pairs: Iterable<[string, Tensor]>): [string, number[]][] {
  return [...pairs].map(([name, t]) => [name, [...t.shape]]);
}
export function classNames(pairs: Iterable<[string, Module]>): [string, string][] {
  return [...pairs].map(([name, m]) => [name, m._getName()]);
}
