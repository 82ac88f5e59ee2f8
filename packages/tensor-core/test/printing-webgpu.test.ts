/**
 * Printing a WebGPU tensor end to end: `await t.format()` reads it back and adds
 * `device='webgpu:0'` where PyTorch puts `device='cuda:0'` (the expected strings come from PyTorch's
 * own suffix code, in printing-extra.json). Runs where `torch.webgpu.init()` finds an adapter, and
 * fails rather than skips where CI demands WebGPU (TORCHLET_REQUIRE_WEBGPU=1).
 */
import { describe, expect, it } from "vitest";
import { fixture, fixtureValues, useSoftwareVulkanIfPresent, webgpuRequired, type FixtureTensor } from "@torchlet/testing";
import * as torch from "../src/index.ts";

interface DeviceCase extends FixtureTensor {
  label: string;
  dtype: torch.DType;
  requires_grad: boolean;
  grad_fn: string | null;
  device?: string;
  str: string;
}

useSoftwareVulkanIfPresent();
const hasAdapter = await torch.webgpu.init();

describe.runIf(hasAdapter || webgpuRequired())("printing a WebGPU tensor", () => {
  const cases = fixture<DeviceCase>("printing-extra").filter((c) => c.device === "webgpu:0");

  it("has an adapter", () => {
    expect(hasAdapter, "torch.webgpu.init() found no WebGPU adapter").toBe(true);
  });

  for (const c of cases) {
    it(`prints ${c.label} with its device`, async () => {
      const t = torch.fromValues(fixtureValues(c), c.shape, c.dtype, "webgpu");
      if (c.grad_fn !== null) t.gradFn = { name: c.grad_fn, nextFunctions: [] };
      else if (c.requires_grad) t.requiresGrad_(true);
      expect(await t.format()).toBe(c.str);
      t.dispose();
    });
  }

  it("asks for `await t.format()` when printed synchronously", () => {
    const t = torch.fromValues([1, 2], [2], "float32", "webgpu");
    expect(() => String(t)).toThrow(/await t\.format\(\)/);
    t.dispose();
  });
});
