// The Containers section of the seed document (nn.Sequential, nn.ModuleList, nn.ModuleDict) in
// torchlet, cell for cell beside cells.py. Every cell that draws random numbers starts from
// torch.manualSeed(0), as its Python twin does, so both print the same numbers.
// Run it with `pnpm chapter 06`.

// %% id=imports
import { torch, nn } from "@torchlet/nn";
import { tuple } from "@torchlet/cells";

// %% id=conv-sequential
torch.manualSeed(0);
let model = new nn.Sequential(
  new nn.Conv2d({ inChannels: 1, outChannels: 32, kernelSize: 3, stride: 1, padding: 1 }),
  new nn.ReLU(),
  new nn.MaxPool2d({ kernelSize: 2, stride: 2 }),
  new nn.Linear(32 * 14 * 14, 10), // for 28x28 input images
);
console.log(model);

// %% id=conv-sequential-call tags=["raises-exception"]
torch.manualSeed(0);
let x = torch.randn(1, 1, 28, 28);
model.call(x);

// %% id=conv-first-three
model.slice(0, 3).call(x).shape;

// %% id=conv-flatten
torch.manualSeed(0);
model = new nn.Sequential(
  new nn.Conv2d({ inChannels: 1, outChannels: 32, kernelSize: 3, stride: 1, padding: 1 }),
  new nn.ReLU(),
  new nn.MaxPool2d({ kernelSize: 2, stride: 2 }),
  new nn.Flatten(),
  new nn.Linear(32 * 14 * 14, 10),
);
console.log(model);

// %% id=conv-flatten-call
torch.manualSeed(0);
const batch = torch.randn(8, 1, 28, 28);
model.call(batch).shape;

// %% id=sequential-build
torch.manualSeed(0);
const seq = new nn.Sequential(new nn.Linear(25, 100), new nn.Linear(100, 10));
seq.insert(1, new nn.ReLU());
seq.append(new nn.Softmax(1));
console.log(seq);

// %% id=sequential-index
tuple(seq.at(0), seq.at(-1), seq.length);

// %% id=sequential-slice
seq.slice(1, 3);

// %% id=sequential-index-error tags=["raises-exception"]
seq.at(4);

// %% id=my-sequential
class MySequential extends nn.Module {
  constructor(...args: nn.Module[]) {
    super();
    for (const [idx, module] of args.entries()) {
      this.addModule(String(idx), module);
    }
  }

  forward(x: torch.Tensor) {
    // _modules is the module's own Map of children
    for (const module of this._modules.values()) {
      x = module!.call(x);
    }
    return x;
  }
}

torch.manualSeed(0);
const mlp = new MySequential(new nn.Linear(25, 100), new nn.ReLU(), new nn.Linear(100, 10));
console.log(mlp);

// %% id=my-sequential-modules
mlp._modules;

// %% id=my-sequential-call
torch.manualSeed(0);
x = torch.randn(2, 25);
mlp.call(x);

// %% id=module-list-no-forward tags=["raises-exception"]
const layers = new nn.ModuleList([new nn.Linear(100, 100), new nn.ReLU()]);
layers.call(torch.randn(1, 100));

// %% id=module-list
class MyModel extends nn.Module {
  layers: nn.ModuleList;
  constructor() {
    super();
    this.layers = new nn.ModuleList(Array.from({ length: 50 }, () => new nn.Linear(100, 100)));
  }

  forward(x: torch.Tensor) {
    for (const layer of this.layers) {
      x = layer.call(x);
    }
    return x;
  }
}

torch.manualSeed(0);
let net = new MyModel();
tuple(net.layers.length, [...net.parameters()].reduce((n, p) => n + p.numel(), 0));

// %% id=plain-list
class PlainList extends nn.Module {
  layers: nn.Linear[];
  constructor() {
    super();
    this.layers = Array.from({ length: 50 }, () => new nn.Linear(100, 100)); // an array: nothing registered
  }

  forward(x: torch.Tensor) {
    for (const layer of this.layers) {
      x = layer.call(x);
    }
    return x;
  }
}

const plain = new PlainList();
console.log(plain);
tuple([...plain.parameters()].length, [...net.parameters()].length);

// %% id=module-list-index-error tags=["raises-exception"]
net.layers.at(50);

// %% id=spreads
/** The standard deviation of x, then of the activations after each layer of model. */
function spreads(model: MyModel, x: torch.Tensor): number[] {
  return torch.noGrad(() => {
    const stds = [Number(x.std().item())];
    for (const layer of model.layers) {
      x = layer.call(x);
      stds.push(Number(x.std().item()));
    }
    return stds;
  });
}

// %% id=spread-default
torch.manualSeed(0);
net = new MyModel();
for (const layer of net.layers as Iterable<nn.Linear>) {
  nn.init.zeros_(layer.bias!); // only the weights decide how the spread changes
}
x = torch.randn(256, 100);
const shrinking = spreads(net, x);
torch.tensor(shrinking.slice(0, 6));

// %% id=spread-normal
for (const layer of net.layers as Iterable<nn.Linear>) {
  nn.init.normal_(layer.weight, { std: 1 });
}
const exploding = spreads(net, x);
torch.tensor(exploding.slice(0, 6));

// %% id=spread-xavier
for (const layer of net.layers as Iterable<nn.Linear>) {
  nn.init.xavierNormal_(layer.weight);
}
const steady = spreads(net, x);
torch.tensor(steady.slice(0, 6));

// %% id=spread-table
torch.tensor([shrinking, exploding, steady]).T.index("::5");

// %% id=module-dict
class MyDictModel extends nn.Module {
  layers: nn.ModuleDict;
  constructor() {
    super();
    this.layers = new nn.ModuleDict(
      { conv: new nn.Conv2d(1, 32, 3, { stride: 1 }), fc: new nn.Linear(32 * 26 * 26, 10) },
    );
  }

  forward(x: torch.Tensor) {
    x = this.layers.get("conv").call(x);
    x = x.view(x.size(0), -1);
    x = this.layers.get("fc").call(x);
    return x;
  }
}

torch.manualSeed(0);
const convNet = new MyDictModel();
console.log(convNet);

// %% id=module-dict-call
convNet.call(batch).shape;

// %% id=module-dict-keys
tuple([...convNet.layers.keys()], [...convNet.stateDict().keys()]);

// %% id=module-dict-key-error tags=["raises-exception"]
convNet.layers.get("pool");
