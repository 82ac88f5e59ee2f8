/**
 * Moving tensors between devices and dtypes. Going to the GPU only queues an upload, so it is
 * synchronous; coming back must wait for the GPU, so `cpu()` returns a promise.
 */
import { backendFor } from "../backend.ts";
import { assertDType, isDType, type DType } from "../dtype.ts";
import { RuntimeError } from "../errors.ts";
import { belowAutograd, isRecording, recordOp, recordOpIf } from "../grad-hooks.ts";
import { CpuStorage, parseDevice, type Device } from "../storage.ts";
import { Tensor } from "../tensor.ts";
import { emptyTensor } from "./creation.ts";
import { contiguous } from "./views.ts";

export type Target = Device | DType | { device?: Device | string; dtype?: DType };

function parseTarget(t: Tensor, target: Target | string): { device: Device; dtype: DType } {
  if (typeof target === "object") {
    if (target.dtype !== undefined) assertDType(target.dtype);
    return { device: target.device ? parseDevice(target.device) : t.device, dtype: target.dtype ?? t.dtype };
  }
  if (isDType(target)) return { device: t.device, dtype: target };
  return { device: parseDevice(target), dtype: t.dtype };
}

/** A tensor with the same values on `device` and/or with `dtype`; `t` itself when nothing changes. */
export function to(t: Tensor, target: Target | string): Tensor {
  const { device, dtype } = parseTarget(t, target);
  if (device === t.device && dtype === t.dtype) return t;
  let out: Tensor;
  if (device === t.device) {
    out = emptyTensor(t.shape, dtype, device);
    backendFor(device).copy(t, out);
  } else if (t.device === "cpu") {
    const values = (belowAutograd(() => contiguous(t)).storage as CpuStorage).data;
    const start = t.isContiguous() ? t.storageOffset() : 0;
    const host = values.subarray(start, start + t.numel());
    const moved = Tensor.fromStorage(backendFor(device).upload(t.dtype, host.slice()), t.shape);
    out = dtype === t.dtype ? moved : to(moved, dtype);
  } else {
    throw new RuntimeError(
      `A tensor on ${t.device} is read back asynchronously: use \`await t.cpu()\` instead of t.to("${device}")`,
    );
  }
  // only float → float copies carry gradients; a dtype change to int or bool cuts the graph
  return dtype === "float32" && t.dtype === "float32" ? recordOp("toCopy", [t], out, { device: t.device }) : out;
}

/** The tensor's values on the CPU (`t` itself if it is there); waits for a GPU to finish its work. */
export async function cpu(t: Tensor): Promise<Tensor> {
  if (t.device === "cpu") return t;
  // a copy like any other for autograd (ToCopyBackward0, as PyTorch's .cpu()); grad mode counts
  // as it is now, at the call, not when the values arrive
  const recording = isRecording();
  const out = await readBack(t);
  return t.dtype === "float32" ? recordOpIf(recording, "toCopy", [t], out, { device: t.device }) : out;
}

/**
 * A tensor's values on the CPU, outside any graph (`t` itself when it is there): what printing,
 * `torch.save` and `module.cpu()` read. `t.cpu()` is the same copy, recorded by autograd.
 */
export async function readBack(t: Tensor): Promise<Tensor> {
  if (t.device === "cpu") return t;
  const dense = belowAutograd(() => contiguous(t));
  const data = await backendFor(t.device).download(dense.storage);
  const start = dense.storageOffset();
  const values = data.subarray(start, start + t.numel()).slice();
  if (dense !== t) dense.dispose();
  return Tensor.fromStorage(new CpuStorage(values, t.dtype), t.shape);
}
