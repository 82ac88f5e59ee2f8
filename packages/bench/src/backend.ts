/**
 * A benchmarked backend is a small object: `setup`, one method per workload, `teardown`. The
 * runner times what the workload methods return and checks their results, so adding a backend
 * (a WebAssembly kernel, another library) means adding one such object to the list in `main.ts`.
 */
import type { ConvProblem, MlpTraining } from "./workloads.ts";

/** One prepared piece of work: operands are in place, `run` does the timed part. */
export interface Task {
  /** Runs the work once; resolves when its results are ready to read on the host. */
  run(): Promise<void>;
  /**
   * The results of the last run, as host arrays in torchlet's layout (row-major, NCHW), for the
   * check against torchlet's CPU results.
   */
  results(): Promise<Float32Array[]>;
  /** Frees what the task holds (GPU buffers, tfjs tensors). */
  dispose(): void;
}

export interface BenchBackend {
  /** The row label, e.g. "torchlet-cpu" or "tfjs-wasm". */
  readonly name: string;
  /**
   * Gets the backend ready and resolves to a one-line description (adapter, threads, SIMD).
   * Throws, with a message a reader can act on, where the backend cannot run on this machine.
   */
  setup(): Promise<string>;
  /** The product of the n×n operands of `matmulOperands(n)`; its one result is [n, n]. */
  matmul(n: number): Promise<Task>;
  /**
   * The convolution of `convOperands(problem)`: its one result is the output, or with `gradients`
   * a training step's three: output, grad x, grad weight.
   */
  conv2d?(problem: ConvProblem, gradients: boolean): Promise<Task>;
  /** The matrix products of one MLP training step (`mlpStep()`), one result per product. */
  mlp?(): Promise<Task>;
  /**
   * Training the MLP of `training` as a user of the library writes it (model, loss, optimizer):
   * each run trains `training.steps` steps from where the last run left the weights; its one
   * result is the loss of every step of the run (a first run starts from the shared weights).
   */
  mlpEpoch?(training: MlpTraining): Promise<Task>;
  teardown(): Promise<void>;
}
