/**
 * The threaded WebAssembly kernels: with two threads the products and convolutions are bit for bit
 * those of one thread (each output element is computed by exactly one thread, in the same order),
 * small products stay on the calling thread, and an idle pool does not keep Node running.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Conv2dParams } from "../src/backend.ts";
import type { Tensor } from "../src/tensor.ts";
import { conv2dBackwardInputWasm, conv2dBackwardWeightWasm, conv2dWasm, convOptions } from "../src/wasm/conv.ts";
import { directConvStats } from "../src/wasm/conv-direct.ts";
import { gemmStats } from "../src/wasm/gemm.ts";
import { matmulWasm } from "../src/wasm/matmul.ts";
import { getNumThreads, setNumThreads } from "../src/wasm/settings.ts";
import { ensureWorkers, THREAD_MIN_WORK, threadOptions, whenWorkersReady } from "../src/wasm/threads.ts";
import { wasmKernels, type WasmKernels } from "../src/wasm/workspace.ts";
import { nanTensor, randomTensor, seededRandom, stridedTensor, valuesOf } from "./wasm-helpers.ts";

let kernels: WasmKernels;
const threadsBefore = getNumThreads();

beforeAll(async () => {
  kernels = wasmKernels()!;
  expect(kernels.shared).toBe(true); // Node always has shared memory
  ensureWorkers(kernels, 1);
  expect(await whenWorkersReady(kernels, 1)).toBe(1);
});
afterAll(() => {
  setNumThreads(threadsBefore);
  threadOptions.callerClaims = true;
});

/** Runs `kernel` with the given thread count; returns the result and whether it was split. */
function withThreads(threads: number, shape: readonly number[], kernel: (out: Tensor) => boolean): { out: number[]; split: boolean } {
  setNumThreads(threads);
  const out = nanTensor(shape);
  const before = gemmStats.threadedCalls + directConvStats.threadedCalls;
  expect(kernel(out)).toBe(true);
  return { out: valuesOf(out), split: gemmStats.threadedCalls + directConvStats.threadedCalls > before };
}

/**
 * One thread, then two with the worker running every chunk (the calling thread would otherwise
 * take chunks too, and on a busy machine might take them all), then two sharing the chunks.
 */
function expectSameOnTwoThreads(shape: readonly number[], kernel: (out: Tensor) => boolean): void {
  const one = withThreads(1, shape, kernel);
  threadOptions.callerClaims = false;
  const worker = withThreads(2, shape, kernel);
  threadOptions.callerClaims = true;
  const shared = withThreads(2, shape, kernel);
  expect(one.split).toBe(false);
  expect(worker.split).toBe(true);
  expect(worker.out).toEqual(one.out);
  expect(shared.out).toEqual(one.out);
  expect(one.out.some(Number.isNaN)).toBe(false);
}

describe("two threads", () => {
  it("split the rows of a tall product and give the same bits as one thread", () => {
    const rng = seededRandom(1);
    const a = randomTensor([1, 203, 300], rng);
    const b = stridedTensor([1, 300, 61], [0, 1, 300], 0, rng); // transposed
    expectSameOnTwoThreads([1, 203, 61], (out) => matmulWasm(kernels, a, b, out));
  });

  it("split the columns of a wide product", () => {
    const rng = seededRandom(2);
    const a = randomTensor([2, 5, 400], rng);
    const b = randomTensor([2, 400, 701], rng);
    expectSameOnTwoThreads([2, 5, 701], (out) => matmulWasm(kernels, a, b, out));
  });

  it("run a convolution and both its gradients", () => {
    const rng = seededRandom(3);
    const p: Conv2dParams = { stride: [1, 1], padding: [2, 2], dilation: [1, 1], groups: 1 };
    const x = randomTensor([8, 3, 20, 20], rng);
    const w = randomTensor([16, 3, 5, 5], rng);
    const bias = randomTensor([16], rng);
    const up = randomTensor([8, 16, 20, 20], rng);
    expectSameOnTwoThreads([8, 16, 20, 20], (out) => conv2dWasm(kernels, x, w, bias, out, p));
    expectSameOnTwoThreads([8, 3, 20, 20], (out) => conv2dBackwardInputWasm(kernels, up, w, out, p));
    expectSameOnTwoThreads([16, 3, 5, 5], (out) => conv2dBackwardWeightWasm(kernels, up, x, out, p));
  });

  it("run the direct convolutions with several kernel calls per job, and the GEMM convolution", () => {
    const rng = seededRandom(6);
    // two groups of 6 output channels: a block of 4 and two single channels per group
    const p: Conv2dParams = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 2 };
    const x = randomTensor([12, 12, 18, 18], rng);
    const w = randomTensor([12, 6, 3, 3], rng);
    const bias = randomTensor([12], rng);
    const up = randomTensor([12, 12, 18, 18], rng);
    const directBefore = directConvStats.calls;
    expectSameOnTwoThreads([12, 12, 18, 18], (out) => conv2dWasm(kernels, x, w, bias, out, p));
    expectSameOnTwoThreads([12, 12, 18, 18], (out) => conv2dBackwardInputWasm(kernels, up, w, out, p));
    expect(directConvStats.calls).toBe(directBefore + 6);
    convOptions.direct = false;
    try {
      expectSameOnTwoThreads([12, 12, 18, 18], (out) => conv2dWasm(kernels, x, w, bias, out, p));
    } finally {
      convOptions.direct = true;
    }
    expect(directConvStats.calls).toBe(directBefore + 6);
  });

  it("keep jobs apart: many products in a row, each equal to its one-thread result", () => {
    const rng = seededRandom(5);
    const problems = Array.from({ length: 40 }, (_, i) => {
      const [m, k, n] = [64 + 13 * (i % 5), 100 + 37 * (i % 3), 96 + 29 * (i % 4)];
      return { a: randomTensor([1, m, k], rng), b: randomTensor([1, k, n], rng), shape: [1, m, n] };
    });
    const alone = problems.map((p) => withThreads(1, p.shape, (out) => matmulWasm(kernels, p.a, p.b, out)).out);
    setNumThreads(2);
    const outs = problems.map((p) => nanTensor(p.shape));
    problems.forEach((p, i) => expect(matmulWasm(kernels, p.a, p.b, outs[i])).toBe(true));
    outs.forEach((out, i) => expect(valuesOf(out)).toEqual(alone[i]));
  });

  it("are not woken for a small product", () => {
    const rng = seededRandom(4);
    const a = randomTensor([1, 40, 50], rng);
    const b = randomTensor([1, 50, 60], rng);
    expect(40 * 50 * 60).toBeLessThan(THREAD_MIN_WORK);
    expect(withThreads(2, [1, 40, 60], (out) => matmulWasm(kernels, a, b, out)).split).toBe(false);
  });
});

describe("the pool in a Node process", () => {
  it("does not keep the process alive once the work is done", () => {
    const root = fileURLToPath(new URL("../../..", import.meta.url));
    const script = `
      import { gemmStats } from "./packages/tensor-core/src/wasm/gemm.ts";
      import { matmulWasm } from "./packages/tensor-core/src/wasm/matmul.ts";
      import { setNumThreads } from "./packages/tensor-core/src/wasm/settings.ts";
      import { ensureWorkers, threadOptions, whenWorkersReady } from "./packages/tensor-core/src/wasm/threads.ts";
      import { wasmKernels } from "./packages/tensor-core/src/wasm/workspace.ts";
      import * as torch from "./packages/tensor-core/src/index.ts";
      const kernels = wasmKernels();
      setNumThreads(2);
      ensureWorkers(kernels, 1);
      await whenWorkersReady(kernels, 1);
      const [a, b, out] = [torch.ones([1, 128, 128]), torch.ones([1, 128, 128]), torch.empty([1, 128, 128])];
      threadOptions.callerClaims = false; // the worker runs every chunk
      matmulWasm(kernels, a, b, out);
      if (out.toArray().some((v) => v !== 128)) throw new Error("wrong product");
      console.log("threaded calls: " + gemmStats.threadedCalls);
    `;
    const started = Date.now();
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: root,
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(child.error).toBeUndefined(); // a timeout would show here: the workers held the process
    expect(child.stderr).toBe("");
    expect(child.status).toBe(0);
    expect(child.stdout.trim()).toBe("threaded calls: 1");
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
