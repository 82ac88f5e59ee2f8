/**
 * `torch.nn`: modules and everything to build models from them.
 *
 * - `Module` and `Parameter` (from @torchlet/module), the containers (`Sequential`, `ModuleList`,
 *   `ModuleDict`, `ParameterList`, `ParameterDict`);
 * - the layers: `Linear`, `Identity`, `Conv2d`, `MaxPool2d`, `BatchNorm2d`, `Dropout`, `Flatten`,
 *   `ReLU`, `Sigmoid`, `Tanh`, `Softmax`, `LogSoftmax`;
 * - the losses: `CrossEntropyLoss`, `NLLLoss`, `MSELoss`;
 * - `nn.init` (the initialisers) and `nn.functional` (the layers' operations as functions; the
 *   package also exports it as `F`, the name PyTorch code gives it).
 */
export { Module, Parameter, RemovableHandle, IncompatibleKeys, type ModuleTarget, type StateDictLike } from "@torchlet/module";
export { Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict } from "@torchlet/containers";
export { Linear, Identity, type LinearOptions } from "./modules/linear.ts";
export { ReLU, Sigmoid, Tanh, Softmax, LogSoftmax } from "./modules/activation.ts";
export { Flatten } from "./modules/flatten.ts";
export { Conv2d, type Conv2dOptions, type Conv2dArgs, type PaddingMode } from "./modules/conv.ts";
export { MaxPool2d, type MaxPool2dOptions, type MaxPool2dArgs } from "./modules/pooling.ts";
export { BatchNorm2d, type BatchNorm2dOptions, type BatchNorm2dArgs } from "./modules/batchnorm.ts";
export { Dropout } from "./modules/dropout.ts";
export {
  CrossEntropyLoss,
  NLLLoss,
  MSELoss,
  type LossOptions,
  type NLLLossOptions,
  type CrossEntropyLossOptions,
} from "./modules/loss.ts";
import * as init from "@torchlet/init";
import * as functional from "./functional/index.ts";

export {
  /** PyTorch's `torch.nn.init`: gains, fans and the initialisers that fill a tensor in place. */
  init,
  /** PyTorch's `torch.nn.functional` (usually imported as `F`): the layers' operations as functions. */
  functional,
};
