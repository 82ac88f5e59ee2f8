/**
 * Training the tutorial's network on MNIST: the model, one epoch of SGD, and the evaluation on
 * the test images. This is the loop every PyTorch tutorial writes (zero the gradients, forward,
 * loss, backward, step), in `@torchlet/nn`.
 */
import { F, nn, type optim, torch } from "@torchlet/nn";
import { batches, shuffledOrder, type Digits } from "./data.ts";

/**
 * The network the tutorial builds from its own layers, here from nn's: the image flattened to 784
 * values, two hidden layers of 100 with ReLU, and 10 outputs, one score per digit.
 */
export function mnistNetwork(): nn.Sequential {
  return new nn.Sequential(
    new nn.Flatten(),
    new nn.Linear(28 * 28, 100),
    new nn.ReLU(),
    new nn.Linear(100, 100),
    new nn.ReLU(),
    new nn.Linear(100, 10),
  );
}

/** A one-element tensor's value, waiting for the GPU where it lives there. */
async function valueOf(t: torch.Tensor): Promise<number> {
  return Number((t.device === "cpu" ? t : await t.cpu()).item());
}

export interface EpochOptions {
  readonly batchSize: number;
  readonly device?: torch.Device;
  /** Called after every step with the step's number (from 0) and its loss. */
  readonly onStep?: (step: number, loss: number) => void;
}

/** One pass over `digits` in a fresh random order; returns every step's loss. */
export async function trainEpoch(model: nn.Module, optimizer: optim.Optimizer<object>, digits: Digits, options: EpochOptions): Promise<number[]> {
  model.train();
  const lossFn = new nn.CrossEntropyLoss();
  const losses: number[] = [];
  for (const { images, labels } of batches(digits, shuffledOrder(digits.count), options.batchSize, options.device)) {
    optimizer.zeroGrad();
    const loss = lossFn.call(model.call(images), labels);
    loss.backward();
    optimizer.step();
    losses.push(await valueOf(loss));
    options.onStep?.(losses.length - 1, losses[losses.length - 1]);
  }
  return losses;
}

/** The mean cross-entropy and the share of correct answers over `digits`. */
export interface Evaluation {
  readonly loss: number;
  readonly accuracy: number;
}

/** Evaluates `model` on every image of `digits`, without recording gradients. */
export async function evaluate(model: nn.Module, digits: Digits, batchSize: number, device: torch.Device = "cpu"): Promise<Evaluation> {
  model.eval();
  let lossSum = 0;
  let correct = 0;
  const order = Int32Array.from({ length: digits.count }, (_, i) => i);
  for (const { images, labels } of batches(digits, order, batchSize, device)) {
    const [loss, hits] = torch.noGrad(() => {
      const logits = model.call(images);
      return [F.crossEntropy(logits, labels, { reduction: "sum" }), logits.argmax(1).eq(labels).sum()];
    });
    lossSum += await valueOf(loss);
    correct += await valueOf(hits);
  }
  return { loss: lossSum / digits.count, accuracy: correct / digits.count };
}
