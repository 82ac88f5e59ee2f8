// The seed document's section on sharing a layer between several places of a network, in
// torchlet, cell for cell beside cells.py. Every cell that draws random numbers starts from
// torch.manualSeed(0), as its Python twin does, so both print the same numbers. Run it with
// `pnpm chapter 04`.

// %% id=imports
import { torch, nn } from "@torchlet/nn";

// %% id=shared-net
torch.manualSeed(0);
const shared = new nn.Linear(8, 8); // the layer whose parameters are shared
const net = new nn.Sequential(
  new nn.Linear(4, 8), new nn.ReLU(), shared, new nn.ReLU(), shared, new nn.ReLU(), new nn.Linear(8, 1),
);

// %% id=repr
console.log(net);
net[2] === net[4];

// %% id=named-children
for (const [name, mod] of net.namedChildren()) {
  console.log(mod);
}

// %% id=child-names
console.log([...net._modules.keys()]);
[...net.namedChildren()].map(([name, mod]) => name);

// %% id=named-parameters
for (const [name, param] of net.namedParameters()) {
  console.log(name, param.shape);
}

// %% id=count
[...net.parameters()].reduce((total, param) => total + param.numel(), 0);

// %% id=state-dict-keys
[...net.stateDict().keys()];

// %% id=backward
torch.manualSeed(0);
const x = torch.randn(3, 4);
net.call(x).sum().backward();
shared.bias!.grad;

// %% id=unshared
const first = new nn.Linear(8, 8);
const second = new nn.Linear(8, 8);
first.loadStateDict(shared.stateDict());
second.loadStateDict(shared.stateDict());
const unshared = new nn.Sequential(net[0], net[1], first, net[3], second, net[5], net[6]);
unshared.call(x).sum().backward();
console.log(first.bias!.grad);
console.log(second.bias!.grad);

// %% id=sum-of-uses
console.log(first.bias!.grad!.add(second.bias!.grad!));
shared.weight.grad!.sub(first.weight.grad!.add(second.weight.grad!)).abs().max();
