/**
 * Max pooling on WebGPU. Forward: one thread per output element scans its window exactly as the
 * CPU loop does (padding never wins; NaN wins) and records the winner's position h·W + w.
 *
 * Backward: the CPU adds each output gradient into the input element its index names. On a GPU
 * that scatter would need atomic float additions where windows overlap, and WGSL has none. So the
 * backward kernel gathers instead: one thread per input element visits the outputs whose windows
 * contain it (at most kH·kW of them) and sums the gradients of those that chose it. Every output's
 * winner lies in its own window, so every gradient is counted exactly once.
 */
import type { Pool2dParams } from "../../backend.ts";
import type { Tensor } from "../../tensor.ts";
import { entryPoint, Params, runKernel, storageBuffer } from "../../webgpu/dispatch.ts";
import { wgslType, type GpuStorage } from "../../webgpu/storage.ts";
import { computeTypeOf, convert, floatSpecials } from "../../webgpu/wgsl.ts";

const workgroupSize = 64;

function buffer(t: Tensor): GPUBuffer {
  return (t.storage as GpuStorage).buffer;
}

/** Uniforms: the input plane H × W, the output plane OH × OW, and the window's geometry. */
function poolParams(input: readonly number[], output: readonly number[], p: Pool2dParams): Params {
  return new Params()
    .u32("planes", input[0] * input[1])
    .u32("H", input[2])
    .u32("W", input[3])
    .u32("OH", output[2])
    .u32("OW", output[3])
    .u32("KH", p.kernelSize[0])
    .u32("KW", p.kernelSize[1])
    .u32("sh", p.stride[0])
    .u32("sw", p.stride[1])
    .u32("ph", p.padding[0])
    .u32("pw", p.padding[1])
    .u32("dh", p.dilation[0])
    .u32("dw", p.dilation[1]);
}

/** Max pooling of contiguous x [N, C, H, W]: values into `out`, winners' positions h·W + w into `indices`. */
export function maxPool2d(x: Tensor, out: Tensor, indices: Tensor, p: Pool2dParams): void {
  const total = out.numel();
  if (total === 0) return;
  const xType = wgslType[x.dtype];
  const type = computeTypeOf(xType);
  const params = poolParams(x.shape, out.shape, p)
    .u32("total", total)
    .u32("offX", x.storageOffset())
    .u32("offOut", out.storageOffset())
    .u32("offIdx", indices.storageOffset());
  const source = (): string => {
    const bindings =
      storageBuffer(1, "xData", xType, "read") +
      storageBuffer(2, "outData", wgslType[out.dtype], "read_write") +
      storageBuffer(3, "idxData", "i32", "read_write");
    const isNan = type === "f32" ? `${floatSpecials}fn isNanT(v: f32) -> bool { return isNan(v); }` : "fn isNanT(v: i32) -> bool { return false; }";
    const body = `  let i = wg * ${workgroupSize}u + lid;
  if (i >= p.total) { return; }
  let plane = i / (p.OH * p.OW);
  let oy = (i / p.OW) % p.OH;
  let ox = i % p.OW;
  let base = p.offX + plane * p.H * p.W;
  var best = T(0);
  var at = -1;
  for (var ky = 0u; ky < p.KH; ky = ky + 1u) {
    let iy = i32(oy * p.sh + ky * p.dh) - i32(p.ph);
    if (iy < 0 || iy >= i32(p.H)) { continue; }
    for (var kx = 0u; kx < p.KW; kx = kx + 1u) {
      let ix = i32(ox * p.sw + kx * p.dw) - i32(p.pw);
      if (ix < 0 || ix >= i32(p.W)) { continue; }
      let v = T(xData[base + u32(iy) * p.W + u32(ix)]);
      if (at < 0 || v > best || isNanT(v)) {
        best = v;
        at = iy * i32(p.W) + ix;
        if (isNanT(v)) { break; }
      }
    }
  }
  outData[p.offOut + i] = ${convert("best", type, wgslType[out.dtype])};
  idxData[p.offIdx + i] = at;`;
    return [params.wgsl(), bindings, `alias T = ${type};`, isNan, entryPoint(`${workgroupSize}`, body)].join("\n");
  };
  runKernel({
    key: `maxpool2d:${xType}`,
    source,
    params,
    buffers: [buffer(x), buffer(out), buffer(indices)],
    workgroups: Math.ceil(total / workgroupSize),
  });
}

/** ∂loss/∂x of max pooling, gathered: one thread per input element (see the note above). */
export function maxPool2dBackward(gradOut: Tensor, indices: Tensor, out: Tensor, p: Pool2dParams): void {
  const total = out.numel();
  if (total === 0) return;
  const gType = wgslType[gradOut.dtype];
  const type = computeTypeOf(gType);
  const params = poolParams(out.shape, gradOut.shape, p)
    .u32("total", total)
    .u32("offG", gradOut.storageOffset())
    .u32("offIdx", indices.storageOffset())
    .u32("offOut", out.storageOffset());
  const source = (): string => {
    const bindings =
      storageBuffer(1, "gData", gType, "read") +
      storageBuffer(2, "idxData", "i32", "read") +
      storageBuffer(3, "outData", wgslType[out.dtype], "read_write");
    // Output oy covers input iy through tap ky when oy·stride − pad + ky·dilation = iy.
    const body = `  let i = wg * ${workgroupSize}u + lid;
  if (i >= p.total) { return; }
  let plane = i / (p.H * p.W);
  let iy = (i / p.W) % p.H;
  let ix = i % p.W;
  let me = i32(iy * p.W + ix);
  var sum = T(0);
  for (var ky = 0u; ky < p.KH; ky = ky + 1u) {
    let ty = i32(iy + p.ph) - i32(ky * p.dh);
    if (ty < 0 || u32(ty) % p.sh != 0u) { continue; }
    let oy = u32(ty) / p.sh;
    if (oy >= p.OH) { continue; }
    for (var kx = 0u; kx < p.KW; kx = kx + 1u) {
      let tx = i32(ix + p.pw) - i32(kx * p.dw);
      if (tx < 0 || u32(tx) % p.sw != 0u) { continue; }
      let ox = u32(tx) / p.sw;
      if (ox >= p.OW) { continue; }
      let o = (plane * p.OH + oy) * p.OW + ox;
      if (idxData[p.offIdx + o] == me) { sum = sum + T(gData[p.offG + o]); }
    }
  }
  outData[p.offOut + i] = ${convert("sum", type, wgslType[out.dtype])};`;
    return [params.wgsl(), bindings, `alias T = ${type};`, entryPoint(`${workgroupSize}`, body)].join("\n");
  };
  runKernel({
    key: `maxpool2d-backward:${gType}`,
    source,
    params,
    buffers: [buffer(gradOut), buffer(indices), buffer(out)],
    workgroups: Math.ceil(total / workgroupSize),
  });
}
