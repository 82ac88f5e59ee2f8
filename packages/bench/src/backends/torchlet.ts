/**
 * torchlet's rows: the CPU backend (with either of its kernel families) and the WebGPU backend,
 * driven through the public tensor API exactly as a user would (and, for the training workload,
 * through `@torchlet/nn`).
 */
import * as torch from "@torchlet/tensor-core";
import type { BenchBackend, Task } from "../backend.ts";
import { adapterLabel, installNavigatorGpu } from "../dawn.ts";
import { convOperands, convOutputSize, matmulOperands, mlpStep, type ConvProblem, type MlpTraining } from "../workloads.ts";
import { torchletTrainer, trainingTask } from "./torchlet-training.ts";

const convParams: torch.Conv2dParams = { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 };

function hostValues(t: torch.Tensor): Float32Array {
  return t.toArray() as Float32Array;
}

/**
 * The switch between the CPU's kernel families (`torch.backends.cpu.kernel`: "ts" for the
 * TypeScript kernels, "wasm" for WebAssembly SIMD), in builds that have more than one.
 */
function cpuKernelSwitch(): { kernel: string } | undefined {
  return (torch as unknown as { backends?: { cpu?: { kernel: string } } }).backends?.cpu;
}

export interface TorchletCpuOptions {
  /** The row label; "torchlet-cpu" by default. */
  name?: string;
  /** The CPU kernel family to run (the value for `torch.backends.cpu.kernel`); "ts" by default. */
  kernel?: string;
  /** Threads the kernels may use (`torch.setNumThreads`); torchlet's default when absent. */
  threads?: number;
}

/** `torch.getNumThreads()`, in builds whose CPU kernels can use threads. */
function cpuThreads(): number | undefined {
  return (torch as unknown as { getNumThreads?: () => number }).getNumThreads?.();
}

function describeKernel(kernel: string): string {
  if (kernel === "ts") return "TypeScript kernels, one thread: packed, cache-blocked GEMM with a 4×4 register tile; conv via im2col";
  const threads = cpuThreads();
  const family = kernel === "wasm" ? "WebAssembly SIMD kernels" : `torch.backends.cpu.kernel = "${kernel}"`;
  return threads === undefined ? family : `${family}, up to ${threads} thread(s)`;
}

/** torchlet on the CPU: synchronous kernels over typed arrays. */
export function torchletCpu(options: TorchletCpuOptions = {}): BenchBackend {
  const kernel = options.kernel ?? "ts";
  let previous: string | undefined;
  let previousThreads: number | undefined;
  return {
    name: options.name ?? "torchlet-cpu",
    async setup() {
      if (options.threads !== undefined) {
        previousThreads = torch.getNumThreads();
        torch.setNumThreads(options.threads);
      }
      const cpuSwitch = cpuKernelSwitch();
      if (cpuSwitch) {
        previous = cpuSwitch.kernel;
        cpuSwitch.kernel = kernel;
      } else if (kernel !== "ts") {
        throw new Error(`this build of torchlet has one CPU kernel family (no torch.backends.cpu.kernel to set to "${kernel}")`);
      }
      return describeKernel(kernel);
    },
    async matmul(n: number): Promise<Task> {
      const { a, b } = matmulOperands(n);
      const lhs = torch.fromValues(a, [n, n], "float32");
      const rhs = torch.fromValues(b, [n, n], "float32");
      let product: torch.Tensor | null = null;
      return {
        async run() {
          product = torch.mm(lhs, rhs);
        },
        async results() {
          return product ? [hostValues(product)] : [];
        },
        dispose() {},
      };
    },
    async mlp(): Promise<Task> {
      const step = mlpTensors("cpu");
      let last: torch.Tensor[] = [];
      return {
        async run() {
          last = step.run();
        },
        async results() {
          return last.map(hostValues);
        },
        dispose() {},
      };
    },
    async mlpEpoch(training: MlpTraining): Promise<Task> {
      return trainingTask(torchletTrainer(training));
    },
    async conv2d(p: ConvProblem, gradients: boolean): Promise<Task> {
      const tensors = convTensors(p, "cpu");
      let last: torch.Tensor[] = [];
      return {
        async run() {
          last = convStep(tensors, gradients);
        },
        async results() {
          return last.map(hostValues);
        },
        dispose() {},
      };
    },
    async teardown() {
      const cpuSwitch = cpuKernelSwitch();
      if (cpuSwitch && previous !== undefined) cpuSwitch.kernel = previous;
      if (previousThreads !== undefined) torch.setNumThreads(previousThreads);
    },
  };
}

/** The tensors of a convolution benchmark on `device`. */
function convTensors(p: ConvProblem, device: torch.Device): { x: torch.Tensor; weight: torch.Tensor; gradOut: torch.Tensor } {
  const ops = convOperands(p);
  const out = convOutputSize(p);
  return {
    x: torch.fromValues(ops.x, [p.batch, p.inChannels, p.size, p.size], "float32", device),
    weight: torch.fromValues(ops.weight, [p.outChannels, p.inChannels, p.kernel, p.kernel], "float32", device),
    gradOut: torch.fromValues(ops.gradOut, [p.batch, p.outChannels, out, out], "float32", device),
  };
}

/** The MLP step's matrices on `device`, and its products, transposed operands as views. */
function mlpTensors(device: torch.Device): { run(): torch.Tensor[]; dispose(): void } {
  const step = mlpStep();
  const tensors = new Map(
    Object.entries(step.matrices).map(([name, m]) => [name, torch.fromValues(m.values, [m.rows, m.cols], "float32", device)]),
  );
  const operand = (name: string, transposed: boolean) => (transposed ? tensors.get(name)!.t() : tensors.get(name)!);
  return {
    run: () => step.products.map((p) => torch.mm(operand(p.lhs, p.transposeLhs), operand(p.rhs, p.transposeRhs))),
    dispose: () => tensors.forEach((t) => t.dispose()),
  };
}

/** The forward pass and, with `gradients`, both gradients of the convolution. */
function convStep(t: ReturnType<typeof convTensors>, gradients: boolean): torch.Tensor[] {
  const results = [torch.conv2d(t.x, t.weight)];
  if (gradients) {
    results.push(torch.conv2dBackwardInput(t.gradOut, t.weight, t.x.shape, convParams));
    results.push(torch.conv2dBackwardWeight(t.gradOut, t.x, t.weight.shape, convParams));
  }
  return results;
}

/** torchlet on WebGPU: ops record commands; `await t.cpu()` waits for the GPU and reads back. */
export function torchletWebgpu(): BenchBackend {
  return {
    name: "torchlet-webgpu",
    async setup() {
      const adapter = await installNavigatorGpu();
      if (!(await torch.webgpu.init())) {
        throw new Error(
          `torch.webgpu.init() returned false although Dawn offers an adapter (${adapterLabel(adapter)}): ` +
            "this build of torchlet has no working WebGPU backend",
        );
      }
      const info = torch.webgpu.adapterInfo();
      return info ? adapterLabel(info) : adapterLabel(adapter);
    },
    async matmul(n: number): Promise<Task> {
      const { a, b } = matmulOperands(n);
      const lhs = torch.fromValues(a, [n, n], "float32").to("webgpu");
      const rhs = torch.fromValues(b, [n, n], "float32").to("webgpu");
      let product: torch.Tensor | null = null;
      return {
        async run() {
          const onGpu = torch.mm(lhs, rhs);
          product = await onGpu.cpu(); // waits for the GPU: the read-back is part of the time, as for tfjs
          onGpu.dispose();
        },
        async results() {
          return product ? [hostValues(product)] : [];
        },
        dispose() {
          lhs.dispose();
          rhs.dispose();
        },
      };
    },
    async mlp(): Promise<Task> {
      const step = mlpTensors("webgpu");
      let last: torch.Tensor[] = [];
      return {
        async run() {
          const onGpu = step.run();
          last = await Promise.all(onGpu.map((t) => t.cpu()));
          for (const t of onGpu) t.dispose();
        },
        async results() {
          return last.map(hostValues);
        },
        dispose() {
          step.dispose();
        },
      };
    },
    async conv2d(p: ConvProblem, gradients: boolean): Promise<Task> {
      const tensors = convTensors(p, "webgpu");
      let last: torch.Tensor[] = [];
      return {
        async run() {
          const onGpu = convStep(tensors, gradients);
          last = await Promise.all(onGpu.map((t) => t.cpu()));
          for (const t of onGpu) t.dispose();
        },
        async results() {
          return last.map(hostValues);
        },
        dispose() {
          for (const t of Object.values(tensors)) t.dispose();
        },
      };
    },
    async teardown() {},
  };
}
