/**
 * `nn.Flatten`: merges dimensions startDim..endDim into one. Its defaults (1 and −1) keep the
 * batch dimension, so images [N, C, H, W] become rows [N, C·H·W] for a Linear layer: the step the
 * seed document's convolutional `Sequential` forgot.
 */
import type { Tensor } from "@torchlet/tensor-core";
import { Module } from "@torchlet/module";

/** Merges dimensions `startDim`..`endDim` of its input into one. */
export class Flatten extends Module {
  /** First dimension to merge (PyTorch's `start_dim`). */
  readonly startDim: number;
  /** Last dimension to merge (PyTorch's `end_dim`). */
  readonly endDim: number;

  constructor(startDim = 1, endDim = -1) {
    super();
    this.startDim = startDim;
    this.endDim = endDim;
  }

  override forward(input: Tensor): Tensor {
    return input.flatten(this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}
