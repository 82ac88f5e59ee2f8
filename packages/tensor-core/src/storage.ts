/**
 * Storage: the flat block of memory that one or more tensors look into. A tensor is a view of a
 * storage (shape, strides, offset); views made by `transpose`, `expand` or slicing share it.
 */
import { type CpuArray, type DType } from "./dtype.ts";

/** Where a tensor's storage lives. */
export type Device = "cpu" | "webgpu";

/**
 * The memory behind tensors on one device: a flat run of `length` elements of one dtype, which any
 * number of tensors view (`CpuStorage` on the CPU, a GPU buffer on webgpu).
 */
export interface Storage {
  /** The device the memory lives on. */
  readonly device: Device;
  /** The type of the elements held. */
  readonly dtype: DType;
  /** Number of elements (not bytes). */
  readonly length: number;
  /**
   * How many times tensors have written into this storage in place since it was made (`add_`,
   * `copy_`, `normal_`, an optimizer's step, ...; making a fresh tensor is not a write). Anything
   * computed from the values and kept — the CPU matrix product's packed copy of a weight — is
   * valid while the version it was made at is current. Bumped through `Tensor.markWritten()`;
   * a storage without the field counts from 0 on its first write.
   */
  version?: number;
  /** One more tensor now looks into this storage. */
  retain(): void;
  /** A tensor that looked into this storage is gone; the last release frees device memory. */
  release(): void;
}

/**
 * CPU storage is a typed array; the JavaScript garbage collector frees it, so counting is moot.
 * Code that writes into `data` directly, rather than through an in-place op, must bump `version`
 * too, or caches of the values will not see the write.
 */
export class CpuStorage implements Storage {
  readonly device = "cpu" as const;
  version = 0;
  constructor(
    /**
     * The values, in storage order: a Float32Array for float32, a Float64Array for int64 (exact for
     * integers up to 2^53), a Uint8Array of 0 and 1 for bool. Writing here directly skips
     * `version`.
     */
    readonly data: CpuArray,
    readonly dtype: DType,
  ) {}
  get length(): number {
    return this.data.length;
  }
  retain(): void {}
  release(): void {}
}

/**
 * Counts a write into `storage` (its `version`). In-place ops call `Tensor.markWritten()`, which
 * also counts the write for autograd; low-level fills that may also fill fresh tensors call this.
 */
export function bumpVersion(storage: Storage): void {
  storage.version = (storage.version ?? 0) + 1;
}

export function parseDevice(device: string): Device {
  if (device === "cpu" || device === "webgpu") return device;
  if (device === "cuda" || device.startsWith("cuda:")) {
    throw new Error(`torchlet runs on "cpu" and "webgpu"; PyTorch's "${device}" is "webgpu" here`);
  }
  throw new Error(`Expected one of cpu, webgpu device type at start of device string: ${device}`);
}
