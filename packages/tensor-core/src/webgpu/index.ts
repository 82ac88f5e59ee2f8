// PLACEHOLDER: the API contract of the WebGPU device, `torch.webgpu`. The WebGPU work implements it.

/** Acquires the adapter and device once; resolves to whether WebGPU is usable. */
export async function init(): Promise<boolean> {
  return false;
}

/** Whether `init()` found an adapter (false before `init()`). */
export function isAvailable(): boolean {
  return false;
}

/** What the adapter says of itself: vendor, architecture, description, and whether it is a CPU. */
export interface AdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
}

export function adapterInfo(): AdapterDescription | null {
  return null;
}

/** Bytes held by live GPU tensors (like torch.cuda.memory_allocated). */
export function memoryAllocated(): number {
  return 0;
}

/** Bytes held by the buffer pool, live or cached for reuse (like torch.cuda.memory_reserved). */
export function memoryReserved(): number {
  return 0;
}

/** Waits until the GPU has finished all submitted work. */
export async function synchronize(): Promise<void> {}
