/**
 * Data types. torchlet has the three that the lessons need: `float32` (the default for real
 * numbers), `int64` (class labels, indices, counters) and `bool` (comparison results, masks).
 *
 * On the CPU, an int64 tensor keeps its values in a `Float64Array`: every integer up to 2^53 is exact
 * there, and the arithmetic kernels can treat every dtype alike. WGSL has no 64-bit integers, so on
 * WebGPU an int64 tensor lives in an `i32` buffer (values up to 2^31).
 */
export type DType = "float32" | "int64" | "bool";

/** The 32-bit floating point dtype, the default for real numbers (PyTorch's `torch.float32`). */
export const float32: DType = "float32";
/** The 64-bit integer dtype, for class labels, indices and counts (PyTorch's `torch.int64`). */
export const int64: DType = "int64";
/** The boolean dtype of comparison results and masks (PyTorch's `torch.bool`). */
export const bool: DType = "bool";
/** PyTorch's aliases for the same dtypes. */
export const float: DType = "float32";
/** PyTorch's alias for int64 (`torch.long`). */
export const long: DType = "int64";

/** The typed array that holds each dtype on the CPU. */
export type CpuArray = Float32Array | Float64Array | Uint8Array;

export function cpuArrayFor(dtype: DType, length: number): CpuArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(length);
    case "int64":
      return new Float64Array(length);
    case "bool":
      return new Uint8Array(length);
  }
}

export function isFloating(dtype: DType): boolean {
  return dtype === "float32";
}

const rank: Record<DType, number> = { bool: 0, int64: 1, float32: 2 };

/** PyTorch's type promotion between two tensors: bool < int64 < float32. */
export function promoteTypes(a: DType, b: DType): DType {
  return rank[a] >= rank[b] ? a : b;
}

/**
 * The dtype of `tensor op scalar`. A Python scalar only lifts the category (bool → integer →
 * floating), never the width: `intTensor + 2` stays int64, `intTensor + 0.5` becomes float32.
 */
export function promoteWithScalar(tensorType: DType, scalar: number | boolean): DType {
  return promoteTypes(tensorType, dtypeOfScalar(scalar));
}

/** The dtype PyTorch infers for a Python value: bool, int (integral numbers) or float. */
export function dtypeOfScalar(value: number | boolean): DType {
  if (typeof value === "boolean") return "bool";
  return Number.isInteger(value) ? "int64" : "float32";
}

/** PyTorch's name for a dtype's scalar type, as its messages write it: `Float`, `Long`, `Bool`. */
export function scalarTypeName(dtype: DType): string {
  return { float32: "Float", int64: "Long", bool: "Bool" }[dtype];
}

/** The C++ type name that some of PyTorch's messages use instead: `float`, `long int`, `bool`. */
export function cTypeName(dtype: DType): string {
  return { float32: "float", int64: "long int", bool: "bool" }[dtype];
}

/** How PyTorch writes a dtype: `torch.float32`. */
export function dtypeName(dtype: DType): string {
  return `torch.${dtype}`;
}

/** Converts a number to what a tensor of this dtype would store. */
export function castScalar(value: number | boolean, dtype: DType): number {
  const v = Number(value);
  switch (dtype) {
    case "float32":
      return Math.fround(v);
    case "int64":
      return Math.trunc(v);
    case "bool":
      return v !== 0 ? 1 : 0;
  }
}

/** Whether `value` names one of torchlet's dtypes. */
export function isDType(value: unknown): value is DType {
  return value === "float32" || value === "int64" || value === "bool";
}

export function assertDType(dtype: unknown): asserts dtype is DType {
  if (!isDType(dtype)) {
    throw new TypeError(`torchlet has no dtype ${String(dtype)}; use "float32", "int64" or "bool"`);
  }
}
