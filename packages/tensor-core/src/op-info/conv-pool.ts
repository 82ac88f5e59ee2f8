/**
 * Table entries for convolution and max pooling: every option (stride, padding, dilation, groups,
 * ceil mode) on a small input, with square and rectangular settings. Pooling uses distinct values,
 * so overlapping windows never hold a tie that a finite-difference step could flip.
 */
import { conv2d } from "../ops/conv.ts";
import { maxPool2dWithIndices } from "../ops/pool.ts";
import { sample, type OpInfo } from "./types.ts";
import { distinctTensor, sampleTensor } from "./values.ts";

const conv: OpInfo = {
  name: "conv2d",
  differentiable: true,
  samples: [
    sample(
      "3x3 kernel with bias",
      () => [sampleTensor([2, 2, 5, 5], 1), sampleTensor([3, 2, 3, 3], 2), sampleTensor([3], 3)],
      (x, w, b) => conv2d(x, w, b),
    ),
    sample("no bias", () => [sampleTensor([1, 2, 5, 5], 4), sampleTensor([3, 2, 3, 3], 5)], (x, w) => conv2d(x, w)),
    sample(
      "stride 2, padding 1",
      () => [sampleTensor([1, 2, 6, 6], 6), sampleTensor([2, 2, 3, 3], 7), sampleTensor([2], 8)],
      (x, w, b) => conv2d(x, w, b, { stride: 2, padding: 1 }),
    ),
    sample(
      "dilation 2",
      () => [sampleTensor([1, 1, 7, 7], 9), sampleTensor([2, 1, 3, 3], 10), sampleTensor([2], 11)],
      (x, w, b) => conv2d(x, w, b, { dilation: 2 }),
    ),
    sample(
      "2 groups",
      () => [sampleTensor([1, 4, 5, 5], 12), sampleTensor([6, 2, 3, 3], 13), sampleTensor([6], 14)],
      (x, w, b) => conv2d(x, w, b, { groups: 2 }),
    ),
    sample(
      "depthwise: groups = channels",
      () => [sampleTensor([1, 3, 4, 4], 15), sampleTensor([3, 1, 2, 2], 16)],
      (x, w) => conv2d(x, w, null, { groups: 3 }),
    ),
    sample(
      "rectangular kernel, stride [2,1], padding [0,1]",
      () => [sampleTensor([1, 2, 6, 5], 17), sampleTensor([2, 2, 3, 2], 18), sampleTensor([2], 19)],
      (x, w, b) => conv2d(x, w, b, { stride: [2, 1], padding: [0, 1] }),
    ),
    sample(
      "channels-last input (a permuted view)",
      () => [sampleTensor([1, 5, 5, 2], 20), sampleTensor([3, 2, 3, 3], 21), sampleTensor([3], 22)],
      (x, w, b) => conv2d(x.permute(0, 3, 1, 2), w, b),
    ),
    sample(
      "1x1 kernel",
      () => [sampleTensor([2, 3, 4, 4], 23), sampleTensor([4, 3, 1, 1], 24), sampleTensor([4], 25)],
      (x, w, b) => conv2d(x, w, b),
    ),
  ],
};

const pool: OpInfo = {
  name: "maxPool2d",
  differentiable: true,
  samples: [
    sample("2x2 windows", () => [distinctTensor([1, 2, 6, 6], 31)], (x) => maxPool2dWithIndices(x, { kernelSize: 2 })),
    sample("overlapping 3x3 windows, stride 2", () => [distinctTensor([1, 2, 7, 7], 32)], (x) => maxPool2dWithIndices(x, { kernelSize: 3, stride: 2 })),
    sample("3x3 windows, stride 1, padding 1", () => [distinctTensor([2, 1, 5, 5], 33)], (x) =>
      maxPool2dWithIndices(x, { kernelSize: 3, stride: 1, padding: 1 }),
    ),
    sample("ceil mode keeps the partial window", () => [distinctTensor([1, 2, 5, 5], 34)], (x) =>
      maxPool2dWithIndices(x, { kernelSize: 2, stride: 2, ceilMode: true }),
    ),
    sample("ceil mode with padding", () => [distinctTensor([1, 1, 6, 6], 35)], (x) =>
      maxPool2dWithIndices(x, { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }),
    ),
    sample("dilation 2", () => [distinctTensor([1, 1, 7, 7], 36)], (x) => maxPool2dWithIndices(x, { kernelSize: 2, dilation: 2 })),
    sample("rectangular window [2,3], stride [1,2]", () => [distinctTensor([1, 2, 5, 7], 37)], (x) =>
      maxPool2dWithIndices(x, { kernelSize: [2, 3], stride: [1, 2] }),
    ),
    sample("transposed input", () => [distinctTensor([1, 2, 6, 5], 38)], (x) => maxPool2dWithIndices(x.transpose(2, 3), { kernelSize: 2 })),
  ],
};

/** The entries of conv2d and maxPool2d. */
export const convPoolOpInfos: readonly OpInfo[] = [conv, pool];
