/**
 * 2-D convolution on WebGPU, forward and both backward kernels, each as one matrix product in the
 * shared GEMM skeleton (`webgpu/gemm.ts`), batched over groups. The im2col matrix is never built:
 * the load functions below compute, for a (row, k) pair, which input element it stands for.
 *
 * | kernel          | C = A · B                    | rows        | columns     | k (summed)  |
 * | --------------- | ---------------------------- | ----------- | ----------- | ----------- |
 * | forward         | out = patches · weightᵀ      | n, oy, ox   | out channel | ci, ky, kx  |
 * | grad of input   | gradIn = gradOut taps · W    | n, iy, ix   | in channel  | oc, ky, kx  |
 * | grad of weight  | gradW = gradOut · patches    | out channel | ci, ky, kx  | n, oy, ox   |
 *
 * The input gradient is a gather: each input element sums over the output positions whose window
 * covers it (iy = oy·stride − pad + ky·dilation, solved for oy), so no two threads write the same
 * element and no atomics are needed. Compare `cpu.ts`, which visits the same (output, weight,
 * input) triples in one loop nest and scatters.
 */
import type { Conv2dParams } from "../../backend.ts";
import type { Tensor } from "../../tensor.ts";
import { kernels } from "../../webgpu/device.ts";
import { Params, storageBuffer } from "../../webgpu/dispatch.ts";
import { runGemm } from "../../webgpu/gemm.ts";
import { wgslType, type GpuStorage } from "../../webgpu/storage.ts";
import { computeTypeOf, convert, type ComputeType } from "../../webgpu/wgsl.ts";

/** Uniforms every convolution kernel reads: the sizes of input, weight and output, and the hyper-parameters. */
function geometry(x: readonly number[], w: readonly number[], y: readonly number[], p: Conv2dParams): Params {
  const [, c, h, width] = x;
  const [o, cg, kh, kw] = w;
  return new Params()
    .u32("C", c)
    .u32("H", h)
    .u32("W", width)
    .u32("O", o)
    .u32("Cg", cg)
    .u32("Og", o / p.groups)
    .u32("KH", kh)
    .u32("KW", kw)
    .u32("OH", y[2])
    .u32("OW", y[3])
    .u32("sh", p.stride[0])
    .u32("sw", p.stride[1])
    .u32("ph", p.padding[0])
    .u32("pw", p.padding[1])
    .u32("dh", p.dilation[0])
    .u32("dw", p.dilation[1]);
}

/**
 * WGSL: the input element under kernel tap (ky, kx) of output position (oy, ox), or 0 in the
 * padding. Chosen with `select` from a clamped, always valid read rather than by a branch: the
 * blocked GEMM inlines 16 loads per step, and branches in them make CPU adapters compile for seconds.
 */
const inputTap = `fn inputTap(n: u32, c: u32, oy: u32, ox: u32, ky: u32, kx: u32) -> T {
  let iy = i32(oy * p.sh + ky * p.dh) - i32(p.ph);
  let ix = i32(ox * p.sw + kx * p.dw) - i32(p.pw);
  let inside = (iy >= 0) & (ix >= 0) & (iy < i32(p.H)) & (ix < i32(p.W));
  let y = u32(clamp(iy, 0, i32(p.H) - 1));
  let x = u32(clamp(ix, 0, i32(p.W) - 1));
  return select(T(0), T(xData[p.offX + ((n * p.C + c) * p.H + y) * p.W + x]), inside);
}`;

function buffer(t: Tensor): GPUBuffer {
  return (t.storage as GpuStorage).buffer;
}

/** out = conv2d(x, weight) + bias: rows (n, oy, ox) × columns (output channels) of one GEMM per group. */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null, out: Tensor, p: Conv2dParams): void {
  const type = computeTypeOf(wgslType[out.dtype]);
  const params = geometry(x.shape, weight.shape, out.shape, p)
    .u32("offX", x.storageOffset())
    .u32("offW", weight.storageOffset())
    .u32("offBias", bias ? bias.storageOffset() : 0)
    .u32("biasStride", bias ? bias.stride(0) : 0);
  const biasTerm = bias ? ` + T(biasData[p.offBias + oc * p.biasStride])` : "";
  const functions = `${inputTap}
fn loadA(g: u32, row: u32, k: u32) -> T {
  let n = row / (p.OH * p.OW);
  let oy = (row / p.OW) % p.OH;
  let ox = row % p.OW;
  let ci = k / (p.KH * p.KW);
  return inputTap(n, g * p.Cg + ci, oy, ox, (k / p.KW) % p.KH, k % p.KW);
}
fn loadB(g: u32, k: u32, col: u32) -> T { return T(wData[p.offW + (g * p.Og + col) * p.Cg * p.KH * p.KW + k]); }
fn storeC(g: u32, row: u32, col: u32, v: T) {
  let n = row / (p.OH * p.OW);
  let oc = g * p.Og + col;
  outData[(n * p.O + oc) * p.OH * p.OW + row % (p.OH * p.OW)] = ${convert(`v${biasTerm}`, type, wgslType[out.dtype])};
}`;
  runConvGemm(`conv2d${bias ? ":bias" : ""}`, type, params, [x, weight, ...(bias ? [bias] : []), out], ["xData", "wData", ...(bias ? ["biasData"] : []), "outData"], functions, {
    batch: p.groups,
    m: x.shape[0] * out.shape[2] * out.shape[3],
    n: weight.shape[0] / p.groups,
    k: weight.shape[1] * weight.shape[2] * weight.shape[3],
  });
}

/** ∂loss/∂x, gathered: each input element sums the gradients of the outputs its value reached. */
export function conv2dBackwardInput(gradOut: Tensor, weight: Tensor, out: Tensor, p: Conv2dParams): void {
  const type = computeTypeOf(wgslType[out.dtype]);
  const params = geometry(out.shape, weight.shape, gradOut.shape, p)
    .u32("offG", gradOut.storageOffset())
    .u32("offW", weight.storageOffset());
  const functions = `
// The gradient reaching input (iy, ix) through kernel tap (ky, kx), from the output position
// oy = (iy + pad - ky * dilation) / stride, when that is a whole number inside the output
// (decided without branches, as in inputTap).
fn loadA(g: u32, row: u32, k: u32) -> T {
  let n = row / (p.H * p.W);
  let iy = (row / p.W) % p.H;
  let ix = row % p.W;
  let ocl = k / (p.KH * p.KW);
  let ky = (k / p.KW) % p.KH;
  let kx = k % p.KW;
  let ty = i32(iy + p.ph) - i32(ky * p.dh);
  let tx = i32(ix + p.pw) - i32(kx * p.dw);
  let uy = u32(max(ty, 0));
  let ux = u32(max(tx, 0));
  let oy = uy / p.sh;
  let ox = ux / p.sw;
  let reached = (ty >= 0) & (tx >= 0) & (uy % p.sh == 0u) & (ux % p.sw == 0u) & (oy < p.OH) & (ox < p.OW);
  let at = p.offG + ((n * p.O + g * p.Og + ocl) * p.OH + min(oy, p.OH - 1u)) * p.OW + min(ox, p.OW - 1u);
  return select(T(0), T(gData[at]), reached);
}
fn loadB(g: u32, k: u32, col: u32) -> T {
  let ocl = k / (p.KH * p.KW);
  let tap = k % (p.KH * p.KW);
  return T(wData[p.offW + ((g * p.Og + ocl) * p.Cg + col) * p.KH * p.KW + tap]);
}
fn storeC(g: u32, row: u32, col: u32, v: T) {
  let n = row / (p.H * p.W);
  outData[(n * p.C + g * p.Cg + col) * p.H * p.W + row % (p.H * p.W)] = ${convert("v", type, wgslType[out.dtype])};
}`;
  runConvGemm("conv2d-grad-input", type, params, [gradOut, weight, out], ["gData", "wData", "outData"], functions, {
    batch: p.groups,
    m: out.shape[0] * out.shape[2] * out.shape[3],
    n: weight.shape[1],
    k: (weight.shape[0] / p.groups) * weight.shape[2] * weight.shape[3],
  });
}

/** ∂loss/∂weight: for each weight, the sum over every output position of gradient × the input under it. */
export function conv2dBackwardWeight(gradOut: Tensor, x: Tensor, out: Tensor, p: Conv2dParams): void {
  const type = computeTypeOf(wgslType[out.dtype]);
  const params = geometry(x.shape, out.shape, gradOut.shape, p)
    .u32("offG", gradOut.storageOffset())
    .u32("offX", x.storageOffset());
  const functions = `${inputTap}
fn loadA(g: u32, row: u32, k: u32) -> T {
  let n = k / (p.OH * p.OW);
  return T(gData[p.offG + (n * p.O + g * p.Og + row) * p.OH * p.OW + k % (p.OH * p.OW)]);
}
fn loadB(g: u32, k: u32, col: u32) -> T {
  let n = k / (p.OH * p.OW);
  let oy = (k / p.OW) % p.OH;
  let ox = k % p.OW;
  let ci = col / (p.KH * p.KW);
  return inputTap(n, g * p.Cg + ci, oy, ox, (col / p.KW) % p.KH, col % p.KW);
}
fn storeC(g: u32, row: u32, col: u32, v: T) {
  outData[(g * p.Og + row) * p.Cg * p.KH * p.KW + col] = ${convert("v", type, wgslType[out.dtype])};
}`;
  runConvGemm("conv2d-grad-weight", type, params, [gradOut, x, out], ["gData", "xData", "outData"], functions, {
    batch: p.groups,
    m: out.shape[0] / p.groups,
    n: out.shape[1] * out.shape[2] * out.shape[3],
    k: x.shape[0] * gradOut.shape[2] * gradOut.shape[3],
  });
}

/** Binds the tensors (the last one written, the others read) under `names` and runs the GEMM. */
function runConvGemm(
  name: string,
  type: ComputeType,
  params: Params,
  tensors: readonly Tensor[],
  names: readonly string[],
  functions: string,
  size: { batch: number; m: number; n: number; k: number },
): void {
  const last = tensors.length - 1;
  const bindings = tensors
    .map((t, i) => storageBuffer(i + 1, names[i], wgslType[t.dtype], i === last ? "read_write" : "read"))
    .join("");
  const types = tensors.map((t) => wgslType[t.dtype]).join(",");
  runGemm({ key: `${name}:${types}`, type, ...size, params, bindings, buffers: tensors.map(buffer), functions }, kernels());
}
