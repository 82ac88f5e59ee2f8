/**
 * softmax and log_softmax on WebGPU, one slice along `dim` at a time, in the same three steps as
 * the CPU: the maximum m, the sum s of exp(x - m), then exp(x - m) / s (or x - m - log s).
 * Subtracting m keeps exp from overflowing. Two schedules:
 * - short slices (≤ 64 elements, e.g. class scores): one thread per slice loops over it;
 * - longer ones: one workgroup per slice; its threads share the slice, and combine their maxima
 *   and sums in shared memory.
 */
import type { Tensor } from "../../tensor.ts";
import { numel } from "../../shape.ts";
import { entryPoint, Params, runKernel, storageBuffer } from "../../webgpu/dispatch.ts";
import type { GpuStorage } from "../../webgpu/storage.ts";
import { addLayoutParams, coalesce, stridedPositions } from "../../webgpu/strided.ts";
import { floatSpecials } from "../../webgpu/wgsl.ts";

const threadPerSliceLimit = 64;
const workgroupSize = 64;

/** softmax (or log_softmax) of `x` along `dim` into `out`; `x` may be any view. */
export function softmax(x: Tensor, dim: number, log: boolean, out: Tensor): void {
  // A 0-d tensor is one slice of one element.
  const otherDims = [...x.shape.keys()].filter((d) => d !== dim);
  const length = x.ndim === 0 ? 1 : x.shape[dim];
  const slices = numel(otherDims.map((d) => x.shape[d]));
  if (slices === 0 || length === 0) return;
  const outStrides = out.stride();
  const layout = coalesce(
    otherDims.map((d) => x.shape[d]),
    [otherDims.map((d) => x.stride(d)), otherDims.map((d) => outStrides[d])],
  );
  const threadPerSlice = length <= threadPerSliceLimit;
  const params = new Params()
    .u32("slices", slices)
    .u32("length", length)
    .u32("srcOffset", x.storageOffset())
    .u32("dstOffset", out.storageOffset())
    .u32("srcStep", x.ndim === 0 ? 0 : x.stride(dim))
    .u32("dstStep", x.ndim === 0 ? 0 : out.stride(dim));
  addLayoutParams(params, layout);
  const rank = layout.shape.length;
  const key = `softmax:${log ? "log" : "exp"}:r${rank}:${threadPerSlice ? "thread" : "workgroup"}`;

  const source = (): string => {
    const bindings = storageBuffer(1, "src", "f32", "read") + storageBuffer(2, "dst", "f32", "read_write");
    const functions = `${floatSpecials}
// NaN-propagating maximum: a NaN anywhere in a slice makes the whole slice NaN, as on the CPU.
fn maxNan(a: f32, b: f32) -> f32 { if (isNan(a) || isNan(b)) { return nan(); } return max(a, b); }
fn element(k: u32, base: u32) -> f32 { return src[base + k * p.srcStep]; }
`;
    const writeAll = (from: string, step: string) => `
  let logSum = log(sum);
  for (var k = ${from}; k < p.length; k = k + ${step}) {
    let shifted = element(k, pos0) - m;
    dst[pos1 + k * p.dstStep] = ${log ? "shifted - logSum" : "expNan(shifted) / sum"};
  }`;
    if (threadPerSlice) {
      const body = `  let slice = wg * 64u + lid;
  if (slice >= p.slices) { return; }
${stridedPositions(rank, ["p.srcOffset", "p.dstOffset"], "slice")}
  var m = -inf();
  for (var k = 0u; k < p.length; k = k + 1u) { m = maxNan(m, element(k, pos0)); }
  var sum = 0.0;
  for (var k = 0u; k < p.length; k = k + 1u) { sum = sum + expNan(element(k, pos0) - m); }
${writeAll("0u", "1u")}`;
      return [params.wgsl(), bindings, functions, entryPoint("64", body)].join("\n");
    }
    const body = `  let slice = wg;
  if (slice >= p.slices) { return; }
${stridedPositions(rank, ["p.srcOffset", "p.dstOffset"], "slice")}
  var mine = -inf();
  for (var k = lid; k < p.length; k = k + ${workgroupSize}u) { mine = maxNan(mine, element(k, pos0)); }
  scratch[lid] = mine;
  workgroupBarrier();
  for (var span = ${workgroupSize / 2}u; span > 0u; span = span >> 1u) {
    if (lid < span) { scratch[lid] = maxNan(scratch[lid], scratch[lid + span]); }
    workgroupBarrier();
  }
  let m = scratch[0];
  workgroupBarrier();
  var part = 0.0;
  for (var k = lid; k < p.length; k = k + ${workgroupSize}u) { part = part + expNan(element(k, pos0) - m); }
  scratch[lid] = part;
  workgroupBarrier();
  for (var span = ${workgroupSize / 2}u; span > 0u; span = span >> 1u) {
    if (lid < span) { scratch[lid] = scratch[lid] + scratch[lid + span]; }
    workgroupBarrier();
  }
  let sum = scratch[0];
${writeAll("lid", `${workgroupSize}u`)}`;
    const scratch = `var<workgroup> scratch: array<f32, ${workgroupSize}>;\n`;
    return [params.wgsl(), bindings, functions, scratch, entryPoint(`${workgroupSize}`, body)].join("\n");
  };

  runKernel({
    key,
    source,
    params,
    buffers: [(x.storage as GpuStorage).buffer, (out.storage as GpuStorage).buffer],
    workgroups: threadPerSlice ? Math.ceil(slices / 64) : slices,
  });
}
