// How torchlet's CPU matrix product got fast, cell for cell beside cells.py. The naive loop, the
// cache-blocked TypeScript kernel and the WebAssembly SIMD kernel multiply the same matrices, check
// that they agree, and are timed. Run it with `pnpm chapter 08`.
//
// Cells tagged "measure" show timings: they differ on every run and every machine, so the chapter
// test runs them and requires that they finish, but does not hold their output against PyTorch's.

// %% id=imports
import { torch } from "@torchlet/nn";
import { table } from "@torchlet/cells";

// %% id=operands
torch.manualSeed(0);
const n = 256;
const a = torch.randn(n, n);
const b = torch.randn(n, n);
// n·n entries, each a sum of n products: n³ multiplications and n³ additions
const flops = 2 * n ** 3;
flops

// %% id=definition
/** C = A · B straight from the definition: c[i][j] = Σ_k a[i][k] · b[k][j]. */
function matmulByDefinition(A: number[][], B: number[][]): number[][] {
  const C: number[][] = [];
  for (let i = 0; i < A.length; i++) {
    C.push([]);
    for (let j = 0; j < B[0]!.length; j++) {
      let total = 0;
      for (let k = 0; k < B.length; k++) total += A[i]![k]! * B[k]![j]!;
      C[i]!.push(total);
    }
  }
  return C;
}

// the first four rows of the product, by the definition and by torchlet
const top = a.narrow(0, 0, 4);
const byDefinition = torch.tensor(matmulByDefinition(top.tolist() as number[][], b.tolist() as number[][]));
byDefinition.sub(top.matmul(b)).abs().max().lt(1e-3).item()

// %% id=agree
// the whole product with each of torchlet's CPU kernels: every one must agree with the first
const kernels = ["reference", "ts", "wasm"] as const;
const chosen = torch.backends.cpu.kernel;
const products = kernels.map((kernel) => {
  torch.backends.cpu.kernel = kernel;
  return a.matmul(b);
});
torch.backends.cpu.kernel = chosen;
products.every((c) => c.sub(products[0]!).abs().max().lt(1e-3).item())

// %% id=timer
/**
 * Seconds one call of `fn` takes: the median of timed calls, after untimed ones. The untimed
 * calls are the warm-up: V8 first runs new code unoptimised, and WebAssembly first on a quick
 * baseline compiler, until the optimised code is ready.
 */
function seconds(fn: () => unknown, budget = 0.25): number {
  const warm = performance.now();
  do fn(); while (performance.now() - warm < 300);
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 3 || performance.now() - start < budget * 1000) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((x, y) => x - y);
  return times[times.length >> 1]!;
}

/** Billions of floating-point operations per second, for a product of n×n matrices. */
const gflops = (n: number, seconds: number) => (2 * n ** 3) / seconds / 1e9;
const defaultThreads = torch.getNumThreads();

// %% id=time-kernels tags=["measure"]
torch.setNumThreads(1); // one thread for now: this compares the kernels alone
const kernelTimes = kernels.map((kernel) => {
  torch.backends.cpu.kernel = kernel;
  return seconds(() => a.matmul(b));
});
torch.backends.cpu.kernel = chosen;
torch.setNumThreads(defaultThreads);
table(
  kernels.map((kernel, i) => ({
    kernel: kernel === "wasm" && !torch.backends.cpu.isWasmAvailable() ? "wasm (ran ts)" : kernel,
    threads: 1,
    ms: (kernelTimes[i]! * 1e3).toFixed(2),
    "GFLOP/s": gflops(n, kernelTimes[i]!).toFixed(1),
    "× reference": (kernelTimes[0]! / kernelTimes[i]!).toFixed(1),
  })),
)

// %% id=threads
torch.setNumThreads(2);
torch.getNumThreads()

// %% id=time-threads tags=["measure"]
// Workers share the WebAssembly memory: possible in Node, and in a browser only on a
// cross-origin-isolated page. Elsewhere every product runs on one thread, whatever is asked.
const sharedMemory = typeof SharedArrayBuffer === "function" && globalThis.crossOriginIsolated !== false;
console.log(`memory the threads can share: ${sharedMemory ? "yes" : "no"}`);
torch.manualSeed(0);
const sizes = [64, 128, 256, 512];
const threadTimes = sizes.map((size) => {
  const x = torch.randn(size, size);
  const y = torch.randn(size, size);
  return [1, 2].map((threads) => {
    torch.setNumThreads(threads);
    return seconds(() => x.matmul(y));
  });
});
torch.setNumThreads(defaultThreads);
table(
  sizes.map((size, i) => {
    const [one, two] = threadTimes[i]!;
    return {
      n: size,
      "1 thread GFLOP/s": gflops(size, one!).toFixed(1),
      "2 threads GFLOP/s": gflops(size, two!).toFixed(1),
      "speed-up": (one! / two!).toFixed(2),
    };
  }),
)
