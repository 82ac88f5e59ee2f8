/**
 * 2-D convolution and its two gradients as matrix products on the WebAssembly GEMM (im2col).
 *
 * Lay the input patches out as a matrix X̂ with one row per kernel tap k = (c, ky, kx) and one
 * column per output pixel q = (n, y, x): X̂[k, q] = x[n, c, y·sh + ky·dh, x·sw + kx·dw] on the
 * zero-padded input. Then, for each group, with W the weights as an [O, C·kH·kW] matrix and dY the
 * output gradient as an [O, N·oH·oW] matrix:
 *
 *     out = W · X̂          dX̂ = Wᵀ · dY  (then col2im: sum each patch back)     dW = dY · X̂ᵀ
 *
 * X̂ is never built. On the padded input, the storage offset of X̂[k, q] is a sum of a part that
 * depends only on the tap and a part that depends only on the pixel, which is exactly a gather
 * (`pack.ts`): the packing reads the patches straight from the input. The same tables scatter dX̂
 * back into the input gradient. Padding is the only copy: the input (or the input gradient) gets a
 * border of zeros first, so that no read needs a bounds check.
 *
 * Pixels are processed a few images at a time so that the packed patches fit the workspace.
 *
 * Where the horizontal stride is 1, the forward pass (and, at stride 1, the input gradient) runs
 * on the direct kernel of `conv-direct.ts` instead, which computes each output pixel in place.
 */
import type { Conv2dParams } from "../backend.ts";
import type { Tensor } from "../tensor.ts";
import { forwardProblem, inputGradientProblem, runDirectConv, type DirectConv } from "./conv-direct.ts";
import { gemm, gemmWorkspaceBytes, type Scatter } from "./gemm.ts";
import { strided, stridedMatrix, type Gather } from "./pack.ts";
import { biasValues, floats } from "./tensor-data.ts";
import { MAX_WORKSPACE_BYTES, type WasmKernels } from "./workspace.ts";

/** Workspace budget of one product, in bytes: big enough to amortise, small enough to stay cached. */
const CHUNK_BYTES = 64 << 20;

/** Sizes of a convolution: input [n, c, h, w], weight [o, cg, kh, kw], output [n, o, oh, ow]. */
interface Geometry {
  n: number; c: number; h: number; w: number;
  o: number; cg: number; og: number; kh: number; kw: number;
  oh: number; ow: number;
  /** The padded input's height and width. */
  hp: number; wp: number;
  /** Taps per output channel: cg · kh · kw. */
  taps: number;
}

function geometry(x: readonly number[], weight: readonly number[], out: readonly number[], p: Conv2dParams): Geometry {
  const [n, c, h, w] = x;
  const [o, cg, kh, kw] = weight;
  return {
    n, c, h, w, o, cg, og: o / p.groups, kh, kw, oh: out[2], ow: out[3],
    hp: h + 2 * p.padding[0], wp: w + 2 * p.padding[1], taps: cg * kh * kw,
  };
}

/** Offset of tap (c, ky, kx) in the padded input, relative to its group's first channel. */
function tapOffsets(g: Geometry, p: Conv2dParams): Int32Array {
  const offsets = new Int32Array(g.taps);
  let i = 0;
  for (let c = 0; c < g.cg; c++) {
    for (let ky = 0; ky < g.kh; ky++) {
      for (let kx = 0; kx < g.kw; kx++) offsets[i++] = (c * g.hp + ky * p.dilation[0]) * g.wp + kx * p.dilation[1];
    }
  }
  return offsets;
}

/** Offset in the padded input of the top-left corner of the patch under each output pixel of images [n0, n1). */
function patchOffsets(g: Geometry, p: Conv2dParams, n0: number, n1: number): Int32Array {
  const offsets = new Int32Array((n1 - n0) * g.oh * g.ow);
  let i = 0;
  for (let n = n0; n < n1; n++) {
    for (let y = 0; y < g.oh; y++) {
      for (let x = 0; x < g.ow; x++) offsets[i++] = ((n - n0) * g.c * g.hp + y * p.stride[0]) * g.wp + x * p.stride[1];
    }
  }
  return offsets;
}

/** Offset in an [n, o, oh, ow] tensor of each output pixel of images [n0, n1), relative to image n0. */
function pixelOffsets(g: Geometry, n0: number, n1: number): Int32Array {
  const plane = g.oh * g.ow;
  const offsets = new Int32Array((n1 - n0) * plane);
  let i = 0;
  for (let n = 0; n < n1 - n0; n++) {
    for (let q = 0; q < plane; q++) offsets[i++] = n * g.o * plane + q;
  }
  return offsets;
}

/** A copy of images [n0, n1) of contiguous NCHW `data` with `ph` / `pw` zeros around each plane. */
function padded(data: Float32Array, g: Geometry, p: Conv2dParams, n0: number, n1: number): Float32Array {
  const [ph, pw] = p.padding;
  const from = n0 * g.c * g.h * g.w;
  if (ph === 0 && pw === 0) return data.subarray(from, n1 * g.c * g.h * g.w);
  const result = new Float32Array((n1 - n0) * g.c * g.hp * g.wp);
  for (let plane = 0; plane < (n1 - n0) * g.c; plane++) {
    for (let y = 0; y < g.h; y++) {
      const src = from + (plane * g.h + y) * g.w;
      result.set(data.subarray(src, src + g.w), (plane * g.hp + y + ph) * g.wp + pw);
    }
  }
  return result;
}

/** Adds a padded input-gradient chunk back into the unpadded one, dropping the border. */
function unpadInto(src: Float32Array, out: Float32Array, g: Geometry, p: Conv2dParams, n0: number, n1: number): void {
  const [ph, pw] = p.padding;
  const to = n0 * g.c * g.h * g.w;
  for (let plane = 0; plane < (n1 - n0) * g.c; plane++) {
    for (let y = 0; y < g.h; y++) {
      const s = (plane * g.hp + y + ph) * g.wp + pw;
      out.set(src.subarray(s, s + g.w), to + (plane * g.h + y) * g.w);
    }
  }
}

/**
 * Splits the batch into runs of images whose product fits `CHUNK_BYTES` (at least one image each);
 * null when even one image would not fit the workspace.
 */
function imageChunks(g: Geometry, bytesFor: (images: number) => number): [number, number][] | null {
  if (bytesFor(1) > MAX_WORKSPACE_BYTES) return null;
  let per = g.n;
  while (per > 1 && bytesFor(per) > CHUNK_BYTES) per = Math.ceil(per / 2);
  const chunks: [number, number][] = [];
  for (let n0 = 0; n0 < g.n; n0 += per) chunks.push([n0, Math.min(g.n, n0 + per)]);
  return chunks;
}

/**
 * Whether convolutions may take the direct kernel (`conv-direct.ts`) where it applies; false sends
 * every one through im2col and the GEMM, so that tests and measurements can compare the two.
 */
export const convOptions = { direct: true };

/**
 * Where the direct kernel wins, as measured on MNIST-sized layers: every forward pass it can run
 * (with a few taps it saves im2col's gather and unpacking, with many it still keeps pace), and the
 * input gradients with at least 4 output channels, the width of its main channel block. Narrower
 * ones run one channel at a time, slower than the GEMM.
 */
function useDirect(d: DirectConv | null, minChannels: number): d is DirectConv {
  return convOptions.direct && d !== null && d.og >= minChannels;
}

/** Forward: out[n, o] = Σ W[o, k] · X̂[k, (n, y, x)] + bias[o], group by group. */
export function conv2dWasm(kernels: WasmKernels, x: Tensor, weight: Tensor, bias: Tensor | null, out: Tensor, p: Conv2dParams): boolean {
  const xs = floats(x).subarray(x.storageOffset());
  const os = floats(out).subarray(out.storageOffset());
  const direct = forwardProblem(x, weight, bias, out, p);
  if (useDirect(direct, 1) && runDirectConv(kernels, direct, xs, os)) return true;
  const g = geometry(x.shape, weight.shape, out.shape, p);
  const plane = g.oh * g.ow;
  const chunks = imageChunks(g, (k) => gemmWorkspaceBytes(g.og, k * plane, g.taps));
  if (!chunks) return false;
  const ws = floats(weight).subarray(weight.storageOffset());
  const biases = bias ? biasValues(bias) : null;
  const taps = tapOffsets(g, p);
  for (const [n0, n1] of chunks) {
    const input = padded(xs, g, p, n0, n1);
    const patches = patchOffsets(g, p, n0, n1);
    const pixels = pixelOffsets(g, n0, n1);
    for (let group = 0; group < p.groups; group++) {
      const o0 = group * g.og;
      const w = stridedMatrix(ws, o0 * g.taps, g.og, g.taps, g.taps, 1);
      const cols: Gather = { data: input, offset: group * g.cg * g.hp * g.wp, rows: taps, cols: patches };
      const dst: Scatter = {
        data: os, offset: n0 * g.o * plane + o0 * plane, rows: strided(g.og, plane), cols: pixels,
        ...(biases ? { rowBias: biases.subarray(o0, o0 + g.og) } : {}),
      };
      gemm(kernels, w, cols, dst);
    }
  }
  return true;
}

/** Input gradient: dX̂ = Wᵀ · dY, then each column summed back over its patch (col2im). */
export function conv2dBackwardInputWasm(kernels: WasmKernels, gradOut: Tensor, weight: Tensor, out: Tensor, p: Conv2dParams): boolean {
  const gs = floats(gradOut).subarray(gradOut.storageOffset());
  const direct = inputGradientProblem(gradOut, weight, out, p);
  if (useDirect(direct, 4) && runDirectConv(kernels, direct, gs, floats(out).subarray(out.storageOffset()))) return true;
  const g = geometry(out.shape, weight.shape, gradOut.shape, p);
  const plane = g.oh * g.ow;
  const chunks = imageChunks(g, (k) => gemmWorkspaceBytes(g.taps, k * plane, g.og));
  if (!chunks) return false;
  const ws = floats(weight).subarray(weight.storageOffset());
  const os = floats(out).subarray(out.storageOffset(), out.storageOffset() + out.numel());
  const hasPadding = p.padding[0] > 0 || p.padding[1] > 0;
  const taps = tapOffsets(g, p);
  for (const [n0, n1] of chunks) {
    // the patches overlap, so the products are summed into a zeroed (padded) gradient
    const image = g.c * g.hp * g.wp;
    const target = hasPadding ? new Float32Array((n1 - n0) * image) : os.subarray(n0 * image, n1 * image).fill(0);
    const patches = patchOffsets(g, p, n0, n1);
    const pixels = pixelOffsets(g, n0, n1);
    for (let group = 0; group < p.groups; group++) {
      const o0 = group * g.og;
      const wT = stridedMatrix(ws, o0 * g.taps, g.taps, g.og, 1, g.taps);
      const dy: Gather = { data: gs, offset: n0 * g.o * plane + o0 * plane, rows: strided(g.og, plane), cols: pixels, strides: [plane, 1] };
      const dst: Scatter = { data: target, offset: group * g.cg * g.hp * g.wp, rows: taps, cols: patches, accumulate: true };
      gemm(kernels, wT, dy, dst);
    }
    if (hasPadding) unpadInto(target, os, g, p, n0, n1);
  }
  return true;
}

/** Weight gradient: dW = dY · X̂ᵀ, summed over the images chunk by chunk. */
export function conv2dBackwardWeightWasm(kernels: WasmKernels, gradOut: Tensor, x: Tensor, out: Tensor, p: Conv2dParams): boolean {
  const g = geometry(x.shape, out.shape, gradOut.shape, p);
  const plane = g.oh * g.ow;
  const chunks = imageChunks(g, (k) => gemmWorkspaceBytes(g.og, g.taps, k * plane));
  if (!chunks) return false;
  const gs = floats(gradOut).subarray(gradOut.storageOffset());
  const xs = floats(x).subarray(x.storageOffset());
  const os = floats(out).subarray(out.storageOffset());
  const taps = tapOffsets(g, p);
  if (chunks.length === 0) os.fill(0, 0, out.numel()); // no images: no gradient
  chunks.forEach(([n0, n1], chunk) => {
    const input = padded(xs, g, p, n0, n1);
    const patches = patchOffsets(g, p, n0, n1);
    const pixels = pixelOffsets(g, n0, n1);
    for (let group = 0; group < p.groups; group++) {
      const o0 = group * g.og;
      const dy: Gather = { data: gs, offset: n0 * g.o * plane + o0 * plane, rows: strided(g.og, plane), cols: pixels, strides: [plane, 1] };
      const colsT: Gather = { data: input, offset: group * g.cg * g.hp * g.wp, rows: patches, cols: taps };
      const dst: Scatter = { data: os, offset: o0 * g.taps, rows: strided(g.og, g.taps), cols: strided(g.taps, 1), accumulate: chunk > 0 };
      gemm(kernels, dy, colsT, dst);
    }
  });
  return true;
}
