/**
 * Bernoulli samples: 1 with probability p, else 0. Dropout is built on them: PyTorch's
 * `dropout(x, p)` is `x * empty_like(x).bernoulli_(1 - p) / (1 - p)`.
 *
 * PyTorch 1.13 has two samplers, and both are reproduced here bit for bit:
 * - `bernoulli_(p)` with a number p compares one float64 uniform (two twister words) with p;
 * - `bernoulli(probabilities)` and `bernoulli_(probabilities)` with a float32 tensor compare one
 *   float32 uniform (one word) with each element's probability.
 *
 * The reference is PyTorch built without Intel's MKL (Debian's build, which recorded the fixtures).
 * PyTorch's own wheels are built with MKL, and there `bernoulli_(p)` with a number p takes one word as
 * the seed of MKL's own generator instead, so its 0/1 pattern differs from ours (and from Debian's)
 * for the same seed. Every other sampler here is the same in both builds.
 */
import { RuntimeError } from "../errors.ts";
import { recordOp } from "../grad-hooks.ts";
import { emptyTensor } from "../ops/creation.ts";
import { checkInplace } from "../ops/inplace.ts";
import type { Tensor } from "../tensor.ts";
import { memoryOrder } from "../shape.ts";
import { fillBernoulli, fillBernoulliFromProbabilities } from "./fill.ts";
import { defaultGenerator, type Generator } from "./generator.ts";

/** The generator to draw from (the default generator when absent). */
export interface GeneratorOptions {
  generator?: Generator;
}

/**
 * The probabilities for each element of `t`, in the order `t` is filled: `p` broadcast to `t`'s
 * shape, then read along `t`'s memory order.
 */
function probabilitiesInDrawOrder(t: Tensor, p: Tensor): ArrayLike<number> {
  if (p.dtype !== "float32") {
    throw new RuntimeError(`"bernoulli_tensor_cpu_p_" not implemented for '${p.dtype === "int64" ? "Long" : "Bool"}'`);
  }
  if (p.device !== "cpu") {
    throw new RuntimeError(
      `bernoulli needs the probabilities on the CPU, where the numbers are drawn: pass \`await p.cpu()\` (p is on ${p.device})`,
    );
  }
  return p.expand(t.shape).permute(memoryOrder(t.stride())).toArray();
}

/**
 * In place: sets each element of `t` to 1 with probability `p`, else to 0, and returns `t`.
 * `p` is a number in [0, 1] (default 0.5), or a float32 tensor of probabilities that broadcasts
 * to `t`'s shape. `t` keeps its dtype (float32, int64 or bool).
 */
export function bernoulli_<T extends Tensor>(t: T, p: number | Tensor = 0.5, options: GeneratorOptions = {}): T {
  checkInplace(t);
  const g = options.generator ?? defaultGenerator;
  if (typeof p === "number") fillBernoulli(t, p, g);
  else fillBernoulliFromProbabilities(t, probabilitiesInDrawOrder(t, p), g);
  t.markWritten();
  return t;
}

/**
 * `torch.bernoulli(probabilities)`: a new tensor with 1 where a draw falls below the element's
 * probability, else 0. `torch.bernoulli(input, p)` ignores the values of `input` and uses the
 * number `p` for every element (only `input`'s shape, dtype and device count).
 *
 * Like PyTorch, the first form records `BernoulliBackward0` when the probabilities require grad
 * (its gradient is zero: a sample does not change smoothly with its probability).
 */
export function bernoulli(input: Tensor, options?: GeneratorOptions): Tensor;
export function bernoulli(input: Tensor, p: number, options?: GeneratorOptions): Tensor;
export function bernoulli(input: Tensor, a?: number | GeneratorOptions, b?: GeneratorOptions): Tensor {
  const out = emptyTensor(input.shape, input.dtype, input.device);
  try {
    if (typeof a === "number") {
      fillBernoulli(out, a, (b ?? {}).generator ?? defaultGenerator);
      return out;
    }
    fillBernoulliFromProbabilities(out, probabilitiesInDrawOrder(out, input), (a ?? {}).generator ?? defaultGenerator);
  } catch (error) {
    out.dispose(); // a failed call leaves no GPU memory behind
    throw error;
  }
  return recordOp("bernoulli", [input], out);
}
