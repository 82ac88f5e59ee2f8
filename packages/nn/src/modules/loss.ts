/**
 * The loss layers: `CrossEntropyLoss`, `NLLLoss` and `MSELoss`, each a module around its
 * `nn.functional` twin that remembers its options. Called as `lossFn.call(prediction, target)`.
 * A class weight is registered as a buffer (named `weight`, as in PyTorch), so it moves with
 * `to()` and is saved in the state dict.
 */
import type { Tensor } from "@torchlet/tensor-core";
import { Module } from "@torchlet/module";
import { crossEntropy, mseLoss, nllLoss, type Reduction } from "../functional/loss.ts";

/** The option every loss layer has. */
export interface LossOptions {
  /** "mean" (the default), "sum", or "none" for one loss per element. */
  reduction?: Reduction;
}

/** Options of `NLLLoss` (PyTorch's keyword arguments, in camelCase). */
export interface NLLLossOptions extends LossOptions {
  /** A weight per class (default: all 1). */
  weight?: Tensor | null;
  /** Targets with this class index are skipped (default -100). */
  ignoreIndex?: number;
}

/** Options of `CrossEntropyLoss`: those of `NLLLoss`, and label smoothing. */
export interface CrossEntropyLossOptions extends NLLLossOptions {
  /** ε in [0, 1]: mixes the target with the uniform distribution (default 0). */
  labelSmoothing?: number;
}

/** The negative log-likelihood of the target classes, given log-probabilities (after `LogSoftmax`). */
export class NLLLoss extends Module {
  /** How the per-example losses combine: "mean" (the default), "sum", or "none" for each one. */
  readonly reduction: Reduction;
  /** Targets equal to this class index add no loss and do not count in the mean (default -100). */
  readonly ignoreIndex: number;
  /** Buffer: the per-class weight, or null. */
  declare weight: Tensor | null;

  constructor(options: NLLLossOptions = {}) {
    super();
    this.reduction = options.reduction ?? "mean";
    this.ignoreIndex = options.ignoreIndex ?? -100;
    this.registerBuffer("weight", options.weight ?? null);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/** Cross-entropy of raw scores against class indices or class probabilities: `LogSoftmax` then `NLLLoss`. */
export class CrossEntropyLoss extends Module {
  /** How the per-example losses combine: "mean" (the default), "sum", or "none" for each one. */
  readonly reduction: Reduction;
  /** Targets equal to this class index add no loss and do not count in the mean (default -100). */
  readonly ignoreIndex: number;
  /** ε in [0, 1]: how much of the target is spread evenly over all classes (default 0). */
  readonly labelSmoothing: number;
  /** Buffer: the per-class weight, or null. */
  declare weight: Tensor | null;

  constructor(options: CrossEntropyLossOptions = {}) {
    super();
    this.reduction = options.reduction ?? "mean";
    this.ignoreIndex = options.ignoreIndex ?? -100;
    this.labelSmoothing = options.labelSmoothing ?? 0;
    this.registerBuffer("weight", options.weight ?? null);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, {
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      reduction: this.reduction,
      labelSmoothing: this.labelSmoothing,
    });
  }
}

/** The mean squared error (or its sum, or each squared error). */
export class MSELoss extends Module {
  /** How the squared errors combine: "mean" (the default), "sum", or "none" for one per element. */
  readonly reduction: Reduction;

  constructor(options: LossOptions = {}) {
    super();
    this.reduction = options.reduction ?? "mean";
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}
