/**
 * Batch normalisation (Ioffe & Szegedy, 2015): every channel (dimension 1) of the input is shifted
 * and scaled to mean 0 and variance 1, then scaled by `weight` and shifted by `bias`, one number of
 * each per channel.
 *
 * In training the mean and variance come from the batch itself (over every dimension but the
 * channel's), and the running estimates that evaluation will use are nudged towards them:
 *   running = (1 − momentum) · running + momentum · batch statistic.
 * The variance that normalises is the biased one (divided by n); the one kept for later is the
 * unbiased estimate (divided by n − 1), as in PyTorch. In evaluation the running estimates
 * normalise instead, so a single example gives the same answer whatever batch it arrives in.
 *
 * It is one recorded op, like PyTorch's `native_batch_norm`: the saved mean and 1/√(var + eps) come
 * out as extra outputs, and the backward rule reads them instead of recomputing.
 */
import { scalarTypeName } from "../dtype.ts";
import { RuntimeError } from "../errors.ts";
import { belowAutograd, recordOp } from "../grad-hooks.ts";
import { normalizeDim } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { backendFor } from "../backend.ts";
import { add, div, mul, sqrt, sub } from "./elementwise.ts";
import { sum } from "./reduce.ts";
import { reshape } from "./views.ts";

/** The options of `batchNorm` after its running statistics (PyTorch's keyword arguments). */
export interface BatchNormOptions {
  /** The per-channel scale γ (null: 1). */
  weight?: Tensor | null;
  /** The per-channel shift β (null: 0). */
  bias?: Tensor | null;
  /** Normalise with the batch's statistics and update the running ones (default false, as in PyTorch). */
  training?: boolean;
  /** How far each training batch moves the running statistics (default 0.1). */
  momentum?: number;
  /** Added to the variance before the square root, so a constant channel does not divide by zero. */
  eps?: number;
}

/** PyTorch's check that a per-channel tensor has one element per channel. */
function checkPerChannel(name: string, t: Tensor | null, channels: number): void {
  if (t !== null && t.numel() !== channels) {
    throw new RuntimeError(`${name} should contain ${channels} elements not ${t.numel()}`);
  }
}

/**
 * `F.batch_norm(x, runningMean, runningVar, weight, bias, training, momentum, eps)`: x is
 * [N, C, ...]; the statistics run over every dimension but C. In training, `runningMean` and
 * `runningVar` (either may be null) are updated in place.
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  options: BatchNormOptions = {},
): Tensor {
  const { weight = null, bias = null, training = false, momentum = 0.1, eps = 1e-5 } = options;
  const channels = x.shape[normalizeDim(1, x.ndim)];
  if (runningMean !== null) checkPerChannel("running_mean", runningMean, channels);
  else if (!training) throw new RuntimeError("running_mean must be defined in evaluation mode");
  if (runningVar !== null) checkPerChannel("running_var", runningVar, channels);
  else if (!training) throw new RuntimeError("running_var must be defined in evaluation mode");
  checkPerChannel("weight", weight, channels);
  checkPerChannel("bias", bias, channels);
  if (x.dtype !== "float32") throw new RuntimeError(`"batch_norm" not implemented for '${scalarTypeName(x.dtype)}'`);

  // every dimension but the channel's: [0, 2, 3] for an image batch
  const dims = x.shape.map((_, d) => d).filter((d) => d !== 1);
  const count = x.numel() / channels;
  // statistics are kept as [1, C, 1, 1], so they broadcast against the input
  const statShape = x.shape.map((size, d) => (d === 1 ? size : 1));
  const perChannel = (t: Tensor) => reshape(t, statShape);

  const [out, mean, invstd] = belowAutograd(() => {
    let mean: Tensor;
    let invstd: Tensor;
    if (training) {
      mean = div(sum(x, dims, true), count);
      const centered = sub(x, mean);
      const variance = div(sum(mul(centered, centered), dims, true), count);
      invstd = div(1, sqrt(add(variance, eps)));
      updateRunning(runningMean, mean, momentum);
      // the running variance is the unbiased estimate: n / (n − 1) times the batch's
      updateRunning(runningVar, mul(variance, count / (count - 1)), momentum);
    } else {
      mean = perChannel(runningMean as Tensor);
      invstd = div(1, sqrt(add(perChannel(runningVar as Tensor), eps)));
    }
    let y = mul(sub(x, mean), invstd);
    if (weight !== null) y = mul(y, perChannel(weight));
    if (bias !== null) y = add(y, perChannel(bias));
    return [y, reshape(mean, [channels]), reshape(invstd, [channels])];
  });
  return recordOp("batchNorm", [x, weight, bias], [out, mean, invstd], {
    training,
    eps,
    dims,
    statShape,
    hasWeight: weight !== null,
  });
}

/** running ← (1 − momentum) · running + momentum · batch, written into the running tensor. */
function updateRunning(running: Tensor | null, batch: Tensor, momentum: number): void {
  if (running === null) return;
  const updated = add(mul(running, 1 - momentum), mul(reshape(batch, running.shape), momentum));
  backendFor(running.device).copy(updated, running);
  running.markWritten();
}
