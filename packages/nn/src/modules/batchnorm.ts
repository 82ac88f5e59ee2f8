/**
 * `nn.BatchNorm2d`: batch normalisation of image batches [N, C, H, W] (see `F.batchNorm`).
 *
 * It is the seed document's example of buffers next to parameters. The learned per-channel scale
 * and shift (`weight`, `bias`) are parameters; the running estimates of each channel's mean and
 * variance (`running_mean`, `running_var`) and the count of training batches seen
 * (`num_batches_tracked`, int64) are buffers: state that is saved and moved with the model, but
 * not trained. Their names are PyTorch's, since they are the keys of the state dict.
 *
 * In training mode every forward pass normalises with the batch's own statistics and moves the
 * running estimates towards them by `momentum` (or, with `momentum: null`, keeps their plain
 * average over all batches so far); in evaluation mode the running estimates normalise.
 */
import { empty, ones, RuntimeError, tensor, ValueError, zeros, pythonFloatRepr, type Device, type Tensor } from "@torchlet/tensor-core";
import { noGrad } from "@torchlet/autograd";
import { Module, Parameter } from "@torchlet/module";
import { ones_, zeros_ } from "@torchlet/init";
import { batchNorm } from "../functional/normalization.ts";

/** BatchNorm2d's keyword arguments after the number of channels. */
export interface BatchNorm2dOptions {
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
  /** Weight of each new batch in the running statistics (default 0.1); null for a plain cumulative average. */
  momentum?: number | null;
  /** Whether the layer has a learned per-channel scale and shift (default true). */
  affine?: boolean;
  /** Whether to keep running statistics for evaluation (default true); without them, every mode uses batch statistics. */
  trackRunningStats?: boolean;
  /** Where the parameters and buffers live (default "cpu"). */
  device?: Device;
}

/** Every argument named, as in `nn.BatchNorm2d(num_features=128)`. */
export interface BatchNorm2dArgs extends BatchNorm2dOptions {
  numFeatures: number;
}

const bool = (b: boolean) => (b ? "True" : "False");

/** Batch normalisation over the channels of [N, C, H, W] inputs, with running statistics as buffers. */
export class BatchNorm2d extends Module {
  /** The number of channels C (PyTorch's `num_features`). */
  readonly numFeatures: number;
  /**
   * Added to the variance before its square root, so a constant channel does not divide by zero.
   */
  readonly eps: number;
  /**
   * How much each training batch moves the running statistics (default 0.1); null keeps their plain
   * average over all batches so far. It may be changed between steps.
   */
  momentum: number | null;
  /** Whether the layer has the learned per-channel `weight` and `bias`. */
  readonly affine: boolean;
  /**
   * Whether the layer keeps running statistics for evaluation (PyTorch's `track_running_stats`);
   * without them, evaluation normalises with each batch's own statistics too.
   */
  readonly trackRunningStats: boolean;
  /** The learned per-channel scale γ (ones at first), or null when not affine. */
  declare weight: Parameter | null;
  /** The learned per-channel shift β (zeros at first), or null when not affine. */
  declare bias: Parameter | null;
  /** Buffer: the running estimate of each channel's mean. */
  declare running_mean: Tensor | null;
  /** Buffer: the running (unbiased) estimate of each channel's variance. */
  declare running_var: Tensor | null;
  /** Buffer: how many training batches have updated the running statistics (int64, 0-d). */
  declare num_batches_tracked: Tensor | null;

  constructor(numFeatures: number, options?: BatchNorm2dOptions);
  constructor(args: BatchNorm2dArgs);
  constructor(first: number | BatchNorm2dArgs, options: BatchNorm2dOptions = {}) {
    super();
    const args: BatchNorm2dArgs = typeof first === "number" ? { ...options, numFeatures: first } : first;
    const { numFeatures, eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, device = "cpu" } = args;
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
    if (affine) {
      this.weight = new Parameter(empty([numFeatures], { device }));
      this.bias = new Parameter(empty([numFeatures], { device }));
    } else {
      this.registerParameter("weight", null);
      this.registerParameter("bias", null);
    }
    if (trackRunningStats) {
      this.registerBuffer("running_mean", zeros([numFeatures], { device }));
      this.registerBuffer("running_var", ones([numFeatures], { device }));
      this.registerBuffer("num_batches_tracked", tensor(0, { dtype: "int64", device }));
    } else {
      this.registerBuffer("running_mean", null);
      this.registerBuffer("running_var", null);
      this.registerBuffer("num_batches_tracked", null);
    }
    this.resetParameters();
  }

  /** Running mean 0, running variance 1, no batches seen. */
  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    noGrad(() => {
      this.running_mean?.zero_();
      this.running_var?.fill_(1);
      this.num_batches_tracked?.zero_();
    });
  }

  /** Resets the running statistics, and the scale to 1 and shift to 0. */
  resetParameters(): void {
    this.resetRunningStats();
    if (this.weight !== null) ones_(this.weight);
    if (this.bias !== null) zeros_(this.bias);
  }

  override forward(input: Tensor): Tensor {
    if (input.ndim !== 4) throw new ValueError(`expected 4D input (got ${input.ndim}D input)`);
    // training without running statistics, or evaluating with none kept, uses the batch's own
    const batchStatistics = this.training || (this.running_mean === null && this.running_var === null);
    const running = !this.training || this.trackRunningStats;
    const counting = this.training && this.num_batches_tracked !== null;
    const out = batchNorm(input, running ? this.running_mean : null, running ? this.running_var : null, {
      weight: this.weight,
      bias: this.bias,
      training: batchStatistics,
      momentum: counting ? this.averagingFactor() : (this.momentum ?? 0),
      eps: this.eps,
    });
    // counted after the pass succeeded, so that bad input changes nothing
    if (counting) noGrad(() => this.num_batches_tracked!.add_(1));
    return out;
  }

  /** How much this batch weighs in the running statistics: the momentum, or 1/(batches so far + 1). */
  private averagingFactor(): number {
    if (this.momentum !== null) return this.momentum;
    const counter = this.num_batches_tracked!;
    if (counter.device !== "cpu") {
      throw new RuntimeError(
        "BatchNorm2d with momentum=null reads num_batches_tracked on every training step, which a webgpu tensor cannot give synchronously: use a numeric momentum on webgpu",
      );
    }
    return 1 / ((counter.item() as number) + 1);
  }

  override extraRepr(): string {
    const momentum = this.momentum === null ? "None" : pythonFloatRepr(this.momentum);
    return `${this.numFeatures}, eps=${pythonFloatRepr(this.eps)}, momentum=${momentum}, affine=${bool(this.affine)}, track_running_stats=${bool(this.trackRunningStats)}`;
  }
}
