/**
 * WebGPU in Node for both WebGPU rows: Dawn from the `webgpu` package, installed as
 * `navigator.gpu` the way a browser offers it. tfjs-backend-webgpu only looks there, and
 * torchlet's `torch.webgpu.init()` looks there first, so both run on the same Dawn instance and
 * adapter. On machines without a GPU the Vulkan loader is pointed at a software driver first
 * (SwiftShader from Debian's chromium package), as the test suites do.
 */
import { useSoftwareVulkanIfPresent } from "@torchlet/testing";

/** What the adapter says of itself, read field by field (`GPUAdapterInfo` does not stringify). */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
}

let installed: Promise<AdapterSummary> | null = null;

/**
 * Installs `navigator.gpu` once and resolves to the adapter it offers; rejects with the reason
 * where there is none (no `webgpu` package binary, no Vulkan driver).
 */
export function installNavigatorGpu(): Promise<AdapterSummary> {
  installed ??= install();
  return installed;
}

async function install(): Promise<AdapterSummary> {
  useSoftwareVulkanIfPresent();
  const { create, globals } = await import("webgpu");
  Object.assign(globalThis, globals); // GPUBufferUsage, GPUMapMode, ... as a browser defines them
  const gpu = create([]);
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav) Object.defineProperty(nav, "gpu", { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true, writable: true });
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) {
    throw new Error(
      "Dawn found no WebGPU adapter: no Vulkan driver works here (without a GPU, Debian's chromium package brings the SwiftShader driver)",
    );
  }
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  return {
    vendor: info.vendor ?? "",
    architecture: info.architecture ?? "",
    device: info.device ?? "",
    description: info.description ?? "",
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter),
  };
}

/** "google / swiftshader (fallback adapter)" */
export function adapterLabel(a: AdapterSummary): string {
  const name = [a.vendor, a.architecture].filter(Boolean).join(" / ") || a.description || "unnamed adapter";
  return a.isFallbackAdapter ? `${name} (fallback adapter: WebGPU on the CPU)` : name;
}
