/**
 * Table entries for the elementwise ops. Binary ops share one set of layouts (equal shapes,
 * broadcasting, transposed / sliced / expanded operands, a 0-d operand); each op picks values that
 * suit it: divisors away from zero, distinct values where `maximum` would otherwise meet ties.
 */
import * as ew from "../ops/elementwise.ts";
import { fromValues } from "../ops/creation.ts";
import type { Tensor } from "../tensor.ts";
import { distinctTensor, distinctTensors, nonzeroTensor, positiveTensor, sampleTensor } from "./values.ts";
import { sample, type OpInfo, type OpSample } from "./types.ts";

type Binary = (a: Tensor, b: Tensor) => Tensor;
/** Two operands of the given shapes, made from `seed`. */
type Operands = (shapeA: number[], shapeB: number[], seed: number) => Tensor[];

const plain: Operands = (sa, sb, seed) => [sampleTensor(sa, seed), sampleTensor(sb, seed + 1)];
const divisors: Operands = (sa, sb, seed) => [sampleTensor(sa, seed), nonzeroTensor(sb, seed + 1)];
const distinct: Operands = (sa, sb, seed) => distinctTensors([sa, sb], seed);
const ints: Operands = (sa, sb, seed) => [sampleTensor(sa, seed, "int64"), sampleTensor(sb, seed + 1, "int64")];
const bools: Operands = (sa, sb, seed) => [sampleTensor(sa, seed, "bool"), sampleTensor(sb, seed + 1, "bool")];

/** The layouts every binary op is tried on. */
function binarySamples(op: Binary, operands: Operands): OpSample[] {
  return [
    sample("same shape [2,3]", () => operands([2, 3], [2, 3], 1), op),
    sample("broadcast [2,3] with [3]", () => operands([2, 3], [3], 3), op),
    sample("broadcast [2,1,3] with [4,1]", () => operands([2, 1, 3], [4, 1], 5), op),
    sample("transposed [3,2] with [2,3]", () => operands([3, 2], [2, 3], 7), (a, b) => op(a.t(), b)),
    sample("every other column of [2,6] with [2,3]", () => operands([2, 6], [2, 3], 9), (a, b) => op(a.slice(1, 0, null, 2), b)),
    sample("[3] expanded to [4,3] with [4,3]", () => operands([3], [4, 3], 11), (a, b) => op(a.expand(4, 3), b)),
    sample("0-d with [2,3]", () => operands([], [2, 3], 13), op),
    sample("[8,20] with [20]", () => operands([8, 20], [20], 15), op),
  ];
}

/** An entry of a differentiable binary op with a number operand on either side. */
function arithmetic(name: string, op: (a: ew.Operand, b: ew.Operand) => Tensor, operands: Operands, extra: OpSample[] = []): OpInfo {
  return {
    name,
    differentiable: true,
    samples: [
      ...binarySamples(op, operands),
      sample("tensor with the number -1.5", () => [sampleTensor([2, 3], 17)], (a) => op(a, -1.5)),
      sample("the number 1.5 with a tensor", () => [nonzeroTensor([2, 3], 19)], (b) => op(1.5, b)),
      ...extra,
    ],
  };
}

const intSample = (op: Binary) => sample("int64 operands", () => ints([2, 3], [3], 21), op);
const boolSample = (op: Binary) => sample("bool operands", () => bools([2, 3], [2, 3], 23), op);

const add = arithmetic("add", ew.add, plain, [
  sample("alpha 2.5", () => plain([2, 3], [3], 25), (a, b) => ew.add(a, b, { alpha: 2.5 })),
  intSample(ew.add),
  boolSample(ew.add),
]);

const sub = arithmetic("sub", ew.sub, plain, [
  sample("alpha -0.5, transposed", () => plain([3, 2], [2, 3], 27), (a, b) => ew.sub(a.t(), b, { alpha: -0.5 })),
  intSample(ew.sub),
]);

const mul = arithmetic("mul", ew.mul, plain, [intSample(ew.mul), boolSample(ew.mul)]);

const div = arithmetic("div", ew.div, divisors, [
  sample("int64 operands give float32", () => [sampleTensor([2, 3], 29, "int64"), fromValues([3, -2, 4], [3], "int64")], ew.div),
]);

const pow: OpInfo = {
  name: "pow",
  differentiable: true,
  samples: [
    sample("positive bases, broadcast exponents [2,3] ** [3]", () => [positiveTensor([2, 3], 31), sampleTensor([3], 32)], ew.pow),
    sample("transposed positive bases", () => [positiveTensor([3, 2], 33), sampleTensor([2, 3], 34)], (a, b) => ew.pow(a.t(), b)),
    sample("0-d exponent", () => [positiveTensor([2, 3], 35), sampleTensor([], 36)], ew.pow),
    sample("any base squared", () => [sampleTensor([2, 3], 37)], (a) => ew.pow(a, 2)),
    sample("negative bases cubed", () => [nonzeroTensor([3, 4], 38)], (a) => ew.pow(a, 3)),
    sample("square root as the exponent 0.5", () => [positiveTensor([2, 3], 39)], (a) => ew.pow(a, 0.5)),
    // (-2)^y has no derivative in y: the exponent gets no gradient
    sample(
      "negative bases, integral tensor exponents",
      () => [nonzeroTensor([2, 3], 40), fromValues([1, 2, 3], [3], "float32")],
      ew.pow,
      { gradInputs: [0] },
    ),
    sample("the number 2 as the base", () => [sampleTensor([2, 3], 41)], (b) => ew.pow(2, b)),
    sample("int64 bases squared", () => [sampleTensor([2, 3], 42, "int64")], (a) => ew.pow(a, 2)),
  ],
};

const maximum: OpInfo = { name: "maximum", differentiable: true, samples: binarySamples(ew.maximum, distinct) };
const minimum: OpInfo = { name: "minimum", differentiable: true, samples: binarySamples(ew.minimum, distinct) };

/** Comparisons and logical ops give bool tensors: tried on ties (small ints), floats and numbers. */
function comparison(name: string, op: (a: ew.Operand, b: ew.Operand) => Tensor): OpInfo {
  return {
    name,
    differentiable: false,
    samples: [
      sample("int64 with ties", () => ints([3, 4], [3, 4], 51), op),
      sample("float32 broadcast [2,3] with [3]", () => plain([2, 3], [3], 53), op),
      sample("transposed int64 with int64", () => ints([4, 3], [3, 4], 55), (a, b) => op(a.t(), b)),
      sample("int64 with float32", () => [sampleTensor([2, 3], 57, "int64"), sampleTensor([2, 3], 58)], op),
      sample("float32 with the number 0.5", () => [sampleTensor([2, 3], 59)], (a) => op(a, 0.5)),
      sample("bool with bool", () => bools([2, 3], [2, 3], 61), op),
    ],
  };
}

const comparisons: OpInfo[] = [
  comparison("eq", ew.eq),
  comparison("ne", ew.ne),
  comparison("lt", ew.lt),
  comparison("le", ew.le),
  comparison("gt", ew.gt),
  comparison("ge", ew.ge),
  comparison("logicalAnd", ew.logicalAnd),
  comparison("logicalOr", ew.logicalOr),
];

const logicalNot: OpInfo = {
  name: "logicalNot",
  differentiable: false,
  samples: [
    sample("bool", () => [sampleTensor([2, 3], 63, "bool")], ew.logicalNot),
    sample("int64 with zeros", () => [sampleTensor([3, 4], 64, "int64")], ew.logicalNot),
    sample("transposed float32", () => [sampleTensor([3, 2], 65)], (x) => ew.logicalNot(x.t())),
  ],
};

type Unary = (x: Tensor) => Tensor;

/** The layouts every unary op is tried on, with values from `values`. */
function unarySamples(op: Unary, values: (shape: number[], seed: number) => Tensor): OpSample[] {
  return [
    sample("[2,3]", () => [values([2, 3], 71)], op),
    sample("transposed [4,3]", () => [values([4, 3], 72)], (x) => op(x.t())),
    sample("every other column of [3,8]", () => [values([3, 8], 73)], (x) => op(x.slice(1, 1, null, 2))),
    sample("[4] expanded to [3,4]", () => [values([4], 74)], (x) => op(x.expand(3, 4))),
    sample("0-d", () => [values([], 75)], op),
    sample("[8,20]", () => [values([8, 20], 76)], op),
  ];
}

function unary(name: string, op: Unary, values: (shape: number[], seed: number) => Tensor, extra: OpSample[] = []): OpInfo {
  return { name, differentiable: true, samples: [...unarySamples(op, values), ...extra] };
}

const int64Input = (op: Unary) => sample("int64 input", () => [sampleTensor([2, 3], 77, "int64")], op);

const unaryOps: OpInfo[] = [
  unary("neg", ew.neg, sampleTensor, [int64Input(ew.neg)]),
  unary("exp", ew.exp, sampleTensor, [int64Input(ew.exp)]),
  unary("log", ew.log, positiveTensor),
  unary("sqrt", ew.sqrt, positiveTensor),
  unary("abs", ew.abs, distinctTensor, [int64Input(ew.abs)]),
  unary("sign", ew.sign, distinctTensor, [int64Input(ew.sign)]),
  unary("tanh", ew.tanh, sampleTensor),
  unary("sigmoid", ew.sigmoid, sampleTensor),
  unary("relu", ew.relu, distinctTensor, [int64Input(ew.relu)]),
];

// Bounds are multiples of 2/n for the n = 20 distinct values, so they fall between values.
const clamp: OpInfo = {
  name: "clamp",
  differentiable: true,
  samples: [
    sample("min and max", () => [distinctTensor([4, 5], 81)], (x) => ew.clamp(x, { min: -0.4, max: 0.8 })),
    sample("min only, transposed", () => [distinctTensor([5, 4], 82)], (x) => ew.clamp(x.t(), { min: -0.2 })),
    sample("max only, sliced", () => [distinctTensor([4, 10], 83)], (x) => ew.clamp(x.slice(1, 0, 5), { max: 0.6 })),
    sample("int64 input", () => [sampleTensor([2, 3], 84, "int64")], (x) => ew.clamp(x, { min: -1, max: 2 })),
  ],
};

const where: OpInfo = {
  name: "where",
  differentiable: true,
  gradInputs: [1, 2],
  samples: [
    sample("same shape [2,3]", () => [sampleTensor([2, 3], 91, "bool"), sampleTensor([2, 3], 92), sampleTensor([2, 3], 93)], ew.where),
    sample(
      "broadcast condition [3], values [2,3] and [2,1]",
      () => [sampleTensor([3], 94, "bool"), sampleTensor([2, 3], 95), sampleTensor([2, 1], 96)],
      ew.where,
    ),
    sample(
      "transposed values",
      () => [sampleTensor([2, 3], 97, "bool"), sampleTensor([3, 2], 98), sampleTensor([2, 3], 99)],
      (c, a, b) => ew.where(c, a.t(), b),
    ),
    sample("the number 0 where false", () => [sampleTensor([2, 3], 100, "bool"), sampleTensor([2, 3], 101)], (c, a) => ew.where(c, a, 0), {
      gradInputs: [1],
    }),
  ],
};

/** The entries of the elementwise ops: arithmetic, comparisons and logic, unary functions, clamp, where. */
export const elementwiseOpInfos: readonly OpInfo[] = [
  add,
  sub,
  mul,
  div,
  pow,
  maximum,
  minimum,
  ...comparisons,
  logicalNot,
  ...unaryOps,
  clamp,
  where,
];
