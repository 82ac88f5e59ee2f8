/**
 * Table entries for the views and copies. Each view is tried on a contiguous input and on one that
 * is already a strided view, since a view of a view must compose its strides and offset correctly.
 */
import * as views from "../ops/views.ts";
import { constantPadNd } from "../ops/pad.ts";
import { edgePad } from "../ops/edge-pad.ts";
import { cat as catOp, stack as stackOp } from "../ops/cat.ts";
import { to } from "../ops/transfer.ts";
import { sample, type OpInfo } from "./types.ts";
import { sampleTensor } from "./values.ts";

const view: OpInfo = {
  name: "view",
  differentiable: true,
  samples: [
    sample("[2,6] as [3,4]", () => [sampleTensor([2, 6], 1)], (x) => views.view(x, 3, 4)),
    sample("[2,3,4] as [-1]", () => [sampleTensor([2, 3, 4], 2)], (x) => views.view(x, -1)),
    sample("every other row of [6,4], split", () => [sampleTensor([6, 4], 3)], (x) => views.view(x.slice(0, 0, null, 2), 3, 2, 2)),
    sample("transposed, last dim split", () => [sampleTensor([2, 3, 4], 4)], (x) => views.view(x.transpose(0, 1), 3, 2, 2, 2)),
    sample("0-d as [1,1]", () => [sampleTensor([], 5)], (x) => views.view(x, [1, 1])),
  ],
};

const reshapeAlias: OpInfo = {
  name: "reshapeAlias",
  differentiable: true,
  samples: [
    sample("[2,6] to [4,3]", () => [sampleTensor([2, 6], 11)], (x) => views.reshape(x, 4, 3)),
    sample("flatten [2,3,4] from dim 1", () => [sampleTensor([2, 3, 4], 12)], (x) => views.flatten(x, 1)),
    sample("sliced rows to [-1,2]", () => [sampleTensor([6, 4], 13)], (x) => views.reshape(x.slice(0, 1, 4), -1, 2)),
  ],
};

const unsafeView: OpInfo = {
  name: "unsafeView",
  differentiable: true,
  samples: [
    sample("reshape of a transpose copies first", () => [sampleTensor([3, 4], 21)], (x) => views.reshape(x.t(), [12])),
    sample("reshape of an expanded tensor", () => [sampleTensor([3], 22)], (x) => views.reshape(x.expand(2, 3), [6])),
    sample("directly, on a contiguous tensor", () => [sampleTensor([2, 6], 23)], (x) => views.unsafeView(x, [3, 4])),
  ],
};

const transpose: OpInfo = {
  name: "transpose",
  differentiable: true,
  samples: [
    sample("dims 0 and 1 of [2,3]", () => [sampleTensor([2, 3], 31)], (x) => views.transpose(x, 0, 1)),
    sample("dims -1 and 0 of [2,3,4]", () => [sampleTensor([2, 3, 4], 32)], (x) => views.transpose(x, -1, 0)),
    sample("of a sliced [4,6]", () => [sampleTensor([4, 6], 33)], (x) => views.transpose(x.slice(1, 1, 5), 0, 1)),
    sample("a dim with itself", () => [sampleTensor([2, 3], 34)], (x) => views.transpose(x, 1, 1)),
  ],
};

const t: OpInfo = {
  name: "t",
  differentiable: true,
  samples: [
    sample("matrix", () => [sampleTensor([2, 3], 41)], (x) => views.t(x)),
    sample("vector", () => [sampleTensor([4], 42)], (x) => views.t(x)),
    sample("sliced matrix", () => [sampleTensor([3, 6], 43)], (x) => views.t(x.slice(1, 0, null, 3))),
  ],
};

const permute: OpInfo = {
  name: "permute",
  differentiable: true,
  samples: [
    sample("[2,3,4] to (2,0,1)", () => [sampleTensor([2, 3, 4], 51)], (x) => views.permute(x, 2, 0, 1)),
    sample("negative dims", () => [sampleTensor([2, 3, 4], 52)], (x) => views.permute(x, [-1, -3, -2])),
    sample("of a transposed matrix", () => [sampleTensor([3, 4], 53)], (x) => views.permute(x.t(), 1, 0)),
  ],
};

const unsqueeze: OpInfo = {
  name: "unsqueeze",
  differentiable: true,
  samples: [
    sample("dim 0", () => [sampleTensor([2, 3], 61)], (x) => views.unsqueeze(x, 0)),
    sample("dim -1", () => [sampleTensor([2, 3], 62)], (x) => views.unsqueeze(x, -1)),
    sample("middle dim of a transpose", () => [sampleTensor([3, 2], 63)], (x) => views.unsqueeze(x.t(), 1)),
    sample("0-d", () => [sampleTensor([], 64)], (x) => views.unsqueeze(x, 0)),
  ],
};

const squeeze: OpInfo = {
  name: "squeeze",
  differentiable: true,
  samples: [
    sample("[1,3,1,2]", () => [sampleTensor([1, 3, 1, 2], 71)], (x) => views.squeeze(x)),
    sample("nothing to squeeze", () => [sampleTensor([2, 3], 72)], (x) => views.squeeze(x)),
    sample("a sliced column", () => [sampleTensor([4, 3], 73)], (x) => views.squeeze(x.slice(1, 1, 2))),
  ],
};

const squeezeDim: OpInfo = {
  name: "squeezeDim",
  differentiable: true,
  samples: [
    sample("dim 0 of [1,3]", () => [sampleTensor([1, 3], 81)], (x) => views.squeeze(x, 0)),
    sample("dim -2 of [2,1,3]", () => [sampleTensor([2, 1, 3], 82)], (x) => views.squeeze(x, -2)),
    sample("a dim larger than 1 stays", () => [sampleTensor([2, 3], 83)], (x) => views.squeeze(x, 1)),
  ],
};

const expand: OpInfo = {
  name: "expand",
  differentiable: true,
  samples: [
    sample("[3] to [2,3]", () => [sampleTensor([3], 91)], (x) => views.expand(x, 2, 3)),
    sample("[2,1] to [2,4] with -1", () => [sampleTensor([2, 1], 92)], (x) => views.expand(x, -1, 4)),
    sample("[1] to [3,2,4]", () => [sampleTensor([1], 93)], (x) => views.expand(x, [3, 2, 4])),
    sample("0-d to [2,2]", () => [sampleTensor([], 94)], (x) => views.expand(x, 2, 2)),
    sample("a sliced column", () => [sampleTensor([3, 4], 95)], (x) => views.expand(x.slice(1, 2, 3), 3, 5)),
  ],
};

const select: OpInfo = {
  name: "select",
  differentiable: true,
  samples: [
    sample("row 1", () => [sampleTensor([3, 4], 101)], (x) => views.select(x, 0, 1)),
    sample("last column, counted from the end", () => [sampleTensor([3, 4], 102)], (x) => views.select(x, -1, -1)),
    sample("middle dim of a permute", () => [sampleTensor([2, 3, 4], 103)], (x) => views.select(x.permute(2, 0, 1), 1, 1)),
    sample("of a vector gives 0-d", () => [sampleTensor([5], 104)], (x) => views.select(x, 0, 3)),
  ],
};

const slice: OpInfo = {
  name: "slice",
  differentiable: true,
  samples: [
    sample("columns 1:3", () => [sampleTensor([3, 4], 111)], (x) => views.slice(x, 1, 1, 3)),
    sample("every other row", () => [sampleTensor([5, 3], 112)], (x) => views.slice(x, 0, null, null, 2)),
    sample("negative bounds -3:-1", () => [sampleTensor([6], 113)], (x) => views.slice(x, 0, -3, -1)),
    sample("bounds past the end are clamped", () => [sampleTensor([4, 2], 114)], (x) => views.slice(x, 0, 2, 100)),
    sample("step 3 along a transpose", () => [sampleTensor([2, 7], 115)], (x) => views.slice(x.t(), 0, 1, null, 3)),
    sample("narrow", () => [sampleTensor([3, 5], 116)], (x) => views.narrow(x, 1, 1, 3)),
  ],
};

const clone: OpInfo = {
  name: "clone",
  differentiable: true,
  samples: [
    sample("contiguous", () => [sampleTensor([2, 3], 121)], (x) => views.clone(x)),
    sample("transposed, copied contiguous", () => [sampleTensor([2, 3], 122)], (x) => views.clone(x.t())),
    sample("expanded", () => [sampleTensor([3], 123)], (x) => views.clone(x.expand(2, 3))),
    sample("contiguous() of a slice", () => [sampleTensor([4, 4], 124)], (x) => views.contiguous(x.slice(1, 0, null, 2))),
    sample("int64", () => [sampleTensor([2, 3], 125, "int64")], (x) => views.clone(x)),
  ],
};

const constantPad: OpInfo = {
  name: "constantPadNd",
  differentiable: true,
  samples: [
    sample("last dim of [2,3] by (1, 2)", () => [sampleTensor([2, 3], 141)], (x) => constantPadNd(x, [1, 2])),
    sample("two dims of [1,2,3,4] with -1.5", () => [sampleTensor([1, 2, 3, 4], 142)], (x) => constantPadNd(x, [1, 0, 2, 1], -1.5)),
    sample("a crop and a pad on [3,4]", () => [sampleTensor([3, 4], 143)], (x) => constantPadNd(x, [-1, 2, 1, -1])),
    sample("crops only, of a transpose", () => [sampleTensor([4, 5], 144)], (x) => constantPadNd(x.t(), [-1, -1, 0, -2])),
    sample("int64 with 2.7", () => [sampleTensor([2, 2], 145, "int64")], (x) => constantPadNd(x, [1, 1], 2.7)),
  ],
};

const edgePadding: OpInfo = {
  name: "edgePad",
  differentiable: true,
  samples: [
    sample("reflect [1,2,5] by (2, 1)", () => [sampleTensor([1, 2, 5], 146)], (x) => edgePad(x, [2, 1], "reflect")),
    sample("replicate two dims of [1,1,3,4]", () => [sampleTensor([1, 1, 3, 4], 147)], (x) => edgePad(x, [1, 2, 0, 1], "replicate")),
    sample("circular two dims of [1,2,3,4] with a crop", () => [sampleTensor([1, 2, 3, 4], 148)], (x) => edgePad(x, [-1, 2, 1, 1], "circular")),
    sample("reflect a transposed [1,4,5]", () => [sampleTensor([1, 4, 5], 149)], (x) => edgePad(x.transpose(1, 2), [1, 3], "reflect")),
    sample("replicate three dims of [2,2,3,2]", () => [sampleTensor([2, 2, 3, 2], 150)], (x) => edgePad(x, [1, 0, 0, 2, 1, 1], "replicate")),
    sample("circular int64", () => [sampleTensor([1, 1, 4], 151, "int64")], (x) => edgePad(x, [1, 2], "circular")),
  ],
};

const cat: OpInfo = {
  name: "cat",
  differentiable: true,
  samples: [
    sample("three [2,3] along 0", () => [sampleTensor([2, 3], 161), sampleTensor([2, 3], 162), sampleTensor([2, 3], 163)], (a, b, c) => catOp([a, b, c], 0)),
    sample("[2,3] and [2,1] along -1", () => [sampleTensor([2, 3], 164), sampleTensor([2, 1], 165)], (a, b) => catOp([a, b], -1)),
    sample("a transposed view and a tensor along 1", () => [sampleTensor([3, 2], 166), sampleTensor([2, 2], 167)], (a, b) => catOp([a.t(), b], 1)),
    sample("int64 and float32, promoted", () => [sampleTensor([2, 2], 168, "int64"), sampleTensor([1, 2], 169)], (a, b) => catOp([a, b])),
    sample("[2,3] and an empty [0], skipped", () => [sampleTensor([2, 3], 170), sampleTensor([0], 171)], (a, b) => catOp([a, b], 1)),
  ],
};

const stack: OpInfo = {
  name: "stack",
  differentiable: true,
  samples: [
    sample("two [2,3] at 0", () => [sampleTensor([2, 3], 172), sampleTensor([2, 3], 173)], (a, b) => stackOp([a, b])),
    sample("three [3] at -1", () => [sampleTensor([3], 174), sampleTensor([3], 175), sampleTensor([3], 176)], (a, b, c) => stackOp([a, b, c], -1)),
    sample("0-d tensors", () => [sampleTensor([], 177), sampleTensor([], 178)], (a, b) => stackOp([a, b])),
    sample("int64 [2,2] at 2", () => [sampleTensor([2, 2], 179, "int64"), sampleTensor([2, 2], 180, "int64")], (a, b) => stackOp([a, b], 2)),
  ],
};

const toCopy: OpInfo = {
  name: "toCopy",
  differentiable: true,
  needsWebgpu: true,
  samples: [
    sample("to webgpu", () => [sampleTensor([2, 3], 131)], (x) => to(x, "webgpu")),
    sample("a transposed view to webgpu", () => [sampleTensor([2, 3], 132)], (x) => to(x.t(), "webgpu")),
  ],
};

/** The entries of the views, clone, padding, joining (cat, stack) and the device copy. */
export const viewOpInfos: readonly OpInfo[] = [
  view,
  reshapeAlias,
  unsafeView,
  transpose,
  t,
  permute,
  unsqueeze,
  squeeze,
  squeezeDim,
  expand,
  select,
  slice,
  clone,
  constantPad,
  edgePadding,
  cat,
  stack,
  toCopy,
];
