/**
 * PyTorch's legacy tensor type names, from before dtypes, when every pair of element type and
 * device was a class of its own: `torch.FloatTensor`, `torch.LongTensor`, `torch.BoolTensor`.
 * `t.type()` still returns them and `t.type(name)` still converts to them. A device other than
 * the CPU puts its name in the middle, as PyTorch writes `torch.cuda.FloatTensor`.
 */
import type { DType } from "./dtype.ts";
import { ValueError } from "./errors.ts";
import type { Device } from "./storage.ts";

const CLASS_NAMES: Record<DType, string> = { float32: "FloatTensor", int64: "LongTensor", bool: "BoolTensor" };
const DEVICES: readonly Device[] = ["cpu", "webgpu"];

/** The legacy name of a tensor of `dtype` on `device`. */
export function tensorTypeName(dtype: DType, device: Device): string {
  return device === "cpu" ? `torch.${CLASS_NAMES[dtype]}` : `torch.${device}.${CLASS_NAMES[dtype]}`;
}

/** What a legacy name stands for; PyTorch's ValueError for anything else. */
export function parseTensorTypeName(name: string): { dtype: DType; device: Device } {
  for (const device of DEVICES) {
    for (const dtype of Object.keys(CLASS_NAMES) as DType[]) {
      if (name === tensorTypeName(dtype, device)) return { dtype, device };
    }
  }
  throw new ValueError(`invalid type: '${name}'`);
}
