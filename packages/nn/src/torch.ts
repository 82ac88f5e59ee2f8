/**
 * The `torch` namespace: everything of tensor-core (tensors, creation, ops, random numbers,
 * printing, `webgpu`, `tidy`/`keep`), the grad modes and `autograd` of @torchlet/autograd, and
 * `torch.nn`, `torch.optim`, `torch.save`/`torch.load`.
 *
 * It is a module re-exported as a namespace (`export * as torch`), so that `torch.Tensor` is a type
 * as well as the class: `forward(x: torch.Tensor): torch.Tensor`.
 */
export * from "@torchlet/tensor-core";
export { noGrad, enableGrad, isGradEnabled, setGradEnabled, autograd } from "@torchlet/autograd";
export * as nn from "./nn.ts";
export * as optim from "./optim/index.ts";
export { save, saveSync, load, loadMetadata, type SaveOptions } from "./serialization/save-load.ts";
