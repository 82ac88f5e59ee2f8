/**
 * Losses: one number (or one per example) that says how far a prediction is from its target.
 *
 * - `nllLoss(logProbs, target)`: the negative log-likelihood of the target classes. `logProbs`
 *   holds, along dimension 1, the log-probability of each class (what `logSoftmax` gives); the
 *   loss of an example is minus the entry of its target class, times that class's weight.
 *   Cross-entropy is `nllLoss(logSoftmax(x, 1), target)`, two ops, as PyTorch records it.
 * - `mseLoss(input, target)`: the squared difference, element by element.
 *
 * Both reduce the per-element losses as `reduction` says: "mean" (the default), "sum" or "none".
 * A weighted mean divides by the total weight of the targets, not by their count, and targets
 * equal to `ignoreIndex` weigh nothing. The class weights and the targets get no gradient.
 *
 * Picking each example's target entry is written with the elementwise kernels every device has: a
 * mask of where `class index == target` selects it, so no gather kernel is needed.
 */
import { scalarTypeName } from "../dtype.ts";
import { IndexError, RuntimeError, ValueError } from "../errors.ts";
import { belowAutograd, recordOp } from "../grad-hooks.ts";
import type { Tensor } from "../tensor.ts";
import { arange, ones } from "./creation.ts";
import { div, eq, logicalAnd, mul, ne, neg, sub, where } from "./elementwise.ts";
import { sum } from "./reduce.ts";
import { expand, reshape, unsqueeze } from "./views.ts";
import { broadcastShapes } from "../shape.ts";

/** How a loss combines the losses of single elements. */
export type Reduction = "none" | "mean" | "sum";

/** The options of `nllLoss` (PyTorch's keyword arguments, in camelCase). */
export interface NllLossOptions {
  /** A weight per class (null: every class weighs 1). */
  weight?: Tensor | null;
  /** Targets with this value contribute nothing, not even to the mean's denominator (default -100). */
  ignoreIndex?: number;
  reduction?: Reduction;
}

/** PyTorch's check of the `reduction` argument, made before anything else. */
export function checkReduction(reduction: string): Reduction {
  if (reduction !== "none" && reduction !== "mean" && reduction !== "sum") {
    throw new ValueError(`${reduction} is not a valid value for reduction`);
  }
  return reduction;
}

const sizes = (t: Tensor) => `[${t.shape.join(", ")}]`;

/** The shape checks of PyTorch's `nll_loss_nd`, `nll_loss` and `nll_loss2d`, with their messages. */
function checkNllShapes(input: Tensor, target: Tensor, weight: Tensor | null): void {
  if (input.ndim < 1) throw new ValueError(`Expected 1 or more dimensions (got ${input.ndim})`);
  if (input.ndim !== 1 && input.shape[0] !== target.shape[0]) {
    throw new ValueError(`Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0]}).`);
  }
  const classes = input.shape[input.ndim === 1 ? 0 : 1];
  if (input.ndim <= 2) {
    if (target.ndim > 1) throw new RuntimeError("0D or 1D target tensor expected, multi-target not supported");
    const noBatch = input.ndim === 1 && target.ndim === 0;
    if (!noBatch && input.shape[0] !== target.shape[0]) {
      throw new RuntimeError(`size mismatch (got input: ${sizes(input)}, target: ${sizes(target)})`);
    }
  } else if (input.ndim === 4) {
    if (target.ndim !== 3) {
      throw new RuntimeError(`only batches of spatial targets supported (3D tensors) but got targets of dimension: ${target.ndim}`);
    }
    if (!target.shape.every((s, d) => s === input.shape[d === 0 ? 0 : d + 1])) {
      throw new RuntimeError(`size mismatch (got input: ${sizes(input)} , target: ${sizes(target)}`);
    }
  } else {
    const expected = [input.shape[0], ...input.shape.slice(2)];
    if (target.ndim !== expected.length || !target.shape.every((s, d) => s === expected[d])) {
      throw new RuntimeError(`Expected target size [${expected.join(", ")}], got ${sizes(target)}`);
    }
  }
  if (weight !== null && (weight.ndim !== 1 || weight.numel() !== classes)) {
    throw new RuntimeError(
      `weight tensor should be defined either for all ${classes} classes or no classes but got weight tensor of shape: ${sizes(weight)}`,
    );
  }
}

/** Shapes a per-class tensor ([C]) to broadcast along the class dimension of the input. */
function alongClasses(t: Tensor, inputShape: readonly number[], classDim: number): Tensor {
  return reshape(t, inputShape.map((size, d) => (d === classDim ? size : 1)));
}

/**
 * Where each target points: a bool mask of the input's shape, true at [n, target[n, ...], ...].
 * An ignored target (even one that is a valid class index) matches no class, so its row is all
 * false, and so does any value outside 0..C-1.
 */
function targetMask(target: Tensor, inputShape: readonly number[], classDim: number, ignoreIndex: number): Tensor {
  const classes = alongClasses(arange(inputShape[classDim], { device: target.device }), inputShape, classDim);
  const t = unsqueeze(target, classDim);
  return logicalAnd(eq(classes, t), ne(t, ignoreIndex));
}

/**
 * `F.nll_loss(input, target, weight, ignore_index, reduction)`: input [C], [N, C] or
 * [N, C, d1, ...] of log-probabilities; target [], [N] or [N, d1, ...] of class indices (int64).
 *
 * On the CPU a class index outside 0..C-1 (other than `ignoreIndex`) is an error, as in PyTorch;
 * on the GPU the indices are not read back, so such a target only contributes nothing (PyTorch's
 * CUDA kernels cannot raise either).
 */
export function nllLoss(input: Tensor, target: Tensor, options: NllLossOptions = {}): Tensor {
  const reduction = checkReduction(options.reduction ?? "mean");
  const { weight = null, ignoreIndex = -100 } = options;
  checkNllShapes(input, target, weight);
  if (target.dtype !== "int64") throw new RuntimeError(`expected scalar type Long but found ${scalarTypeName(target.dtype)}`);
  if (input.dtype !== "float32") throw new RuntimeError(`"nll_loss_out_frame" not implemented for '${scalarTypeName(input.dtype)}'`);
  const classDim = input.ndim === 1 ? 0 : 1;
  const classes = input.shape[classDim];
  if (target.device === "cpu") {
    for (const t of target.toArray()) {
      if (t !== ignoreIndex && (t < 0 || t >= classes)) throw new IndexError(`Target ${t} is out of bounds.`);
    }
  }

  const [loss, totalWeight] = belowAutograd(() => {
    const mask = targetMask(target, input.shape, classDim, ignoreIndex);
    const classWeights = alongClasses(weight ?? ones(classes, { device: input.device }), input.shape, classDim);
    // each example's target entry and its weight (0 for an ignored target)
    const picked = sum(where(mask, input, 0), classDim);
    const weights = sum(where(mask, classWeights, 0), classDim);
    const losses = neg(mul(picked, weights));
    const totalWeight = sum(weights);
    if (reduction === "none") return [losses, totalWeight];
    if (reduction === "sum") return [sum(losses), totalWeight];
    return [div(sum(losses), totalWeight), totalWeight];
  });
  return recordOp("nllLoss", [input, target, weight], [loss, totalWeight], {
    reduction,
    classDim,
    ignoreIndex,
    inputNdim: input.ndim,
    hasWeight: weight !== null,
  });
}

/**
 * `F.mse_loss(input, target, reduction)`: (input − target)², reduced. Operands of different
 * shapes are broadcast against each other first, as PyTorch does (it also warns, at the layer
 * above).
 */
export function mseLoss(input: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  const reduction = checkReduction(options.reduction ?? "mean");
  let [a, b] = [input, target];
  if (!a.shape.equals(b.shape)) {
    const shape = broadcastShapes(a.shape, b.shape);
    [a, b] = [expand(a, shape), expand(b, shape)];
  }
  const dtype = a.dtype === "float32" || b.dtype === "float32" ? "float32" : a.dtype;
  if (dtype !== "float32") throw new RuntimeError(`"mse_cpu" not implemented for '${scalarTypeName(dtype)}'`);
  const out = belowAutograd(() => {
    const diff = sub(a, b);
    const squares = mul(diff, diff);
    if (reduction === "none") return squares;
    return reduction === "sum" ? sum(squares) : div(sum(squares), squares.numel());
  });
  return recordOp("mseLoss", [a, b], out, { reduction });
}
