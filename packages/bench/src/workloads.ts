/**
 * What every backend computes: the same operands, made once from a fixed seed, so that each
 * backend's result can be checked against torchlet's CPU result before its time counts.
 */
import { seededRandom } from "@torchlet/testing";

/** `length` values uniform in [-1, 1). */
export function randomValues(length: number, seed: number): Float32Array {
  const next = seededRandom(seed);
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = next() * 2 - 1;
  return values;
}

/** The two n×n operands of the square matmul benchmark, row-major. */
export interface MatmulOperands {
  readonly n: number;
  readonly a: Float32Array;
  readonly b: Float32Array;
}

const matmulCache = new Map<number, MatmulOperands>();

export function matmulOperands(n: number): MatmulOperands {
  let operands = matmulCache.get(n);
  if (!operands) {
    operands = { n, a: randomValues(n * n, 2 * n), b: randomValues(n * n, 2 * n + 1) };
    matmulCache.set(n, operands);
  }
  return operands;
}

/** Multiply-adds count twice: an n×n by n×n product is 2n³ floating-point operations. */
export function matmulFlops(n: number): number {
  return 2 * n ** 3;
}

/**
 * A convolution layer's training step: forward, then the gradients of the input and of the
 * weight for a given output gradient. Stride 1, no padding, no bias. Tensors are NCHW and
 * weights [O, C, kH, kW], as in PyTorch; backends with other layouts convert before timing.
 */
export interface ConvProblem {
  readonly batch: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: number;
  readonly size: number;
}

/** The first convolution of a small MNIST network: batch 64, 1 → 32 channels, 3×3, 28×28. */
export const mnistConv: ConvProblem = { batch: 64, inChannels: 1, outChannels: 32, kernel: 3, size: 28 };

export interface ConvOperands {
  readonly problem: ConvProblem;
  /** x [N, C, H, W] */
  readonly x: Float32Array;
  /** weight [O, C, k, k] */
  readonly weight: Float32Array;
  /** the output gradient [N, O, H−k+1, W−k+1] */
  readonly gradOut: Float32Array;
}

export function convOutputSize(p: ConvProblem): number {
  return p.size - p.kernel + 1;
}

export function convOperands(p: ConvProblem): ConvOperands {
  const out = convOutputSize(p);
  return {
    problem: p,
    x: randomValues(p.batch * p.inChannels * p.size * p.size, 11),
    weight: randomValues(p.outChannels * p.inChannels * p.kernel * p.kernel, 12),
    gradOut: randomValues(p.batch * p.outChannels * out * out, 13),
  };
}

/** The forward pass and each gradient cost 2·N·O·oH·oW·C·k² operations. */
export function convFlops(p: ConvProblem, gradients: boolean): number {
  const out = convOutputSize(p);
  return (gradients ? 3 : 1) * 2 * p.batch * p.outChannels * out * out * p.inChannels * p.kernel * p.kernel;
}

/** Reorders a row-major tensor's values: out has shape `perm.map(d => shape[d])`. */
export function permuted(values: ArrayLike<number>, shape: readonly number[], perm: readonly number[]): Float32Array {
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((x, y) => x * y, 1));
  const outShape = perm.map((d) => shape[d]);
  const outStrides = perm.map((d) => strides[d]); // how far each output index moves in the input
  const result = new Float32Array(values.length);
  const index = outShape.map(() => 0);
  for (let i = 0; i < result.length; i++) {
    let q = 0;
    for (let d = 0; d < index.length; d++) q += index[d] * outStrides[d];
    result[i] = values[q];
    for (let d = index.length - 1; d >= 0 && ++index[d] === outShape[d]; d--) index[d] = 0;
  }
  return result;
}

/** One named matrix of a workload, row-major. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly values: Float32Array;
}

/** lhs @ rhs, either side possibly read transposed (a view, not a copy, in torchlet). */
export interface Product {
  readonly lhs: string;
  readonly rhs: string;
  readonly transposeLhs: boolean;
  readonly transposeRhs: boolean;
}

/**
 * The matrix products of one training step of the seed's MLP (784 → 100 → 100 → 10) on a batch
 * of 64: three forward (x·W1ᵀ, h1·W2ᵀ, h2·W3ᵀ) and five backward (the hidden gradients g·W and
 * the weight gradients gᵀ·h; the input needs none). With 60000 images an epoch is 938 such steps.
 */
export interface MlpStep {
  readonly matrices: Readonly<Record<string, Matrix>>;
  readonly products: readonly Product[];
}

export const mnistStepsPerEpoch = Math.ceil(60000 / 64);

let mlpCache: MlpStep | null = null;

export function mlpStep(): MlpStep {
  if (mlpCache) return mlpCache;
  const shapes: Record<string, [number, number]> = {
    x: [64, 784], w1: [100, 784], w2: [100, 100], w3: [10, 100],
    h1: [64, 100], h2: [64, 100], g1: [64, 100], g2: [64, 100], g3: [64, 10],
  };
  const matrices: Record<string, Matrix> = {};
  Object.entries(shapes).forEach(([name, [rows, cols]], i) => {
    matrices[name] = { rows, cols, values: randomValues(rows * cols, 100 + i) };
  });
  const product = (lhs: string, rhs: string, transposeLhs: boolean, transposeRhs: boolean): Product => ({ lhs, rhs, transposeLhs, transposeRhs });
  mlpCache = {
    matrices,
    products: [
      product("x", "w1", false, true),
      product("h1", "w2", false, true),
      product("h2", "w3", false, true),
      product("g3", "w3", false, false),
      product("g3", "h2", true, false),
      product("g2", "w2", false, false),
      product("g2", "h1", true, false),
      product("g1", "x", true, false),
    ],
  };
  return mlpCache;
}

/** 2·m·n·k summed over the step's products. */
export function mlpFlops(step: MlpStep): number {
  return step.products.reduce((sum, p) => {
    const a = step.matrices[p.lhs];
    const b = step.matrices[p.rhs];
    const [m, k] = p.transposeLhs ? [a.cols, a.rows] : [a.rows, a.cols];
    const n = p.transposeRhs ? b.rows : b.cols;
    return sum + 2 * m * n * k;
  }, 0);
}

/**
 * Training the seed's MLP (784 → 100 → 100 → 10, ReLU between) with cross-entropy and plain SGD
 * (lr 0.1) on MNIST-shaped data: batches of 64 images of 784 values in [0, 1) and labels 0-9,
 * random but fixed. A run trains `steps` steps, one batch each; an epoch of MNIST is
 * `mnistStepsPerEpoch` steps, so a run's time per step, times that, gives the epoch.
 *
 * Every backend starts from the same weights (as PyTorch lays them out: weight [out, in], bias
 * [out], drawn as nn.Linear draws them, U(−1/√in, 1/√in)), so the losses of a first run can be
 * compared between backends.
 */
export interface MlpTraining {
  readonly batch: number;
  /** Layer widths, input first: [784, 100, 100, 10]. */
  readonly widths: readonly number[];
  readonly learningRate: number;
  /** Steps in one run. */
  readonly steps: number;
  /** One [batch, 784] block of images per step, row-major. */
  readonly images: readonly Float32Array[];
  /** One block of `batch` labels per step. */
  readonly labels: readonly Int32Array[];
  /** The initial weight [out, in] and bias [out] of each layer. */
  readonly layers: readonly { readonly weight: Float32Array; readonly bias: Float32Array }[];
}

const trainingCache = new Map<number, MlpTraining>();

/** The training workload with `steps` steps per run, made once per step count. */
export function mlpTraining(steps: number): MlpTraining {
  let training = trainingCache.get(steps);
  if (training) return training;
  const batch = 64;
  const widths = [784, 100, 100, 10];
  const next = seededRandom(7);
  const images = Array.from({ length: steps }, () => Float32Array.from({ length: batch * widths[0] }, next));
  const labels = Array.from({ length: steps }, () => Int32Array.from({ length: batch }, () => Math.floor(next() * 10)));
  const layers = widths.slice(1).map((out, i) => {
    const bound = 1 / Math.sqrt(widths[i]);
    const uniform = () => (next() * 2 - 1) * bound;
    return { weight: Float32Array.from({ length: out * widths[i] }, uniform), bias: Float32Array.from({ length: out }, uniform) };
  });
  training = { batch, widths, learningRate: 0.1, steps, images, labels, layers };
  trainingCache.set(steps, training);
  return training;
}

/** The floating-point operations of one training step's matrix products (3 forward, 5 backward). */
export function mlpTrainingStepFlops(t: MlpTraining): number {
  let flops = 0;
  for (let i = 1; i < t.widths.length; i++) {
    const products = i === 1 ? 2 : 3; // the first layer needs no gradient of its input
    flops += products * 2 * t.batch * t.widths[i - 1] * t.widths[i];
  }
  return flops;
}
