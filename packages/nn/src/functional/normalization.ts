/**
 * `F.batch_norm`: normalise each channel of a batch (see tensor-core's `batchNorm` for the
 * arithmetic). The functional form adds PyTorch's one check made in Python: in training there
 * must be more than one value per channel, or the batch variance means nothing.
 */
import { batchNorm as batchNormOp, ValueError, type BatchNormOptions, type Tensor } from "@torchlet/tensor-core";

/**
 * Batch normalisation of input [N, C, ...] over every dimension but C. In training the batch
 * statistics normalise and `runningMean`/`runningVar` (if given) are updated in place; in
 * evaluation (`training: false`, the default of `F.batch_norm`) the running statistics normalise.
 */
export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, options: BatchNormOptions = {}): Tensor {
  if (options.training) {
    const valuesPerChannel = input.numel() / (input.ndim > 1 ? input.shape[1] : 1);
    if (valuesPerChannel === 1) {
      throw new ValueError(`Expected more than 1 value per channel when training, got input size ${input.shape}`);
    }
  }
  return batchNormOp(input, runningMean, runningVar, options);
}
