// The first section of the seed document (nn.Module) in torchlet, cell for cell beside cells.py.
// Every cell that draws random numbers starts from torch.manualSeed(0), as its Python twin does,
// so both print the same numbers. Run it with `pnpm chapter 01`.

// %% id=imports
import { torch, nn } from "@torchlet/nn";

// %% id=relu-layer
class ReluLayer extends nn.Module {
  constructor() {
    super();
  }

  forward(x: torch.Tensor) {
    return torch.maximum(x, torch.tensor(0));
  }
}

const relu = new ReluLayer();
console.log(relu);

// %% id=relu-call
torch.manualSeed(0);
let a = torch.randn(2, 3);
relu.call(a);

// %% id=fc-layer
// a layer with parameters
class MyFCLayer extends nn.Module {
  weights: nn.Parameter;
  bias: nn.Parameter;
  constructor(inDim: number, outDim: number) {
    super();
    this.weights = new nn.Parameter(torch.randn(inDim, outDim));
    this.bias = new nn.Parameter(torch.randn(outDim));
  }

  forward(x: torch.Tensor) {
    return x.matmul(this.weights.data).add(this.bias.data);
  }
}

torch.manualSeed(0);
const fclayer = new MyFCLayer(25, 10);
console.log(fclayer);

// %% id=fc-call
torch.manualSeed(0);
a = torch.randn(1, 25);
fclayer.call(a);

// %% id=block
class LinearReluStack extends nn.Module {
  stack: nn.Sequential;
  constructor() {
    super();
    this.stack = new nn.Sequential(
      new nn.Linear(28 * 28, 100),
      new ReluLayer(),
      new nn.Linear(100, 100),
      new ReluLayer(),
      new MyFCLayer(100, 10),
    );
  }

  forward(x: torch.Tensor) {
    return this.stack.call(x);
  }
}

torch.manualSeed(0);
const linearReluStack = new LinearReluStack();
console.log(linearReluStack);

// %% id=block-call
torch.manualSeed(0);
a = torch.randn(1, 28 * 28);
linearReluStack.call(a);

// %% id=model
class NeuralNetwork extends nn.Module {
  flatten: nn.Flatten;
  stack: LinearReluStack;
  constructor() {
    super();
    this.flatten = new nn.Flatten();
    this.stack = new LinearReluStack();
  }

  forward(x: torch.Tensor) {
    return this.stack.call(this.flatten.call(x));
  }
}

torch.manualSeed(0);
const model = new NeuralNetwork();
console.log(model);

// %% id=model-call
torch.manualSeed(0);
a = torch.randn(1, 28, 28);
model.call(a);
