/**
 * GPU memory over a training loop: a thousand forward/backward steps with an in-place optimizer
 * step, each inside tidy, must end with exactly the memory the first steps left (the parameters
 * and their .grad). Alone in its file, so no other test's garbage is collected in the middle.
 */
import { tidy, webgpu } from "@torchlet/tensor-core";
import { describe, expect, it } from "vitest";
import "../src/index.ts";
import { valuesOf, webgpuForTests } from "./helpers.ts";
import { batch, loss, parameters } from "./small-network.ts";

const available = await webgpuForTests();

describe.skipIf(!available)("GPU memory", () => {
  it("keeps GPU memory flat over 1000 forward/backward steps inside tidy", async () => {
    const p = parameters("webgpu");
    const x = batch("webgpu");
    const step = () =>
      tidy(() => {
        for (const t of Object.values(p)) t.grad?.zero_();
        loss(p, x).backward();
        // an optimizer step, in place and unrecorded, as torch.optim runs it
        for (const t of Object.values(p)) t.data.sub_(t.grad!.mul(1e-3));
      });
    for (let i = 0; i < 5; i++) step(); // the first steps create .grad and fill the buffer pool
    await webgpu.synchronize();
    const allocated = webgpu.memoryAllocated();
    const reserved = webgpu.memoryReserved();
    for (let i = 0; i < 1000; i++) {
      step();
      if (i % 100 === 99) await webgpu.synchronize();
    }
    await webgpu.synchronize();
    expect(webgpu.memoryAllocated()).toBe(allocated);
    expect(webgpu.memoryReserved()).toBe(reserved);
    expect(allocated).toBeGreaterThan(0);
    // the steps did train: the parameters moved
    expect(await valuesOf(p.offset)).not.toEqual(await valuesOf(parameters("cpu").offset));
  }, 120_000);
});
