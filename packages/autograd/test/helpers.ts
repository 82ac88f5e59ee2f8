/**
 * Test helpers: fixture tensors to torchlet tensors, values back from any device, and the WebGPU
 * device for the tests that need one.
 */
import { fromValues, gradInputsOf, webgpu, type Device, type OpInfo, type OpSample, type Tensor } from "@torchlet/tensor-core";
import { fixtureValues, useSoftwareVulkanIfPresent, webgpuRequired, type FixtureTensor } from "@torchlet/testing";
import { afterAll, expect, it } from "vitest";

/** A fixture tensor as a float32 tensor on `device`. */
export function fromFixture(t: FixtureTensor, device: Device = "cpu"): Tensor {
  return fromValues(fixtureValues(t), t.shape, "float32", device);
}

/** A fixture tensor as a leaf that requires grad, on `device`. */
export function leafFromFixture(t: FixtureTensor, device: Device = "cpu"): Tensor {
  return fromFixture(t, device).requiresGrad_();
}

/** The values of a tensor on any device, in row-major order. */
export async function valuesOf(t: Tensor): Promise<number[]> {
  return Array.from((await t.cpu()).toArray());
}

/**
 * Acquires the webgpu device for the tests of one file; resolves to whether it exists. Without an
 * adapter those tests skip, except where TORCHLET_REQUIRE_WEBGPU=1 (CI) demands one: the test
 * added here then fails. The device is destroyed after the file's tests, so the worker exits.
 */
export async function webgpuForTests(): Promise<boolean> {
  useSoftwareVulkanIfPresent();
  const available = await webgpu.init();
  it("finds a WebGPU adapter where TORCHLET_REQUIRE_WEBGPU=1 demands one", () => {
    if (webgpuRequired()) expect(available, "TORCHLET_REQUIRE_WEBGPU=1 but no WebGPU adapter was found").toBe(true);
  });
  afterAll(() => webgpu.destroy());
  return available;
}

/**
 * A sample's inputs for gradcheck, with the float inputs that gradients flow to marked as requiring
 * grad; null when there are none (an int64 sample).
 */
export function gradcheckInputs(info: OpInfo, sample: OpSample): Tensor[] | null {
  const inputs = sample.inputs();
  const positions = gradInputsOf(info, sample, inputs).filter((i) => inputs[i].dtype === "float32");
  if (positions.length === 0) return null;
  for (const i of positions) inputs[i].requiresGrad_();
  return inputs;
}
