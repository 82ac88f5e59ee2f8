/**
 * `F.pad`: a border around the last dimensions of a tensor. torchlet has PyTorch's default mode,
 * "constant" (tensor-core's `constantPadNd`); the modes that copy the input's own edges
 * ("reflect", "replicate", "circular") are PyTorch's too, but not torchlet's yet.
 */
import { constantPadNd, NotImplementedError, type Tensor } from "@torchlet/tensor-core";

/** `F.pad`'s keyword arguments. */
export interface PadOptions {
  /** How the border is filled: "constant" (the default) is the one torchlet implements. */
  mode?: "constant" | "reflect" | "replicate" | "circular";
  /** The border's value in "constant" mode (default 0). */
  value?: number;
}

/** Modes PyTorch knows; all but "constant" copy from the input's edges. */
const pytorchModes = new Set(["constant", "reflect", "replicate", "circular"]);

/**
 * `F.pad(input, pad, { mode, value })`: `pad` lists (before, after) amounts from the last
 * dimension backwards, so `[1, 1, 2, 0]` adds a column on each side and two rows on top.
 * Negative amounts crop. The gradient flows back to the input (`ConstantPadNdBackward0`).
 */
export function pad(input: Tensor, pad: readonly number[], options: PadOptions = {}): Tensor {
  const mode: string = options.mode ?? "constant";
  if (!pytorchModes.has(mode)) throw new NotImplementedError(`Unrecognised padding mode ${mode}`);
  if (mode !== "constant") {
    throw new NotImplementedError(`F.pad: torchlet implements mode "constant" only; PyTorch's "${mode}" mode is not here yet`);
  }
  return constantPadNd(input, pad, options.value ?? 0);
}
