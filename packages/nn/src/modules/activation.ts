/**
 * Activation layers: `ReLU`, `Sigmoid`, `Tanh`, `Softmax`, `LogSoftmax`. They hold no parameters;
 * each forwards to its `nn.functional` twin, and prints what PyTorch prints (`ReLU()`,
 * `Softmax(dim=1)`).
 */
import type { Tensor } from "@torchlet/tensor-core";
import { Module } from "@torchlet/module";
import { logSoftmax, relu, sigmoid, softmax, tanh } from "../functional/activation.ts";

/** max(0, x). With `{ inplace: true }` it overwrites its input (see `functional/inplace.ts`). */
export class ReLU extends Module {
  /** Whether the input is overwritten. */
  readonly inplace: boolean;

  constructor(options: { inplace?: boolean } = {}) {
    super();
    this.inplace = options.inplace ?? false;
  }

  override forward(input: Tensor): Tensor {
    return relu(input, { inplace: this.inplace });
  }

  override extraRepr(): string {
    return this.inplace ? "inplace=True" : "";
  }
}

/** 1 / (1 + e^(−x)). */
export class Sigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return sigmoid(input);
  }
}

/** tanh(x). */
export class Tanh extends Module {
  override forward(input: Tensor): Tensor {
    return tanh(input);
  }
}

/** Python's repr of an optional dimension: the number, or `None`. */
const dimRepr = (dim: number | null) => (dim === null ? "None" : String(dim));

/** Turns each slice along `dim` into probabilities (PyTorch's `nn.Softmax(dim)`). */
export class Softmax extends Module {
  /** The dimension the probabilities sum to 1 along; null picks PyTorch's old implicit choice, with a warning. */
  readonly dim: number | null;

  constructor(dim: number | null = null) {
    super();
    this.dim = dim;
  }

  override forward(input: Tensor): Tensor {
    return softmax(input, this.dim);
  }

  override extraRepr(): string {
    return `dim=${dimRepr(this.dim)}`;
  }
}

/** log(softmax(x)) along `dim` (PyTorch's `nn.LogSoftmax(dim)`); what `NLLLoss` expects as input. */
export class LogSoftmax extends Module {
  /** The dimension to normalise along; null picks PyTorch's old implicit choice, with a warning. */
  readonly dim: number | null;

  constructor(dim: number | null = null) {
    super();
    this.dim = dim;
  }

  override forward(input: Tensor): Tensor {
    return logSoftmax(input, this.dim);
  }

  override extraRepr(): string {
    return `dim=${dimRepr(this.dim)}`;
  }
}
