/**
 * Test helpers: fixture tensors to torchlet tensors, values back from any device, and the WebGPU
 * device for the tests that need one.
 */
import { fromValues, webgpu, type Device, type Tensor } from "@torchlet/tensor-core";
import { fixtureValues, useSoftwareVulkanIfPresent, webgpuRequired, type FixtureTensor } from "@torchlet/testing";

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
 * Whether the webgpu device is ready for the tests in this file. Without an adapter the tests
 * skip, unless TORCHLET_REQUIRE_WEBGPU=1 (CI), where a missing adapter is a failure.
 */
export async function webgpuForTests(): Promise<boolean> {
  useSoftwareVulkanIfPresent();
  const available = await webgpu.init();
  if (!available && webgpuRequired()) {
    throw new Error("TORCHLET_REQUIRE_WEBGPU=1, but no WebGPU adapter was found");
  }
  return available;
}
