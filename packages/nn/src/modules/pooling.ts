/**
 * `nn.MaxPool2d`: the largest value of each window (see `F.maxPool2d`). No parameters. Its repr
 * prints the options as they were given, a number or a pair, as PyTorch does.
 */
import type { Pair, Tensor } from "@torchlet/tensor-core";
import { Module } from "@torchlet/module";
import { maxPool2d } from "../functional/pooling.ts";

/** MaxPool2d's keyword arguments after the kernel size. */
export interface MaxPool2dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Pair | null;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
}

/** Every argument named, as in `nn.MaxPool2d(kernel_size=2, stride=2)`. */
export interface MaxPool2dArgs extends MaxPool2dOptions {
  kernelSize: Pair;
}

/** Python's repr of an int or a pair. */
const repr = (value: Pair) => (typeof value === "number" ? String(value) : `(${value[0]}, ${value[1]})`);

/** 2-D max pooling over windows of `kernelSize`: `new nn.MaxPool2d(2)` halves the height and width. */
export class MaxPool2d extends Module {
  /**
   * The window's size (PyTorch's `kernel_size`), a number or a [height, width] pair as it was
   * given.
   */
  readonly kernelSize: Pair;
  /** The step between windows, as given; the kernel size when it was left out. */
  readonly stride: Pair;
  /**
   * How far the windows reach past each edge of the input (default 0); padding never wins the max.
   */
  readonly padding: Pair;
  /** The spacing between the elements a window covers (default 1: next to each other). */
  readonly dilation: Pair;
  /**
   * Whether the output size rounds up, so a partial window at the edge still counts (PyTorch's
   * `ceil_mode`, default false).
   */
  readonly ceilMode: boolean;

  constructor(kernelSize: Pair, options?: MaxPool2dOptions);
  constructor(args: MaxPool2dArgs);
  constructor(first: Pair | MaxPool2dArgs, options: MaxPool2dOptions = {}) {
    super();
    const args: MaxPool2dArgs = typeof first === "object" && !Array.isArray(first) ? (first as MaxPool2dArgs) : { ...options, kernelSize: first as Pair };
    this.kernelSize = args.kernelSize;
    this.stride = args.stride ?? args.kernelSize;
    this.padding = args.padding ?? 0;
    this.dilation = args.dilation ?? 1;
    this.ceilMode = args.ceilMode ?? false;
  }

  override forward(input: Tensor): Tensor {
    return maxPool2d(input, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode });
  }

  override extraRepr(): string {
    return `kernel_size=${repr(this.kernelSize)}, stride=${repr(this.stride)}, padding=${repr(this.padding)}, dilation=${repr(this.dilation)}, ceil_mode=${this.ceilMode ? "True" : "False"}`;
  }
}
