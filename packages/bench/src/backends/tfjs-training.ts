/**
 * The MLP training workload in TensorFlow.js, with tfjs-core's own training tools: the dense
 * layers as variables (kernels [in, out], as tf.layers.dense keeps them), `tf.losses.softmaxCrossEntropy`
 * against one-hot labels, and `tf.train.sgd(lr).minimize`, which takes the gradients of the loss
 * with respect to the variables and applies them. Each step's loss is read back, as torchlet's is.
 */
import type * as Tf from "@tensorflow/tfjs-core";
import { permuted, type MlpTraining } from "../workloads.ts";
import type { Trainer } from "./torchlet-training.ts";

/** The same MLP in tfjs-core (on whichever backend is active), with the workload's weights. */
export function tfjsTrainer(tf: typeof Tf, t: MlpTraining): Trainer & { dispose(): void } {
  const kernels = t.layers.map((layer, i) => {
    const [inputs, outputs] = [t.widths[i], t.widths[i + 1]];
    return tf.variable(tf.tensor2d(permuted(layer.weight, [outputs, inputs], [1, 0]), [inputs, outputs]));
  });
  const biases = t.layers.map((layer) => tf.variable(tf.tensor1d(layer.bias)));
  const optimizer = tf.train.sgd(t.learningRate);
  const classes = t.widths[t.widths.length - 1];
  const images = t.images.map((x) => tf.tensor2d(x, [t.batch, t.widths[0]]));
  const targets = t.labels.map((y) => tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(y, "int32"), classes), "float32")));

  const logits = (x: Tf.Tensor2D): Tf.Tensor2D => {
    let h = x;
    kernels.forEach((kernel, i) => {
      h = tf.add(tf.matMul(h, kernel), biases[i]);
      if (i < kernels.length - 1) h = tf.relu(h);
    });
    return h;
  };

  return {
    run() {
      const losses = new Float32Array(t.steps);
      for (let s = 0; s < t.steps; s++) {
        const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(targets[s], logits(images[s])), true)!;
        losses[s] = loss.dataSync()[0];
        loss.dispose();
      }
      return losses;
    },
    dispose() {
      tf.dispose([...kernels, ...biases, ...images, ...targets]);
      optimizer.dispose();
    },
  };
}
