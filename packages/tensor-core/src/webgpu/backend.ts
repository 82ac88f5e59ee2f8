/**
 * The webgpu backend: the `Backend` contract (see `backend.ts`) met by WGSL kernels, one file per
 * family beside its CPU twin in `kernels/<family>/webgpu.ts`. Registered by `init()`.
 */
import type { Backend } from "../backend.ts";
import * as conv from "../kernels/conv/webgpu.ts";
import * as elementwise from "../kernels/elementwise/webgpu.ts";
import * as matmul from "../kernels/matmul/webgpu.ts";
import * as pool from "../kernels/pool/webgpu.ts";
import * as reduce from "../kernels/reduce/webgpu.ts";
import * as softmax from "../kernels/softmax/webgpu.ts";
import { allocate, download, upload, type GpuStorage } from "./storage.ts";

/** The webgpu device's kernels and memory, as the ops see them through `backendFor("webgpu")`. */
export const webgpuBackend: Backend = {
  device: "webgpu",
  allocate,
  upload,
  download: (storage) => download(storage as GpuStorage),
  fill: elementwise.fill,
  copy: elementwise.copy,
  unary: elementwise.unary,
  binary: elementwise.binary,
  where: elementwise.where,
  reduce: reduce.reduce,
  softmax: softmax.softmax,
  matmul: matmul.matmul,
  conv2d: conv.conv2d,
  conv2dBackwardInput: conv.conv2dBackwardInput,
  conv2dBackwardWeight: conv.conv2dBackwardWeight,
  maxPool2d: pool.maxPool2d,
  maxPool2dBackward: pool.maxPool2dBackward,
};
