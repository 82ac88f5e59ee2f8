/**
 * The WebGPU test environment. Tests that need a GPU call `webgpuTestDevice()` (through the
 * package under test) and skip when no adapter exists, except where TORCHLET_REQUIRE_WEBGPU=1 (CI),
 * which turns a missing adapter into a failure.
 *
 * On machines without a GPU, Dawn (the `webgpu` npm package) can run on the SwiftShader Vulkan
 * driver that Debian's `chromium` package ships; `useSoftwareVulkanIfPresent` points the Vulkan
 * loader at it before Dawn loads, unless the environment already chose a driver.
 */
import { existsSync } from "node:fs";

const swiftshaderIcd = "/usr/lib/chromium/vk_swiftshader_icd.json";

export function useSoftwareVulkanIfPresent(): void {
  if (process.env.VK_DRIVER_FILES || process.env.VK_ICD_FILENAMES) return;
  if (!existsSync(swiftshaderIcd)) return;
  process.env.VK_DRIVER_FILES = swiftshaderIcd;
  process.env.NODEVICE_SELECT ??= "1"; // quiets Mesa's device-select layer
}

/** True where CI demands that WebGPU tests run rather than skip. */
export function webgpuRequired(): boolean {
  return process.env.TORCHLET_REQUIRE_WEBGPU === "1";
}
