# The PyTorch twin of cells.ts: the first section of the seed document (nn.Module), cell for
# cell. Every cell that draws random numbers starts from torch.manual_seed(0), so its output is
# the same each time it runs. pytorch-output.json is what these cells printed:
#   python3 chapters/record_pytorch.py chapters/01-module

# %% id=imports
import torch
from torch import nn

# %% id=relu-layer
class ReluLayer(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x):
        return torch.maximum(x, torch.tensor(0))

relu = ReluLayer()
print(relu)

# %% id=relu-call
torch.manual_seed(0)
a = torch.randn(2, 3)
relu(a)

# %% id=fc-layer
# a layer with parameters
class MyFCLayer(nn.Module):
    def __init__(self, in_dim, out_dim):
        super().__init__()
        self.weights = nn.Parameter(torch.randn(in_dim, out_dim))
        self.bias = nn.Parameter(torch.randn(out_dim))

    def forward(self, x):
        return x.matmul(self.weights.data) + self.bias.data


torch.manual_seed(0)
fclayer = MyFCLayer(25, 10)
print(fclayer)

# %% id=fc-call
torch.manual_seed(0)
a = torch.randn(1, 25)
fclayer(a)

# %% id=block
class LinearReluStack(nn.Module):
    def __init__(self):
        super().__init__()
        self.stack = nn.Sequential(
            nn.Linear(28 * 28, 100),
            ReluLayer(),
            nn.Linear(100, 100),
            ReluLayer(),
            MyFCLayer(100, 10),
        )

    def forward(self, x):
        return self.stack(x)


torch.manual_seed(0)
linear_relu_stack = LinearReluStack()
print(linear_relu_stack)

# %% id=block-call
torch.manual_seed(0)
a = torch.randn(1, 28 * 28)
linear_relu_stack(a)

# %% id=model
class NeuralNetwork(nn.Module):
    def __init__(self):
        super(NeuralNetwork, self).__init__()
        self.flatten = nn.Flatten()
        self.stack = LinearReluStack()

    def forward(self, x):
        return self.stack(self.flatten(x))


torch.manual_seed(0)
model = NeuralNetwork()
print(model)

# %% id=model-call
torch.manual_seed(0)
a = torch.randn(1, 28, 28)
model(a)
