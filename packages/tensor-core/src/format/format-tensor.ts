// PLACEHOLDER: replaced by the PyTorch-identical printing work.
import type { Tensor } from "../tensor.ts";

export function formatTensor(t: Tensor): string {
  return `tensor(${JSON.stringify(t.tolist())})`;
}

export async function formatTensorAsync(t: Tensor): Promise<string> {
  return formatTensor(await t.cpu());
}
