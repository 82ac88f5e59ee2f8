# The PyTorch twin of cells.ts: the section 参数 (parameters) of the seed document, cell for cell,
# with a few cells added to show what the seed's cells leave unsaid. Every cell that draws random
# numbers starts from torch.manual_seed(0). pytorch-output.json is what these cells printed:
#   python3 chapters/record_pytorch.py chapters/02-parameters

# %% id=imports
import torch
from torch import nn

# %% id=mlp
torch.manual_seed(0)
mlp = nn.Sequential(nn.Linear(25, 100), nn.ReLU(), nn.Linear(100, 10))
mlp

# %% id=index
# a Sequential is indexed by position
first_layer = mlp[0]
first_layer

# %% id=index-negative
mlp[-1]

# %% id=bias
# the attributes of that module
first_layer.bias

# %% id=weight
first_layer.weight

# %% id=layer-state-dict
# state_dict holds the state (parameters and buffers) of a module and of all its children
first_layer.state_dict()

# %% id=state-dict-type
type(mlp.state_dict())

# %% id=state-dict-keys
list(mlp.state_dict().keys())

# %% id=named-parameters
# every parameter, with its name
print(*[(name, param.shape) for name, param in mlp.named_parameters()])

# %% id=state-dict-get
# reading one entry of the OrderedDict
mlp.state_dict()["2.weight"].shape

# %% id=parameter
mlp[2].bias

# %% id=data
mlp[2].bias.data

# %% id=grad-none
first_layer.bias.shape, first_layer.bias.grad

# %% id=backward
torch.manual_seed(0)
x = torch.randn(3, 25)
loss = mlp(x).sum()
loss.backward()
first_layer.bias.grad.shape, mlp[2].bias.grad
