// The section 参数 (parameters) of the seed document in torchlet, cell for cell beside cells.py,
// with a few cells added to show what the seed's cells leave unsaid. Every cell that draws random
// numbers starts from torch.manualSeed(0), as its Python twin does. Run it with `pnpm chapter 02`.

// %% id=imports
import { torch, nn } from "@torchlet/nn";
import { tuple } from "@torchlet/cells";

// %% id=mlp
torch.manualSeed(0);
const mlp = new nn.Sequential(new nn.Linear(25, 100), new nn.ReLU(), new nn.Linear(100, 10));
mlp;

// %% id=index
// a Sequential is indexed by position
const firstLayer = mlp[0] as nn.Linear;
firstLayer;

// %% id=index-negative
mlp.at(-1);

// %% id=bias
// the attributes of that module
firstLayer.bias;

// %% id=weight
firstLayer.weight;

// %% id=layer-state-dict
// stateDict holds the state (parameters and buffers) of a module and of all its children
firstLayer.stateDict();

// %% id=state-dict-type
mlp.stateDict().constructor.name;

// %% id=state-dict-keys
[...mlp.stateDict().keys()];

// %% id=named-parameters
// every parameter, with its name
console.log(...[...mlp.namedParameters()].map(([name, param]) => tuple(name, param.shape)));

// %% id=state-dict-get
// reading one entry of the Map
mlp.stateDict().get("2.weight")!.shape;

// %% id=parameter
const lastLayer = mlp[2] as nn.Linear;
lastLayer.bias;

// %% id=data
lastLayer.bias!.data;

// %% id=grad-none
tuple(firstLayer.bias!.shape, firstLayer.bias!.grad);

// %% id=backward
torch.manualSeed(0);
const x = torch.randn(3, 25);
const loss = mlp.call(x).sum();
loss.backward();
tuple(firstLayer.bias!.grad!.shape, lastLayer.bias!.grad);
