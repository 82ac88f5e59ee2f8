/**
 * Threads for the WebAssembly GEMM: a few workers that run the same module on the same shared
 * memory, sharing the panels of C with the calling thread.
 *
 * A job is posted through a control block of Int32 slots at the bottom of the shared memory, with
 * `Atomics`: the calling thread writes the arguments and bumps the job number; workers, asleep in
 * `Atomics.wait` on it, wake up. The product is cut into more chunks than there are threads, and
 * every thread, the caller included, claims the next chunk with a compare-and-swap until none is
 * left. So a worker that is slow to wake (waking costs tens of microseconds, and far more on a
 * busy machine where the worker waits for a core) only ever delays the one chunk it claimed: the
 * caller does the rest itself. No message passing, so no event loop is needed on either side and
 * a kernel call stays synchronous. Small products stay on the calling thread (`THREAD_MIN_WORK`).
 *
 * The claim slot carries the job's number beside the chunk's, so a worker that wakes late for a
 * finished job cannot claim a chunk of the next one with the arguments of the old.
 *
 * In Node the workers come from `worker_threads` and are `unref()`ed, so an idle pool never keeps
 * a process alive. In a browser they are Web Workers, and only on a cross-origin-isolated page (no
 * shared memory otherwise); the main thread of a page may not `Atomics.wait`, so it spins instead.
 * Wherever workers cannot be made, everything runs on the calling thread.
 */
import { CONTROL_BYTES, type WasmKernels } from "./workspace.ts";

/** Multiply-adds below which a job is not worth splitting (waking a worker costs ~30 µs). */
export const THREAD_MIN_WORK = 1 << 20;
/** Chunks per thread: enough to even out a late or slow thread, few enough to keep each one long. */
const CHUNKS_PER_THREAD = 4;

/**
 * The kernels a job may call, by their index in this list. A job names kernels by number because
 * the workers hold their own instance of the module, whose functions cannot be posted.
 */
export const PARALLEL_KERNELS = ["gemm", "convDirect4", "convDirect1"] as const;
export type ParallelKernel = (typeof PARALLEL_KERNELS)[number];

// Int32 slots of the control block.
const JOB = 0; // job number, bumped by the calling thread to post a job
const CLAIM = 1; // (job number mod 2^11) << 20 | next chunk to claim
const DONE = 2; // chunks finished in the current job
const FAILED = 3; // set by a worker whose chunk threw
const READY = 4; // workers listening
const CHUNKS = 5; // chunks in the current job
const RANGE = 6; // the length of the range [0, RANGE) that the chunks split
const CALL_COUNT = 7; // kernel calls per chunk
const CALLS = 8; // the calls, each: kernel index, argument count, position of `from`, the arguments
const CONTROL_INTS = CONTROL_BYTES / 4;
const TAG_SHIFT = 20;
/** How long a thread watches a slot before it sleeps on it, in milliseconds. */
const SPIN_MS = 0.1;

/**
 * Runs the chunks of the posted job that it can claim; the same code serves the calling thread
 * (as a function) and the workers (as its source text, `claimChunks.toString()`), so it must not
 * refer to anything outside itself: the slot numbers are written out. A chunk is a piece
 * [from, to) of the job's range; it runs each of the job's calls with `from` and `to` written into
 * the two arguments the call marks. Returns how many chunks it ran; a chunk that throws sets the
 * FAILED slot.
 */
function claimChunks(control: Int32Array, job: number, kernels: readonly ((...args: number[]) => void)[]): number {
  let ran = 0;
  for (;;) {
    const claim = Atomics.load(control, 1);
    if (claim >>> 20 !== (job & 0x7ff) || (claim & 0xfffff) >= Atomics.load(control, 5)) return ran;
    if (Atomics.compareExchange(control, 1, claim, claim + 1) !== claim) continue;
    // the job cannot change before this chunk is done, so its slots are read after the claim
    const chunks = control[5];
    const range = control[6];
    const chunk = claim & 0xfffff;
    const from = Math.floor((range * chunk) / chunks);
    const to = Math.floor((range * (chunk + 1)) / chunks);
    try {
      for (let call = 0, at = 8; call < control[7]; call++) {
        const argc = control[at + 1];
        const args = Array.from(control.subarray(at + 3, at + 3 + argc));
        args[control[at + 2]] = from;
        args[control[at + 2] + 1] = to;
        kernels[control[at]](...args);
        at += 3 + argc;
      }
    } catch {
      Atomics.store(control, 3, 1);
    }
    ran++;
    Atomics.add(control, 2, 1);
    Atomics.notify(control, 2);
  }
}

/**
 * The worker's whole program, as plain JavaScript so that it runs without a build step: it
 * receives the module and the shared memory, then serves jobs forever.
 */
const workerSource = `
"use strict";
// bound to its name here: a minifier renames the function whose text this is (to \`xe\`, say)
const claimChunks = ${claimChunks.toString()};
function serve(memory, module) {
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const kernels = ${JSON.stringify(PARALLEL_KERNELS)}.map((name) => exports[name]);
  const control = new Int32Array(memory.buffer, 0, ${CONTROL_INTS});
  let seen = Atomics.load(control, ${JOB});
  Atomics.add(control, ${READY}, 1);
  for (;;) {
    // kernels come in bursts (a training step runs several): watch for the next job for a
    // moment before sleeping, since waking from Atomics.wait costs tens of microseconds
    const spinUntil = performance.now() + ${SPIN_MS};
    while (Atomics.load(control, ${JOB}) === seen && performance.now() < spinUntil);
    Atomics.wait(control, ${JOB}, seen);
    seen = Atomics.load(control, ${JOB});
    claimChunks(control, seen, kernels);
  }
}
const nodeThreads =
  typeof process === "object" && typeof process.getBuiltinModule === "function"
    ? process.getBuiltinModule("node:worker_threads")
    : typeof require === "function" ? require("node:worker_threads") : null;
if (nodeThreads) serve(nodeThreads.workerData.memory, nodeThreads.workerData.module);
else self.onmessage = (event) => serve(event.data.memory, event.data.module);
`;

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

let started = 0;

function controlOf(kernels: WasmKernels): Int32Array {
  return new Int32Array(kernels.memory.buffer, 0, CONTROL_INTS);
}

function spawn(kernels: WasmKernels): boolean {
  const data = { memory: kernels.memory, module: kernels.module };
  try {
    const threads = nodeBuiltin<NodeWorkerThreads>("node:worker_threads");
    if (threads) {
      // plain JavaScript needs none of the parent's flags (a TypeScript loader, --input-type, ...)
      const worker = new threads.Worker(workerSource, { eval: true, workerData: data, execArgv: [] });
      // a worker that fails to start never reports ready, and the caller does its share
      worker.on("error", () => {});
      worker.unref();
    } else if (typeof Worker === "function") {
      const url = URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" }));
      new Worker(url).postMessage(data);
    } else {
      return false;
    }
  } catch {
    return false; // no workers here (a content security policy, a sandbox, ...): stay on one thread
  }
  started++;
  return true;
}

/**
 * Starts workers until `count` exist (not counting the calling thread); they take part once they
 * listen. Does nothing where memory is not shared.
 */
export function ensureWorkers(kernels: WasmKernels, count: number): void {
  if (!kernels.shared) return;
  while (started < count && spawn(kernels));
}

/** How many workers are listening now. */
export function readyWorkers(kernels: WasmKernels): number {
  return kernels.shared ? Atomics.load(controlOf(kernels), READY) : 0;
}

/** Resolves once `count` workers listen (or the timeout passes); resolves to how many do. */
export async function whenWorkersReady(kernels: WasmKernels, count: number, timeoutMs = 10_000): Promise<number> {
  const since = Date.now();
  const wanted = Math.min(count, started);
  while (readyWorkers(kernels) < wanted && Date.now() - since < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return readyWorkers(kernels);
}

/**
 * One call of a kernel within a job: its arguments, where `from` (and, right after it, `to`) of
 * each chunk go in place of the two placeholders at `rangeAt`.
 */
export interface ParallelCall {
  readonly kernel: ParallelKernel;
  readonly args: readonly number[];
  readonly rangeAt: number;
}

/** A job: the range [0, range) split into chunks, and the calls that each chunk runs. */
export interface ParallelJob {
  readonly range: number;
  readonly calls: readonly ParallelCall[];
}

let jobs = 0;

/** For tests: `callerClaims: false` leaves every chunk to the workers, so that they surely run. */
export const threadOptions = { callerClaims: true };

/** Whether a job's calls fit the control block. */
function fitsControl(job: ParallelJob): boolean {
  return job.calls.reduce((ints, call) => ints + 3 + call.args.length, CALLS) <= CONTROL_INTS;
}

/** Runs every call of the job over its whole range, on this thread. */
function runAlone(kernels: WasmKernels, job: ParallelJob): void {
  for (const { kernel, args, rangeAt } of job.calls) {
    const all = [...args];
    all[rangeAt] = 0;
    all[rangeAt + 1] = job.range;
    (kernels.exports[kernel] as (...args: number[]) => void)(...all);
  }
}

/**
 * Runs the job on the calling thread and whichever workers join in; returns the number of
 * chunks the workers ran. If any chunk threw, the caller recomputes the whole job alone.
 */
export function runParallel(kernels: WasmKernels, job: ParallelJob, threads: number): number {
  if (!fitsControl(job)) {
    runAlone(kernels, job);
    return 0;
  }
  const control = controlOf(kernels);
  const chunks = Math.min(job.range, CHUNKS_PER_THREAD * threads);
  const number = ++jobs;
  // close the claims first: a worker still looking at the last job must not take a chunk while
  // the new job's slots are being written
  Atomics.store(control, CLAIM, ((number & 0x7ff) << TAG_SHIFT) | 0xfffff);
  let at = CALLS;
  for (const { kernel, args, rangeAt } of job.calls) {
    control.set([PARALLEL_KERNELS.indexOf(kernel), args.length, rangeAt, ...args], at);
    at += 3 + args.length;
  }
  control[CHUNKS] = chunks;
  control[RANGE] = job.range;
  control[CALL_COUNT] = job.calls.length;
  Atomics.store(control, DONE, 0);
  Atomics.store(control, FAILED, 0);
  Atomics.store(control, CLAIM, (number & 0x7ff) << TAG_SHIFT);
  Atomics.store(control, JOB, number);
  Atomics.notify(control, JOB);

  const mine = threadOptions.callerClaims ? claimChunks(control, number, callerKernels(kernels)) : 0;
  // every chunk is claimed; wait for those still running on workers
  const mayBlock = !inBrowserWindow();
  const spinUntil = performance.now() + SPIN_MS;
  for (;;) {
    const done = Atomics.load(control, DONE);
    if (done === chunks) break;
    if (mayBlock && performance.now() > spinUntil) Atomics.wait(control, DONE, done, 1000);
  }
  if (Atomics.load(control, FAILED)) runAlone(kernels, job);
  return chunks - mine;
}

const callerKernelsCache = new WeakMap<WasmKernels, ((...args: number[]) => void)[]>();

/** The calling thread's kernels, in the order of `PARALLEL_KERNELS`. */
function callerKernels(kernels: WasmKernels): ((...args: number[]) => void)[] {
  let list = callerKernelsCache.get(kernels);
  if (!list) {
    list = PARALLEL_KERNELS.map((name) => kernels.exports[name] as (...args: number[]) => void);
    callerKernelsCache.set(kernels, list);
  }
  return list;
}

/**
 * Runs a job: split over up to `threads` threads (workers started on first use) when it is worth
 * it — at least `THREAD_MIN_WORK` multiply-adds and shared memory — else on this thread alone.
 * Returns whether workers took part.
 */
export function runJob(kernels: WasmKernels, job: ParallelJob, work: number, threads: number): boolean {
  if (threads > 1 && work >= THREAD_MIN_WORK && kernels.shared) {
    ensureWorkers(kernels, threads - 1);
    const helpers = Math.min(readyWorkers(kernels), threads - 1);
    if (helpers > 0) return runParallel(kernels, job, helpers + 1) > 0;
  }
  runAlone(kernels, job);
  return false;
}
