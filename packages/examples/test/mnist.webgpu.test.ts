/**
 * The MNIST program with `--device webgpu`: the model, the batches and the optimizer's work live
 * on the GPU, and the run gives PyTorch's CPU results (mnist-training.json) within float32
 * rounding of a different order of operations.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { torch } from "@torchlet/nn";
import { useSoftwareVulkanIfPresent, webgpuRequired } from "@torchlet/testing";
import { runMnist } from "../src/mnist/main.ts";
import { expectEpochs, syntheticDigits, trainingCases } from "./mnist-fixture.ts";

vi.setConfig({ testTimeout: 120_000 });
useSoftwareVulkanIfPresent();
const available = await torch.webgpu.init();
afterAll(() => torch.webgpu.destroy());

describe.runIf(available || webgpuRequired())("the MNIST program on webgpu", () => {
  it("has an adapter", () => expect(available, "webgpu.init() found no WebGPU adapter").toBe(true));

  const c = trainingCases[1]; // with momentum: the optimizer's state lives on the GPU too
  it(`trains as PyTorch does on the CPU (seed ${c.seed}, momentum ${c.momentum})`, async () => {
    const options = { epochs: c.epochs, batchSize: c.batch_size, lr: c.lr, momentum: c.momentum, seed: c.seed, device: "webgpu" as const, dataDir: "" };
    const { model, history } = await runMnist(options, syntheticDigits(c.train, 0), syntheticDigits(c.test, 3), () => {});
    for (const p of model.parameters()) expect(p.device).toBe("webgpu");
    expectEpochs(history, c, 3);
  });
});
