/**
 * Table entries for the matrix products. Transposed and sliced operands matter most here: the
 * backward pass multiplies by transposes, and kernels read them through strides, not copies.
 */
import * as linalg from "../ops/matmul.ts";
import { sample, type OpInfo } from "./types.ts";
import { sampleTensor } from "./values.ts";

const mm: OpInfo = {
  name: "mm",
  differentiable: true,
  samples: [
    sample("[3,4] @ [4,5]", () => [sampleTensor([3, 4], 1), sampleTensor([4, 5], 2)], linalg.mm),
    sample("transposed left", () => [sampleTensor([4, 3], 3), sampleTensor([4, 5], 4)], (a, b) => linalg.mm(a.t(), b)),
    sample("transposed right, as in a linear layer", () => [sampleTensor([3, 4], 5), sampleTensor([5, 4], 6)], (a, b) => linalg.mm(a, b.t())),
    sample("both transposed", () => [sampleTensor([4, 3], 7), sampleTensor([5, 4], 8)], (a, b) => linalg.mm(a.t(), b.t())),
    sample("every other column of the left", () => [sampleTensor([3, 8], 9), sampleTensor([4, 2], 10)], (a, b) => linalg.mm(a.slice(1, 0, null, 2), b)),
    sample("[20,8] @ [8,20]", () => [sampleTensor([20, 8], 11), sampleTensor([8, 20], 12)], linalg.mm),
    sample("[1,1] @ [1,1]", () => [sampleTensor([1, 1], 13), sampleTensor([1, 1], 14)], linalg.mm),
    sample("int64", () => [sampleTensor([2, 3], 15, "int64"), sampleTensor([3, 2], 16, "int64")], linalg.mm),
  ],
};

const bmm: OpInfo = {
  name: "bmm",
  differentiable: true,
  samples: [
    sample("[2,3,4] @ [2,4,5]", () => [sampleTensor([2, 3, 4], 21), sampleTensor([2, 4, 5], 22)], linalg.bmm),
    sample(
      "permuted right",
      () => [sampleTensor([2, 3, 4], 23), sampleTensor([5, 2, 4], 24)],
      (a, b) => linalg.bmm(a, b.permute(1, 2, 0)),
    ),
    sample(
      "batch expanded from one matrix",
      () => [sampleTensor([3, 2, 4], 25), sampleTensor([1, 4, 2], 26)],
      (a, b) => linalg.bmm(a, b.expand(3, 4, 2)),
    ),
  ],
};

const dot: OpInfo = {
  name: "dot",
  differentiable: true,
  samples: [
    sample("[5] · [5]", () => [sampleTensor([5], 31), sampleTensor([5], 32)], linalg.dot),
    sample("every other element of [10]", () => [sampleTensor([10], 33), sampleTensor([5], 34)], (a, b) => linalg.dot(a.slice(0, 0, null, 2), b)),
    sample("a column of a matrix", () => [sampleTensor([4, 3], 35), sampleTensor([4], 36)], (a, b) => linalg.dot(a.select(1, 1), b)),
  ],
};

const mv: OpInfo = {
  name: "mv",
  differentiable: true,
  samples: [
    sample("[3,4] @ [4]", () => [sampleTensor([3, 4], 41), sampleTensor([4], 42)], linalg.mv),
    sample("transposed matrix", () => [sampleTensor([4, 3], 43), sampleTensor([4], 44)], (a, v) => linalg.mv(a.t(), v)),
    sample("strided vector", () => [sampleTensor([3, 4], 45), sampleTensor([8], 46)], (a, v) => linalg.mv(a, v.slice(0, 1, null, 2))),
  ],
};

const addmm: OpInfo = {
  name: "addmm",
  differentiable: true,
  samples: [
    sample(
      "bias [5] broadcast over rows",
      () => [sampleTensor([5], 51), sampleTensor([3, 4], 52), sampleTensor([4, 5], 53)],
      linalg.addmm,
    ),
    sample(
      "full bias [3,5]",
      () => [sampleTensor([3, 5], 54), sampleTensor([3, 4], 55), sampleTensor([4, 5], 56)],
      linalg.addmm,
    ),
    sample(
      "a linear layer: x @ weight.t() + bias",
      () => [sampleTensor([5], 57), sampleTensor([3, 4], 58), sampleTensor([5, 4], 59)],
      (bias, x, w) => linalg.addmm(bias, x, w.t()),
    ),
    sample(
      "bias [1,5], transposed input",
      () => [sampleTensor([1, 5], 60), sampleTensor([4, 3], 61), sampleTensor([4, 5], 62)],
      (bias, x, w) => linalg.addmm(bias, x.t(), w),
    ),
  ],
};

/** `matmul` of a vector and a matrix ends in PyTorch's in-place squeeze of its [1, N] product. */
const squeezeProduct: OpInfo = {
  name: "squeezeDim_",
  differentiable: true,
  samples: [
    sample("matmul of [3] and [3,4]", () => [sampleTensor([3], 71), sampleTensor([3, 4], 72)], linalg.matmul),
    sample(
      "matmul of a strided vector and a transposed matrix",
      () => [sampleTensor([6], 73), sampleTensor([5, 3], 74)],
      (v, m) => linalg.matmul(v.slice(0, 0, null, 2), m.t()),
    ),
  ],
};

/** The entries of the matrix products: mm, bmm, dot, mv, addmm, and matmul's squeeze. */
export const linalgOpInfos: readonly OpInfo[] = [mm, bmm, dot, mv, addmm, squeezeProduct];
