// PLACEHOLDER: replaced by the PyTorch-compatible generator (mt19937) work.
import type { Tensor } from "../tensor.ts";

export function fillNormal(_t: Tensor, _mean: number, _std: number): void {
  throw new Error("not implemented yet");
}

export function fillUniform(_t: Tensor, _from: number, _to: number): void {
  throw new Error("not implemented yet");
}
