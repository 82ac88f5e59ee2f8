/**
 * GPU memory over a long training run: after the first steps (which make the gradients and the
 * optimizer's state), every step gives back all it allocated, so `memoryAllocated()` stays where
 * it was. In a file of its own, so that no other test's GPU garbage (freed whenever the garbage
 * collector gets to it) moves the count while it runs.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { useSoftwareVulkanIfPresent, webgpuRequired } from "@torchlet/testing";
import { nn, optim, torch } from "../src/index.ts";

vi.setConfig({ testTimeout: 120_000 });
useSoftwareVulkanIfPresent();
const available = await torch.webgpu.init();
afterAll(() => torch.webgpu.destroy());

describe.runIf(available || webgpuRequired())("GPU memory while training", () => {
  it("has an adapter", () => expect(available, "webgpu.init() found no WebGPU adapter").toBe(true));

  it("GPU memory stays flat over 300 training steps (Adam, BatchNorm, Dropout)", async () => {
    torch.manualSeed(6);
    const model = new nn.Sequential(
      new nn.Linear(6, 16),
      new nn.ReLU(),
      new nn.Dropout(0.1),
      new nn.Linear(16, 4),
    );
    const bn = new nn.BatchNorm2d(2);
    model.to("webgpu");
    bn.to("webgpu");
    const optimizer = new optim.Adam([...model.parameters(), ...bn.parameters()], { lr: 0.01 });
    const x = torch.randn(8, 6).to("webgpu");
    const images = torch.randn(4, 2, 3, 3).to("webgpu");
    const y = torch.randint(0, 4, [8]).to("webgpu");
    const lossFn = new nn.CrossEntropyLoss();
    const step = () =>
      torch.tidy(() => {
        optimizer.zeroGrad();
        const loss = lossFn.call(model.call(x) as torch.Tensor, y).add(bn.call(images).square().mean());
        loss.backward();
        optimizer.step();
        return loss;
      });
    let first = 0;
    let last = 0;
    let baseline = 0;
    for (let i = 0; i < 300; i++) {
      const loss = step();
      if (i === 0) first = (await loss.cpu()).item() as number;
      if (i === 299) last = (await loss.cpu()).item() as number;
      loss.dispose();
      if (i === 2) baseline = torch.webgpu.memoryAllocated();
    }
    await torch.webgpu.synchronize();
    expect(baseline).toBeGreaterThan(0);
    expect(torch.webgpu.memoryAllocated()).toBe(baseline);
    expect(last).toBeLessThan(first); // it did train
  });
});
