/// <reference types="@webgpu/types" preserve="true" />
/**
 * @torchlet/tensor-core: tensors on the CPU and on WebGPU, their views and ops, PyTorch's random
 * numbers and PyTorch's printing. Everything the packages above build on enters through here.
 */
import "./cpu-backend.ts";

export { Tensor } from "./tensor.ts";
export { Size, size } from "./size.ts";
export { type DType, float32, int64, bool, float, long, promoteTypes, dtypeName } from "./dtype.ts";
export { type Device, type Storage, CpuStorage } from "./storage.ts";
export {
  TorchletError,
  RuntimeError,
  IndexError,
  KeyError,
  ValueError,
  AttributeError,
  NotImplementedError,
  pythonStringRepr,
} from "./errors.ts";
export {
  type Backend,
  type UnaryOp,
  type BinaryOp,
  type ReduceOp,
  type Conv2dParams,
  type Pool2dParams,
  registerBackend,
  backendFor,
} from "./backend.ts";
export {
  type GradFn,
  type OpRecord,
  type AutogradHook,
  type BackwardOptions,
  installAutograd,
  recordOp,
  belowAutograd,
  isRecording,
} from "./grad-hooks.ts";
export { tidy, keep } from "./memory.ts";
export { broadcastShapes, contiguousStrides, normalizeDim, numel } from "./shape.ts";

export { type TensorOptions } from "./ops/options.ts";
export {
  type NestedData,
  tensor,
  zeros,
  ones,
  full,
  empty,
  zerosLike,
  onesLike,
  fullLike,
  emptyLike,
  arange,
  linspace,
  eye,
  emptyTensor,
  fromValues,
  scalarTensor,
} from "./ops/creation.ts";
export {
  type IndexSpec,
  view,
  reshape,
  flatten,
  transpose,
  t,
  permute,
  unsqueeze,
  squeeze,
  expand,
  select,
  narrow,
  slice,
  index,
  contiguous,
  clone,
  unsafeView,
} from "./ops/views.ts";
export { constantPadNd } from "./ops/pad.ts";
export { cat, stack } from "./ops/cat.ts";
export { edgePad, edgePadBackward, type EdgePadMode } from "./ops/edge-pad.ts";
export {
  type Operand,
  add,
  sub,
  mul,
  div,
  pow,
  maximum,
  minimum,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  logicalAnd,
  logicalOr,
  logicalNot,
  neg,
  exp,
  log,
  sqrt,
  abs,
  sign,
  tanh,
  sigmoid,
  relu,
  reluBackward,
  square,
  clamp,
  where,
  binaryKernel,
  unaryKernel,
} from "./ops/elementwise.ts";
export { type Dims, type VarOptions, type ValuesIndices, sum, mean, var_ as var, std, max, min, argmax, argmin, reduceKernel } from "./ops/reduce.ts";
export { softmax, logSoftmax } from "./ops/softmax.ts";
export { type BatchNormOptions, batchNorm } from "./ops/norm.ts";
export { type Reduction, type NllLossOptions, nllLoss, mseLoss } from "./ops/loss.ts";
export { matmul, mm, bmm, dot, mv, addmm, matmulKernel } from "./ops/matmul.ts";
export {
  type Conv2dOptions,
  type PaddingName,
  type Pair,
  conv2d,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  conv2dOutputShape,
} from "./ops/conv.ts";
export { type MaxPool2dOptions, maxPool2d, maxPool2dWithIndices, maxPool2dBackward, pool2dParams } from "./ops/pool.ts";
export { checkInplace } from "./ops/inplace.ts";
export { to, cpu, readBack } from "./ops/transfer.ts";
export * from "./random/index.ts";
export * from "./format/index.ts";
import * as webgpu from "./webgpu/index.ts";
import * as backends from "./wasm/backends.ts";

export {
  /** The WebGPU device, as `torch.cuda` is PyTorch's: `init()`, `isAvailable()`, memory figures, the adapter. */
  webgpu,
  /** How each device computes: `backends.cpu.kernel` picks the CPU kernels ("wasm", "ts" or "reference"). */
  backends,
};
export { setNumThreads, getNumThreads, type CpuKernel } from "./wasm/settings.ts";
export {
  type OpInfo,
  type OpSample,
  opInfos,
  opInfo,
  gradInputsOf,
  sampleTensor,
  positiveTensor,
  nonzeroTensor,
  distinctTensor,
  distinctTensors,
} from "./op-info.ts";
