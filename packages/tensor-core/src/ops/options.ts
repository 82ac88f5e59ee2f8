/**
 * Keyword arguments. Python's `torch.zeros(2, 3, dtype=torch.int64, device="webgpu")` becomes
 * `torch.zeros(2, 3, { dtype: "int64", device: "webgpu" })`: an options object after the sizes.
 */
import { assertDType, type DType } from "../dtype.ts";
import { parseSizeArgs } from "../shape.ts";
import { parseDevice, type Device } from "../storage.ts";

/**
 * The keyword arguments of the creation functions: `dtype` (the default depends on the function),
 * `device` ("cpu" by default, or "webgpu") and `requiresGrad` (false by default; only float32
 * tensors may set it).
 */
export interface TensorOptions {
  dtype?: DType;
  device?: Device | string;
  requiresGrad?: boolean;
}

export interface ResolvedOptions {
  dtype: DType | undefined;
  device: Device;
  requiresGrad: boolean;
}

export function resolveOptions(options: TensorOptions = {}): ResolvedOptions {
  if (options.dtype !== undefined) assertDType(options.dtype);
  return {
    dtype: options.dtype,
    device: parseDevice(options.device ?? "cpu"),
    requiresGrad: options.requiresGrad ?? false,
  };
}

function isOptions(value: unknown): value is TensorOptions {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Splits `(2, 3, { dtype })` or `([2, 3], { dtype })` into sizes and options. */
export function splitSizeAndOptions<O extends object = TensorOptions>(args: readonly unknown[]): [number[], O] {
  const last = args[args.length - 1];
  if (isOptions(last)) return [parseSizeArgs(args.slice(0, -1)), last as O];
  return [parseSizeArgs(args), {} as O];
}
