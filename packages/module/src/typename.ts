/**
 * `torch.typename(value)`: how PyTorch names a value's type in its error messages, e.g.
 * `cannot assign 'torch.FloatTensor' as parameter 'weight'`.
 */
import { Tensor, type DType } from "@torchlet/tensor-core";

const tensorTypes: Record<DType, string> = { float32: "FloatTensor", int64: "LongTensor", bool: "BoolTensor" };

/**
 * A tensor's legacy type name (`torch.FloatTensor`; on the GPU `torch.webgpu.FloatTensor`, as
 * PyTorch writes `torch.cuda.FloatTensor`), or the JavaScript type of anything else.
 */
export function typename(value: unknown): string {
  if (value instanceof Tensor) {
    const device = value.device === "cpu" ? "" : `${value.device}.`;
    return `torch.${device}${tensorTypes[value.dtype]}`;
  }
  return typeName(value);
}

/** The name of a value's type, as Python's `type(value).__name__`: a class name or a JavaScript type. */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object" || typeof value === "function") {
    return (value as { constructor?: { name?: string } }).constructor?.name || typeof value;
  }
  return typeof value;
}
