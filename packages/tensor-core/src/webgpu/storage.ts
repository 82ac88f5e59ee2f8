/**
 * Tensor storage on the GPU: a buffer from the pool, four bytes per element whatever the dtype.
 *
 * | dtype   | on the CPU     | on the GPU | why |
 * | ------- | -------------- | ---------- | --- |
 * | float32 | `Float32Array` | `f32`      | the same numbers |
 * | int64   | `Float64Array` | `i32`      | WGSL has no 64-bit integers: values must lie in [-2^31, 2^31) |
 * | bool    | `Uint8Array`   | `u32`      | WGSL storage has no 8-bit type; 0 is false, 1 is true |
 *
 * Uploading converts the host array to the GPU type (and refuses int64 values beyond 32 bits
 * instead of wrapping them); downloading converts back.
 */
import type { CpuArray, DType } from "../dtype.ts";
import { RuntimeError } from "../errors.ts";
import type { Storage } from "../storage.ts";
import { BufferPool, type Block } from "./buffer-pool.ts";
import { gpu, throwReportedErrors } from "./device.ts";

/** The WGSL type that holds each dtype in a storage buffer. */
export type WgslStorageType = "f32" | "i32" | "u32";

/** The WGSL element type of each dtype's storage buffer (see the table above). */
export const wgslType: Record<DType, WgslStorageType> = { float32: "f32", int64: "i32", bool: "u32" };

/** Every GPU element takes four bytes. */
export const bytesPerElement = 4;

let pool: BufferPool | null = null;
let poolDevice: GPUDevice | null = null;

/** Opens the tensor buffer pool of `device`, unless it is open already. */
export function openPool(device: GPUDevice): void {
  if (poolDevice === device) return;
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  pool = new BufferPool(device, usage, Math.min(device.limits.maxBufferSize, device.limits.maxStorageBufferBindingSize));
  poolDevice = device;
}

/** Forgets the pool of a destroyed device (its buffers died with it). */
export function closePool(): void {
  pool = null;
  poolDevice = null;
}

/** The pool of the current device's tensor buffers, or null when no device is open. */
export function tensorPool(): BufferPool | null {
  return pool;
}

/**
 * A GPU storage counts the tensors that view it (`retain`/`release`, called by the Tensor
 * constructor, `dispose`, `tidy` and the FinalizationRegistry); when the last one lets go, its
 * buffer returns to the pool.
 */
export class GpuStorage implements Storage {
  readonly device = "webgpu" as const;
  private references = 0;
  private block: Block | null;
  private readonly owner: BufferPool;

  constructor(
    readonly dtype: DType,
    readonly length: number,
  ) {
    const bytes = Math.max(length, 1) * bytesPerElement;
    const limit = gpu().device.limits.maxStorageBufferBindingSize;
    if (bytes > limit) {
      throw new RuntimeError(
        `webgpu: a tensor of ${length} elements needs ${bytes} bytes, more than this device binds in one buffer (${limit})`,
      );
    }
    this.owner = pool!;
    this.block = this.owner.acquire(bytes);
  }

  /** The buffer holding the elements; throws once the storage has been freed. */
  get buffer(): GPUBuffer {
    if (!this.block) throw new RuntimeError("This tensor's GPU memory has been freed (every tensor viewing it was disposed)");
    return this.block.buffer;
  }

  retain(): void {
    this.references++;
  }

  release(): void {
    if (--this.references > 0 || !this.block) return;
    // A pool of a destroyed device takes nothing back: its buffers are already gone.
    if (this.owner === pool) this.owner.release(this.block);
    this.block = null;
  }
}

/** A new storage for `length` elements of `dtype`; its contents are whatever the pooled buffer held. */
export function allocate(dtype: DType, length: number): GpuStorage {
  return new GpuStorage(dtype, length);
}

/** A new storage holding `values` (the dtype's CPU array), written through the queue. */
export function upload(dtype: DType, values: CpuArray): GpuStorage {
  const converted = toGpuArray(dtype, values); // first, so that values it refuses allocate nothing
  const storage = new GpuStorage(dtype, values.length);
  if (values.length > 0) gpu().device.queue.writeBuffer(storage.buffer, 0, converted);
  return storage;
}

/** The storage's elements on the host, as the dtype's CPU array; waits for the GPU. */
export async function download(storage: GpuStorage): Promise<CpuArray> {
  const { device } = gpu();
  const bytes = storage.length * bytesPerElement;
  if (bytes === 0) return fromGpuBytes(storage.dtype, new ArrayBuffer(0));
  const staging = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(storage.buffer, 0, staging, 0, bytes);
  device.queue.submit([encoder.finish()]);
  try {
    await staging.mapAsync(GPUMapMode.READ);
    const bytesRead = staging.getMappedRange().slice(0);
    // Unmap before destroying: Dawn's Node binding has been seen to abort the process when a
    // buffer is destroyed while still mapped.
    staging.unmap();
    return fromGpuBytes(storage.dtype, bytesRead);
  } finally {
    staging.destroy();
    throwReportedErrors();
  }
}

/** Host values in the GPU's element type. */
export function toGpuArray(dtype: DType, values: CpuArray): Float32Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Uint32Array<ArrayBuffer> {
  switch (dtype) {
    case "float32":
      if (values instanceof Float32Array && values.buffer instanceof ArrayBuffer) return values as Float32Array<ArrayBuffer>;
      return Float32Array.from(values);
    case "bool":
      return Uint32Array.from(values, (v) => (v !== 0 ? 1 : 0));
    case "int64": {
      const out = new Int32Array(values.length);
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        checkInt32(v);
        out[i] = v;
      }
      return out;
    }
  }
}

/** int64 values live in 32 bits on the GPU: refuse the others rather than wrap them. */
export function checkInt32(value: number): void {
  if (value < -(2 ** 31) || value >= 2 ** 31) {
    throw new RuntimeError(`webgpu stores int64 tensors as 32-bit integers, and ${value} does not fit in [-2147483648, 2147483647]`);
  }
}

/** GPU bytes back in the dtype's CPU array. */
export function fromGpuBytes(dtype: DType, bytes: ArrayBuffer): CpuArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(bytes);
    case "int64":
      return Float64Array.from(new Int32Array(bytes));
    case "bool":
      return Uint8Array.from(new Uint32Array(bytes));
  }
}
