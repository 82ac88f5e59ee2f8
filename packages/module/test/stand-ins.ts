/**
 * Small modules for the tests, twins of the ones the fixture scripts build in Python: the seed
 * document's ReluLayer and MyFCLayer, and stand-ins for layers of the nn package (a Linear with
 * PyTorch's parameters and repr, a BatchNorm-like module with buffers).
 */
import { maximum, ones, tensor, zeros, type Tensor } from "@torchlet/tensor-core";
import { Module, Parameter } from "../src/index.ts";

/** The seed's first layer: no parameters, ReLU by `maximum`. */
export class ReluLayer extends Module {
  override forward(x: Tensor): Tensor {
    return maximum(x, tensor(0));
  }
}

/** The seed's layer with parameters, assigned as class fields would be in Python's __init__. */
export class MyFCLayer extends Module {
  weights: Parameter;
  bias: Parameter;
  constructor(inDim: number, outDim: number, init: (shape: number[]) => Tensor = (s) => zeros(s)) {
    super();
    this.weights = new Parameter(init([inDim, outDim]));
    this.bias = new Parameter(init([outDim]));
  }
  override forward(x: Tensor): Tensor {
    return x.matmul(this.weights.data).add(this.bias.data);
  }
}

/** Linear's parameters and repr, with zeros for values (the nn package owns the real layer). */
export class Linear extends Module {
  weight: Parameter;
  declare bias: Parameter | null;
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    bias = true,
  ) {
    super();
    this.weight = new Parameter(zeros(outFeatures, inFeatures));
    if (bias) this.bias = new Parameter(zeros(outFeatures));
    else this.registerParameter("bias", null);
  }
  override forward(x: Tensor): Tensor {
    const y = x.matmul(this.weight.t());
    return this.bias ? y.add(this.bias) : y;
  }
  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? "True" : "False"}`;
  }
}

/** Parameters, persistent buffers and one non-persistent buffer (as `Norm` in module-api.py). */
export class Norm extends Module {
  weight: Parameter;
  declare running_mean: Tensor;
  declare num_batches_tracked: Tensor;
  declare scratch: Tensor;
  constructor(n: number) {
    super();
    this.weight = new Parameter(ones(n));
    this.registerBuffer("running_mean", zeros(n));
    this.registerBuffer("num_batches_tracked", tensor(0));
    this.registerBuffer("scratch", zeros(2), { persistent: false });
  }
}

/** Registry listings in the fixtures' format: `[name, shape]` and `[name, class name]` pairs. */
export function shapes(pairs: Iterable<[string, Tensor]>): [string, number[]][] {
  return [...pairs].map(([name, t]) => [name, [...t.shape]]);
}
export function classNames(pairs: Iterable<[string, Module]>): [string, string][] {
  return [...pairs].map(([name, m]) => [name, m._getName()]);
}

/** A Sequential stand-in (the real one is in the containers package, a layer above this one). */
export class Sequential extends Module {
  constructor(...children: Module[]) {
    super();
    children.forEach((child, i) => this.addModule(String(i), child));
  }
  override forward(x: unknown): unknown {
    for (const child of this._modules.values()) x = child?.call(x);
    return x;
  }
}
