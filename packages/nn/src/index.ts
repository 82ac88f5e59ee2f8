/**
 * @torchlet/nn: PyTorch's `torch` and `torch.nn`, small and in TypeScript, on the CPU and on
 * WebGPU.
 *
 * ```ts
 * import { torch, nn, F, optim } from "@torchlet/nn";
 *
 * torch.manualSeed(0);
 * const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
 * const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
 * const loss = F.crossEntropy(model.call(torch.randn(5, 4)), torch.tensor([0, 2, 1, 1, 0]));
 * loss.backward();
 * optimizer.step();
 * ```
 *
 * `nn`, `F` (= `nn.functional`) and `optim` are also reachable from `torch` (`torch.nn`,
 * `torch.nn.functional`, `torch.optim`); they are exported on their own for the way PyTorch code
 * imports them (`from torch import nn, optim`, `import torch.nn.functional as F`).
 */
import * as torch from "./torch.ts";
import * as nn from "./nn.ts";
import * as F from "./functional/index.ts";
import * as optim from "./optim/index.ts";

export {
  /** PyTorch's `torch`: tensors, their ops, autograd, devices and random numbers, with `nn`, `optim`, `save` and `load`. */
  torch,
  /** PyTorch's `torch.nn`: `Module`, `Parameter`, the containers, the layers and losses, `init` and `functional`. */
  nn,
  /** PyTorch's `torch.nn.functional`, as PyTorch code imports it (`import torch.nn.functional as F`). */
  F,
  /** PyTorch's `torch.optim`: `SGD`, `Adam`, `AdamW` and their base, `Optimizer`. */
  optim,
};
