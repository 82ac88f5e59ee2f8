/**
 * The tutorial's 50-layer experiment: why a deep stack of linear layers needs the right initial
 * weights. Each layer multiplies the spread of the signal by roughly √fan_in · std(weight) (times
 * what the activation keeps), so over 50 layers the spread shrinks to nothing or grows without
 * bound unless that factor is 1. The gradients travel the same layers backwards and meet the same
 * factor, so they vanish or explode with the activations.
 *
 * The network is the tutorial's: `nn.ModuleList` of 50 `nn.Linear(100, 100)`, here with an
 * activation after each layer, biases set to zero so that only the weights decide.
 */
import { nn, torch } from "@torchlet/nn";

/** The activations the experiment can put after each layer. */
export const ACTIVATIONS = {
  none: (x: torch.Tensor) => x,
  relu: (x: torch.Tensor) => x.relu(),
  tanh: (x: torch.Tensor) => x.tanh(),
} as const;
export type Activation = keyof typeof ACTIVATIONS;

/** The initial weights to compare: PyTorch's default, and three schemes applied on top of it. */
export const INITS = {
  /** nn.Linear's own: kaiming_uniform_(a=√5), that is uniform in ±1/√fan_in (std 1/√(3·fan_in)). */
  default: () => {},
  /** Standard normal weights: std 1, ten times too large for a fan-in of 100. */
  normal: (w: torch.Tensor) => nn.init.normal_(w, { std: 1 }),
  /** Glorot's: std √(2 / (fan_in + fan_out)), which keeps the spread of a linear stack. */
  xavier: (w: torch.Tensor) => nn.init.xavierNormal_(w),
  /** He's: std √(2 / fan_in), which keeps the spread through ReLU, which halves the variance. */
  kaiming: (w: torch.Tensor) => nn.init.kaimingNormal_(w, { nonlinearity: "relu" }),
} as const;
export type Init = keyof typeof INITS;

/** The tutorial's model: a ModuleList of `depth` Linear(width, width) layers, each followed by `activation`. */
export class DeepNetwork extends nn.Module {
  layers: nn.ModuleList;

  constructor(
    readonly activation: Activation,
    depth = 50,
    width = 100,
  ) {
    super();
    this.layers = new nn.ModuleList(Array.from({ length: depth }, () => new nn.Linear(width, width)));
  }

  /** The input and the output of every layer (after its activation), in order. */
  activations(x: torch.Tensor): torch.Tensor[] {
    const outputs = [x];
    for (const layer of this.layers) outputs.push(ACTIVATIONS[this.activation](layer.call(outputs[outputs.length - 1])));
    return outputs;
  }

  override forward(x: torch.Tensor): torch.Tensor {
    return this.activations(x).at(-1)!;
  }

  /** The layers, typed. */
  linears(): nn.Linear[] {
    return [...this.layers] as nn.Linear[];
  }
}

/** What one run measures: standard deviations, forward (the input, then each layer) and backward (each layer's weight gradient). */
export interface Spreads {
  readonly forward: number[];
  readonly backward: number[];
}

/**
 * Builds the network after `torch.manualSeed(seed)`, zeroes its biases, initialises its weights
 * with `init`, sends a batch of 256 standard normal inputs through it, and back-propagates the
 * mean square of the output.
 */
export function measureSpreads(init: Init, activation: Activation, seed = 0, depth = 50): Spreads {
  torch.manualSeed(seed);
  const model = new DeepNetwork(activation, depth);
  torch.noGrad(() => {
    for (const layer of model.linears()) {
      layer.bias!.zero_();
      INITS[init](layer.weight);
    }
  });
  const x = torch.randn(256, 100, { requiresGrad: true });
  const outputs = model.activations(x);
  outputs.at(-1)!.square().mean().backward();
  const std = (t: torch.Tensor) => Number(t.std().item());
  return {
    forward: outputs.map(std),
    backward: model.linears().map((layer) => std(layer.weight.grad!)),
  };
}
