# The PyTorch twin of cells.ts: the Containers section of the seed document (nn.Sequential,
# nn.ModuleList, nn.ModuleDict), cell for cell. Every cell that draws random numbers starts from
# torch.manual_seed(0), so its output is the same each time it runs. pytorch-output.json is what
# these cells printed:
#   python3 chapters/record_pytorch.py chapters/06-containers

# %% id=imports
import torch
from torch import nn

# %% id=conv-sequential
torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(in_channels=1, out_channels=32, kernel_size=3, stride=1, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(kernel_size=2, stride=2),
    nn.Linear(32 * 14 * 14, 10),  # for 28x28 input images
)
print(model)

# %% id=conv-sequential-call tags=["raises-exception"]
torch.manual_seed(0)
x = torch.randn(1, 1, 28, 28)
model(x)

# %% id=conv-first-three
model[:3](x).shape

# %% id=conv-flatten
torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(in_channels=1, out_channels=32, kernel_size=3, stride=1, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(kernel_size=2, stride=2),
    nn.Flatten(),
    nn.Linear(32 * 14 * 14, 10),
)
print(model)

# %% id=conv-flatten-call
torch.manual_seed(0)
batch = torch.randn(8, 1, 28, 28)
model(batch).shape

# %% id=sequential-build
torch.manual_seed(0)
seq = nn.Sequential(nn.Linear(25, 100), nn.Linear(100, 10))
seq.insert(1, nn.ReLU())
seq.append(nn.Softmax(dim=1))
print(seq)

# %% id=sequential-index
seq[0], seq[-1], len(seq)

# %% id=sequential-slice
seq[1:3]

# %% id=sequential-index-error tags=["raises-exception"]
seq[4]

# %% id=my-sequential
class MySequential(nn.Module):
    def __init__(self, *args):
        super().__init__()
        for idx, module in enumerate(args):
            self.add_module(str(idx), module)

    def forward(self, x):
        # _modules is the module's own OrderedDict of children
        for module in self._modules.values():
            x = module(x)
        return x


torch.manual_seed(0)
mlp = MySequential(nn.Linear(25, 100), nn.ReLU(), nn.Linear(100, 10))
print(mlp)

# %% id=my-sequential-modules
mlp._modules

# %% id=my-sequential-call
torch.manual_seed(0)
x = torch.randn(2, 25)
mlp(x)

# %% id=module-list-no-forward tags=["raises-exception"]
layers = nn.ModuleList([nn.Linear(100, 100), nn.ReLU()])
layers(torch.randn(1, 100))

# %% id=module-list
class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(100, 100) for _ in range(50)])

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


torch.manual_seed(0)
net = MyModel()
len(net.layers), sum(p.numel() for p in net.parameters())

# %% id=plain-list
class PlainList(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = [nn.Linear(100, 100) for _ in range(50)]  # a Python list: nothing registered

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


plain = PlainList()
print(plain)
len(list(plain.parameters())), len(list(net.parameters()))

# %% id=module-list-index-error tags=["raises-exception"]
net.layers[50]

# %% id=spreads
def spreads(model, x):
    """The standard deviation of x, then of the activations after each layer of model."""
    with torch.no_grad():
        stds = [x.std().item()]
        for layer in model.layers:
            x = layer(x)
            stds.append(x.std().item())
    return stds

# %% id=spread-default
torch.manual_seed(0)
net = MyModel()
for layer in net.layers:
    nn.init.zeros_(layer.bias)  # only the weights decide how the spread changes
x = torch.randn(256, 100)
shrinking = spreads(net, x)
torch.tensor(shrinking[:6])

# %% id=spread-normal
for layer in net.layers:
    nn.init.normal_(layer.weight, std=1)
exploding = spreads(net, x)
torch.tensor(exploding[:6])

# %% id=spread-xavier
for layer in net.layers:
    nn.init.xavier_normal_(layer.weight)
steady = spreads(net, x)
torch.tensor(steady[:6])

# %% id=spread-table
torch.tensor([shrinking, exploding, steady]).T[::5]

# %% id=module-dict
class MyDictModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleDict(
            {"conv": nn.Conv2d(1, 32, 3, 1), "fc": nn.Linear(32 * 26 * 26, 10)}
        )

    def forward(self, x):
        x = self.layers["conv"](x)
        x = x.view(x.size(0), -1)
        x = self.layers["fc"](x)
        return x


torch.manual_seed(0)
conv_net = MyDictModel()
print(conv_net)

# %% id=module-dict-call
conv_net(batch).shape

# %% id=module-dict-keys
list(conv_net.layers.keys()), list(conv_net.state_dict().keys())

# %% id=module-dict-key-error tags=["raises-exception"]
conv_net.layers["pool"]
