/**
 * The WebAssembly side of the CPU kernels: one linear memory, the compiled GEMM module and its
 * instance on this thread. The memory holds the packed operands and the product while a kernel
 * runs; it grows to fit the largest problem seen and is reused by every call.
 *
 * Its bottom holds the threads' control block, then the packed operands kept between calls
 * (`pack-cache.ts`); each kernel call's scratch space starts above them (`workspaceStart`).
 *
 * The memory is shared (a `SharedArrayBuffer` underneath) wherever the platform allows it, so that
 * worker threads can run the same module on the same bytes. Growing a shared memory leaves older
 * views looking at the old length, and growing an unshared one detaches them, so views are made
 * fresh by `view()` after every `reserve()`.
 */
import { gemmModuleBytes, type GemmExports } from "./gemm-module.ts";

const PAGE_BYTES = 65536;
/** 1 GiB: the most the workspace may grow to. A shared memory must declare it up front. */
export const MAX_PAGES = 16384;
/** The bottom of the memory holds the threads' control blocks (see `threads.ts`). */
export const CONTROL_BYTES = 1024;

export interface WasmKernels {
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module;
  readonly exports: GemmExports;
  /** Whether other threads may use the memory (it is a `SharedArrayBuffer`). */
  readonly shared: boolean;
}

let kernels: WasmKernels | null | undefined;
let floats = new Float32Array(0);

/**
 * Whether shared memory is on offer: always in Node; in a browser only on a cross-origin-isolated
 * page (served with COOP/COEP headers), which is the only place it exposes `SharedArrayBuffer`.
 */
function sharedMemoryAllowed(): boolean {
  if (typeof SharedArrayBuffer === "undefined") return false;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return isolated !== false;
}

function instantiate(shared: boolean): WasmKernels | null {
  const limits = { initialPages: 1, maximumPages: MAX_PAGES, shared };
  const bytes = gemmModuleBytes(limits);
  // validate() fails where SIMD (or shared memory) is missing: then the TypeScript kernels run.
  if (!WebAssembly.validate(bytes)) return null;
  const memory = new WebAssembly.Memory({ initial: limits.initialPages, maximum: limits.maximumPages, shared });
  const module = new WebAssembly.Module(bytes);
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return { memory, module, exports: instance.exports as unknown as GemmExports, shared };
}

/** The kernels on this thread, made on first use; null where WebAssembly SIMD is unavailable. */
export function wasmKernels(): WasmKernels | null {
  if (kernels === undefined) {
    kernels = null;
    if (typeof WebAssembly === "object") {
      try {
        kernels = (sharedMemoryAllowed() && instantiate(true)) || instantiate(false);
      } catch {
        // a platform that refuses a shared memory of this size may still take an unshared one
        try {
          kernels = instantiate(false);
        } catch {
          kernels = null;
        }
      }
    }
  }
  return kernels;
}

/** Whether the WebAssembly kernels can run here. */
export function wasmAvailable(): boolean {
  return wasmKernels() !== null;
}

/** The most bytes a single kernel call may use above the control blocks. */
export const MAX_WORKSPACE_BYTES = MAX_PAGES * PAGE_BYTES - CONTROL_BYTES;

/** Floats above the control blocks that kept packings hold (see `pack-cache.ts`). */
let residentFloats = 0;
let releaseResident: (() => void) | null = null;

/** For the pack cache: how many floats it keeps, and how to make it let go of them. */
export function setResidentFloats(floats: number, release?: () => void): void {
  residentFloats = floats;
  if (release) releaseResident = release;
}

/** Where a kernel call's scratch space begins, as a float index: above the kept packings. */
export function workspaceStart(): number {
  return CONTROL_BYTES / 4 + residentFloats;
}

/**
 * Makes room for `bytes` of scratch space from `workspaceStart()`; returns a fresh view. A call
 * that only fits without the kept packings drops them.
 */
export function reserve(k: WasmKernels, bytes: number): Float32Array {
  if (4 * workspaceStart() + bytes > MAX_PAGES * PAGE_BYTES) releaseResident?.();
  const needed = Math.ceil((4 * workspaceStart() + bytes) / PAGE_BYTES);
  const have = k.memory.buffer.byteLength / PAGE_BYTES;
  if (needed > have) k.memory.grow(needed - have);
  return view(k);
}

/** All of the memory as floats; a new view only when the memory has grown. */
export function view(k: WasmKernels): Float32Array {
  if (floats.buffer !== k.memory.buffer || floats.byteLength !== k.memory.buffer.byteLength) {
    floats = new Float32Array(k.memory.buffer);
  }
  return floats;
}
