/**
 * What the WebGPU tests share: acquiring the device (skip without an adapter, fail instead when
 * TORCHLET_REQUIRE_WEBGPU=1), and comparing a computation on the GPU with the same computation on
 * the CPU, the reference backend.
 */
import { assertClose, useSoftwareVulkanIfPresent, webgpuRequired } from "@torchlet/testing";
import { afterAll, expect, it, vi } from "vitest";
import * as torch from "../src/index.ts";
import type { Tensor } from "../src/index.ts";

/**
 * Initialises the webgpu device for one test file; resolves to whether it exists. Adds the test
 * that fails when CI demands WebGPU and there is none, and destroys the device after the file's
 * tests so that the worker exits promptly.
 */
export async function setUpWebgpu(): Promise<boolean> {
  // A CPU adapter (SwiftShader) compiles a tiled shader in a second or more, and test files share two cores.
  vi.setConfig({ testTimeout: 60_000 });
  useSoftwareVulkanIfPresent();
  const available = await torch.webgpu.init();
  it("finds a WebGPU adapter where TORCHLET_REQUIRE_WEBGPU=1 demands one", () => {
    if (webgpuRequired()) expect(available, "TORCHLET_REQUIRE_WEBGPU=1 but no WebGPU adapter was found").toBe(true);
  });
  afterAll(() => torch.webgpu.destroy());
  return available;
}

/** Float results may differ in the last bits (f32 sums in another order, GPU exp and log). */
export const gpuTolerance = { rtol: 1e-4, atol: 1e-4 };

/** The tensor's values, shape and dtype, read back from any device. */
export async function read(t: Tensor): Promise<{ values: number[]; shape: number[]; dtype: string }> {
  const host = await t.cpu();
  return { values: Array.from(host.toArray()), shape: [...t.shape], dtype: t.dtype };
}

/** Copies CPU tensors to the GPU. */
export function toGpu(tensors: readonly Tensor[]): Tensor[] {
  return tensors.map((t) => t.to("webgpu"));
}

/** A tensor, or every tensor of a list, as a list. */
export function asList(result: Tensor | readonly Tensor[]): readonly Tensor[] {
  return result instanceof torch.Tensor ? [result] : result;
}

/**
 * Holds GPU results against CPU results: same number of tensors, same shapes and dtypes, values
 * within `gpuTolerance` (exactly equal for int64 and bool).
 */
export async function expectSameResults(gpu: Tensor | readonly Tensor[], cpu: Tensor | readonly Tensor[], what = "result"): Promise<void> {
  const g = asList(gpu);
  const c = asList(cpu);
  expect(g.length, `${what}: number of outputs`).toBe(c.length);
  for (let i = 0; i < c.length; i++) {
    expect(g[i].device, `${what}[${i}] device`).toBe("webgpu");
    const actual = await read(g[i]);
    const expected = await read(c[i]);
    expect(actual.shape, `${what}[${i}] shape`).toEqual(expected.shape);
    expect(actual.dtype, `${what}[${i}] dtype`).toBe(expected.dtype);
    const tolerance = expected.dtype === "float32" ? gpuTolerance : { rtol: 0, atol: 0 };
    assertClose(actual.values, expected.values, tolerance, `${what}[${i}]`);
  }
}

/** Runs `fn` on the CPU inputs and on GPU copies of them, and compares the results. */
export async function expectGpuMatchesCpu(
  fn: (...inputs: Tensor[]) => Tensor | readonly Tensor[],
  inputs: readonly Tensor[],
  what?: string,
): Promise<void> {
  const cpu = fn(...inputs);
  const gpu = fn(...toGpu(inputs));
  await expectSameResults(gpu, cpu, what);
}
