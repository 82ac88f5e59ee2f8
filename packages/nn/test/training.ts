/** Building the optimizers of nn-training.json's runs, for the CPU and the WebGPU tests. */
import type { FixtureTensor } from "@torchlet/testing";
import { optim, type torch } from "../src/index.ts";

/** One run of nn-training.json. */
export interface TrainingCase {
  optimizer: "SGD" | "Adam" | "AdamW";
  options: Record<string, unknown>;
  seed: number;
  x_head: number[];
  x_sum: number;
  y: number[];
  losses: number[];
  final_loss: number;
  first_bias: FixtureTensor;
}

/** Python's option names as ours: `weight_decay` → `weightDecay`. */
function camelOptions(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));
}

/** The optimizer a fixture case names, with its Python options. */
export function makeOptimizer(name: TrainingCase["optimizer"], params: Iterable<torch.Tensor>, options: Record<string, unknown>): optim.Optimizer<object> {
  const o = camelOptions(options);
  if (name === "SGD") return new optim.SGD(params, o as unknown as optim.SGDOptions);
  if (name === "Adam") return new optim.Adam(params, o as optim.AdamOptions);
  return new optim.AdamW(params, o as optim.AdamOptions);
}

