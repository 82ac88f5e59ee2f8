# The PyTorch twin of cells.ts: the same matrices, the same checks, and PyTorch's own matrix
# product timed on the same machine as a reference line. PyTorch has one CPU kernel for this
# product, so where cells.ts compares torchlet's three kernels, this file compares PyTorch's one
# with the same product in float64. pytorch-output.json is what these cells printed:
#   python3 chapters/record_pytorch.py chapters/08-cpu-speed
# Cells tagged "measure" show timings, which differ on every run: the chapter test runs their
# torchlet twins but does not compare their output.

# %% id=imports
import time
import torch


class table:
    """A stand-in for torchlet's table(): rows of dicts, shown as aligned columns."""

    def __init__(self, rows):
        self.columns = list(rows[0])
        self.rows = [[str(row[c]) for c in self.columns] for row in rows]

    def __repr__(self):
        grid = [self.columns] + self.rows
        widths = [max(len(row[c]) for row in grid) for c in range(len(self.columns))]
        line = lambda row: "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
        return "\n".join([line(grid[0]), "  ".join("-" * w for w in widths)] + [line(row) for row in grid[1:]])

# %% id=operands
torch.manual_seed(0)
n = 256
a = torch.randn(n, n)
b = torch.randn(n, n)
# n·n entries, each a sum of n products: n³ multiplications and n³ additions
flops = 2 * n ** 3
flops

# %% id=definition
def matmul_by_definition(A, B):
    """C = A · B straight from the definition: c[i][j] = Σ_k a[i][k] · b[k][j]."""
    C = []
    for i in range(len(A)):
        C.append([])
        for j in range(len(B[0])):
            total = 0.0
            for k in range(len(B)):
                total += A[i][k] * B[k][j]
            C[i].append(total)
    return C

# the first four rows of the product, by the definition and by PyTorch
top = a[:4]
by_definition = torch.tensor(matmul_by_definition(top.tolist(), b.tolist()))
((by_definition - top @ b).abs().max() < 1e-3).item()

# %% id=agree
# PyTorch's one CPU kernel for this product, against the same product in float64
products = [(a.double() @ b.double()).float(), a @ b]
all(((c - products[0]).abs().max() < 1e-3).item() for c in products)

# %% id=timer
def seconds(fn, budget=0.25):
    """Seconds one call of `fn` takes: the median of timed calls, after untimed ones."""
    warm = time.perf_counter()
    while True:
        fn()
        if time.perf_counter() - warm >= 0.3:
            break
    times = []
    start = time.perf_counter()
    while len(times) < 3 or time.perf_counter() - start < budget:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


def gflops(n, seconds):
    """Billions of floating-point operations per second, for a product of n×n matrices."""
    return 2 * n ** 3 / seconds / 1e9


default_threads = torch.get_num_threads()

# %% id=time-kernels tags=["measure"]
torch.set_num_threads(1)  # one thread, as for torchlet's kernels
t = seconds(lambda: a @ b)
torch.set_num_threads(default_threads)
table([{"kernel": "torch.matmul", "threads": 1, "ms": f"{t * 1e3:.2f}", "GFLOP/s": f"{gflops(n, t):.1f}"}])

# %% id=threads
torch.set_num_threads(2)
torch.get_num_threads()

# %% id=time-threads tags=["measure"]
torch.manual_seed(0)
sizes = [64, 128, 256, 512]
thread_times = []
for size in sizes:
    x = torch.randn(size, size)
    y = torch.randn(size, size)
    times = []
    for threads in [1, 2]:
        torch.set_num_threads(threads)
        times.append(seconds(lambda: x @ y))
    thread_times.append(times)
torch.set_num_threads(default_threads)
table([
    {
        "n": size,
        "1 thread GFLOP/s": f"{gflops(size, one):.1f}",
        "2 threads GFLOP/s": f"{gflops(size, two):.1f}",
        "speed-up": f"{one / two:.2f}",
    }
    for size, (one, two) in zip(sizes, thread_times)
])
