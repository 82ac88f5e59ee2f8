/**
 * Cells that put tensors on the GPU: a value or a printed tensor on WebGPU is read back and shown
 * as the tensor's own `format()` gives it, with the values the CPU shows. Runs where an adapter
 * exists (SwiftShader here); fails instead of skipping under TORCHLET_REQUIRE_WEBGPU=1.
 */
import { afterAll, describe, expect, it } from "vitest";
import { useSoftwareVulkanIfPresent, webgpuRequired } from "@torchlet/testing";
import { torch } from "@torchlet/nn";
import { Notebook } from "../src/index.ts";
import { shownAs } from "../src/node/index.ts";

useSoftwareVulkanIfPresent();
const available = await torch.webgpu.init();
afterAll(() => torch.webgpu.destroy());

describe.runIf(available || webgpuRequired())("cells on WebGPU", () => {
  it("has an adapter", () => expect(available, "webgpu.init() found no WebGPU adapter").toBe(true));

  it("shows a GPU tensor as a value and when printed, with the CPU's numbers", async () => {
    const nb = new Notebook();
    await nb.run(`import { torch } from "@torchlet/nn";\nawait torch.webgpu.init();`);
    await nb.run(`torch.manualSeed(0);\nconst x = torch.randn(2, 3);\nconst g = x.to("webgpu").relu();`);
    const expected = await (nb.get("g") as torch.Tensor).format();
    const cpuText = String((nb.get("x") as torch.Tensor).relu());
    expect(expected.startsWith(cpuText.slice(0, -1))).toBe(true); // same numbers, then the device
    expect(expected).toContain("device='webgpu");

    expect(shownAs(await nb.run("g")).value).toBe(expected);
    expect(shownAs(await nb.run("console.log('relu:', g)")).stdout).toBe(`relu: ${expected}\n`);
    expect(shownAs(await nb.run("[g.shape, g]")).value).toBe(`[torch.Size([2, 3]), ${expected}]`);
  });
});
