/**
 * `nn.Conv2d`: a bank of `outChannels` learned filters, each [inChannels / groups, kH, kW], slid
 * over the input (see `F.conv2d`). It starts from PyTorch's default initialisation, the same rule
 * as Linear's with fan_in = (inChannels / groups)·kH·kW, weight first and then bias.
 *
 * Both of PyTorch's calling styles work: positional sizes with an options object,
 * `new nn.Conv2d(1, 32, 3, { stride: 1, padding: 1 })`, or everything named, as the seed document
 * writes it: `new nn.Conv2d({ inChannels: 1, outChannels: 32, kernelSize: 3, stride: 1, padding: 1 })`.
 */
import { empty, ValueError, type Device, type PaddingName, type Pair, type Tensor } from "@torchlet/tensor-core";
import { Module, Parameter } from "@torchlet/module";
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from "@torchlet/init";
import { conv2d } from "../functional/linear.ts";
import { pad } from "../functional/padding.ts";

/** Conv2d's keyword arguments after the three sizes. */
export interface Conv2dOptions {
  /** Step between neighbouring windows (default 1). */
  stride?: Pair;
  /**
   * Zeros added on each side of the input (default 0), or by name: "same" keeps the height and
   * width (stride 1 only), "valid" adds none.
   */
  padding?: Pair | PaddingName;
  /** Spacing between the kernel's taps (default 1). */
  dilation?: Pair;
  /** Split channels into this many independent groups (default 1). */
  groups?: number;
  /** Whether each output channel adds a learned bias (default true). */
  bias?: boolean;
  /**
   * What the padding holds (PyTorch's `padding_mode`): "zeros" (the default), or the input's own
   * edges, "reflect", "replicate" or "circular" (see `F.pad`).
   */
  paddingMode?: PaddingMode;
  /** Where the parameters live (default "cpu"). */
  device?: Device;
}

/** Every argument named, as in `nn.Conv2d(in_channels=1, out_channels=32, kernel_size=3)`. */
export interface Conv2dArgs extends Conv2dOptions {
  inChannels: number;
  outChannels: number;
  kernelSize: Pair;
}

/** Conv2d's `padding_mode` values. */
export type PaddingMode = "zeros" | "reflect" | "replicate" | "circular";

/** The modes, in the order PyTorch 1.13's message prints its set of them (PYTHONHASHSEED=0). */
const paddingModes: readonly PaddingMode[] = ["replicate", "reflect", "zeros", "circular"];

/** A number or a pair as a pair (PyTorch's `_pair`). */
function pair(value: Pair): [number, number] {
  return typeof value === "number" ? [value, value] : [value[0], value[1]];
}

/** A padding name, checked as PyTorch's constructor checks it. */
function namedPadding(name: string, stride: readonly number[]): PaddingName {
  if (name !== "same" && name !== "valid") throw new ValueError(`Invalid padding string '${name}', should be one of {'same', 'valid'}`);
  if (name === "same" && stride.some((s) => s !== 1)) throw new ValueError("padding='same' is not supported for strided convolutions");
  return name;
}

/** Python's repr of a tuple of two ints. */
const tuple = ([a, b]: readonly [number, number]) => `(${a}, ${b})`;

/** 2-D convolution over [N, inChannels, H, W] (or [inChannels, H, W]) inputs. */
export class Conv2d extends Module {
  /** The number of channels the input has (PyTorch's `in_channels`). */
  readonly inChannels: number;
  /** The number of channels the output has, one per filter (PyTorch's `out_channels`). */
  readonly outChannels: number;
  /**
   * The filters' height and width (PyTorch's `kernel_size`), as a pair even when given as one
   * number.
   */
  readonly kernelSize: [number, number];
  /** The step between neighbouring windows, [height, width]. */
  readonly stride: [number, number];
  /** The zeros added on each side of the input, [height, width], or the padding's name. */
  readonly padding: [number, number] | PaddingName;
  /** The spacing between the filters' taps, [height, width] (1: taps next to each other). */
  readonly dilation: [number, number];
  /** The number of independent channel groups: each filter sees `inChannels / groups` channels. */
  readonly groups: number;
  /** What the padding holds: zeros, or the input's edges reflected, replicated or wrapped around. */
  readonly paddingMode: PaddingMode;
  /** The filters, [outChannels, inChannels / groups, kH, kW]. */
  declare weight: Parameter;
  /** One learned offset per output channel, or null. */
  declare bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, options?: Conv2dOptions);
  constructor(args: Conv2dArgs);
  constructor(first: number | Conv2dArgs, outChannels?: number, kernelSize?: Pair, options: Conv2dOptions = {}) {
    super();
    const args: Conv2dArgs =
      typeof first === "number" ? { ...options, inChannels: first, outChannels: outChannels!, kernelSize: kernelSize! } : first;
    const { inChannels, stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, paddingMode = "zeros", device = "cpu" } = args;
    if (!(Number.isInteger(groups) && groups > 0)) throw new ValueError("groups must be a positive integer");
    if (inChannels % groups !== 0) throw new ValueError("in_channels must be divisible by groups");
    if (args.outChannels % groups !== 0) throw new ValueError("out_channels must be divisible by groups");
    if (!paddingModes.includes(paddingMode)) {
      const valid = paddingModes.map((m) => `'${m}'`).join(", ");
      throw new ValueError(`padding_mode must be one of {${valid}}, but got padding_mode='${paddingMode}'`);
    }
    this.paddingMode = paddingMode;
    this.inChannels = inChannels;
    this.outChannels = args.outChannels;
    this.kernelSize = pair(args.kernelSize);
    this.stride = pair(stride);
    this.padding = typeof padding === "string" ? namedPadding(padding, this.stride) : pair(padding);
    this.dilation = pair(dilation);
    this.groups = groups;
    this.weight = new Parameter(empty([this.outChannels, inChannels / groups, ...this.kernelSize], { device }));
    if (bias) this.bias = new Parameter(empty([this.outChannels], { device }));
    else this.registerParameter("bias", null);
    this.resetParameters();
  }

  /** Draws new starting values, exactly as PyTorch's `reset_parameters` does. */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const [fanIn] = calculateFanInAndFanOut(this.weight);
      if (fanIn !== 0) {
        const bound = 1 / Math.sqrt(fanIn);
        uniform_(this.bias, { a: -bound, b: bound });
      }
    }
  }

  /**
   * The amounts `F.pad` adds in a padding mode other than zeros, [left, right, top, bottom] (PyTorch's
   * `_reversed_padding_repeated_twice`); for "same", the odd one out goes right and below.
   */
  private edgePadding(): number[] {
    const [height, width] = [0, 1].map((d) => {
      if (this.padding === "valid") return [0, 0];
      if (this.padding === "same") {
        const total = this.dilation[d]! * (this.kernelSize[d]! - 1);
        return [Math.floor(total / 2), total - Math.floor(total / 2)];
      }
      return [this.padding[d]!, this.padding[d]!];
    });
    return [...width!, ...height!];
  }

  override forward(input: Tensor): Tensor {
    if (this.paddingMode !== "zeros") {
      // PyTorch's _conv_forward: pad in the mode first, then convolve with no padding
      const padded = pad(input, this.edgePadding(), { mode: this.paddingMode });
      return conv2d(padded, this.weight, this.bias, { stride: this.stride, padding: 0, dilation: this.dilation, groups: this.groups });
    }
    return conv2d(input, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  /** PyTorch's: options print only where they differ from the default (stride always). */
  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${tuple(this.kernelSize)}, stride=${tuple(this.stride)}`;
    if (typeof this.padding === "string") s += `, padding=${this.padding}`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${tuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${tuple(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ", bias=False";
    if (this.paddingMode !== "zeros") s += `, padding_mode=${this.paddingMode}`;
    return s;
  }
}
