/**
 * Making random tensors: `randn`, `rand`, `randint`, their `*Like` forms and `randperm`. Each one
 * makes an empty tensor and fills it, as PyTorch does (`randn(2, 3)` is `empty(2, 3).normal_()`),
 * so after the same seed the values are PyTorch's.
 */
import { RuntimeError } from "../errors.ts";
import { emptyLikeLayout, emptyTensor, fromValues } from "../ops/creation.ts";
import { resolveOptions, splitSizeAndOptions, type TensorOptions } from "../ops/options.ts";
import { parseSizeArgs } from "../shape.ts";
import { Tensor } from "../tensor.ts";
import { fillNormal, fillRandomInteger, fillUniform } from "./fill.ts";
import { defaultGenerator, type Generator } from "./generator.ts";

/** Tensor options plus the generator to draw from (the default generator when absent). */
export interface RandomOptions extends TensorOptions {
  generator?: Generator;
}

type SizeAndOptions = (number | readonly number[] | RandomOptions)[];

/**
 * Fills a new tensor and returns it. If the fill refuses its arguments (a wrong dtype, bad bounds),
 * the tensor is given back at once, so that a failed call leaves no GPU memory behind.
 */
function filled(t: Tensor, fill: (t: Tensor) => void, requiresGrad: boolean): Tensor {
  try {
    fill(t);
  } catch (error) {
    t.dispose();
    throw error;
  }
  return requiresGrad ? t.requiresGrad_(true) : t;
}

/**
 * `torch.randn(2, 3)`: a tensor of standard normal samples (float32 unless `dtype` says otherwise).
 * Sizes are variadic or one array; options come last: `randn([2, 3], { requiresGrad: true })`.
 */
export function randn(...args: SizeAndOptions): Tensor {
  const [shape, options] = splitSizeAndOptions<RandomOptions>(args);
  const opts = resolveOptions(options);
  const t = emptyTensor(shape, opts.dtype ?? "float32", opts.device);
  return filled(t, (t) => fillNormal(t, 0, 1, options.generator ?? defaultGenerator), opts.requiresGrad);
}

/** `torch.rand(2, 3)`: a tensor of uniform samples from [0, 1). */
export function rand(...args: SizeAndOptions): Tensor {
  const [shape, options] = splitSizeAndOptions<RandomOptions>(args);
  const opts = resolveOptions(options);
  const t = emptyTensor(shape, opts.dtype ?? "float32", opts.device);
  return filled(t, (t) => fillUniform(t, 0, 1, options.generator ?? defaultGenerator), opts.requiresGrad);
}

/**
 * `torch.randint(high, size)` or `torch.randint(low, high, size)`: integers drawn uniformly from
 * [low, high) (low defaults to 0), int64 unless `dtype` says otherwise.
 *
 * ```ts
 * torch.randint(10, [3]);      // three digits
 * torch.randint(-5, 5, [2, 2]);
 * ```
 */
export function randint(high: number, size: readonly number[], options?: RandomOptions): Tensor;
export function randint(low: number, high: number, size: readonly number[], options?: RandomOptions): Tensor;
export function randint(...args: (number | readonly number[] | RandomOptions | undefined)[]): Tensor {
  const [low, high, size, options] = parseRandintArgs(args);
  const opts = resolveOptions(options);
  const t = emptyTensor(size, opts.dtype ?? "int64", opts.device);
  return filled(t, (t) => fillRandomInteger(t, low, high, options.generator ?? defaultGenerator), opts.requiresGrad);
}

/** Reads `(high, size, options?)` or `(low, high, size, options?)`. */
function parseRandintArgs(args: readonly unknown[]): [number, number, number[], RandomOptions] {
  const [a, b, c, d] = args;
  if (typeof a !== "number") throw new TypeError("randint(high, size) or randint(low, high, size): high must be a number");
  const [low, high, size, options] = typeof b === "number" ? [a, b, c, d] : [0, a, b, c];
  if (!Array.isArray(size)) {
    throw new TypeError("randint(): size must be an array of integers, e.g. randint(10, [3])");
  }
  return [low, high, parseSizeArgs(size), (options ?? {}) as RandomOptions];
}

function likeTensor(t: Tensor, options: TensorOptions): [Tensor, boolean] {
  const opts = resolveOptions({ device: t.device, ...options });
  return [emptyLikeLayout(t, opts.dtype ?? t.dtype, opts.device), opts.requiresGrad];
}

/** Standard normal samples shaped like `t` (its dtype and device unless the options say otherwise). */
export function randnLike(t: Tensor, options: RandomOptions = {}): Tensor {
  const [out, requiresGrad] = likeTensor(t, options);
  return filled(out, (out) => fillNormal(out, 0, 1, options.generator ?? defaultGenerator), requiresGrad);
}

/** Uniform samples from [0, 1) shaped like `t`. */
export function randLike(t: Tensor, options: RandomOptions = {}): Tensor {
  const [out, requiresGrad] = likeTensor(t, options);
  return filled(out, (out) => fillUniform(out, 0, 1, options.generator ?? defaultGenerator), requiresGrad);
}

/**
 * Integers from [low, high) shaped like `t`, in `t`'s dtype: `randintLike(t, high)` or
 * `randintLike(t, low, high)`.
 */
export function randintLike(t: Tensor, high: number, options?: RandomOptions): Tensor;
export function randintLike(t: Tensor, low: number, high: number, options?: RandomOptions): Tensor;
export function randintLike(t: Tensor, a: number, b?: number | RandomOptions, c?: RandomOptions): Tensor {
  const [low, high, options] = typeof b === "number" ? [a, b, c ?? {}] : [0, a, b ?? {}];
  const [out, requiresGrad] = likeTensor(t, options);
  return filled(out, (out) => fillRandomInteger(out, low, high, options.generator ?? defaultGenerator), requiresGrad);
}

/**
 * `torch.randperm(n)`: the integers 0 … n−1 in random order (int64 unless `dtype` says otherwise).
 *
 * PyTorch 1.13's CPU algorithm is a forward Fisher-Yates shuffle: for i = 0 … n−2, swap element i
 * with element i + z, where z = random() mod (n − i). Shuffling a dataset with it gives PyTorch's
 * order for the same seed.
 */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  if (!Number.isInteger(n)) throw new TypeError(`randperm(): n must be an integer, got ${n}`);
  if (n < 0) throw new RuntimeError(`Trying to create tensor with negative dimension ${n}: [${n}]`);
  const opts = resolveOptions(options);
  const dtype = opts.dtype ?? "int64";
  if (dtype === "bool") throw new RuntimeError(`"randperm" not implemented for 'Bool'`);
  const g = options.generator ?? defaultGenerator;
  const order = new Float64Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = g.random() % (n - i);
    const saved = order[i];
    order[i] = order[i + z];
    order[i + z] = saved;
  }
  const t = fromValues(order, [n], dtype, opts.device);
  return opts.requiresGrad ? t.requiresGrad_(true) : t;
}
