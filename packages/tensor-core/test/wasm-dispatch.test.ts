/**
 * The CPU backend's switch between the WebAssembly and the TypeScript kernels, through the public
 * API: `torch.backends.cpu.kernel`, `torch.setNumThreads` / `torch.getNumThreads`.
 */
import { afterEach, describe, expect, it } from "vitest";
import * as torch from "../src/index.ts";
import { directConvStats } from "../src/wasm/conv-direct.ts";
import { gemmStats } from "../src/wasm/gemm.ts";
import { absolute, expectWithinRounding, randomTensor, seededRandom } from "./wasm-helpers.ts";

const initial = torch.backends.cpu.kernel;
afterEach(() => {
  torch.backends.cpu.kernel = initial;
});

/** WebAssembly kernel calls so far: GEMMs and direct convolutions. */
const wasmCalls = () => gemmStats.calls + directConvStats.calls;

/** Runs `fn` with the given kernel choice; returns its result and how many kernels ran on WebAssembly. */
function using<T>(kernel: torch.CpuKernel, fn: () => T): { result: T; wasmCalls: number } {
  torch.backends.cpu.kernel = kernel;
  const before = wasmCalls();
  const result = fn();
  return { result, wasmCalls: wasmCalls() - before };
}

describe("torch.backends.cpu.kernel", () => {
  it("WebAssembly SIMD is available in Node 20", () => {
    expect(torch.backends.cpu.isWasmAvailable()).toBe(true);
  });

  it('"wasm" runs matmul and conv2d on WebAssembly, "ts" on the TypeScript kernels, with the same values', () => {
    const rng = seededRandom(1);
    const a = randomTensor([20, 30], rng);
    const b = randomTensor([30, 10], rng);
    const x = randomTensor([2, 3, 9, 9], rng);
    const w = randomTensor([4, 3, 3, 3], rng);
    const ops = {
      mm: () => torch.mm(a, b.t().contiguous().t()),
      conv2d: () => torch.conv2d(x, w, null, { padding: 1 }),
    };
    const magnitude = { mm: torch.mm(absolute(a), absolute(b)), conv2d: torch.conv2d(absolute(x), absolute(w), null, { padding: 1 }) };
    for (const [name, op] of Object.entries(ops) as [keyof typeof ops, () => torch.Tensor][]) {
      const wasm = using("wasm", op);
      const ts = using("ts", op);
      expect(wasm.wasmCalls, name).toBeGreaterThan(0);
      expect(ts.wasmCalls, name).toBe(0);
      expectWithinRounding(wasm.result, ts.result, magnitude[name], 2 * 30 + 4, name);
    }
  });

  it("int64 products stay on the exact TypeScript loops", () => {
    const a = torch.tensor([[2 ** 40, 3], [1, -7]]);
    const b = torch.tensor([[3, 0], [5, 1]]);
    const { result, wasmCalls } = using("wasm", () => torch.mm(a, b));
    expect(wasmCalls).toBe(0);
    expect(result.dtype).toBe("int64");
    expect(result.tolist()).toEqual([[3 * 2 ** 40 + 15, 3], [-32, -7]]);
  });

  it("refuses anything but its kernel names, and keeps its value", () => {
    torch.backends.cpu.kernel = "ts";
    expect(() => {
      torch.backends.cpu.kernel = "simd" as torch.CpuKernel;
    }).toThrow(TypeError);
    expect(torch.backends.cpu.kernel).toBe("ts");
  });
});

describe("torch.setNumThreads", () => {
  it("takes a positive integer, with PyTorch's messages otherwise", () => {
    const before = torch.getNumThreads();
    expect(before).toBeGreaterThanOrEqual(1);
    torch.setNumThreads(3);
    expect(torch.getNumThreads()).toBe(3);
    expect(() => torch.setNumThreads(0)).toThrow(new torch.RuntimeError("set_num_threads expects a positive integer"));
    expect(() => torch.setNumThreads(-2)).toThrow("set_num_threads expects a positive integer");
    expect(() => torch.setNumThreads(1.5)).toThrow("set_num_threads expects an int, but got float");
    expect(torch.getNumThreads()).toBe(3);
    torch.setNumThreads(before);
  });
});
