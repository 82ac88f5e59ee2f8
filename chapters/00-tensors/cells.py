# The PyTorch twin of cells.ts: tensors, autograd and the GPU device, cell for cell. Every cell
# that draws random numbers starts from torch.manual_seed(0), so its output is the same each time
# it runs. torchlet's stride() gives a JavaScript array where PyTorch gives a tuple, so the cells
# here show strides with list(...). pytorch-output.json is what these cells printed:
#   python3 chapters/record_pytorch.py chapters/00-tensors

# %% id=imports
import torch

# %% id=tensor-from-data
a = torch.tensor([[1, 2, 3], [4, 5, 6]])
a

# %% id=creation
print(torch.zeros(2, 3))
print(torch.arange(6))
torch.arange(0, 1, 0.25)

# %% id=randn
torch.manual_seed(0)
torch.randn(2, 3)

# %% id=randn-paths
torch.manual_seed(0)
print(torch.randn(6))  # fewer than 16 numbers: drawn one at a time
torch.manual_seed(0)
torch.randn(16)[:6]  # 16 or more: drawn in blocks of 16, another algorithm

# %% id=dtypes
torch.tensor([1, 2]).dtype, torch.tensor([1.5, 2]).dtype, torch.tensor([True, False]).dtype

# %% id=float-pitfall
print(torch.tensor([1.0, 2.0]))
torch.tensor([1, 2]) + 1.0

# %% id=float-fix
print(torch.tensor([1, 2], dtype=torch.float32))
print(torch.tensor([1, 2]).float())
torch.tensor([1, 2]) + 0.5  # a fractional number lifts int64 to float32

# %% id=shape-stride
m = torch.arange(12).view(3, 4)
print(m)
m.shape, list(m.stride()), m.storage_offset()

# %% id=view-shares
v = m.view(2, 6)
v[1, 0] = -1
print(v)
m

# %% id=transpose
mt = m.t()  # the transpose of a matrix: m.transpose(0, 1)
print(mt)
print((mt.shape, list(mt.stride()), mt.storage_offset()))
list(torch.zeros(2, 3, 4).transpose(0, 2).stride())  # any two dimensions: strides [12, 4, 1] swap ends

# %% id=slicing
column = m[:, 1]
corner = m[1:, ::2]
print(column, list(column.stride()), column.storage_offset())
print(corner)
list(corner.stride()), corner.storage_offset()

# %% id=expand
row = torch.tensor([1, 2, 3])
grid = row.expand(2, 3)
print(grid, list(grid.stride()))
row[0] = 100  # one element of row, read by both rows of grid
grid

# %% id=expand-write tags=["raises-exception"]
grid.add_(1)

# %% id=contiguous
mc = mt.contiguous()  # a copy, laid out row after row
m.is_contiguous(), mt.is_contiguous(), mc.is_contiguous(), list(mc.stride())

# %% id=view-fails tags=["raises-exception"]
mt.view(12)

# %% id=reshape-copies
flat = mt.reshape(12)  # no view can read mt in its order, so reshape copies
flat[0] = 99
print(flat)
m  # unchanged: flat has storage of its own

# %% id=broadcast
tens = torch.tensor([[10], [20], [30]])  # shape (3, 1)
ones = torch.tensor([1, 2, 3, 4])  # shape (4,)
tens + ones  # both are read as shape (3, 4)

# %% id=broadcast-error tags=["raises-exception"]
torch.ones(2, 3) + torch.ones(2)

# %% id=reductions
s = torch.arange(6, dtype=torch.float32).view(2, 3)
print(s)
print(s.sum())
print(s.sum(0))  # over dimension 0: one sum per column
print(s.sum(1, keepdim=True))  # over dimension 1, keeping it: shape (2, 1)
s.mean(1)

# %% id=max-dim
values, indices = s.max(1)
values, indices

# %% id=keepdim-broadcast
s - s.mean(1, keepdim=True)  # the (2, 1) means broadcast back over each row

# %% id=matmul
torch.manual_seed(0)
A = torch.randn(2, 3)
B = torch.randn(3, 4)
C = A.matmul(B)
print(C.shape)
print(torch.randn(5, 2, 3).matmul(B).shape)  # a batch of five (2, 3) matrices
C

# %% id=requires-grad
x = torch.tensor([0.5, 1.5, -2.0], requires_grad=True)
print(x)
x.is_leaf, x.grad_fn

# %% id=expression
y = x * x + x * 3  # y = x² + 3x, element by element
z = y.sum()
print(y)
z

# %% id=grad-fn
type(z.grad_fn).__name__, type(y.grad_fn).__name__, y.is_leaf

# %% id=graph
def show_graph(fn, depth=0):
    print("  " * depth + ("None" if fn is None else type(fn).__name__))
    if fn is not None:
        for next_fn, _ in fn.next_functions:
            show_graph(next_fn, depth + 1)


show_graph(z.grad_fn)

# %% id=backward
z.backward()
x.grad  # dz/dx = 2x + 3

# %% id=backward-twice tags=["raises-exception"]
z.backward()

# %% id=accumulate
(x * x + x * 3).sum().backward()  # a fresh graph, a second backward
x.grad

# %% id=step-in-graph tags=["raises-exception"]
x.sub_(x.grad * 0.1)

# %% id=step-no-grad
with torch.no_grad():
    x.sub_(x.grad * 0.1)
x

# %% id=zero-grad
x.grad.zero_()
x.grad

# %% id=no-grad
with torch.no_grad():
    doubled = x * 2
doubled.requires_grad, doubled.grad_fn

# %% id=detach
d = x.detach()
d[0] = 10  # d shares x's storage, so x changes too
print(x)
d.requires_grad, d.grad_fn, x.data.requires_grad

# %% id=webgpu-init
# the GPU of PyTorch is CUDA; "cpu" where there is none: then every cell below stays on the CPU
device = "cuda" if torch.cuda.is_available() else "cpu"
device

# %% id=to-device
torch.manual_seed(0)
g = torch.randn(2, 3).to(device)
print(g.device)

# %% id=gpu-op
h = g.relu() * 2  # runs on g's device
print(h)

# %% id=gpu-memory
before = torch.cuda.memory_allocated()
big = torch.zeros(256, 256).to(device)  # 65536 float32 numbers: 262144 bytes
print(torch.cuda.memory_allocated() - before)
del big
torch.cuda.memory_allocated() - before

# %% id=gpu-temporaries
start = torch.cuda.memory_allocated()
u = torch.ones(64, 64).to(device)  # 16384 bytes
w = (u + u) * u  # u + u is a temporary: nothing refers to it any more
print(torch.cuda.memory_allocated() - start)
del u, w

# %% id=tidy
def step():
    u = torch.ones(64, 64).to(device)
    return (u + u) * u  # u and u + u are freed when step returns


scope_start = torch.cuda.memory_allocated()
kept = step()
print(torch.cuda.memory_allocated() - scope_start)
del kept
torch.cuda.memory_allocated() - scope_start
