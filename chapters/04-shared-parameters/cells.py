# The PyTorch twin of cells.ts: the seed document's section on sharing a layer between several
# places of a network, cell for cell. Every cell that draws random numbers starts from
# torch.manual_seed(0), so its output is the same each time it runs. pytorch-output.json is what
# these cells printed:
#   python3 chapters/record_pytorch.py chapters/04-shared-parameters

# %% id=imports
import torch
from torch import nn

# %% id=shared-net
torch.manual_seed(0)
shared = nn.Linear(8, 8)  # the layer whose parameters are shared
net = nn.Sequential(
    nn.Linear(4, 8), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(), nn.Linear(8, 1)
)

# %% id=repr
print(net)
net[2] is net[4]

# %% id=named-children
for name, mod in net.named_children():
    print(mod)

# %% id=child-names
print(list(net._modules))
[name for name, mod in net.named_children()]

# %% id=named-parameters
for name, param in net.named_parameters():
    print(name, param.shape)

# %% id=count
sum(param.numel() for param in net.parameters())

# %% id=state-dict-keys
list(net.state_dict())

# %% id=backward
torch.manual_seed(0)
x = torch.randn(3, 4)
net(x).sum().backward()
shared.bias.grad

# %% id=unshared
first = nn.Linear(8, 8)
second = nn.Linear(8, 8)
first.load_state_dict(shared.state_dict())
second.load_state_dict(shared.state_dict())
unshared = nn.Sequential(net[0], net[1], first, net[3], second, net[5], net[6])
unshared(x).sum().backward()
print(first.bias.grad)
print(second.bias.grad)

# %% id=sum-of-uses
print(first.bias.grad + second.bias.grad)
(shared.weight.grad - (first.weight.grad + second.weight.grad)).abs().max()
