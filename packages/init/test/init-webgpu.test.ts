/**
 * Initialising tensors that live on WebGPU: after the same seed, each initialiser must give the
 * values it gives on the CPU (and so PyTorch's). Runs where `webgpu.init()` finds an adapter; fails
 * instead of skipping under TORCHLET_REQUIRE_WEBGPU=1.
 */
import { describe, expect, it } from "vitest";
import { assertClose, useSoftwareVulkanIfPresent, webgpuRequired } from "@torchlet/testing";
import { empty, manualSeed, webgpu, type Tensor } from "@torchlet/tensor-core";
import * as init from "../src/index.ts";

useSoftwareVulkanIfPresent();
const hasAdapter = await webgpu.init();

const initialisers: [string, (t: Tensor) => Tensor][] = [
  ["uniform_", (t) => init.uniform_(t, { a: -2, b: 3 })],
  ["normal_", (t) => init.normal_(t, { mean: 1, std: 0.5 })],
  ["constant_", (t) => init.constant_(t, 0.25)],
  ["eye_", (t) => init.eye_(t)],
  ["xavierUniform_", (t) => init.xavierUniform_(t)],
  ["xavierNormal_", (t) => init.xavierNormal_(t)],
  ["kaimingUniform_", (t) => init.kaimingUniform_(t, { a: Math.sqrt(5) })],
  ["kaimingNormal_", (t) => init.kaimingNormal_(t, { mode: "fan_out", nonlinearity: "relu" })],
  ["truncNormal_", (t) => init.truncNormal_(t, { std: 0.5 })],
  ["orthogonal_", (t) => init.orthogonal_(t, { gain: 2 })],
];

describe.runIf(hasAdapter || webgpuRequired())("initialisers on WebGPU", () => {
  it("has an adapter", () => {
    expect(hasAdapter, "webgpu.init() found no WebGPU adapter").toBe(true);
  });

  for (const [name, fill] of initialisers) {
    it(`${name} gives the CPU's values`, async () => {
      manualSeed(3);
      const expected = fill(empty(6, 5)).toArray();
      manualSeed(3);
      const onGpu = empty(6, 5).to("webgpu");
      expect(fill(onGpu)).toBe(onGpu);
      expect(onGpu.device).toBe("webgpu");
      assertClose((await onGpu.cpu()).toArray(), expected, { rtol: 1e-6, atol: 1e-7 }, name);
      onGpu.dispose();
    });
  }
});
