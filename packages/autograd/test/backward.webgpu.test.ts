/**
 * Backward on the webgpu device: it stays on the GPU (no value is read back to the CPU on the
 * way), gives the CPU's gradients, and crosses back to a CPU tensor only through backwardAsync.
 */
import { backendFor, tensor, tidy, webgpu, zeros } from "@torchlet/tensor-core";
import { assertClose, fixture } from "@torchlet/testing";
import { describe, expect, it, vi } from "vitest";
import { autograd, setGradEnabled } from "../src/index.ts";
import { valuesOf, webgpuForTests } from "./helpers.ts";
import { batch, loss, parameters } from "./small-network.ts";

const available = await webgpuForTests();

describe.skipIf(!available)("backward on webgpu", () => {
  it("runs every rule on the GPU: nothing is read back until the caller asks", async () => {
    const p = parameters("webgpu");
    const x = batch("webgpu");
    const download = vi.spyOn(backendFor("webgpu"), "download");
    try {
      loss(p, x).backward();
      expect(download).not.toHaveBeenCalled();
    } finally {
      download.mockRestore();
    }
    for (const t of Object.values(p)) expect(t.grad!.device).toBe("webgpu");
    await webgpu.synchronize();
  });

  it("gives the gradients the CPU gives", async () => {
    const gpu = parameters("webgpu");
    const cpu = parameters("cpu");
    loss(gpu, batch("webgpu")).backward();
    loss(cpu, batch("cpu")).backward();
    for (const name of Object.keys(cpu)) {
      assertClose(await valuesOf(gpu[name].grad!), await valuesOf(cpu[name].grad!), { rtol: 1e-4, atol: 1e-5 }, `gradient of ${name}`);
    }
  });

  it("names a copy to the GPU ToCopyBackward0 and sends its gradient back to the CPU through backwardAsync", async () => {
    const expected = fixture<{ case: string; grad_fn: string }>("grad-fns").find((c) => c.case === "to another dtype or device")!;
    const x = tensor([1, 2, 3], { dtype: "float32", requiresGrad: true });
    const y = x.to("webgpu");
    expect(y.gradFn?.name).toBe(expected.grad_fn);
    const lossValue = y.mul(y).sum();
    expect(() => lossValue.backward()).toThrow(
      "ToCopyBackward0 sends a gradient from webgpu back to a cpu tensor, and reading webgpu memory back needs an await: use `await autograd.backwardAsync(...)`",
    );
    expect(x.grad).toBeNull(); // refused before any work
    await autograd.backwardAsync(lossValue);
    expect(x.grad!.device).toBe("cpu");
    expect(x.grad!.tolist()).toEqual([2, 4, 6]);
  });

  it("records await t.cpu() as PyTorch records .cpu() (ToCopyBackward0): gradients flow back to the GPU", async () => {
    const x = tensor([1, 2, 3], { dtype: "float32" }).to("webgpu").requiresGrad_();
    const y = await x.cpu();
    expect([y.device, y.gradFn?.name]).toEqual(["cpu", "ToCopyBackward0"]);
    y.mul(y).sum().backward(); // the gradient goes up to the GPU: no read-back, so no await
    expect(x.grad!.device).toBe("webgpu");
    expect(await valuesOf(x.grad!)).toEqual([2, 4, 6]);
  });

  it("decides whether to record t.cpu() at the call, not when the values arrive", async () => {
    const x = tensor([1, 2], { dtype: "float32" }).to("webgpu").requiresGrad_();
    setGradEnabled(false);
    const pending = x.cpu(); // resolves after grad mode is back on
    setGradEnabled(true);
    expect((await pending).requiresGrad).toBe(false);
    const detached = await x.detach().cpu();
    expect(detached.gradFn).toBeNull();
    expect((await x.long().cpu()).gradFn).toBeNull(); // an int64 copy carries no gradient
  });

  it("reads back only the gradients asked for", async () => {
    // a 0-d CPU tensor meeting a GPU tensor is copied to the GPU by the op (ToCopyBackward0)
    const w = tensor([1, 2], { dtype: "float32" }).to("webgpu").requiresGrad_();
    const c = tensor(3, { dtype: "float32", requiresGrad: true });
    const [gw] = autograd.grad(w.mul(c).sum(), [w]); // c's gradient is not needed: nothing to read back
    expect(await valuesOf(gw!)).toEqual([3, 3]);
    expect(() => autograd.grad(w.mul(c).sum(), [c])).toThrow("use `await autograd.gradAsync(...)`");
    const [gc] = await autograd.gradAsync(w.mul(c).sum(), [c]);
    expect(gc!.device).toBe("cpu");
    expect(gc!.item()).toBe(3);
  });

  it("refuses the synchronous gradcheck for GPU tensors, and points to gradcheckAsync", () => {
    const x = zeros(2).to("webgpu").requiresGrad_();
    expect(() => autograd.gradcheck((t) => t.exp(), [x])).toThrow("use `await autograd.gradcheckAsync(fn, inputs)`");
  });

  it("leaves, after tidy around forward and backward, only the loss and the new gradients", async () => {
    const p = parameters("webgpu");
    const x = batch("webgpu");
    await webgpu.synchronize();
    const before = webgpu.memoryAllocated();
    const out = tidy(() => {
      const l = loss(p, x);
      l.backward();
      return l;
    });
    expect(webgpu.memoryAllocated()).toBeGreaterThan(before);
    out.dispose();
    for (const t of Object.values(p)) t.grad!.dispose();
    expect(webgpu.memoryAllocated()).toBe(before);
  });
});

