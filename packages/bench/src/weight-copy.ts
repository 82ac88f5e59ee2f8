/**
 * What a layer's weights cost to bring to the WebAssembly kernels on every call, and what keeping
 * their packing saves.
 *
 * The kernels read both operands as packed panels in WebAssembly memory, and a CPU tensor's storage
 * is an ordinary typed array, so a product packs its operands: that packing is the one copy (there
 * is no second copy into WebAssembly memory). Since every write into a storage bumps its version,
 * the product keeps the packing of an operand it sees again unchanged (`torch.backends.cpu.packCache`)
 * and reuses it until the next write. This table measures that on the MLP's first layer,
 * x [64, 784] @ W1ᵀ with W1 [100, 784], on one thread: the product with W1's packing kept and a new
 * batch in x at every call (as a data loader refilling its buffer: x's storage counts a write, so
 * x is packed every time); the product packing both operands on every call (the cache off); the
 * product for the first 4 rows of x with the cache off (one panel of A: the packing of W1 plus 1/16
 * of the arithmetic), hence an estimate of W1's packing alone; and a plain copy of W1's values, the
 * floor of any copy.
 */
import * as torch from "@torchlet/tensor-core";
import { median, type TimingOptions } from "./timing.ts";
import { randomValues } from "./workloads.ts";

/** Median milliseconds of `fn`, after a warm-up, within the timing's budget. */
function timeMs(fn: () => void, timing: TimingOptions): number {
  const started = performance.now();
  while (performance.now() - started < timing.warmupMs) fn();
  const times: number[] = [];
  const timed = performance.now();
  while (times.length < 20 || (times.length < 2000 && performance.now() - timed < timing.budgetMs)) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** The table, as Markdown. */
export function weightCopyTable(timing: TimingOptions): string {
  const kernel = torch.backends.cpu.kernel;
  const threads = torch.getNumThreads();
  torch.backends.cpu.kernel = "wasm";
  torch.setNumThreads(1);
  try {
    const weight = torch.fromValues(randomValues(100 * 784, 21), [100, 784], "float32");
    const x = torch.fromValues(randomValues(64 * 784, 22), [64, 784], "float32");
    const panel = x.narrow(0, 0, 4);
    const values = weight.toArray() as Float32Array;
    const target = new Float32Array(values.length);
    const cache = torch.backends.cpu.packCache;
    const maxBytes = cache.maxBytes;
    const kept = timeMs(() => {
      // a new batch: the loader wrote into x (here only counted, so that the time is the product's)
      x.storage.version = (x.storage.version ?? 0) + 1;
      torch.mm(x, weight.t());
    }, timing);
    cache.maxBytes = 0;
    const full = timeMs(() => torch.mm(x, weight.t()), timing);
    const onePanel = timeMs(() => torch.mm(panel, weight.t()), timing);
    cache.maxBytes = maxBytes;
    const packing = Math.max(0, onePanel - full / 16);
    const copy = timeMs(() => target.set(values), timing);
    const share = (ms: number) => `${((100 * ms) / full).toFixed(0)} %`;
    return [
      "Weights per call (torchlet-wasm, one thread): x [64, 784] @ W1ᵀ, W1 [100, 784]",
      "",
      "| what | ms | share of the product packed on every call |",
      "| --- | ---: | ---: |",
      `| the product, W1's packing kept, a new batch in x each call | ${kept.toFixed(3)} | ${share(kept)} |`,
      `| the product, x and W1 packed on every call (cache off) | ${full.toFixed(3)} | 100 % |`,
      `| the product for 4 rows of x, cache off (packing W1 + 1/16 of the arithmetic) | ${onePanel.toFixed(3)} | ${share(onePanel)} |`,
      `| packing W1, estimated (the line above less 1/16 of the product) | ${packing.toFixed(3)} | ${share(packing)} |`,
      `| a plain copy of W1 (Float32Array.set, ${((values.length * 4) / 1024).toFixed(0)} KiB) | ${copy.toFixed(3)} | ${share(copy)} |`,
    ].join("\n");
  } finally {
    torch.backends.cpu.kernel = kernel;
    torch.setNumThreads(threads);
  }
}
