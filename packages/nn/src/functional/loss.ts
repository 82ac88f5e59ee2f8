/**
 * The loss functions. `nllLoss` and `mseLoss` are tensor-core ops (one graph node each, named as
 * PyTorch names them); `crossEntropy` is PyTorch's composition of them:
 *
 *   cross_entropy(x, target) = nll_loss(log_softmax(x, 1), target)
 *
 * and, as in PyTorch 1.13, it also accepts class probabilities as the target (a float tensor of
 * the input's shape) and label smoothing, which mixes the one-hot target with the uniform
 * distribution over the C classes: (1 − ε)·target + ε/C.
 */
import {
  add,
  arange,
  div,
  eq,
  logicalAnd,
  isRecording,
  logSoftmax,
  mseLoss as mseLossOp,
  mul,
  ne,
  neg,
  nllLoss as nllLossOp,
  reshape,
  RuntimeError,
  sum,
  unsqueeze,
  where,
  type NllLossOptions,
  type Reduction,
  type Tensor,
} from "@torchlet/tensor-core";

/** How a loss combines per-element losses: "mean", "sum" or "none". */
export type { Reduction } from "@torchlet/tensor-core";

/** PyTorch's check, made when autograd would need a gradient it cannot give. */
function refuseWeightGradient(weight: Tensor | null | undefined): void {
  if (weight?.requiresGrad && isRecording()) {
    throw new RuntimeError(
      "The function 'nll_loss_forward' is not differentiable with respect to argument 'weight'. This input cannot have requires_grad True.",
    );
  }
}

/**
 * The negative log-likelihood of the target classes: `input` holds log-probabilities ([C],
 * [N, C] or [N, C, d1, ...]), `target` the class of each example (int64, [], [N] or [N, d1, ...]).
 */
export function nllLoss(input: Tensor, target: Tensor, options: NllLossOptions = {}): Tensor {
  refuseWeightGradient(options.weight);
  return nllLossNd(input, target, options);
}

/**
 * PyTorch's `nll_loss_nd`: inputs of 3 or more than 4 dimensions go through the 2-d loss as
 * [N, C, 1, rest] (a view, then the loss, then a view back to the target's shape for "none"),
 * so their graphs have PyTorch's nodes: ViewBackward0 around NllLoss2DBackward0. Shapes that do
 * not fit go straight to the op, which gives PyTorch's message.
 */
function nllLossNd(input: Tensor, target: Tensor, options: NllLossOptions): Tensor {
  const fits = target.ndim === input.ndim - 1 && target.shape[0] === input.shape[0] && target.shape.slice(1).every((s, d) => s === input.shape[d + 2]);
  if ((input.ndim !== 3 && input.ndim <= 4) || !fits) return nllLossOp(input, target, options);
  const [n, c] = [input.shape[0]!, input.shape[1]!];
  const loss = nllLossOp(input.contiguous().view(n, c, 1, -1), target.contiguous().view(n, 1, -1), options);
  return (options.reduction ?? "mean") === "none" ? loss.view(...target.shape) : loss;
}

/** The options of `crossEntropy`: those of `nllLoss`, and label smoothing. */
export interface CrossEntropyOptions extends NllLossOptions {
  /** ε in [0, 1]: how much of the target is replaced by the uniform distribution (default 0). */
  labelSmoothing?: number;
}

/**
 * Cross-entropy between the softmax of `input` (raw scores, class along dimension 1) and the
 * target: class indices (int64) or class probabilities (float32, the input's shape).
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const { labelSmoothing = 0, ...nll } = options;
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new RuntimeError(`label_smoothing must be between 0.0 and 1.0. Got: ${labelSmoothing}`);
  }
  refuseWeightGradient(nll.weight);
  const classDim = input.ndim === 1 ? 0 : 1;
  const logProbs = logSoftmax(input, classDim);
  if (target.dtype === "float32") return probabilityCrossEntropy(logProbs, target, classDim, labelSmoothing, nll);
  const loss = nllLossNd(logProbs, target, nll);
  if (labelSmoothing === 0) return loss;
  return add(mul(loss, 1 - labelSmoothing), mul(smoothingLoss(logProbs, target, classDim, nll), labelSmoothing / input.shape[classDim]));
}

/** A per-class tensor shaped to broadcast along the class dimension of `like`. */
function alongClasses(t: Tensor, like: Tensor, classDim: number): Tensor {
  return reshape(t, like.shape.map((size, d) => (d === classDim ? size : 1)));
}

/**
 * The label-smoothing term: −Σ_c w_c · log p_c for each example (0 where the target is ignored),
 * reduced; a mean divides by the total weight of the examples' target classes, as `nll_loss` does.
 */
function smoothingLoss(logProbs: Tensor, target: Tensor, classDim: number, options: NllLossOptions): Tensor {
  const { weight = null, ignoreIndex = -100, reduction = "mean" } = options;
  const weighted = weight === null ? logProbs : mul(logProbs, alongClasses(weight, logProbs, classDim));
  const kept = ne(target, ignoreIndex);
  const perExample = where(kept, neg(sum(weighted, classDim)), 0);
  if (reduction === "none") return perExample;
  if (reduction === "sum") return sum(perExample);
  if (weight === null) return div(sum(perExample), sum(kept));
  return div(sum(perExample), sum(targetClassWeights(weight, target, logProbs, classDim, ignoreIndex)));
}

/** The weight of each example's target class (0 where the target is ignored). */
function targetClassWeights(weight: Tensor, target: Tensor, like: Tensor, classDim: number, ignoreIndex: number): Tensor {
  const classes = alongClasses(arange(like.shape[classDim], { device: like.device }), like, classDim);
  const t = unsqueeze(target, classDim);
  const isTarget = logicalAnd(eq(classes, t), ne(t, ignoreIndex));
  return sum(where(isTarget, alongClasses(weight, like, classDim), 0), classDim);
}

/** Cross-entropy against class probabilities: −Σ_c w_c · target_c · log p_c per example. */
function probabilityCrossEntropy(
  logProbs: Tensor,
  target: Tensor,
  classDim: number,
  labelSmoothing: number,
  options: NllLossOptions,
): Tensor {
  const { weight = null, reduction = "mean" } = options;
  if (!target.shape.equals(logProbs.shape)) {
    throw new RuntimeError("0D or 1D target tensor expected, multi-target not supported");
  }
  const classes = logProbs.shape[classDim];
  const smoothed = labelSmoothing > 0 ? add(mul(target, 1 - labelSmoothing), labelSmoothing / classes) : target;
  let terms = mul(logProbs, smoothed);
  if (weight !== null) terms = mul(terms, alongClasses(weight, logProbs, classDim));
  if (reduction === "none") return neg(sum(terms, classDim));
  if (reduction === "sum") return neg(sum(terms));
  return div(neg(sum(terms)), logProbs.numel() / classes);
}

/** The mean (or sum, or each) of (input − target)². Different shapes broadcast, with PyTorch's warning. */
export function mseLoss(input: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  if (!target.shape.equals(input.shape)) {
    console.warn(
      `Using a target size (${target.shape}) that is different to the input size (${input.shape}). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`,
    );
  }
  return mseLossOp(input, target, options);
}
