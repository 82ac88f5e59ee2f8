/**
 * `nn.functional` (PyTorch's `torch.nn.functional`, usually imported as `F`): the operations of
 * the layers as plain functions of tensors. A layer holds parameters and calls one of these in its
 * `forward`; code that manages its own parameters calls them directly.
 *
 * | PyTorch | torchlet |
 * | --- | --- |
 * | `F.relu(x, inplace=True)` | `F.relu(x, { inplace: true })` |
 * | `F.softmax(x, dim=1)` | `F.softmax(x, 1)` |
 * | `F.max_pool2d(x, 2, stride=2)` | `F.maxPool2d(x, 2, { stride: 2 })` |
 * | `F.batch_norm(x, rm, rv, training=True)` | `F.batchNorm(x, rm, rv, { training: true })` |
 * | `F.cross_entropy(x, y, reduction="sum")` | `F.crossEntropy(x, y, { reduction: "sum" })` |
 * | `F.dropout(x, p=0.2, training=False)` | `F.dropout(x, { p: 0.2, training: false })` |
 * | `F.pad(x, (1, 1), value=0.5)` | `F.pad(x, [1, 1], { value: 0.5 })` |
 */
export { relu, sigmoid, tanh, softmax, logSoftmax, type InplaceOptions } from "./activation.ts";
export { linear, conv2d } from "./linear.ts";
export { maxPool2d, type MaxPool2dOptions } from "./pooling.ts";
export { batchNorm } from "./normalization.ts";
export { dropout, type DropoutOptions } from "./dropout.ts";
export { pad, type PadOptions } from "./padding.ts";
export { crossEntropy, nllLoss, mseLoss, type CrossEntropyOptions, type Reduction } from "./loss.ts";
