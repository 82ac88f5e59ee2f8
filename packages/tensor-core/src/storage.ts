/**
 * Storage: the flat block of memory that one or more tensors look into. A tensor is a view of a
 * storage (shape, strides, offset); views made by `transpose`, `expand` or slicing share it.
 */
import { type CpuArray, type DType } from "./dtype.ts";

/** Where a tensor's storage lives. */
export type Device = "cpu" | "webgpu";

export interface Storage {
  readonly device: Device;
  readonly dtype: DType;
  /** Number of elements (not bytes). */
  readonly length: number;
  /** One more tensor now looks into this storage. */
  retain(): void;
  /** A tensor that looked into this storage is gone; the last release frees device memory. */
  release(): void;
}

/** CPU storage is a typed array; the JavaScript garbage collector frees it, so counting is moot. */
export class CpuStorage implements Storage {
  readonly device = "cpu" as const;
  constructor(
    readonly data: CpuArray,
    readonly dtype: DType,
  ) {}
  get length(): number {
    return this.data.length;
  }
  retain(): void {}
  release(): void {}
}

export function parseDevice(device: string): Device {
  if (device === "cpu" || device === "webgpu") return device;
  if (device === "cuda" || device.startsWith("cuda:")) {
    throw new Error(`torchlet runs on "cpu" and "webgpu"; PyTorch's "${device}" is "webgpu" here`);
  }
  throw new Error(`Expected one of cpu, webgpu device type at start of device string: ${device}`);
}
