/**
 * The switches of the CPU kernels, PyTorch-style: `torch.backends.cpu.kernel` picks the
 * WebAssembly SIMD kernels, the blocked TypeScript ones (the easier read), or the plain reference
 * loops every other kernel is tested against, and `torch.setNumThreads` / `torch.getNumThreads`
 * bound the threads a product may use.
 *
 * Setting TORCHLET_CPU_KERNEL=ts in the environment starts a Node process on the TypeScript kernels,
 * so a whole test suite can run once on each.
 */
import { RuntimeError } from "../errors.ts";
import { packCache } from "./pack-cache.ts";
import { hardwareThreads } from "./threads.ts";
import { wasmAvailable } from "./workspace.ts";

/** Which implementation runs the CPU's matrix products and convolutions. */
export type CpuKernel = "wasm" | "ts" | "reference";

/** The starting choice: "wasm", unless the environment variable TORCHLET_CPU_KERNEL says "ts" (in Node). */
function initialKernel(): CpuKernel {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.TORCHLET_CPU_KERNEL === "ts" ? "ts" : "wasm";
}

let kernel: CpuKernel = initialKernel();
let threads = 0; // 0: not decided yet

/** `torch.backends.cpu`: the CPU device's switches. */
export const cpu = {
  /**
   * "wasm" (the default) runs float32 matrix products and convolutions with WebAssembly SIMD where
   * the platform validates it, and falls back to "ts" elsewhere; "ts" always runs the TypeScript
   * loops (cache-blocked, packed, register-tiled); "reference" runs the plain loops the other two
   * are tested against (no blocking, sums in doubles): slow, and there to compare with. All give
   * the same results up to float32 rounding.
   */
  get kernel(): CpuKernel {
    return kernel;
  },
  set kernel(value: CpuKernel) {
    if (value !== "wasm" && value !== "ts" && value !== "reference") {
      throw new TypeError(`torch.backends.cpu.kernel must be "wasm", "ts" or "reference", got ${String(value)}`);
    }
    kernel = value;
  },
  /** Whether this platform runs the WebAssembly SIMD kernels (it validates and compiles them). */
  isWasmAvailable(): boolean {
    return wasmAvailable();
  },
  /**
   * The packed operands that the WebAssembly matrix product keeps between calls (a weight
   * multiplied again unchanged is not packed again): `maxBytes` bounds them (0 turns the cache
   * off), `bytes` and `entries` say what they hold now, `clear()` lets them go.
   */
  packCache,
};

/**
 * `torch.setNumThreads(n)`: the most threads one CPU kernel may use, the calling one included.
 * Threads need shared memory: in a browser, a cross-origin-isolated page; elsewhere one thread runs.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n)) throw new RuntimeError(`set_num_threads expects an int, but got ${typeof n === "number" ? "float" : typeof n}`);
  if (n <= 0) throw new RuntimeError("set_num_threads expects a positive integer");
  threads = n;
}

/** `torch.getNumThreads()`: by default the machine's hardware threads, at most 8. */
export function getNumThreads(): number {
  if (threads === 0) threads = Math.max(1, Math.min(8, hardwareThreads()));
  return threads;
}
