/**
 * Acquiring the GPU: the adapter (which GPU, and what it can do) and the device (our handle for
 * buffers, shaders and the command queue). This is the one asynchronous step of the webgpu device;
 * everything after it records commands synchronously.
 *
 * Browsers and Web Workers expose WebGPU as `navigator.gpu`. Node has no WebGPU of its own, so
 * there we load Dawn, Chromium's WebGPU implementation, from the `webgpu` npm package.
 */

/**
 * Which matmul/conv kernels run: shared-memory tiles for GPUs, register blocks for CPU adapters,
 * or the plain one-thread-per-output loop (the reference). See `gemm.ts`.
 */
export type KernelVariant = "tiled" | "blocked" | "simple";

/** What the adapter says of itself: vendor, architecture, description, and whether it is a CPU. */
export interface AdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for a fallback adapter: WebGPU implemented on the CPU (SwiftShader, lavapipe, WARP). */
  isFallbackAdapter: boolean;
}

/** Everything that exists once `init()` succeeded. */
export interface Gpu {
  readonly device: GPUDevice;
  readonly info: AdapterDescription;
  /** The kernels that `"auto"` picks for this adapter. */
  readonly preferredVariant: KernelVariant;
}

let current: Gpu | null = null;
let variantChoice: KernelVariant | "auto" = "auto";
let pending: Promise<Gpu | null> | null = null;
/** Validation and out-of-memory errors the GPU reported since they were last checked. */
const reportedErrors: string[] = [];
/**
 * Dawn's GPU object in Node. It must stay reachable: once it is garbage-collected, the native
 * instance behind its adapters and devices is freed, and the next wait on the GPU (a read back,
 * `synchronize`) aborts the process.
 */
let dawnGpu: GPU | null = null;

/** The ready GPU; throws the message every op on an uninitialised webgpu device gives. */
export function gpu(): Gpu {
  if (!current) {
    throw new Error(
      "The webgpu device is not ready: call `await torch.webgpu.init()` first (and check torch.webgpu.isAvailable()).",
    );
  }
  return current;
}

/** The ready GPU, or null before `init()` (and after `destroy()` or a lost device). */
export function currentGpu(): Gpu | null {
  return current;
}

/** Acquires the adapter and device once; later and concurrent calls share the same promise. */
export function acquire(): Promise<Gpu | null> {
  pending ??= requestGpu().then((g) => (current = g));
  return pending;
}

/** Destroys the device; a later `acquire()` starts afresh. */
export function release(): void {
  current?.device.destroy();
  current = null;
  pending = null;
}

/**
 * Throws (once) the errors the GPU reported asynchronously, the way CUDA errors surface at the next
 * synchronising call in PyTorch: commands are validated on the GPU's timeline, not when recorded.
 */
export function throwReportedErrors(): void {
  if (reportedErrors.length === 0) return;
  const messages = reportedErrors.splice(0);
  throw new Error(`WebGPU reported ${messages.length === 1 ? "an error" : `${messages.length} errors`}: ${messages.join("\n")}`);
}

/**
 * Chooses the matmul and convolution kernels: `"tiled"` (shared-memory tiles, for real GPUs),
 * `"blocked"` (each thread an 8×8 block in registers, for CPU adapters such as SwiftShader),
 * `"simple"` (one thread per output: the plain reference loop), or `"auto"` (the default: tiled
 * or blocked, chosen from the adapter).
 */
export function setKernels(variant: KernelVariant | "auto"): void {
  if (variant !== "auto" && variant !== "tiled" && variant !== "blocked" && variant !== "simple") {
    throw new TypeError(`kernels must be "tiled", "blocked", "simple" or "auto", got ${String(variant)}`);
  }
  variantChoice = variant;
}

/** The matmul and convolution kernels that run now: `"tiled"`, `"blocked"` or `"simple"`. */
export function kernels(): KernelVariant {
  if (variantChoice !== "auto") return variantChoice;
  return current?.preferredVariant ?? "blocked";
}

async function requestGpu(): Promise<Gpu | null> {
  const entry = await gpuEntryPoint();
  if (!entry) return null;
  const adapter = await entry.requestAdapter({ powerPreference: "high-performance" }).catch(() => null);
  if (!adapter) return null;
  const device = await adapter.requestDevice({ requiredLimits: limitsWanted(adapter.limits) }).catch(() => null);
  if (!device) return null; // an adapter that cannot give a device (lost, or blocked) is no WebGPU
  device.addEventListener("uncapturederror", (event) => {
    reportedErrors.push((event as GPUUncapturedErrorEvent).error.message);
    event.preventDefault(); // reported by `synchronize()` and downloads, not printed as well
  });
  void device.lost.then(() => {
    if (current?.device === device) {
      current = null;
      pending = null;
    }
  });
  const info = describe(adapter);
  return { device, info, preferredVariant: isSoftware(info) ? "blocked" : "tiled" };
}

/** `navigator.gpu` where the platform has WebGPU; Dawn in Node; nothing elsewhere. */
async function gpuEntryPoint(): Promise<GPU | null> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  const isNode = typeof process !== "undefined" && typeof process.versions?.node === "string";
  if (!isNode) return null;
  try {
    // The name sits in a variable so that bundlers building for the browser leave it alone.
    const dawnPackage = "webgpu";
    const dawn = (await import(/* @vite-ignore */ dawnPackage)) as { create(flags: string[]): GPU; globals: object };
    Object.assign(globalThis, dawn.globals); // GPUBufferUsage, GPUMapMode, ... as in a browser
    dawnGpu ??= dawn.create([]);
    return dawnGpu;
  } catch {
    return null; // the optional `webgpu` package is not installed, or its binary cannot load
  }
}

/**
 * The limits we raise above WebGPU's defaults, each to what the adapter offers: big storage
 * buffers (a default binding is only 128 MiB), and a few more storage buffers per shader stage.
 */
function limitsWanted(offered: GPUSupportedLimits): Record<string, number> {
  return {
    maxStorageBufferBindingSize: offered.maxStorageBufferBindingSize,
    maxBufferSize: offered.maxBufferSize,
    maxStorageBuffersPerShaderStage: offered.maxStorageBuffersPerShaderStage,
    maxComputeWorkgroupStorageSize: offered.maxComputeWorkgroupStorageSize,
  };
}

/**
 * `JSON.stringify(adapter.info)` is `{}`: GPUAdapterInfo keeps its fields as getters on the
 * prototype, so we read them one by one. `isFallbackAdapter` moved from the adapter to its info in
 * the specification; Dawn's Node package has it on the info, older browsers on the adapter.
 */
function describe(adapter: GPUAdapter): AdapterDescription {
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const legacy = adapter as GPUAdapter & { isFallbackAdapter?: boolean };
  return {
    vendor: info.vendor ?? "",
    architecture: info.architecture ?? "",
    device: info.device ?? "",
    description: info.description ?? "",
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? legacy.isFallbackAdapter ?? false),
  };
}

/** CPU implementations of WebGPU, where shared memory is ordinary memory and barriers are dear. */
function isSoftware(info: AdapterDescription): boolean {
  const words = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`;
  return info.isFallbackAdapter || /swiftshader|llvmpipe|lavapipe|software|warp/i.test(words);
}
