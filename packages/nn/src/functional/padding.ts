/**
 * `F.pad`: a border around the last dimensions of a tensor, in PyTorch's four modes: "constant"
 * (tensor-core's `constantPadNd`, any number of dimensions), and the three that fill the border
 * from the input's own values (tensor-core's `edgePad`): "reflect", "replicate" and "circular",
 * for the last 1, 2 or 3 dimensions of an input with one or two dimensions more (batch, channels).
 */
import { constantPadNd, edgePad, NotImplementedError, RuntimeError, type EdgePadMode, type Tensor } from "@torchlet/tensor-core";

/** `F.pad`'s keyword arguments. */
export interface PadOptions {
  /** How the border is filled: "constant" (the default), "reflect", "replicate" or "circular". */
  mode?: "constant" | "reflect" | "replicate" | "circular";
  /** The border's value in "constant" mode (default 0); the other modes take none. */
  value?: number;
}

/** Modes PyTorch knows. */
const pytorchModes = new Set(["constant", "reflect", "replicate", "circular"]);

/**
 * `F.pad(input, pad, { mode, value })`: `pad` lists (before, after) amounts from the last
 * dimension backwards, so `[1, 1, 2, 0]` adds a column on each side and two rows on top.
 * Negative amounts crop. The gradient flows back to the input (`ConstantPadNdBackward0`,
 * `ReflectionPad2DBackward0`, ...), with PyTorch's checks and messages for bad input.
 */
export function pad(input: Tensor, pad: readonly number[], options: PadOptions = {}): Tensor {
  const mode: string = options.mode ?? "constant";
  if (!pytorchModes.has(mode)) throw new NotImplementedError(`Unrecognised padding mode ${mode}`);
  if (mode === "constant") return constantPadNd(input, pad, options.value ?? 0);
  if (options.value !== undefined && options.value !== 0) {
    throw new RuntimeError(`Padding mode "${mode}" doesn't take in value argument`);
  }
  return edgePad(input, pad, mode as EdgePadMode);
}
