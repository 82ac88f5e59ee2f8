/**
 * What a layer's weights cost to bring to the WebAssembly kernels on every call.
 *
 * The kernels read both operands as packed panels in WebAssembly memory, and a CPU tensor's storage
 * is an ordinary typed array, so each product packs its weights again: that packing is the one
 * copy (there is no second copy into WebAssembly memory), and a packed copy cannot be kept across
 * calls because nothing tells the kernels when a storage was written to (an optimizer step, a
 * `copy_`). This table measures that cost on the MLP's first layer, x [64, 784] @ W1ᵀ with
 * W1 [100, 784]: the whole product; the product for the first 4 rows of x (one panel of A: the
 * packing of W1 plus 1/16 of the arithmetic), hence an estimate of the packing alone; and a plain
 * copy of W1's values, the floor of any copy. One thread.
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
    const full = timeMs(() => torch.mm(x, weight.t()), timing);
    const onePanel = timeMs(() => torch.mm(panel, weight.t()), timing);
    const packing = Math.max(0, onePanel - full / 16);
    const copy = timeMs(() => target.set(values), timing);
    const share = (ms: number) => `${((100 * ms) / full).toFixed(0)} %`;
    return [
      "Weights per call (torchlet-wasm, one thread): x [64, 784] @ W1ᵀ, W1 [100, 784]",
      "",
      "| what | ms | share of the product |",
      "| --- | ---: | ---: |",
      `| the product | ${full.toFixed(3)} | 100 % |`,
      `| the product for 4 rows of x (packing W1 + 1/16 of the arithmetic) | ${onePanel.toFixed(3)} | ${share(onePanel)} |`,
      `| packing W1, estimated (the line above less 1/16 of the product) | ${packing.toFixed(3)} | ${share(packing)} |`,
      `| a plain copy of W1 (Float32Array.set, ${((values.length * 4) / 1024).toFixed(0)} KiB) | ${copy.toFixed(3)} | ${share(copy)} |`,
    ].join("\n");
  } finally {
    torch.backends.cpu.kernel = kernel;
    torch.setNumThreads(threads);
  }
}
