/**
 * 2-D convolution (strictly, cross-correlation, as in every deep learning library): each output
 * pixel is the dot product of a kernel with the input patch under it. The op checks shapes with
 * PyTorch's messages, works out the output size and leaves the arithmetic to the backend; the
 * two backward kernels are exported for autograd.
 */
import { backendFor, type Conv2dParams } from "../backend.ts";
import { cTypeName, scalarTypeName } from "../dtype.ts";
import { RuntimeError } from "../errors.ts";
import { belowAutograd, recordOp } from "../grad-hooks.ts";
import type { Tensor } from "../tensor.ts";
import { emptyTensor } from "./creation.ts";
import { constantPadNd } from "./pad.ts";
import { contiguous, squeeze, unsqueeze } from "./views.ts";

/** A size given for both spatial dimensions at once (a number) or as [height, width]. */
export type Pair = number | readonly [number, number];

/**
 * A padding by name: "valid" is none at all; "same" pads so that the output has the input's
 * height and width (stride 1 only), splitting dilation·(k − 1) zeros between the two sides, the
 * odd one after.
 */
export type PaddingName = "same" | "valid";

/**
 * The options of `conv2d`: `stride` (default 1), `padding` with zeros on each side (default 0;
 * or "same" or "valid"), `dilation`, the spacing of the kernel's taps (default 1), each a number
 * or a [height, width] pair, and `groups` (default 1), the number of independent channel groups.
 */
export interface Conv2dOptions {
  stride?: Pair;
  padding?: Pair | PaddingName;
  dilation?: Pair;
  groups?: number;
}

export function pair(value: Pair, name: string): [number, number] {
  const p: [number, number] = typeof value === "number" ? [value, value] : [value[0], value[1]];
  if (!p.every((v) => Number.isInteger(v))) throw new RuntimeError(`${name} must be integers, got ${String(value)}`);
  return p;
}

export function conv2dParams(options: Conv2dOptions & { padding?: Pair } = {}): Conv2dParams {
  const p: Conv2dParams = {
    stride: pair(options.stride ?? 1, "stride"),
    padding: pair(options.padding ?? 0, "padding"),
    dilation: pair(options.dilation ?? 1, "dilation"),
    groups: options.groups ?? 1,
  };
  if (p.stride.some((s) => s <= 0)) throw new RuntimeError("non-positive stride is not supported");
  if (p.padding.some((s) => s < 0)) throw new RuntimeError("negative padding is not supported");
  if (p.dilation.some((s) => s <= 0)) {
    throw new RuntimeError(`dilation should be greater than zero, but got [${p.dilation.join(", ")}]`);
  }
  if (!Number.isInteger(p.groups) || p.groups <= 0) throw new RuntimeError("non-positive groups is not supported");
  return p;
}

/** Output length of a sliding window: floor((size + 2·pad − dil·(k−1) − 1) / stride) + 1. */
export function convOutputSize(size: number, kernel: number, stride: number, padding: number, dilation: number): number {
  return Math.floor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1;
}

/**
 * The output shape [N, O, H', W'] of a convolution of input shape `x` ([N, C, H, W]) with weight
 * shape `w` ([O, C / groups, kH, kW]) and resolved parameters `p`.
 */
export function conv2dOutputShape(x: readonly number[], w: readonly number[], p: Conv2dParams): number[] {
  const [n, , h, wd] = x;
  const [o, , kh, kw] = w;
  return [
    n,
    o,
    convOutputSize(h, kh, p.stride[0], p.padding[0], p.dilation[0]),
    convOutputSize(wd, kw, p.stride[1], p.padding[1], p.dilation[1]),
  ];
}

function checkConv2d(x: Tensor, weight: Tensor, bias: Tensor | null, p: Conv2dParams): void {
  // PyTorch reads the kind of convolution off the weight, so a weight of the wrong rank is told
  // that its options have the wrong length
  if (weight.ndim < 3) throw new RuntimeError("weight should have at least three dimensions");
  if (weight.ndim !== 4) {
    throw new RuntimeError(
      `expected stride to be a single integer value or a list of ${weight.ndim - 2} values to match the convolution dimensions, but got stride=[${p.stride.join(", ")}]`,
    );
  }
  if (x.ndim !== 4) {
    throw new RuntimeError(
      `Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [${x.shape.join(", ")}]`,
    );
  }
  const [outChannels, inPerGroup, kh, kw] = weight.shape;
  if (x.shape[1] !== inPerGroup * p.groups) {
    throw new RuntimeError(
      `Given groups=${p.groups}, weight of size [${weight.shape.join(", ")}], expected input[${x.shape.join(", ")}] to have ${inPerGroup * p.groups} channels, but got ${x.shape[1]} channels instead`,
    );
  }
  if (outChannels % p.groups !== 0) {
    throw new RuntimeError(
      `Given groups=${p.groups}, expected weight to be divisible by ${p.groups} at dimension 0, but got weight of size [[${weight.shape.join(", ")}]] instead`,
    );
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== outChannels)) {
    throw new RuntimeError(
      `Given weight of size [${weight.shape.join(", ")}], expected bias to be 1-dimensional with ${outChannels} elements, but got bias of size [${bias.shape.join(", ")}] instead`,
    );
  }
  const paddedH = x.shape[2] + 2 * p.padding[0];
  const paddedW = x.shape[3] + 2 * p.padding[1];
  const effH = p.dilation[0] * (kh - 1) + 1;
  const effW = p.dilation[1] * (kw - 1) + 1;
  if (paddedH < effH || paddedW < effW) {
    throw new RuntimeError(
      `Calculated padded input size per channel: (${paddedH} x ${paddedW}). Kernel size: (${effH} x ${effW}). Kernel size can't be greater than actual input size`,
    );
  }
  for (const t of [weight, bias]) {
    if (t && t.device !== x.device) {
      throw new RuntimeError(`Expected all tensors to be on the same device, but found at least two devices, ${x.device} and ${t.device}!`);
    }
  }
  if (weight.dtype !== x.dtype) {
    throw new RuntimeError(`expected scalar type ${scalarTypeName(x.dtype)} but found ${scalarTypeName(weight.dtype)}`);
  }
  if (bias && bias.dtype !== x.dtype) {
    throw new RuntimeError(`Input type (${cTypeName(x.dtype)}) and bias type (${cTypeName(bias.dtype)}) should be the same`);
  }
}

/**
 * A padding given by name, as numbers, as PyTorch's `_convolution_mode` works it out: "valid" is
 * 0; "same" is dilation·(k − 1) in all, half before and half after. Where that total is odd, the
 * input gets the extra row or column after it (a `constantPadNd`, which autograd records) and
 * the convolution pads the rest evenly.
 */
function padByName(x: Tensor, weight: Tensor, options: Conv2dOptions): { input: Tensor; padding: Pair } {
  const { padding } = options;
  if (typeof padding !== "string") return { input: x, padding: padding ?? 0 };
  if (padding === "valid") return { input: x, padding: 0 };
  if (padding !== "same") throw new RuntimeError(`Invalid padding string: '${String(padding)}'`);
  if (pair(options.stride ?? 1, "stride").some((s) => s !== 1)) {
    throw new RuntimeError("padding='same' is not supported for strided convolutions");
  }
  // a weight or input of the wrong rank is the shape checks' to report, with the input as given
  if (weight.ndim !== 4 || x.ndim !== 4) return { input: x, padding: 0 };
  const dilation = pair(options.dilation ?? 1, "dilation");
  const totals = [0, 1].map((i) => dilation[i]! * (weight.shape[2 + i]! - 1));
  const before: [number, number] = [Math.floor(totals[0]! / 2), Math.floor(totals[1]! / 2)];
  const odd = totals.map((total, i) => total - 2 * before[i]!);
  // constantPadNd lists the last dimension first: [left, right, top, bottom]
  const input = odd.some((extra) => extra > 0) ? constantPadNd(x, [0, odd[1]!, 0, odd[0]!]) : x;
  return { input, padding: before };
}

/**
 * `F.conv2d`: x [N, C, H, W] (or unbatched [C, H, W]) with weight [O, C/groups, kH, kW]. The
 * padding may be named: "same" keeps the height and width, "valid" adds none.
 */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv2dOptions = {}): Tensor {
  if (x.ndim === 3) return squeeze(conv2d(unsqueeze(x, 0), weight, bias, options), 0);
  const named = padByName(x, weight, options);
  if (named.input !== x) return conv2d(named.input, weight, bias, { ...options, padding: named.padding });
  const p = conv2dParams({ ...options, padding: named.padding });
  checkConv2d(x, weight, bias, p);
  const out = emptyTensor(conv2dOutputShape(x.shape, weight.shape, p), x.dtype, x.device);
  // the dense copies are the kernel's business, not steps autograd should see
  belowAutograd(() => backendFor(x.device).conv2d(contiguous(x), contiguous(weight), bias, out, p));
  return recordOp("conv2d", [x, weight, bias], out, { params: p });
}

/** ∂loss/∂input of conv2d, given ∂loss/∂output; used by autograd. */
export function conv2dBackwardInput(gradOut: Tensor, weight: Tensor, inputShape: readonly number[], p: Conv2dParams): Tensor {
  const out = emptyTensor(inputShape, gradOut.dtype, gradOut.device);
  backendFor(gradOut.device).conv2dBackwardInput(contiguous(gradOut), contiguous(weight), out, p);
  return out;
}

/** ∂loss/∂weight of conv2d, given ∂loss/∂output; used by autograd. */
export function conv2dBackwardWeight(gradOut: Tensor, x: Tensor, weightShape: readonly number[], p: Conv2dParams): Tensor {
  const out = emptyTensor(weightShape, gradOut.dtype, gradOut.device);
  backendFor(gradOut.device).conv2dBackwardWeight(contiguous(gradOut), contiguous(x), out, p);
  return out;
}
