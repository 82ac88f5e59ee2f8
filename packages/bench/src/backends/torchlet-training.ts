/**
 * The MLP training workload in torchlet, written as the seed document's reader would write it
 * with `@torchlet/nn`: an `nn.Sequential` of Linear and ReLU layers, `nn.CrossEntropyLoss`,
 * `optim.SGD`, and the usual zeroGrad / forward / backward / step loop, reading each step's loss.
 */
import { nn, optim, torch } from "@torchlet/nn";
import type { Task } from "../backend.ts";
import type { MlpTraining } from "../workloads.ts";

/** A model and optimizer set up from the workload's weights; `run` trains one run's steps. */
export interface Trainer {
  /** Trains `training.steps` steps; returns the loss of each. */
  run(): Float32Array;
}

/** A bench task that runs a trainer and offers its losses for the check; `dispose` frees what the trainer holds. */
export function trainingTask(trainer: Trainer, dispose: () => void = () => {}): Task {
  let losses: Float32Array = new Float32Array(0);
  return {
    async run() {
      losses = trainer.run();
    },
    async results() {
      return [losses];
    },
    dispose,
  };
}

/** The seed's MLP in `@torchlet/nn`, with the workload's weights, loss and optimizer. */
export function torchletTrainer(t: MlpTraining): Trainer {
  const linears = t.widths.slice(1).map((out, i) => new nn.Linear(t.widths[i], out));
  const model = new nn.Sequential(...linears.flatMap((linear, i) => (i < linears.length - 1 ? [linear, new nn.ReLU()] : [linear])));
  torch.noGrad(() =>
    linears.forEach((linear, i) => {
      linear.weight.copy_(torch.fromValues(t.layers[i].weight, linear.weight.shape, "float32"));
      linear.bias!.copy_(torch.fromValues(t.layers[i].bias, linear.bias!.shape, "float32"));
    }),
  );
  const lossFn = new nn.CrossEntropyLoss();
  const optimizer = new optim.SGD(model.parameters(), { lr: t.learningRate });
  const images = t.images.map((x) => torch.fromValues(x, [t.batch, t.widths[0]], "float32"));
  const labels = t.labels.map((y) => torch.fromValues(y, [t.batch], "int64"));
  return {
    run() {
      const losses = new Float32Array(t.steps);
      for (let s = 0; s < t.steps; s++) {
        optimizer.zeroGrad();
        const loss = lossFn.call(model.call(images[s]), labels[s]);
        loss.backward();
        optimizer.step();
        losses[s] = loss.item() as number;
      }
      return losses;
    },
  };
}
