/**
 * The worker's side: a notebook that runs what the page sends. Call `serveNotebook()` from the
 * worker's entry module; Vite bundles the allowed imports (see `imports.ts`) with it.
 */
import { Notebook } from "../notebook.ts";
import { torchletImports, type ImportMap } from "../imports.ts";
import type { DeviceMessage, FromWorker, ToWorker } from "./protocol.ts";

/** The slice of a worker's global scope that serving needs. */
export interface WorkerScope {
  postMessage(message: FromWorker): void;
  addEventListener(type: "message", listener: (event: { data: ToWorker }) => void): void;
  addEventListener(type: "error", listener: (event: { error: unknown; preventDefault(): void }) => void): void;
  addEventListener(type: "unhandledrejection", listener: (event: { reason: unknown; preventDefault(): void }) => void): void;
}

/** Asks for WebGPU once and says which device the page runs on. */
async function describeDevice(): Promise<DeviceMessage> {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const { torch } = await import("@torchlet/nn");
  if (await torch.webgpu.init()) {
    const info = torch.webgpu.adapterInfo()!;
    const label = [info.vendor, info.architecture || info.device || info.description].filter(Boolean).join(" / ") || "WebGPU";
    return { type: "device", device: "webgpu", label, fallback: info.isFallbackAdapter, isolated };
  }
  const threads = isolated ? `${torch.getNumThreads()} threads` : "1 thread";
  return { type: "device", device: "cpu", label: `CPU, ${threads}`, fallback: false, isolated };
}

/** Serves runs in `scope` (the worker's `self`), one notebook for the worker's whole life. */
export function serveNotebook(scope: WorkerScope, options: { imports?: ImportMap; webgpu?: boolean } = {}): void {
  const pageRun = new Map<number, number>(); // the notebook's run number -> the page's
  const notebook = new Notebook({
    imports: options.imports ?? torchletImports,
    onOutput: (output, record) => {
      const run = pageRun.get(record.run);
      if (run !== undefined) scope.postMessage({ type: "output", run, output });
    },
  });
  // errors thrown later by a cell's callbacks show under that cell, not only in the console
  scope.addEventListener("error", (event) => {
    event.preventDefault();
    notebook.reportUncaught(event.error);
  });
  scope.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    notebook.reportUncaught(event.reason);
  });
  scope.addEventListener("message", ({ data }) => {
    if (data.type !== "run") return;
    const done = notebook.run(data.code, data.cell, (record) => pageRun.set(record.run, data.run));
    void done.then((record) => scope.postMessage({ type: "done", run: data.run, ok: record.ok }));
  });
  if (options.webgpu !== false) {
    void describeDevice().then(
      (message) => scope.postMessage(message),
      () => scope.postMessage({ type: "device", device: "cpu", label: "CPU", fallback: false, isolated: false }),
    );
  }
}

export type { DeviceMessage, FromWorker, ToWorker, RunRequest, OutputMessage, DoneMessage } from "./protocol.ts";
