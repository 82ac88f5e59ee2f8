/**
 * A module on the real WebGPU device: `to("webgpu")`, a forward pass there compared with the same
 * pass on the CPU, `loadStateDict` into GPU parameters, and `await cpu()` giving the GPU memory
 * back. Runs where `webgpu.init()` finds an adapter; fails instead of skipping under
 * TORCHLET_REQUIRE_WEBGPU=1.
 */
import { describe, expect, it } from "vitest";
import { assertClose, useSoftwareVulkanIfPresent, webgpuRequired } from "@torchlet/testing";
import { arange, webgpu, type Tensor } from "@torchlet/tensor-core";
import { Parameter } from "../src/index.ts";
import { Linear, Norm, Sequential } from "./stand-ins.ts";

useSoftwareVulkanIfPresent();
const hasAdapter = await webgpu.init();

function model(): Sequential {
  const lin = new Linear(4, 3);
  lin.weight.data.copy_(arange(12, { dtype: "float32" }).div(10).view(3, 4));
  lin.bias?.data.fill_(-0.5);
  const norm = new Norm(3);
  norm.running_mean.fill_(0.25);
  return new Sequential(lin, norm);
}
const flat = async (t: Tensor) => (await t.cpu()).toArray();

describe.runIf(hasAdapter || webgpuRequired())("a module on WebGPU", () => {
  it("has an adapter", () => {
    expect(hasAdapter, "webgpu.init() found no WebGPU adapter").toBe(true);
  });

  it("moves there and back with the same Parameter objects and values", async () => {
    const baseline = webgpu.memoryAllocated();
    const net = model();
    const params = [...net.parameters()];
    const before = await Promise.all([...net.stateDict().values()].map(flat));
    net.to("webgpu");
    expect(params.every((p) => p.device === "webgpu" && p instanceof Parameter)).toBe(true);
    expect([...net.buffers()].every((b) => b.device === "webgpu")).toBe(true);
    const views = [...net.stateDict().values()]; // detached views of the GPU storage
    const onGpu = await Promise.all(views.map(flat));
    onGpu.forEach((values, i) => assertClose(values, before[i]));
    for (const view of views) view.dispose();
    await net.cpu();
    expect([...net.parameters()]).toEqual(params);
    expect(params.every((p) => p.device === "cpu")).toBe(true);
    expect(webgpu.memoryAllocated()).toBe(baseline);
  });

  it("computes the same forward pass as on the CPU", async () => {
    const x = arange(8, { dtype: "float32" }).view(2, 4).sub(3);
    const lin = model()._modules.get("0") as Linear;
    const expected = lin.call(x).toArray();
    lin.to("webgpu");
    assertClose(await flat(lin.call(x.to("webgpu"))), expected);
  });

  it("loads a CPU state dict into GPU parameters", async () => {
    const source = model();
    (source._modules.get("0") as Linear).weight.data.fill_(2);
    const net = new Sequential(new Linear(4, 3), new Norm(3)).to("webgpu");
    net.loadStateDict(source.stateDict());
    const loaded = await Promise.all([...net.stateDict().values()].map(flat));
    const expected = [...source.stateDict().values()].map((t) => t.toArray());
    loaded.forEach((values, i) => assertClose(values, expected[i]));
  });
});
