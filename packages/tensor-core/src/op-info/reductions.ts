/**
 * Table entries for the reductions and for softmax. `max`/`min` and their `dim` forms use distinct
 * values, so the winner is never a tie that a finite-difference step could flip.
 */
import * as reduce from "../ops/reduce.ts";
import { logSoftmax, softmax } from "../ops/softmax.ts";
import type { Tensor } from "../tensor.ts";
import { sample, type OpInfo } from "./types.ts";
import { distinctTensor, sampleTensor } from "./values.ts";

const sum: OpInfo = {
  name: "sum",
  differentiable: true,
  samples: [
    sample("[2,3]", () => [sampleTensor([2, 3], 1)], (x) => reduce.sum(x)),
    sample("transposed [4,3]", () => [sampleTensor([4, 3], 2)], (x) => reduce.sum(x.t())),
    sample("[3] expanded to [2,3]", () => [sampleTensor([3], 3)], (x) => reduce.sum(x.expand(2, 3))),
    sample("0-d", () => [sampleTensor([], 4)], (x) => reduce.sum(x)),
    sample("[20,20]", () => [sampleTensor([20, 20], 5)], (x) => reduce.sum(x)),
    sample("int64", () => [sampleTensor([2, 3], 6, "int64")], (x) => reduce.sum(x)),
    sample("bool counts true", () => [sampleTensor([2, 3], 7, "bool")], (x) => reduce.sum(x)),
  ],
};

const sumDim: OpInfo = {
  name: "sumDim",
  differentiable: true,
  samples: [
    sample("dim 1", () => [sampleTensor([2, 3], 11)], (x) => reduce.sum(x, 1)),
    sample("dims [0,2] keepdim", () => [sampleTensor([2, 3, 4], 12)], (x) => reduce.sum(x, [0, 2], true)),
    sample("dim -1 keepdim of a permuted [2,3,4]", () => [sampleTensor([2, 3, 4], 13)], (x) => reduce.sum(x.permute(2, 0, 1), -1, true)),
    sample("dims [1,0] of a sliced [4,6]", () => [sampleTensor([4, 6], 14)], (x) => reduce.sum(x.slice(1, 1, 5), [1, 0])),
    sample("dim 0 of [3] expanded to [4,3]", () => [sampleTensor([3], 15)], (x) => reduce.sum(x.expand(4, 3), 0)),
    sample("dim 1 of [4,20]", () => [sampleTensor([4, 20], 16)], (x) => reduce.sum(x, 1)),
    sample("int64 dim 0", () => [sampleTensor([3, 2], 17, "int64")], (x) => reduce.sum(x, 0)),
  ],
};

const mean: OpInfo = {
  name: "mean",
  differentiable: true,
  samples: [
    sample("[3,4]", () => [sampleTensor([3, 4], 21)], (x) => reduce.mean(x)),
    sample("every other row of [6,4]", () => [sampleTensor([6, 4], 22)], (x) => reduce.mean(x.slice(0, 0, null, 2))),
    sample("0-d", () => [sampleTensor([], 23)], (x) => reduce.mean(x)),
  ],
};

const meanDim: OpInfo = {
  name: "meanDim",
  differentiable: true,
  samples: [
    sample("dim 0", () => [sampleTensor([3, 4], 31)], (x) => reduce.mean(x, 0)),
    sample("dims [1,2] keepdim", () => [sampleTensor([2, 3, 4], 32)], (x) => reduce.mean(x, [1, 2], true)),
    sample("dim -1 of a transposed [5,3]", () => [sampleTensor([5, 3], 33)], (x) => reduce.mean(x.t(), -1)),
  ],
};

const variance: OpInfo = {
  name: "var",
  differentiable: true,
  samples: [
    sample("all, correction 1", () => [sampleTensor([3, 4], 41)], (x) => reduce.var_(x)),
    sample("all, correction 0", () => [sampleTensor([3, 4], 42)], (x) => reduce.var_(x, null, { correction: 0 })),
    sample("dim 1, correction 0", () => [sampleTensor([3, 5], 43)], (x) => reduce.var_(x, 1, { correction: 0 })),
    sample("dims [0,2] keepdim, unbiased", () => [sampleTensor([3, 2, 4], 44)], (x) => reduce.var_(x, [0, 2], { keepdim: true })),
    sample("dim 0 of a transposed [4,6]", () => [sampleTensor([4, 6], 45)], (x) => reduce.var_(x.t(), 0)),
    sample("unbiased: false", () => [sampleTensor([8, 20], 46)], (x) => reduce.var_(x, -1, { unbiased: false })),
  ],
};

const standardDeviation: OpInfo = {
  name: "std",
  differentiable: true,
  samples: [
    sample("all, correction 1", () => [sampleTensor([3, 4], 471)], (x) => reduce.std(x)),
    sample("dim 0, correction 0", () => [sampleTensor([4, 3], 472)], (x) => reduce.std(x, 0, { correction: 0 })),
    sample("dims [0,2] keepdim", () => [sampleTensor([3, 2, 4], 473)], (x) => reduce.std(x, [0, 2], { keepdim: true })),
    sample("dim -1 of a transposed [5,4]", () => [sampleTensor([5, 4], 474)], (x) => reduce.std(x.t(), -1)),
  ],
};

/** `max()` / `min()` of every element. */
function extremeOfAll(name: "max" | "min", op: (x: Tensor) => Tensor): OpInfo {
  return {
    name,
    differentiable: true,
    samples: [
      sample("[3,4]", () => [distinctTensor([3, 4], 51)], op),
      sample("transposed [4,5]", () => [distinctTensor([4, 5], 52)], (x) => op(x.t())),
      sample("0-d", () => [distinctTensor([], 53)], op),
      sample("int64", () => [sampleTensor([2, 3], 54, "int64")], op),
    ],
  };
}

/** `max(dim)` / `min(dim)`: the values and the positions they came from. */
function extremeAlongDim(name: "maxDim" | "minDim", op: (x: Tensor, dim: number, keepdim?: boolean) => reduce.ValuesIndices): OpInfo {
  const both = ({ values, indices }: reduce.ValuesIndices) => [values, indices];
  return {
    name,
    differentiable: true,
    samples: [
      sample("dim 1", () => [distinctTensor([3, 4], 61)], (x) => both(op(x, 1))),
      sample("dim 0 keepdim", () => [distinctTensor([3, 4], 62)], (x) => both(op(x, 0, true))),
      sample("dim -1 of a permuted [2,3,4]", () => [distinctTensor([2, 3, 4], 63)], (x) => both(op(x.permute(1, 2, 0), -1))),
      sample("dim 1 of a sliced [3,8]", () => [distinctTensor([3, 8], 64)], (x) => both(op(x.slice(1, 2, 7), 1))),
      sample("int64 with ties: the first wins", () => [sampleTensor([4, 6], 65, "int64")], (x) => both(op(x, 1))),
    ],
  };
}

/** softmax and logSoftmax, along every kind of dimension. */
function softmaxLike(name: "softmax" | "logSoftmax", op: (x: Tensor, dim: number) => Tensor): OpInfo {
  return {
    name,
    differentiable: true,
    samples: [
      sample("dim -1 of [3,5]", () => [sampleTensor([3, 5], 71)], (x) => op(x, -1)),
      sample("dim 0 of [3,5]", () => [sampleTensor([3, 5], 72)], (x) => op(x, 0)),
      sample("dim 1 of [2,3,4]", () => [sampleTensor([2, 3, 4], 73)], (x) => op(x, 1)),
      sample("dim 1 of a transposed [5,3]", () => [sampleTensor([5, 3], 74)], (x) => op(x.t(), 1)),
      sample("dim 0 of a vector", () => [sampleTensor([6], 75)], (x) => op(x, 0)),
      sample("dim 1 of [4,20]", () => [sampleTensor([4, 20], 76)], (x) => op(x, 1)),
      // exp(90) overflows float32, so only a kernel that subtracts the maximum first gets this right;
      // at 90 a float32 step is 8e-6, too coarse for finite differences, hence no gradient check
      sample("values near 90", () => [sampleTensor([2, 4], 77)], (x) => op(x.add(90), 1), { gradInputs: [] }),
    ],
  };
}

/** The entries of the reductions (sum, mean, var, std, max, min and their `dim` forms) and softmax. */
export const reductionOpInfos: readonly OpInfo[] = [
  sum,
  sumDim,
  mean,
  meanDim,
  variance,
  standardDeviation,
  extremeOfAll("max", (x) => reduce.max(x)),
  extremeOfAll("min", (x) => reduce.min(x)),
  extremeAlongDim("maxDim", (x, dim, keepdim) => reduce.max(x, dim, keepdim)),
  extremeAlongDim("minDim", (x, dim, keepdim) => reduce.min(x, dim, keepdim)),
  softmaxLike("softmax", softmax),
  softmaxLike("logSoftmax", logSoftmax),
];
