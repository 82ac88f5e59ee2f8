/**
 * The `torch` namespace: everything of tensor-core (tensors, creation, ops, random numbers,
 * printing, `webgpu`, `tidy`/`keep`), the grad modes and `autograd` of @torchlet/autograd, and
 * `torch.nn`, `torch.optim`, `torch.save`/`torch.load`.
 *
 * It is a module re-exported as a namespace (`import * as torch`, then `export { torch }`), so that `torch.Tensor` is a type
 * as well as the class: `forward(x: torch.Tensor): torch.Tensor`.
 */
export * from "@torchlet/tensor-core";
export {
  noGrad,
  enableGrad,
  isGradEnabled,
  setGradEnabled,
  /** PyTorch's `torch.autograd`: `backward`/`grad` on demand, `gradcheck`, the graph's nodes, `registerRule`. */
  autograd,
} from "@torchlet/autograd";
import * as nn from "./nn.ts";
import * as optim from "./optim/index.ts";

export {
  /** PyTorch's `torch.nn`: `Module`, `Parameter`, the containers, the layers and losses, `init` and `functional`. */
  nn,
  /** PyTorch's `torch.optim`: `SGD`, `Adam`, `AdamW` and their base, `Optimizer`. */
  optim,
};
export { save, saveSync, load, loadMetadata, LoadedStateDict, type Saveable, type SaveOptions } from "./serialization/save-load.ts";
