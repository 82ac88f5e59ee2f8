// The ground under nn.Module, in torchlet, cell for cell beside cells.py: tensors (making them,
// dtypes, shape and strides, views, broadcasting, reductions, matmul), autograd (the graph,
// backward, accumulation, noGrad, detach) and the WebGPU device. Every cell that draws random
// numbers starts from torch.manualSeed(0), as its Python twin does. Run it with `pnpm chapter 00`.

// %% id=imports
import { torch } from "@torchlet/nn";
import { tuple } from "@torchlet/cells";

// %% id=tensor-from-data
const a = torch.tensor([[1, 2, 3], [4, 5, 6]]);
a;

// %% id=creation
console.log(torch.zeros(2, 3));
console.log(torch.arange(6));
torch.arange(0, 1, 0.25);

// %% id=randn
torch.manualSeed(0);
torch.randn(2, 3);

// %% id=randn-paths
torch.manualSeed(0);
console.log(torch.randn(6)); // fewer than 16 numbers: drawn one at a time
torch.manualSeed(0);
torch.randn(16).index(":6"); // 16 or more: drawn in blocks of 16, another algorithm

// %% id=dtypes
tuple(torch.tensor([1, 2]).dtype, torch.tensor([1.5, 2]).dtype, torch.tensor([true, false]).dtype);

// %% id=float-pitfall
console.log(torch.tensor([1.0, 2.0])); // JavaScript reads 1.0 as the number 1
torch.tensor([1, 2]).add(1.0);

// %% id=float-fix
console.log(torch.tensor([1, 2], { dtype: torch.float32 }));
console.log(torch.tensor([1, 2]).float());
torch.tensor([1, 2]).add(0.5); // a fractional number lifts int64 to float32

// %% id=shape-stride
const m = torch.arange(12).view(3, 4);
console.log(m);
tuple(m.shape, m.stride(), m.storageOffset());

// %% id=view-shares
const v = m.view(2, 6);
v.index(1, 0).fill_(-1); // Python's v[1, 0] = -1
console.log(v);
m;

// %% id=transpose
const mt = m.t(); // the transpose of a matrix: m.transpose(0, 1)
console.log(mt);
console.log(tuple(mt.shape, mt.stride(), mt.storageOffset()));
torch.zeros(2, 3, 4).transpose(0, 2).stride(); // any two dimensions: strides [12, 4, 1] swap ends

// %% id=slicing
const column = m.index(":", 1); // Python's m[:, 1]
const corner = m.index("1:", "::2"); // Python's m[1:, ::2]
console.log(column, column.stride(), column.storageOffset());
console.log(corner);
tuple(corner.stride(), corner.storageOffset());

// %% id=expand
const row = torch.tensor([1, 2, 3]);
const grid = row.expand(2, 3);
console.log(grid, grid.stride());
row.index(0).fill_(100); // one element of row, read by both rows of grid
grid;

// %% id=expand-write tags=["raises-exception"]
grid.add_(1);

// %% id=contiguous
const mc = mt.contiguous(); // a copy, laid out row after row
tuple(m.isContiguous(), mt.isContiguous(), mc.isContiguous(), mc.stride());

// %% id=view-fails tags=["raises-exception"]
mt.view(12);

// %% id=reshape-copies
const flat = mt.reshape(12); // no view can read mt in its order, so reshape copies
flat.index(0).fill_(99);
console.log(flat);
m; // unchanged: flat has storage of its own

// %% id=broadcast
const tens = torch.tensor([[10], [20], [30]]); // shape (3, 1)
const ones = torch.tensor([1, 2, 3, 4]); // shape (4,)
tens.add(ones); // both are read as shape (3, 4)

// %% id=broadcast-error tags=["raises-exception"]
torch.ones(2, 3).add(torch.ones(2));

// %% id=reductions
const s = torch.arange(6, { dtype: torch.float32 }).view(2, 3);
console.log(s);
console.log(s.sum());
console.log(s.sum(0)); // over dimension 0: one sum per column
console.log(s.sum(1, true)); // over dimension 1, keeping it: shape (2, 1)
s.mean(1);

// %% id=max-dim
const { values, indices } = s.max(1);
tuple(values, indices);

// %% id=keepdim-broadcast
s.sub(s.mean(1, true)); // the (2, 1) means broadcast back over each row

// %% id=matmul
torch.manualSeed(0);
const A = torch.randn(2, 3);
const B = torch.randn(3, 4);
const C = A.matmul(B);
console.log(C.shape);
console.log(torch.randn(5, 2, 3).matmul(B).shape); // a batch of five (2, 3) matrices
C;

// %% id=requires-grad
const x = torch.tensor([0.5, 1.5, -2], { requiresGrad: true });
console.log(x);
tuple(x.isLeaf, x.gradFn);

// %% id=expression
const y = x.mul(x).add(x.mul(3)); // y = x² + 3x, element by element
const z = y.sum();
console.log(y);
z;

// %% id=grad-fn
tuple(z.gradFn!.name, y.gradFn!.name, y.isLeaf);

// %% id=graph
function showGraph(fn: torch.GradFn | null, depth = 0) {
  console.log("  ".repeat(depth) + (fn === null ? "None" : fn.name));
  if (fn !== null) {
    for (const [nextFn] of fn.nextFunctions) showGraph(nextFn, depth + 1);
  }
}

showGraph(z.gradFn);

// %% id=backward
z.backward();
x.grad; // dz/dx = 2x + 3

// %% id=backward-twice tags=["raises-exception"]
z.backward();

// %% id=accumulate
x.mul(x).add(x.mul(3)).sum().backward(); // a fresh graph, a second backward
x.grad;

// %% id=step-in-graph tags=["raises-exception"]
x.sub_(x.grad!.mul(0.1));

// %% id=step-no-grad
torch.noGrad(() => {
  x.sub_(x.grad!.mul(0.1));
});
x;

// %% id=zero-grad
x.grad!.zero_();
x.grad;

// %% id=no-grad
const doubled = torch.noGrad(() => x.mul(2));
tuple(doubled.requiresGrad, doubled.gradFn);

// %% id=detach
const d = x.detach();
d.index(0).fill_(10); // d shares x's storage, so x changes too
console.log(x);
tuple(d.requiresGrad, d.gradFn, x.data.requiresGrad);

// %% id=webgpu-init
// "cpu" where there is no WebGPU adapter: then every cell below stays on the CPU
const device = (await torch.webgpu.init()) ? "webgpu" : "cpu";
device;

// %% id=to-device
torch.manualSeed(0);
const g = torch.randn(2, 3).to(device);
console.log(g.device);

// %% id=gpu-op
const h = g.relu().mul(2); // runs on g's device
console.log(await h.format());

// %% id=gpu-memory
const before = torch.webgpu.memoryAllocated();
const big = torch.zeros(256, 256).to(device); // 65536 float32 numbers: 262144 bytes
console.log(torch.webgpu.memoryAllocated() - before);
big.dispose();
torch.webgpu.memoryAllocated() - before;

// %% id=gpu-temporaries
const start = torch.webgpu.memoryAllocated();
const u = torch.ones(64, 64).to(device); // 16384 bytes
const w = u.add(u).mul(u); // u.add(u) is a temporary: nothing refers to it any more
console.log(torch.webgpu.memoryAllocated() - start);
u.dispose();
w.dispose();

// %% id=tidy
const scopeStart = torch.webgpu.memoryAllocated();
const kept = torch.tidy(() => {
  const u = torch.ones(64, 64).to(device);
  return u.add(u).mul(u); // u and u.add(u) are disposed when tidy returns
});
console.log(torch.webgpu.memoryAllocated() - scopeStart);
kept.dispose();
torch.webgpu.memoryAllocated() - scopeStart;
