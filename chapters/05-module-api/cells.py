# The PyTorch twin of cells.ts: the seed document's section on the common interfaces of
# nn.Module (buffers and parameters, register_buffer and register_parameter, the __setattr__
# flow, apply and _apply), cell for cell, with train/eval mode added. Every cell that draws random
# numbers starts from torch.manual_seed(0), so its output is the same each time it runs.
# pytorch-output.json is what these cells printed:
#   python3 chapters/record_pytorch.py chapters/05-module-api

# %% id=imports
import torch
from torch import nn

# %% id=batchnorm-members
batch_norm = nn.BatchNorm2d(num_features=128)

print("Buffers:")
for name, buffer in batch_norm.named_buffers():
    print(f"\t{name}: {buffer.shape}")
print("Parameters:")
for name, param in batch_norm.named_parameters():
    print(f"\t{name}: {param.shape}")

# %% id=batchnorm-registries
print(list(batch_norm._parameters))
print(list(batch_norm._buffers))
batch_norm.num_batches_tracked

# %% id=register-buffer
class BatchNorm2D(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.mean = nn.Parameter(torch.randn(num_features))
        self.var = nn.Parameter(torch.randn(num_features))
        self.register_buffer("moving_mean", torch.randn(num_features))
        self.register_buffer("moving_var", torch.randn(num_features))


torch.manual_seed(0)
bn = BatchNorm2D(4)
print("parameters:", [name for name, param in bn.named_parameters()])
print("buffers:", [name for name, buffer in bn.named_buffers()])

# %% id=state-dict
bn.state_dict()

# %% id=plain-tensor
class Unregistered(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.moving_mean = torch.zeros(num_features)  # a plain tensor: neither a parameter nor a buffer


unregistered = Unregistered(4)
list(unregistered.state_dict())

# %% id=register-parameter
class ChannelGains(nn.Module):
    def __init__(self, channels):
        super().__init__()
        for channel in channels:  # the names are known only when the module is made
            self.register_parameter(f"gain_{channel}", nn.Parameter(torch.ones(1)))


gains = ChannelGains(["red", "green", "blue"])
print([name for name, param in gains.named_parameters()])
gains.get_parameter("gain_green")

# %% id=register-taken-name
try:
    gains.register_parameter("training", nn.Parameter(torch.ones(1)))
except KeyError as error:
    print(f"{type(error).__name__}: {error}")
[name for name, param in gains.named_parameters()]

# %% id=setattr-flow
class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        print("at first:", self._parameters, self._buffers, self._modules)
        self.weight = nn.Parameter(torch.ones(2))
        print("weight assigned:", self._parameters)
        self.act = nn.ReLU()
        print("act assigned:", self._modules)
        self.register_buffer("steps", torch.zeros(1))
        print("steps registered:", self._buffers)
        self.steps = torch.ones(1)
        print("steps assigned:", self._buffers)
        self.note = "a plain attribute"


tiny = Tiny()

# %% id=setattr-where
"weight" in vars(tiny), "note" in vars(tiny), tiny.weight is tiny._parameters["weight"]

# %% id=class-field
class Scale(nn.Module):
    def __init__(self):
        super().__init__()
        self.gain = nn.Parameter(torch.ones(3))

    def forward(self, x):
        return x * self.gain


list(Scale()._parameters)

# %% id=apply-init
def norm_init(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, mean=0, std=0.01)
        nn.init.zeros_(m.bias)


torch.manual_seed(0)
model = nn.Linear(100, 100)
model = model.apply(norm_init)
print(model.weight.var().sqrt())
model.bias.abs().max()

# %% id=apply-walk
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm2d(2))


def show_module(m):
    print("apply got a module:", m._get_name())


net.apply(show_module)

# %% id=apply-tensors
def show_tensor(t):
    print("_apply got a tensor:", t.shape)
    return t


net = net._apply(show_tensor)

# %% id=to-device
# model.cuda() is model._apply(lambda t: t.cuda()). The machine that recorded this chapter has no
# CUDA GPU, so there the model stays on the CPU.
device = "cuda" if torch.cuda.is_available() else "cpu"
weight = model.weight
model = model.to(device)
print(model.weight.device)
model.weight is weight

# %% id=train-mode
torch.manual_seed(0)
norm = nn.BatchNorm2d(2)
x = torch.randn(4, 2, 3, 3)
print(norm.training)
y = norm(x)
print(norm.running_mean)
norm.num_batches_tracked

# %% id=eval-mode
norm.eval()
print(norm.training)
y = norm(x)
print(norm.running_mean)
norm.num_batches_tracked

# %% id=eval-output
print(norm(x)[0, 0, 0])
norm.train()
norm(x)[0, 0, 0]

# %% id=modes-recurse
net.eval()
print([m.training for m in net.modules()])
net.train()
[m.training for m in net.modules()]
