/**
 * `torch.webgpu`: the WebGPU device, as `torch.cuda` is PyTorch's GPU device.
 *
 * ```ts
 * if (await torch.webgpu.init()) {
 *   const x = torch.randn(2, 3).to("webgpu");   // synchronous from here on
 *   console.log(await x.relu().format());
 *   console.log(torch.webgpu.memoryAllocated());
 * }
 * ```
 */
import { registerBackend } from "../backend.ts";
import { webgpuBackend } from "./backend.ts";
import {
  acquire,
  currentGpu,
  release,
  setKernels,
  throwReportedErrors,
  type AdapterDescription,
  type KernelVariant,
} from "./device.ts";
import { closePool, openPool, tensorPool } from "./storage.ts";

export type { AdapterDescription, KernelVariant } from "./device.ts";
export { setKernels, kernels } from "./device.ts";

/** Options of `init()`. */
export interface InitOptions {
  /**
   * Which matmul and convolution kernels run: `"tiled"` (shared-memory tiles, for real GPUs),
   * `"blocked"` (register blocks, for CPU adapters such as SwiftShader), `"simple"` (one thread
   * per output, the reference), or `"auto"` (the default: chosen from the adapter).
   */
  kernels?: KernelVariant | "auto";
}

/**
 * Acquires the adapter and device once and registers the webgpu backend; resolves to whether
 * WebGPU is usable. Later and concurrent calls share the first call's work (their `kernels`
 * option still applies). Without an adapter it resolves to false and everything stays on the CPU.
 */
export async function init(options: InitOptions = {}): Promise<boolean> {
  if (options.kernels) setKernels(options.kernels);
  const gpu = await acquire();
  if (!gpu) return false;
  openPool(gpu.device);
  registerBackend(webgpuBackend);
  return true;
}

/** Whether `init()` found an adapter (false before `init()`). */
export function isAvailable(): boolean {
  return currentGpu() !== null;
}

/** What the adapter says of itself: vendor, architecture, description, and whether it is a CPU; null before `init()`. */
export function adapterInfo(): AdapterDescription | null {
  const gpu = currentGpu();
  return gpu ? { ...gpu.info } : null;
}

/**
 * Bytes held by live GPU tensors (like `torch.cuda.memory_allocated`), counted in the pool's size
 * classes as PyTorch counts its rounded blocks.
 */
export function memoryAllocated(): number {
  return tensorPool()?.allocated ?? 0;
}

/** Bytes held by the buffer pool, live or cached for reuse (like `torch.cuda.memory_reserved`). */
export function memoryReserved(): number {
  return tensorPool()?.reserved ?? 0;
}

/** Frees the cached buffers that no tensor uses (like `torch.cuda.empty_cache`). */
export function emptyCache(): void {
  tensorPool()?.emptyCache();
}

/**
 * Waits until the GPU has finished all submitted work. Throws if the GPU reported an error since
 * the last check: commands are validated on the GPU's timeline, so errors surface here (and in
 * `await t.cpu()`), as CUDA errors surface at PyTorch's next synchronising call.
 */
export async function synchronize(): Promise<void> {
  const gpu = currentGpu();
  if (!gpu) return;
  await gpu.device.queue.onSubmittedWorkDone();
  throwReportedErrors();
}

/**
 * Destroys the device and frees all its memory. Tensors still on it become unusable; a later
 * `init()` acquires a fresh device. Tests call it so that the process can exit promptly.
 */
export function destroy(): void {
  closePool();
  release();
}
