/**
 * 2-D max pooling: each output element is the largest input element in its window. The kernel
 * also records which input element won (its flat index h·W + w in the channel's plane), since
 * the backward pass sends the gradient to exactly that element.
 */
import { backendFor, type Pool2dParams } from "../backend.ts";
import { RuntimeError } from "../errors.ts";
import { belowAutograd, recordOp } from "../grad-hooks.ts";
import type { Tensor } from "../tensor.ts";
import { emptyTensor } from "./creation.ts";
import { pair, type Pair } from "./conv.ts";
import { contiguous, squeeze, unsqueeze } from "./views.ts";

/**
 * The options of `maxPool2d`: the window's `kernelSize`, and `stride`, `padding`, `dilation` (each
 * a number or a [height, width] pair) and `ceilMode`.
 */
export interface MaxPool2dOptions {
  kernelSize: Pair;
  /** Defaults to the kernel size: windows that touch but do not overlap. */
  stride?: Pair | null;
  padding?: Pair;
  dilation?: Pair;
  /** Round the output size up, so a partial window at the edge still counts. */
  ceilMode?: boolean;
}

export interface ResolvedPool2d extends Pool2dParams {
  ceilMode: boolean;
}

/**
 * Resolves max pooling options into pairs (stride defaulting to the kernel size, padding 0,
 * dilation 1, ceilMode false), with PyTorch's checks and messages for bad values.
 */
export function pool2dParams(options: MaxPool2dOptions): ResolvedPool2d {
  const kernelSize = pair(options.kernelSize, "kernel_size");
  const p: ResolvedPool2d = {
    kernelSize,
    stride: options.stride == null ? kernelSize : pair(options.stride, "stride"),
    padding: pair(options.padding ?? 0, "padding"),
    dilation: pair(options.dilation ?? 1, "dilation"),
    ceilMode: options.ceilMode ?? false,
  };
  // PyTorch 1.13's checks, in its order: those made while sizing the output (padding is held
  // against the kernel itself, not its dilated span), then those of the shape check
  for (let i = 0; i < 2; i++) {
    if (p.stride[i] === 0) throw new RuntimeError("stride should not be zero");
    if (p.padding[i] < 0) throw new RuntimeError(`pad must be non-negative, but got pad: ${p.padding[i]}`);
    if (p.padding[i] > Math.trunc(p.kernelSize[i] / 2)) {
      throw new RuntimeError(`pad should be at most half of kernel size, but got pad=${p.padding[i]} and kernel_size=${p.kernelSize[i]}`);
    }
  }
  const [kh, kw] = p.kernelSize;
  if (kh <= 0 || kw <= 0) throw new RuntimeError(`kernel size should be greater than zero, but got kH: ${kh} kW: ${kw}`);
  const [dh, dw] = p.stride;
  if (dh <= 0 || dw <= 0) throw new RuntimeError(`stride should be greater than zero, but got dH: ${dh} dW: ${dw}`);
  const [dilationH, dilationW] = p.dilation;
  if (dilationH <= 0 || dilationW <= 0) {
    throw new RuntimeError(`dilation should be greater than zero, but got dilationH: ${dilationH} dilationW: ${dilationW}`);
  }
  return p;
}

/** PyTorch's pooling output size, with ceil mode's rule that the last window must start inside. */
export function poolOutputSize(size: number, k: number, s: number, pad: number, dil: number, ceil: boolean): number {
  const span = size + 2 * pad - dil * (k - 1) - 1 + (ceil ? s - 1 : 0);
  let out = Math.floor(span / s) + 1;
  if (ceil && (out - 1) * s >= size + pad) out--;
  return out;
}

/** `F.max_pool2d(x, ..., return_indices=True)`: the pooled values and the winners' positions. */
export function maxPool2dWithIndices(x: Tensor, options: MaxPool2dOptions): [Tensor, Tensor] {
  if (x.ndim === 3) {
    const [out, indices] = maxPool2dWithIndices(unsqueeze(x, 0), options);
    return [squeeze(out, 0), squeeze(indices, 0)];
  }
  if (x.ndim !== 4) {
    throw new RuntimeError(`non-empty 3D or 4D (batch mode) tensor expected for input`);
  }
  const p = pool2dParams(options);
  const [n, c, h, w] = x.shape;
  const oh = poolOutputSize(h, p.kernelSize[0], p.stride[0], p.padding[0], p.dilation[0], p.ceilMode);
  const ow = poolOutputSize(w, p.kernelSize[1], p.stride[1], p.padding[1], p.dilation[1], p.ceilMode);
  if (oh <= 0 || ow <= 0) {
    throw new RuntimeError(`Given input size: (${c}x${h}x${w}). Calculated output size: (${c}x${oh}x${ow}). Output size is too small`);
  }
  const out = emptyTensor([n, c, oh, ow], x.dtype, x.device);
  const indices = emptyTensor([n, c, oh, ow], "int64", x.device);
  belowAutograd(() => backendFor(x.device).maxPool2d(contiguous(x), out, indices, p));
  recordOp("maxPool2d", [x], [out, indices], { params: p });
  return [out, indices];
}

/** `F.max_pool2d`: the pooled values only. */
export function maxPool2d(x: Tensor, options: MaxPool2dOptions): Tensor {
  return maxPool2dWithIndices(x, options)[0];
}

/** ∂loss/∂input of max pooling: each output gradient goes to the input element that won. */
export function maxPool2dBackward(gradOut: Tensor, indices: Tensor, inputShape: readonly number[], p: Pool2dParams): Tensor {
  const out = emptyTensor(inputShape, gradOut.dtype, gradOut.device);
  backendFor(gradOut.device).maxPool2dBackward(contiguous(gradOut), contiguous(indices), out, p);
  return out;
}
