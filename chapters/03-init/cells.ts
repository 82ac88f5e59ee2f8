// The section 参数初始化 (initialising parameters) of the seed document in torchlet, cell for cell
// beside cells.py, with a few cells added to show what the initialisation changed. Every cell that
// draws random numbers starts from torch.manualSeed(0), as its Python twin does. Run it with
// `pnpm chapter 03`.

// %% id=imports
import { torch, nn } from "@torchlet/nn";
import { tuple } from "@torchlet/cells";

// %% id=mlp
torch.manualSeed(0);
let mlp = new nn.Sequential(new nn.Linear(25, 100), new nn.ReLU(), new nn.Linear(100, 10));
mlp;

// %% id=describe
/** One line per parameter: its name, then the mean and the spread of its values. */
function describe(model: nn.Module) {
  for (const [name, p] of model.namedParameters()) {
    const mean = p.mean().item() as number;
    const std = p.std().item() as number;
    console.log(`${name.padEnd(8)}  mean ${mean < 0 ? "" : "+"}${mean.toFixed(4)}  std ${std.toFixed(4)}`);
  }
}

describe(mlp);

// %% id=norm-init
function normInit(m: nn.Module) {
  if (m.constructor === nn.Linear) {
    const linear = m as nn.Linear;
    nn.init.normal_(linear.weight, { mean: 0, std: 0.01 });
    nn.init.zeros_(linear.bias!);
  }
}

torch.manualSeed(0);
mlp = mlp.apply(normInit);

// %% id=after-norm-init
describe(mlp);

// %% id=weight-after-norm-init
(mlp[0] as nn.Linear).weight;

// %% id=apply-order
// apply visits the children first, the module itself last, and returns the module
mlp.apply((m) => console.log(m.constructor.name));

// %% id=type-or-isinstance
/** A Linear layer under another name: a subclass that changes nothing. */
class MyLinear extends nn.Linear {}

const layer = new MyLinear(2, 2);
tuple(layer.constructor === nn.Linear, layer instanceof nn.Linear);

// %% id=xavier-init
function xavierInit(m: nn.Module) {
  if (m.constructor === nn.Linear) {
    nn.init.xavierNormal_((m as nn.Linear).weight);
  }
}

torch.manualSeed(0);
mlp[2].apply(xavierInit);

// %% id=after-xavier-init
describe(mlp);

// %% id=xavier-std
// the spread xavierNormal_ aims for: gain * sqrt(2 / (fanIn + fanOut)), with gain 1
Math.sqrt(2 / (100 + 10));

// %% id=weight-after-xavier-init
(mlp[2] as nn.Linear).weight.index(":", ":5");
