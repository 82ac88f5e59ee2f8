/**
 * What the MNIST tests hold the program against: PyTorch's runs in mnist-training.json, and the
 * small splits in MNIST's format they trained on, made by the formula of mnist-training.py: image
 * i of a split with `offset` has label (i + offset) % 10, pixels 255 in the three columns from
 * 2·label on, and ((i + offset)·7 + p·13) % 97 elsewhere, for pixel p.
 */
import { gzipSync } from "node:zlib";
import { expect } from "vitest";
import { fixture, type FixtureTensor } from "@torchlet/testing";
import type { Digits } from "../src/mnist/data.ts";
import { encodeIdx } from "../src/mnist/idx.ts";

/** One PyTorch run of the program (see mnist-training.py). */
export interface TrainingCase {
  seed: number;
  train: number;
  test: number;
  batch_size: number;
  epochs: number;
  lr: number;
  momentum: number;
  losses: number[];
  evaluations: { loss: number; accuracy: number }[];
  last_bias: FixtureTensor;
}

export const trainingCases = fixture<TrainingCase>("mnist-training");

/** The program's per-epoch report against the run: mean training loss, test loss and accuracy. */
export function expectEpochs(history: readonly { trainLoss: number; loss: number; accuracy: number }[], c: TrainingCase, digits = 4): void {
  expect(history).toHaveLength(c.epochs);
  const perEpoch = c.losses.length / c.epochs;
  history.forEach((h, epoch) => {
    const losses = c.losses.slice(epoch * perEpoch, (epoch + 1) * perEpoch);
    expect(h.trainLoss, `epoch ${epoch + 1}'s training loss`).toBeCloseTo(losses.reduce((s, l) => s + l, 0) / perEpoch, digits);
    expect(h.loss, `epoch ${epoch + 1}'s test loss`).toBeCloseTo(c.evaluations[epoch].loss, digits);
    expect(h.accuracy, `epoch ${epoch + 1}'s test accuracy`).toBe(c.evaluations[epoch].accuracy);
  });
}

export function syntheticDigits(count: number, offset: number): Digits {
  const labels = Uint8Array.from({ length: count }, (_, i) => (i + offset) % 10);
  const pixels = new Uint8Array(count * 784);
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < 784; p++) {
      const column = p % 28;
      const stripe = 2 * labels[i] <= column && column < 2 * labels[i] + 3;
      pixels[i * 784 + p] = stripe ? 255 : ((i + offset) * 7 + p * 13) % 97;
    }
  }
  return { count, height: 28, width: 28, pixels, labels };
}

/** The split's two files as MNIST publishes them: gzip-compressed IDX. */
export function idxFiles(digits: Digits): { images: Uint8Array; labels: Uint8Array } {
  return {
    images: new Uint8Array(gzipSync(encodeIdx([digits.count, digits.height, digits.width], digits.pixels))),
    labels: new Uint8Array(gzipSync(encodeIdx([digits.count], digits.labels))),
  };
}
