/**
 * Reading a CPU float32 tensor's values for the WebAssembly kernels, which take typed arrays and
 * strides rather than tensors.
 */
import type { CpuStorage } from "../storage.ts";
import type { Tensor } from "../tensor.ts";

/** The typed array under a float32 CPU tensor (its whole storage: offset and strides still apply). */
export function floats(t: Tensor): Float32Array {
  return (t.storage as CpuStorage).data as Float32Array;
}

/** A 1-d tensor's values (a convolution's bias), copied out through its offset and stride. */
export function biasValues(bias: Tensor): Float32Array {
  const values = new Float32Array(bias.shape[0]);
  const data = floats(bias);
  const [stride] = bias.stride();
  for (let i = 0; i < values.length; i++) values[i] = data[bias.storageOffset() + i * stride];
  return values;
}
