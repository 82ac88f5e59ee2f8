/**
 * @torchlet/autograd: reverse-mode automatic differentiation for tensor-core's tensors.
 *
 * Importing this package installs its hook into tensor-core, as PyTorch registers its Autograd
 * dispatch key: from then on every differentiable op whose inputs require grad gets a `gradFn`
 * node, and `t.backward()` runs the engine. Everything else here is grad mode and the
 * `autograd` namespace.
 */
import { installAutograd } from "@torchlet/tensor-core";
import { backward } from "./engine.ts";
import { isGradEnabled } from "./grad-mode.ts";
import { record } from "./record.ts";

installAutograd({
  isGradEnabled,
  record,
  backward: (tensor, gradient, options) => backward([tensor], [gradient], options),
});

export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from "./grad-mode.ts";
import * as autograd from "./autograd.ts";

export {
  /** PyTorch's `torch.autograd`: `backward`/`grad` on demand, `gradcheck`, the graph's nodes, `registerRule`. */
  autograd,
};
