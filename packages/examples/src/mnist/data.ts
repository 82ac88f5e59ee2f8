/**
 * MNIST as the training loop sees it: the images and labels of one split, shuffled into an order
 * each epoch, and cut into batches of tensors.
 *
 * torchlet has no `torch.utils.data`; what a `DataLoader` over torchvision's `MNIST` with
 * `ToTensor()` and `Normalize((0.1307,), (0.3081,))` does takes a few lines here: a batch gathers
 * its images' pixels, scales them to [0, 1] and standardises them with the mean and standard
 * deviation of MNIST's training pixels, as PyTorch's own MNIST example does.
 */
import { gunzipSync } from "node:zlib";
import { torch } from "@torchlet/nn";
import { parseIdx } from "./idx.ts";

/** One split of MNIST: `count` images of height × width pixels (0-255, row-major) and their labels. */
export interface Digits {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
}

/** The mean and standard deviation of the training images' pixels scaled to [0, 1]. */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

/** A split read from its two IDX files, gzip-compressed (as published) or not. */
export function readDigits(imagesFile: Uint8Array, labelsFile: Uint8Array): Digits {
  const unzip = (bytes: Uint8Array) => (bytes[0] === 0x1f && bytes[1] === 0x8b ? new Uint8Array(gunzipSync(bytes)) : bytes);
  const images = parseIdx(unzip(imagesFile));
  const labels = parseIdx(unzip(labelsFile));
  if (images.shape.length !== 3) throw new Error(`MNIST images have 3 dimensions [count, height, width], got [${images.shape.join(", ")}]`);
  if (labels.shape.length !== 1) throw new Error(`MNIST labels have 1 dimension [count], got [${labels.shape.join(", ")}]`);
  const [count, height, width] = images.shape;
  if (labels.shape[0] !== count) throw new Error(`${count} images but ${labels.shape[0]} labels`);
  return { count, height, width, pixels: images.data, labels: labels.data };
}

/**
 * A random order of 0 … n-1 for one epoch, from `torch.randperm` (so `torch.manualSeed` fixes it),
 * as PyTorch's `DataLoader(shuffle=True)` draws one.
 */
export function shuffledOrder(n: number): Int32Array {
  return Int32Array.from(torch.randperm(n).toArray() as ArrayLike<number>);
}

/** A batch: images [b, 1, height, width], standardised, and labels [b] (int64). */
export interface Batch {
  readonly images: torch.Tensor;
  readonly labels: torch.Tensor;
}

/** The batch of the images at `order[from]` … `order[to - 1]`, on `device`. */
export function batchOf(digits: Digits, order: ArrayLike<number>, from: number, to: number, device: torch.Device = "cpu"): Batch {
  const size = digits.height * digits.width;
  const images = new Float32Array((to - from) * size);
  const labels = new Float32Array(to - from);
  for (let b = 0; b < to - from; b++) {
    const image = order[from + b];
    for (let p = 0; p < size; p++) images[b * size + p] = (digits.pixels[image * size + p] / 255 - MNIST_MEAN) / MNIST_STD;
    labels[b] = digits.labels[image];
  }
  return {
    images: torch.fromValues(images, [to - from, 1, digits.height, digits.width], "float32", device),
    labels: torch.fromValues(labels, [to - from], "int64", device),
  };
}

/** The batches of one pass over `digits` in `order`, `batchSize` at a time (the last may be smaller). */
export function* batches(digits: Digits, order: ArrayLike<number>, batchSize: number, device: torch.Device = "cpu"): Generator<Batch> {
  for (let from = 0; from < order.length; from += batchSize) yield batchOf(digits, order, from, Math.min(order.length, from + batchSize), device);
}
