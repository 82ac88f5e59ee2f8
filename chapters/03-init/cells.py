# The PyTorch twin of cells.ts: the section 参数初始化 (initialising parameters) of the seed
# document, cell for cell, with a few cells added to show what the initialisation changed. Every
# cell that draws random numbers starts from torch.manual_seed(0). pytorch-output.json is what
# these cells printed:
#   python3 chapters/record_pytorch.py chapters/03-init

# %% id=imports
import math
import torch
from torch import nn

# %% id=mlp
torch.manual_seed(0)
mlp = nn.Sequential(nn.Linear(25, 100), nn.ReLU(), nn.Linear(100, 10))
mlp

# %% id=describe
def describe(model):
    """One line per parameter: its name, then the mean and the spread of its values."""
    for name, p in model.named_parameters():
        print(f"{name:8}  mean {p.mean():+.4f}  std {p.std():.4f}")


describe(mlp)

# %% id=norm-init
def norm_init(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, mean=0, std=0.01)
        nn.init.zeros_(m.bias)


torch.manual_seed(0)
mlp = mlp.apply(norm_init)

# %% id=after-norm-init
describe(mlp)

# %% id=weight-after-norm-init
mlp[0].weight

# %% id=apply-order
# apply visits the children first, the module itself last, and returns the module
mlp.apply(lambda m: print(type(m).__name__))

# %% id=type-or-isinstance
class MyLinear(nn.Linear):
    """A Linear layer under another name: a subclass that changes nothing."""


layer = MyLinear(2, 2)
type(layer) == nn.Linear, isinstance(layer, nn.Linear)

# %% id=xavier-init
def xavier_init(m):
    if type(m) == nn.Linear:
        nn.init.xavier_normal_(m.weight)


torch.manual_seed(0)
mlp[2].apply(xavier_init)

# %% id=after-xavier-init
describe(mlp)

# %% id=xavier-std
# the spread xavier_normal_ aims for: gain * sqrt(2 / (fan_in + fan_out)), with gain 1
math.sqrt(2 / (100 + 10))

# %% id=weight-after-xavier-init
mlp[2].weight[:, :5]
