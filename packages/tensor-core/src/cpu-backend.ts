/**
 * The CPU backend: typed arrays and plain loops, synchronous. It is the reference every other
 * backend is tested against, and a real backend in its own right.
 */
import { registerBackend, type Backend } from "./backend.ts";
import { cpuArrayFor, type CpuArray, type DType } from "./dtype.ts";
import { CpuStorage, type Storage } from "./storage.ts";
import * as conv from "./kernels/conv/cpu.ts";
import * as convReference from "./kernels/conv/reference-cpu.ts";
import * as elementwise from "./kernels/elementwise/cpu.ts";
import * as matmul from "./kernels/matmul/cpu.ts";
import { matmulReference } from "./kernels/matmul/reference-cpu.ts";
import * as pool from "./kernels/pool/cpu.ts";
import * as reduce from "./kernels/reduce/cpu.ts";
import * as softmax from "./kernels/softmax/cpu.ts";
import * as wasm from "./wasm/dispatch.ts";

export const cpuBackend: Backend = {
  device: "cpu",
  allocate: (dtype: DType, length: number) => new CpuStorage(cpuArrayFor(dtype, length), dtype),
  upload: (dtype: DType, values: CpuArray) => new CpuStorage(values, dtype),
  download: (storage: Storage) => (storage as CpuStorage).data,
  fill: elementwise.fill,
  copy: elementwise.copy,
  unary: elementwise.unary,
  binary: elementwise.binary,
  addScaled: elementwise.addScaled,
  where: elementwise.where,
  reduce: reduce.reduce,
  softmax: softmax.softmax,
  // WebAssembly SIMD where it runs and `torch.backends.cpu.kernel` is "wasm", the plain reference
  // loops when it is "reference", the TypeScript kernels otherwise
  matmul: wasm.orReference(wasm.withWasmMatmul(matmul.matmul), matmulReference),
  conv2d: wasm.orReference(wasm.withWasmConv2d(conv.conv2d), convReference.conv2dReference),
  conv2dBackwardInput: wasm.orReference(wasm.withWasmConv2dBackwardInput(conv.conv2dBackwardInput), convReference.conv2dBackwardInputReference),
  conv2dBackwardWeight: wasm.orReference(wasm.withWasmConv2dBackwardWeight(conv.conv2dBackwardWeight), convReference.conv2dBackwardWeightReference),
  maxPool2d: pool.maxPool2d,
  maxPool2dBackward: pool.maxPool2dBackward,
};

registerBackend(cpuBackend);
