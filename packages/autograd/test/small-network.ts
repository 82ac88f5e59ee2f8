/**
 * A small convolutional network for the webgpu tests, written with tensor-core's ops: one forward
 * pass goes through many kinds of backward node.
 */
import { addmm, conv2d, maxPool2d, sampleTensor, where, type Device, type Tensor } from "@torchlet/tensor-core";

/** Its parameters, as leaves on `device`; the same values on every device. */
export function parameters(device: Device): Record<string, Tensor> {
  const make = (shape: number[], seed: number) => sampleTensor(shape, seed).mul(0.5).to(device).requiresGrad_();
  return { kernel: make([3, 2, 3, 3], 1), bias: make([3], 2), weight: make([4, 12], 3), offset: make([4], 4) };
}

/** An input batch [2, 2, 4, 4] on `device`. */
export function batch(device: Device): Tensor {
  return sampleTensor([2, 2, 4, 4], 9).to(device);
}

/**
 * A scalar loss through conv2d, relu, max pooling, flatten, addmm, clamp, where, a slice,
 * max(dim), softmax and logSoftmax, var, mean and select.
 */
export function loss(p: Record<string, Tensor>, x: Tensor): Tensor {
  let h = conv2d(x, p.kernel, p.bias, { padding: 1 }).relu(); // [2, 3, 4, 4]
  h = maxPool2d(h, { kernelSize: 2 }).flatten(1); // [2, 12]
  const logits = addmm(p.offset, h, p.weight.t()).clamp({ min: -3, max: 3 }); // [2, 4]
  const gated = where(logits.gt(0), logits, logits.mul(0.1));
  const picked = gated.index(":", "1:").max(1).values.sum();
  const spread = logits.softmax(1).var(1).mean();
  return logits.logSoftmax(1).select(1, 0).mean().neg().add(picked).add(spread);
}
