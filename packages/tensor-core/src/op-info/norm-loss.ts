/**
 * Table entries for batch normalisation and the losses. Batch norm runs in both modes, with and
 * without the per-channel weight and bias, on image batches, plain [N, C] batches and a permuted
 * view (the update of the running statistics is checked by the nn package's BatchNorm2d tests). The losses run with each reduction, class weights, an ignored target, and
 * inputs of one to four dimensions.
 */
import { fromValues } from "../ops/creation.ts";
import { mseLoss, nllLoss } from "../ops/loss.ts";
import { batchNorm } from "../ops/norm.ts";
import { sample, type OpInfo } from "./types.ts";
import { positiveTensor, sampleTensor } from "./values.ts";

/** Class indices as an int64 tensor. */
const classes = (values: number[], shape: number[] = [values.length]) => fromValues(values, shape, "int64");

const norm: OpInfo = {
  name: "batchNorm",
  differentiable: true,
  samples: [
    sample(
      "training, [4,3,2,2] with weight and bias",
      () => [sampleTensor([4, 3, 2, 2], 1), sampleTensor([3], 2), sampleTensor([3], 3)],
      (x, w, b) => batchNorm(x, null, null, { weight: w, bias: b, training: true }),
    ),
    sample(
      "training updates the running statistics (momentum 0.2)",
      () => [sampleTensor([3, 2, 2, 3], 4), sampleTensor([2], 5), positiveTensor([2], 6)],
      (x, runningMean, runningVar) => batchNorm(x, runningMean, runningVar, { training: true, momentum: 0.2 }),
      { gradInputs: [0] },
    ),
    sample(
      "evaluation with running statistics, weight and bias",
      () => [sampleTensor([2, 3, 4], 7), sampleTensor([3], 8), positiveTensor([3], 9), sampleTensor([3], 10), sampleTensor([3], 11)],
      (x, runningMean, runningVar, w, b) => batchNorm(x, runningMean, runningVar, { weight: w, bias: b }),
      { gradInputs: [0, 3, 4] },
    ),
    sample("training on [N, C], eps 0.1", () => [sampleTensor([5, 4], 12)], (x) => batchNorm(x, null, null, { training: true, eps: 0.1 })),
    sample(
      "training on a permuted [4,2,3] (channels 3)",
      () => [sampleTensor([4, 2, 3], 13), sampleTensor([3], 14), sampleTensor([3], 15)],
      (x, w, b) => batchNorm(x.transpose(1, 2), null, null, { weight: w, bias: b, training: true }),
    ),
  ],
};

const nll: OpInfo = {
  name: "nllLoss",
  differentiable: true,
  gradInputs: [0],
  samples: [
    sample("mean over [3,5]", () => [sampleTensor([3, 5], 21), classes([1, 0, 4])], (x, t) => nllLoss(x, t)),
    sample("sum over [3,5]", () => [sampleTensor([3, 5], 22), classes([2, 2, 3])], (x, t) => nllLoss(x, t, { reduction: "sum" })),
    sample("none over [4,3]", () => [sampleTensor([4, 3], 23), classes([0, 2, 1, 2])], (x, t) => nllLoss(x, t, { reduction: "none" })),
    sample(
      "class weights, mean",
      () => [sampleTensor([4, 5], 24), classes([3, 0, 3, 1]), positiveTensor([5], 25)],
      (x, t, w) => nllLoss(x, t, { weight: w }),
    ),
    sample(
      "an ignored target, weighted sum",
      () => [sampleTensor([3, 4], 26), classes([1, -100, 3]), positiveTensor([4], 27)],
      (x, t, w) => nllLoss(x, t, { weight: w, reduction: "sum" }),
    ),
    sample("ignore_index 2, mean", () => [sampleTensor([4, 3], 28), classes([2, 0, 2, 1])], (x, t) => nllLoss(x, t, { ignoreIndex: 2 })),
    sample("one example: [5] with a 0-d target", () => [sampleTensor([5], 29), classes([3], [])], (x, t) => nllLoss(x, t)),
    sample(
      "images: [2,3,2,2] with [2,2,2] targets",
      () => [sampleTensor([2, 3, 2, 2], 30), classes([0, 1, 2, 2, 1, 0, 0, 2], [2, 2, 2])],
      (x, t) => nllLoss(x, t),
    ),
    sample(
      "sequences: [2,4,3] with [2,3] targets, none",
      () => [sampleTensor([2, 4, 3], 31), classes([3, 0, 1, 2, 2, 3], [2, 3])],
      (x, t) => nllLoss(x, t, { reduction: "none" }),
    ),
    sample("transposed input", () => [sampleTensor([5, 3], 32), classes([4, 1, 0])], (x, t) => nllLoss(x.t(), t)),
  ],
};

const mse: OpInfo = {
  name: "mseLoss",
  differentiable: true,
  samples: [
    sample("mean over [2,3]", () => [sampleTensor([2, 3], 41), sampleTensor([2, 3], 42)], (a, b) => mseLoss(a, b)),
    sample("sum", () => [sampleTensor([3, 4], 43), sampleTensor([3, 4], 44)], (a, b) => mseLoss(a, b, { reduction: "sum" })),
    sample("none", () => [sampleTensor([2, 3], 45), sampleTensor([2, 3], 46)], (a, b) => mseLoss(a, b, { reduction: "none" })),
    sample("target [3] broadcast against [2,3]", () => [sampleTensor([2, 3], 47), sampleTensor([3], 48)], (a, b) => mseLoss(a, b)),
    sample("transposed input", () => [sampleTensor([3, 2], 49), sampleTensor([2, 3], 50)], (a, b) => mseLoss(a.t(), b)),
  ],
};

export const normLossOpInfos: readonly OpInfo[] = [norm, nll, mse];
