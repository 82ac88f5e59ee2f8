/**
 * The messages between a page and its cell worker. Everything in them is plain data (it crosses
 * `postMessage`); outputs are the records of `outputs.ts`, already formatted to text in the worker.
 */
import type { Output } from "../outputs.ts";

/** Page to worker: run this code as cell `cell`; `run` is the page's number for this run. */
export interface RunRequest {
  readonly type: "run";
  readonly run: number;
  readonly cell: number;
  readonly code: string;
}

/** Worker to page: an output of run `run` (it may arrive after `done`: a timer's late output). */
export interface OutputMessage {
  readonly type: "output";
  readonly run: number;
  readonly output: Output;
}

/** Worker to page: run `run` finished; `ok` is false when the cell threw. */
export interface DoneMessage {
  readonly type: "done";
  readonly run: number;
  readonly ok: boolean;
}

/** Worker to page: which device the worker's tensors can use, once WebGPU has been asked. */
export interface DeviceMessage {
  readonly type: "device";
  /** "webgpu" when `torch.webgpu.init()` found an adapter, else "cpu". */
  readonly device: "webgpu" | "cpu";
  /** The adapter as it names itself (`google / swiftshader`), or a word on the CPU kernels. */
  readonly label: string;
  /** True for a software adapter (WebGPU emulated on the CPU). */
  readonly fallback: boolean;
  /** Whether the page is cross-origin isolated (so the CPU kernels may use threads). */
  readonly isolated: boolean;
}

/** Every message the page sends its worker. */
export type ToWorker = RunRequest;
/** Every message a worker sends its page. */
export type FromWorker = OutputMessage | DoneMessage | DeviceMessage;
