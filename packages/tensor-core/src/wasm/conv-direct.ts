/**
 * Convolutions on the direct WebAssembly kernel (`conv-module.ts`): stage the input in
 * WebAssembly memory with its zero border, pack the weights in blocks of output channels, run the
 * kernel, and copy the output out in one piece, already in NCHW order.
 *
 * Two convolutions take this path:
 * - the forward pass, where the horizontal stride is 1;
 * - the input gradient at stride 1, which is itself a convolution: the output gradient, padded by
 *   dilation·(k − 1) − padding, convolved with the weights flipped in both spatial directions and
 *   with input and output channels swapped,
 *       dx[n, c, i, j] = Σ_o Σ_{ky,kx} dy_padded[n, o, i + ky·dh, j + kx·dw] · w[o, c, kH−1−ky, kW−1−kx].
 * Larger strides (and the weight gradient, a sum over pixels) stay with im2col and the GEMM.
 */
import type { Conv2dParams } from "../backend.ts";
import type { Tensor } from "../tensor.ts";
import { roundUp } from "./pack.ts";
import { getNumThreads } from "./settings.ts";
import { biasValues, floats } from "./tensor-data.ts";
import { runJob, type ParallelCall } from "./threads.ts";
import { MAX_WORKSPACE_BYTES, reserve, workspaceStart, type WasmKernels } from "./workspace.ts";

/** Workspace budget of one run of images, in bytes: large enough to amortise each call. */
const CHUNK_BYTES = 32 << 20;

/** Counters a test can read to see that the direct kernels ran. */
export const directConvStats = { calls: 0, threadedCalls: 0 };

/** A convolution as the direct kernel sees it: stride 1 along rows, any stride down columns. */
export interface DirectConv {
  /** Images, input channels (all groups), and the input's height and width before padding. */
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  /** Zeros added on each side of every input plane. */
  readonly pad: readonly [number, number];
  readonly groups: number;
  /** Input and output channels of one group. */
  readonly cg: number;
  readonly og: number;
  readonly kh: number;
  readonly kw: number;
  readonly dilation: readonly [number, number];
  /** The vertical stride (the horizontal one is 1). */
  readonly strideH: number;
  readonly oh: number;
  readonly ow: number;
  /** The weight of output channel o, input channel c (both within group g), tap (ky, kx). */
  weight(g: number, o: number, c: number, ky: number, kx: number): number;
  /** One value per output channel (all groups), or null. */
  readonly bias: Float32Array | null;
}

/** Whether the direct kernel can run this convolution: rows of at least 4 pixels, and some taps. */
function fits(d: DirectConv): boolean {
  return d.ow >= 4 && d.cg > 0 && d.kh > 0 && d.kw > 0;
}

/** Output channels of a group in blocks of 4, then one at a time. */
function blocksOf(og: number): { fours: number; ones: number } {
  const fours = Math.floor(og / 4);
  return { fours, ones: og - 4 * fours };
}

/**
 * The weights of every group, packed as the kernels read them: first the blocks of four channels
 * ([block][tap][channel]), then the remaining channels ([channel][tap]).
 */
function packWeights(d: DirectConv, into: Float32Array, at: number): void {
  const { fours, ones } = blocksOf(d.og);
  let i = at;
  const tap = (g: number, o: number) => {
    for (let c = 0; c < d.cg; c++) {
      for (let ky = 0; ky < d.kh; ky++) for (let kx = 0; kx < d.kw; kx++) into[i++] = d.weight(g, o, c, ky, kx);
    }
  };
  for (let g = 0; g < d.groups; g++) {
    for (let b = 0; b < fours; b++) {
      for (let c = 0; c < d.cg; c++) {
        for (let ky = 0; ky < d.kh; ky++) {
          for (let kx = 0; kx < d.kw; kx++) for (let ch = 0; ch < 4; ch++) into[i++] = d.weight(g, 4 * b + ch, c, ky, kx);
        }
      }
    }
    for (let o = 4 * fours; o < 4 * fours + ones; o++) tap(g, o);
  }
}

/** Byte offset of each tap (c, ky, kx) in the padded input, from the corner of its patch. */
function tapTable(d: DirectConv, hp: number, wp: number): Int32Array {
  const table = new Int32Array(d.cg * d.kh * d.kw);
  let i = 0;
  for (let c = 0; c < d.cg; c++) {
    for (let ky = 0; ky < d.kh; ky++) {
      for (let kx = 0; kx < d.kw; kx++) table[i++] = 4 * ((c * hp + ky * d.dilation[0]) * wp + kx * d.dilation[1]);
    }
  }
  return table;
}

/** Copies images [n0, n1) of contiguous NCHW `src` into `memory` at `at`, each plane inside its zero border. */
function stageInput(src: Float32Array, d: DirectConv, n0: number, n1: number, memory: Float32Array, at: number): void {
  const [ph, pw] = d.pad;
  const planeIn = d.h * d.w;
  if (ph === 0 && pw === 0) {
    memory.set(src.subarray(n0 * d.c * planeIn, n1 * d.c * planeIn), at);
    return;
  }
  const hp = d.h + 2 * ph;
  const wp = d.w + 2 * pw;
  memory.fill(0, at, at + (n1 - n0) * d.c * hp * wp);
  for (let plane = 0; plane < (n1 - n0) * d.c; plane++) {
    const from = (n0 * d.c + plane) * planeIn;
    for (let y = 0; y < d.h; y++) {
      const row = from + y * d.w;
      memory.set(src.subarray(row, row + d.w), at + (plane * hp + y + ph) * wp + pw);
    }
  }
}

/**
 * Runs the convolution `d` from contiguous NCHW `input` into contiguous NCHW `output`, a run of
 * images at a time; returns false (doing nothing) where the direct kernel does not apply.
 */
export function runDirectConv(kernels: WasmKernels, d: DirectConv, input: Float32Array, output: Float32Array): boolean {
  if (!fits(d)) return false;
  const hp = d.h + 2 * d.pad[0];
  const wp = d.w + 2 * d.pad[1];
  const taps = d.cg * d.kh * d.kw;
  const o = d.groups * d.og;
  const plane = d.oh * d.ow;
  const imageIn = d.c * hp * wp;
  const imageOut = o * plane;
  // the fixed part: tap table, weights, biases; then the input and output of a run of images
  const tableAt = workspaceStart();
  const weightsAt = tableAt + roundUp(taps, 4);
  const biasAt = weightsAt + roundUp(d.groups * d.og * taps, 4);
  const inputAt = biasAt + roundUp(o, 4);
  const fixedBytes = (inputAt - tableAt) * 4;
  const perImage = 4 * (imageIn + imageOut);
  if (fixedBytes + perImage > MAX_WORKSPACE_BYTES) return false;
  const per = Math.max(1, Math.min(d.n, Math.floor((CHUNK_BYTES - fixedBytes) / perImage)));
  const outputAt = inputAt + roundUp(per * imageIn, 4);
  const memory = reserve(kernels, (outputAt - tableAt + per * imageOut) * 4);

  new Int32Array(memory.buffer, tableAt * 4, taps).set(tapTable(d, hp, wp));
  packWeights(d, memory, weightsAt);
  if (d.bias) memory.set(d.bias.subarray(0, o), biasAt);
  else memory.fill(0, biasAt, biasAt + o);

  const { fours, ones } = blocksOf(d.og);
  for (let n0 = 0; n0 < d.n; n0 += per) {
    const n1 = Math.min(d.n, n0 + per);
    stageInput(input, d, n0, n1, memory, inputAt);
    const images = n1 - n0;
    const calls: ParallelCall[] = [];
    for (let g = 0; g < d.groups; g++) {
      const x = 4 * (inputAt + g * d.cg * hp * wp);
      const w = 4 * (weightsAt + g * d.og * taps);
      const bias = 4 * (biasAt + g * d.og);
      const out = 4 * (outputAt + g * d.og * plane);
      // the kernels' arguments (see ConvDirectExports); the images [n0, n1) are filled in per chunk
      const args = (w: number, bias: number, blocks: number, out: number) =>
        [x, 4 * imageIn, 4 * d.strideH * wp, 4 * tableAt, taps, w, bias, blocks, out, 4 * imageOut, plane, d.oh, d.ow, 0, images];
      if (fours > 0) calls.push({ kernel: "convDirect4", args: args(w, bias, fours, out), rangeAt: 13 });
      if (ones > 0) {
        const channel = 4 * fours;
        calls.push({ kernel: "convDirect1", args: args(w + 4 * channel * taps, bias + 4 * channel, ones, out + 4 * channel * plane), rangeAt: 13 });
      }
    }
    if (runJob(kernels, { range: images, calls }, taps * images * imageOut, getNumThreads())) directConvStats.threadedCalls++;
    output.set(memory.subarray(outputAt, outputAt + images * imageOut), n0 * imageOut);
  }
  directConvStats.calls++;
  return true;
}

/** The forward pass as a direct convolution, or null where the horizontal stride is not 1. */
export function forwardProblem(x: Tensor, weight: Tensor, bias: Tensor | null, out: Tensor, p: Conv2dParams): DirectConv | null {
  if (p.stride[1] !== 1) return null;
  const [n, c, h, w] = x.shape;
  const [o, cg, kh, kw] = weight.shape;
  const og = o / p.groups;
  const ws = floats(weight);
  const w0 = weight.storageOffset();
  return {
    n, c, h, w, pad: p.padding, groups: p.groups, cg, og, kh, kw, dilation: p.dilation, strideH: p.stride[0],
    oh: out.shape[2], ow: out.shape[3],
    weight: (g, oc, ic, ky, kx) => ws[w0 + (((g * og + oc) * cg + ic) * kh + ky) * kw + kx],
    bias: bias ? biasValues(bias) : null,
  };
}

/**
 * The input gradient as a direct convolution (see the top of this file), or null where it is not
 * one: a stride other than 1, or padding wider than the dilated kernel (the border would be cut).
 */
export function inputGradientProblem(gradOut: Tensor, weight: Tensor, out: Tensor, p: Conv2dParams): DirectConv | null {
  if (p.stride[0] !== 1 || p.stride[1] !== 1) return null;
  const [n, o, oh, ow] = gradOut.shape;
  const [, cg, kh, kw] = weight.shape;
  const [, , h, w] = out.shape;
  const padH = p.dilation[0] * (kh - 1) - p.padding[0];
  const padW = p.dilation[1] * (kw - 1) - p.padding[1];
  if (padH < 0 || padW < 0) return null;
  const og = o / p.groups;
  const ws = floats(weight);
  const w0 = weight.storageOffset();
  return {
    n, c: o, h: oh, w: ow, pad: [padH, padW], groups: p.groups, cg: og, og: cg, kh, kw, dilation: p.dilation, strideH: 1,
    oh: h, ow: w,
    // output channel `ic` of this convolution is input channel `ic` of the forward one, and so on
    weight: (g, ic, oc, ky, kx) => ws[w0 + (((g * og + oc) * cg + ic) * kh + (kh - 1 - ky)) * kw + (kw - 1 - kx)],
    bias: null,
  };
}

