/**
 * TensorFlow.js rows: tfjs-backend-cpu (plain JavaScript), tfjs-backend-wasm (XNNPACK compiled to
 * WebAssembly) and tfjs-backend-webgpu (WGSL shaders, here on the same Dawn adapter as torchlet).
 *
 * tfjs keeps one global engine with one active backend, so each row switches to its backend in
 * `setup`. Its layouts differ from torchlet's (NHWC images, [kH, kW, C, O] filters): operands are
 * converted before timing and results converted back before the check.
 */
import type * as Tf from "@tensorflow/tfjs-core";
import type { BenchBackend, Task } from "../backend.ts";
import { adapterLabel, installNavigatorGpu } from "../dawn.ts";
import { convOperands, convOutputSize, matmulOperands, mlpStep, permuted, type ConvProblem, type MlpTraining } from "../workloads.ts";
import { tfjsTrainer } from "./tfjs-training.ts";
import { trainingTask } from "./torchlet-training.ts";

export type TfjsKind = "cpu" | "wasm" | "webgpu";

let core: typeof Tf | null = null;

/** tfjs-core, loaded once, in production mode (no per-op checks, no "install tfjs-node" notice). */
async function loadCore(): Promise<typeof Tf> {
  if (!core) {
    core = await import("@tensorflow/tfjs-core");
    core.env().set("PROD", true);
  }
  return core;
}

/**
 * tfjs-core alone has no gradients: the full `@tensorflow/tfjs` package registers them (into the
 * same global registry, as it shares this tfjs-core). Loaded only for the training rows.
 */
async function registerGradients(): Promise<void> {
  await import("@tensorflow/tfjs");
}

async function describe(tf: typeof Tf, kind: TfjsKind): Promise<string> {
  switch (kind) {
    case "cpu":
      return "plain JavaScript kernels, one thread";
    case "wasm": {
      const wasm = await import("@tensorflow/tfjs-backend-wasm");
      const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
      return `XNNPACK in WebAssembly, ${simd ? "SIMD" : "no SIMD"}, ${wasm.getThreadsCount()} thread(s)`;
    }
    case "webgpu":
      return adapterLabel(await installNavigatorGpu());
  }
}

export function tfjs(kind: TfjsKind): BenchBackend {
  let tf: typeof Tf;
  const backend: BenchBackend = {
    name: `tfjs-${kind}`,
    async setup() {
      if (kind === "webgpu") await installNavigatorGpu(); // before the backend looks for navigator.gpu
      tf = await loadCore();
      if (kind === "cpu") await import("@tensorflow/tfjs-backend-cpu");
      if (kind === "wasm") await import("@tensorflow/tfjs-backend-wasm");
      if (kind === "webgpu") await import("@tensorflow/tfjs-backend-webgpu");
      if (!(await tf.setBackend(kind))) throw new Error(`tf.setBackend("${kind}") failed`);
      await tf.ready();
      return describe(tf, kind);
    },
    async matmul(n: number): Promise<Task> {
      const { a, b } = matmulOperands(n);
      const lhs = tf.tensor2d(a, [n, n]);
      const rhs = tf.tensor2d(b, [n, n]);
      let product: Float32Array | null = null;
      return {
        async run() {
          const c = tf.matMul(lhs, rhs);
          product = (await c.data()) as Float32Array;
          c.dispose();
        },
        async results() {
          return product ? [product] : [];
        },
        dispose() {
          lhs.dispose();
          rhs.dispose();
        },
      };
    },
    async mlp(): Promise<Task> {
      const step = mlpStep();
      const tensors = new Map(Object.entries(step.matrices).map(([name, m]) => [name, tf.tensor2d(m.values, [m.rows, m.cols])]));
      let last: Float32Array[] = [];
      return {
        async run() {
          const outputs = step.products.map((p) => tf.matMul(tensors.get(p.lhs)!, tensors.get(p.rhs)!, p.transposeLhs, p.transposeRhs));
          last = (await Promise.all(outputs.map((t) => t.data()))) as Float32Array[];
          tf.dispose(outputs);
        },
        async results() {
          return last;
        },
        dispose() {
          tf.dispose([...tensors.values()]);
        },
      };
    },
    async conv2d(p: ConvProblem, gradients: boolean): Promise<Task> {
      const ops = convOperands(p);
      const out = convOutputSize(p);
      const x = tf.tensor4d(permuted(ops.x, [p.batch, p.inChannels, p.size, p.size], [0, 2, 3, 1]), [p.batch, p.size, p.size, p.inChannels]);
      const filter = tf.tensor4d(
        permuted(ops.weight, [p.outChannels, p.inChannels, p.kernel, p.kernel], [2, 3, 1, 0]),
        [p.kernel, p.kernel, p.inChannels, p.outChannels],
      );
      const dy = tf.tensor4d(permuted(ops.gradOut, [p.batch, p.outChannels, out, out], [0, 2, 3, 1]), [p.batch, out, out, p.outChannels]);
      const attrs = { strides: [1, 1] as [number, number], pad: "valid" as const, dataFormat: "NHWC" as const };
      let last: Float32Array[] = [];
      return {
        async run() {
          // the forward op, and the two kernels that tfjs's own gradient of conv2d runs
          const outputs = [tf.conv2d(x, filter, 1, "valid")];
          if (gradients) {
            outputs.push(tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, { ...attrs, inputShape: x.shape }) as Tf.Tensor4D);
            outputs.push(tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { ...attrs, filterShape: filter.shape }) as Tf.Tensor4D);
          }
          last = (await Promise.all(outputs.map((t) => t.data()))) as Float32Array[];
          tf.dispose(outputs);
        },
        async results() {
          const [y, dx, dw] = last;
          return [
            y && permuted(y, [p.batch, out, out, p.outChannels], [0, 3, 1, 2]),
            dx && permuted(dx, [p.batch, p.size, p.size, p.inChannels], [0, 3, 1, 2]),
            dw && permuted(dw, [p.kernel, p.kernel, p.inChannels, p.outChannels], [3, 2, 0, 1]),
          ].filter((r): r is Float32Array => r !== undefined);
        },
        dispose() {
          tf.dispose([x, filter, dy]);
        },
      };
    },
    async teardown() {},
  };
  // training on the GPU rows would time SwiftShader's emulation more than the library: CPU rows only
  if (kind !== "webgpu") {
    backend.mlpEpoch = async (training: MlpTraining): Promise<Task> => {
      await registerGradients();
      const trainer = tfjsTrainer(tf, training);
      return trainingTask(trainer, () => trainer.dispose());
    };
  }
  return backend;
}
