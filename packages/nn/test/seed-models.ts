/**
 * The seed document's own models, written with the public API as a user of @torchlet/nn writes
 * them (the TypeScript twins of the Python classes in the seed document).
 */
import { nn, torch } from "../src/index.ts";

export class ReluLayer extends nn.Module {
  override forward(x: torch.Tensor): torch.Tensor {
    return torch.maximum(x, torch.tensor(0));
  }
}

/** A layer with its own parameters, read through `.data` in forward (so they get no gradient). */
export class MyFCLayer extends nn.Module {
  weights: nn.Parameter;
  bias: nn.Parameter;
  constructor(inDim: number, outDim: number) {
    super();
    this.weights = new nn.Parameter(torch.randn(inDim, outDim));
    this.bias = new nn.Parameter(torch.randn(outDim));
  }
  override forward(x: torch.Tensor): torch.Tensor {
    return x.matmul(this.weights.data).add(this.bias.data);
  }
}

export class LinearReluStack extends nn.Module {
  stack = new nn.Sequential(new nn.Linear(28 * 28, 100), new ReluLayer(), new nn.Linear(100, 100), new ReluLayer(), new MyFCLayer(100, 10));
  override forward(x: torch.Tensor): torch.Tensor {
    return this.stack.call(x);
  }
}

export class NeuralNetwork extends nn.Module {
  flatten = new nn.Flatten();
  stack = new LinearReluStack();
  override forward(x: torch.Tensor): torch.Tensor {
    return this.stack.call(this.flatten.call(x));
  }
}

/** Registry listings in the fixtures' format: `[name, shape]` and `[name, class name]` pairs. */
export function shapes(pairs: Iterable<[string, torch.Tensor]>): [string, number[]][] {
  return [...pairs].map(([name, t]) => [name, [...t.shape]]);
}
export function classNames(pairs: Iterable<[string, nn.Module]>): [string, string][] {
  return [...pairs].map(([name, m]) => [name, m._getName()]);
}

/** Runs `fn`, which must throw; returns the Python type and the first line of the message. */
export function thrown(fn: () => unknown): { type: string; error: string } {
  try {
    fn();
  } catch (e) {
    const err = e as Error & { pythonType?: string };
    return { type: err.pythonType ?? err.name, error: err.message.split("\n")[0] };
  }
  throw new Error("expected an error, nothing was thrown");
}
