/**
 * Threads for the WebAssembly GEMM: a few workers that run the same module on the same shared
 * memory, each computing its own rectangle of C.
 *
 * Hand-off goes through a control block of Int32 slots at the bottom of the shared memory, one per
 * worker, with `Atomics`: the main thread writes the arguments and bumps the job number; the
 * worker, asleep in `Atomics.wait` on that slot, wakes, calls `gemm`, writes the job number into
 * the done slot and notifies. No message passing, so no event loop is needed on either side and a
 * kernel call stays synchronous. Waking a sleeping worker costs tens of microseconds, which is why
 * small products stay on one thread (`THREAD_MIN_WORK`).
 *
 * In Node the workers come from `worker_threads` and are `unref()`ed, so an idle pool never keeps
 * a process alive. In a browser they are Web Workers, and only on a cross-origin-isolated page (no
 * shared memory otherwise); the main thread of a page may not `Atomics.wait`, so it spins instead.
 * Wherever workers cannot be made, everything runs on the calling thread.
 */
import { CONTROL_BYTES, type WasmKernels } from "./workspace.ts";

/** Multiply-adds below which a product is not worth splitting (waking a worker costs ~30 µs). */
export const THREAD_MIN_WORK = 1 << 20;

// Int32 slots of one control block.
const JOB = 0; // job number, bumped by the main thread to post a job
const DONE = 1; // job number of the last job finished by the worker
const READY = 2; // 1 once the worker is listening
const FAILED = 3; // 1 if the last job threw
const ARGS = 4; // the ten arguments of gemm
const SLOT_INTS = 16;
/** How long a thread watches a slot before it sleeps on it, in milliseconds. */
const SPIN_MS = 0.2;
const SLOT_BYTES = SLOT_INTS * 4;
/** Workers the control area has room for. */
export const MAX_WORKERS = CONTROL_BYTES / SLOT_BYTES;

/**
 * The worker's whole program, as plain JavaScript so that it runs without a build step. It
 * receives the module and the shared memory, then serves jobs forever.
 */
const workerSource = `
"use strict";
function serve(memory, module, base) {
  const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemm;
  const slot = new Int32Array(memory.buffer, base, ${SLOT_INTS});
  let seen = Atomics.load(slot, ${JOB});
  Atomics.store(slot, ${READY}, 1);
  for (;;) {
    // products come in bursts (a training step runs several): watch for the next one for a
    // moment before sleeping, since waking from Atomics.wait costs tens of microseconds
    const spinUntil = performance.now() + ${SPIN_MS};
    while (Atomics.load(slot, ${JOB}) === seen && performance.now() < spinUntil);
    Atomics.wait(slot, ${JOB}, seen);
    const job = Atomics.load(slot, ${JOB});
    if (job === seen) continue;
    seen = job;
    try {
      gemm(${Array.from({ length: 10 }, (_, i) => `slot[${ARGS + i}]`).join(", ")});
      slot[${FAILED}] = 0;
    } catch (error) {
      slot[${FAILED}] = 1;
    }
    Atomics.store(slot, ${DONE}, job);
    Atomics.notify(slot, ${DONE});
  }
}
const nodeThreads =
  typeof process === "object" && typeof process.getBuiltinModule === "function"
    ? process.getBuiltinModule("node:worker_threads")
    : typeof require === "function" ? require("node:worker_threads") : null;
if (nodeThreads) {
  const { memory, module, base } = nodeThreads.workerData;
  serve(memory, module, base);
} else {
  self.onmessage = (event) => serve(event.data.memory, event.data.module, event.data.base);
}
`;

interface PoolWorker {
  readonly slot: Int32Array;
}

interface NodeWorker {
  unref(): void;
  on(event: "error", listener: (error: unknown) => void): void;
}
interface NodeWorkerThreads {
  Worker: new (code: string, options: { eval: true; workerData: unknown; execArgv: string[] }) => NodeWorker;
}
interface NodeOs {
  availableParallelism?(): number;
  cpus(): unknown[];
}

/** Node's built-in modules, synchronously and without an import a bundler would try to follow. */
function nodeBuiltin<T>(name: string): T | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process;
  return (proc?.getBuiltinModule?.(name) as T | undefined) ?? null;
}

function inBrowserWindow(): boolean {
  return typeof (globalThis as { window?: unknown }).window === "object";
}

/** Hardware threads, as the platform reports them. */
export function hardwareThreads(): number {
  const os = nodeBuiltin<NodeOs>("node:os");
  if (os) return os.availableParallelism?.() ?? os.cpus().length;
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

const workers: PoolWorker[] = [];

function spawn(kernels: WasmKernels): PoolWorker | null {
  const index = workers.length;
  if (index >= MAX_WORKERS) return null;
  const base = index * SLOT_BYTES;
  const slot = new Int32Array(kernels.memory.buffer, base, SLOT_INTS);
  slot.fill(0);
  const data = { memory: kernels.memory, module: kernels.module, base };
  try {
    const threads = nodeBuiltin<NodeWorkerThreads>("node:worker_threads");
    if (threads) {
      // plain JavaScript needs none of the parent's flags (a TypeScript loader, --input-type, ...)
      const worker = new threads.Worker(workerSource, { eval: true, workerData: data, execArgv: [] });
      // a worker that fails to start never reports ready, so it is never given work
      worker.on("error", () => {});
      worker.unref();
    } else if (typeof Worker === "function") {
      const url = URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" }));
      new Worker(url).postMessage(data);
    } else {
      return null;
    }
  } catch {
    return null; // no workers here (a content security policy, a sandbox, ...): stay on one thread
  }
  const worker = { slot };
  workers.push(worker);
  return worker;
}

/**
 * Starts workers until `count` exist (not counting the calling thread); they become usable once
 * they report ready. Does nothing where memory is not shared.
 */
export function ensureWorkers(kernels: WasmKernels, count: number): void {
  if (!kernels.shared) return;
  while (workers.length < count) {
    if (!spawn(kernels)) return;
  }
}

/** The workers, among the first `count`, that are listening now. */
export function readyWorkers(count: number): PoolWorker[] {
  return workers.slice(0, count).filter((w) => Atomics.load(w.slot, READY) === 1);
}

/** Resolves once the first `count` workers are listening (or at once where none can start). */
export async function whenWorkersReady(count: number, timeoutMs = 10_000): Promise<number> {
  const started = Date.now();
  const wanted = Math.min(count, workers.length);
  while (readyWorkers(wanted).length < wanted && Date.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return readyWorkers(wanted).length;
}

/** Posts one gemm call to a worker. */
export function post(worker: PoolWorker, args: readonly number[]): void {
  const { slot } = worker;
  for (let i = 0; i < args.length; i++) slot[ARGS + i] = args[i];
  Atomics.add(slot, JOB, 1);
  Atomics.notify(slot, JOB);
}

/** Waits until the worker has finished its last job; returns false if that job threw. */
export function wait(worker: PoolWorker): boolean {
  const { slot } = worker;
  const job = Atomics.load(slot, JOB);
  const mayBlock = !inBrowserWindow();
  const spinUntil = performance.now() + SPIN_MS; // the worker's part is usually done within microseconds
  for (;;) {
    const done = Atomics.load(slot, DONE);
    if (done === job) return slot[FAILED] === 0;
    if (mayBlock && performance.now() > spinUntil) Atomics.wait(slot, DONE, done, 1000);
  }
}
