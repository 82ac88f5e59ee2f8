/**
 * How to run each case of the PyTorch fixture `ops.json` in torchlet. The fixture records inputs,
 * output, upstream gradient, input gradients and grad_fn name, but not the call; this table gives
 * the call PyTorch made (recovered from the shapes and checked against the recorded output).
 */
import {
  add,
  addmm,
  batchNorm,
  conv2d,
  div,
  exp,
  fromValues,
  log,
  logSoftmax,
  matmul,
  maximum,
  maxPool2d,
  mseLoss,
  mul,
  nllLoss,
  sigmoid,
  softmax,
  sub,
  tanh,
  tensor,
  type Tensor,
} from "@torchlet/tensor-core";

export interface OpsCase {
  /** The call; inputs are on one device and require grad. */
  call: (...inputs: Tensor[]) => Tensor;
  /** The grad_fn name PyTorch gave (the fixture records it too; the two must agree). */
  gradFn: string;
}

/** F.cross_entropy is nll_loss of log_softmax; the fixture's targets were [1, 0, 4]. */
function crossEntropy(logits: Tensor): Tensor {
  return nllLoss(logSoftmax(logits, 1), tensor([1, 0, 4]).to(logits.device));
}

export const opsCases: Record<string, OpsCase> = {
  "add broadcast": { call: (a, b) => add(a, b), gradFn: "AddBackward0" },
  "sub broadcast": { call: (a, b) => sub(a, b), gradFn: "SubBackward0" },
  mul: { call: (a, b) => mul(a, b), gradFn: "MulBackward0" },
  div: { call: (a, b) => div(a, b), gradFn: "DivBackward0" },
  "matmul 2d": { call: (a, b) => matmul(a, b), gradFn: "MmBackward0" },
  "matmul batched": { call: (a, b) => matmul(a, b), gradFn: "UnsafeViewBackward0" },
  "maximum with scalar tensor": {
    call: (x) => maximum(x, fromValues([0], [], "float32", x.device)),
    gradFn: "MaximumBackward0",
  },
  relu: { call: (x) => x.relu(), gradFn: "ReluBackward0" },
  sum: { call: (x) => x.sum(), gradFn: "SumBackward0" },
  "sum dim keepdim": { call: (x) => x.sum(1, true), gradFn: "SumBackward1" },
  mean: { call: (x) => x.mean(0), gradFn: "MeanBackward1" },
  view: { call: (x) => x.view(2, 12), gradFn: "ViewBackward0" },
  transpose: { call: (x) => x.t(), gradFn: "TBackward0" },
  exp: { call: (x) => exp(x), gradFn: "ExpBackward0" },
  log: { call: (x) => log(x), gradFn: "LogBackward0" },
  tanh: { call: (x) => tanh(x), gradFn: "TanhBackward0" },
  sigmoid: { call: (x) => sigmoid(x), gradFn: "SigmoidBackward0" },
  softmax: { call: (x) => softmax(x, 1), gradFn: "SoftmaxBackward0" },
  log_softmax: { call: (x) => logSoftmax(x, 1), gradFn: "LogSoftmaxBackward0" },
  // F.linear(x, weight, bias) on 2-D input is addmm(bias, x, weight.t())
  linear: { call: (x, w, b) => addmm(b, x, w.t()), gradFn: "AddmmBackward0" },
  "conv2d s1 p1": { call: (x, w, b) => conv2d(x, w, b, { stride: 1, padding: 1 }), gradFn: "ConvolutionBackward0" },
  "conv2d s2 p0": { call: (x, w, b) => conv2d(x, w, b, { stride: 2 }), gradFn: "ConvolutionBackward0" },
  "max_pool2d 2": { call: (x) => maxPool2d(x, { kernelSize: 2 }), gradFn: "MaxPool2DWithIndicesBackward0" },
  "max_pool2d 3 s1 p1": {
    call: (x) => maxPool2d(x, { kernelSize: 3, stride: 1, padding: 1 }),
    gradFn: "MaxPool2DWithIndicesBackward0",
  },
  flatten: { call: (x) => x.flatten(1), gradFn: "ReshapeAliasBackward0" },
  "batch_norm train": {
    call: (x, weight, bias) => batchNorm(x, null, null, { weight, bias, training: true }),
    gradFn: "NativeBatchNormBackward0",
  },
  cross_entropy: { call: crossEntropy, gradFn: "NllLossBackward0" },
  mse_loss: { call: (a, b) => mseLoss(a, b), gradFn: "MseLossBackward0" },
};

/** The fixture's case of a model that uses one Linear layer twice. */
export const sharedLinearCase = "shared Linear grad accumulation";

/**
 * The seed document's network `Sequential(Linear(4, 8), ReLU, shared, ReLU, shared, ReLU,
 * Linear(8, 1))`, built by hand from its parameters (nn.Linear comes later, in the nn package):
 * `shared` is the same weight and bias used at positions 2 and 4.
 */
export function sharedLinearNet(x: Tensor, p: Record<string, Tensor>): Tensor {
  const linear = (h: Tensor, layer: number) => addmm(p[`${layer}.bias`], h, p[`${layer}.weight`].t());
  let h = linear(x, 0).relu();
  h = linear(h, 2).relu();
  h = linear(h, 2).relu(); // net[4] is net[2]
  return linear(h, 6);
}
