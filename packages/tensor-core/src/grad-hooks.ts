/**
 * What tensor-core knows of autograd: a `gradFn` slot on every tensor, and a hook that the
 * autograd package installs. Every differentiable op reports itself through `recordOp`, the way
 * PyTorch's dispatcher sends each call through its Autograd key before the kernel's backend key;
 * without the autograd package installed, recording does nothing.
 */
import { tidy } from "./memory.ts";
import type { Tensor } from "./tensor.ts";

/** A node of the backward graph, named as PyTorch names it (`AddBackward0`, `MmBackward0`, ...). */
export interface GradFn {
  readonly name: string;
  /**
   * PyTorch's `next_functions`: for each input of the op, the node its gradient goes to next (the
   * input's own `gradFn`, a leaf's `AccumulateGrad`, or null where no gradient is wanted) and 0.
   * Empty at an `AccumulateGrad`, where the graph ends. Following these edges walks the graph.
   */
  readonly nextFunctions: readonly (readonly [GradFn | null, number])[];
}

/** One call of a differentiable op, as the autograd hook sees it. */
export interface OpRecord {
  /** The op's name in the op table, e.g. "add" or "conv2d". */
  readonly op: string;
  /** The tensor inputs, in the op's argument order; null where an optional one is absent. */
  readonly inputs: readonly (Tensor | null)[];
  /** The outputs; the first is the differentiable result. */
  readonly outputs: readonly Tensor[];
  /** Non-tensor arguments: dims, strides, scalars, ... */
  readonly attrs: Readonly<Record<string, unknown>>;
}

/**
 * Options of `backward()`: `retainGraph` keeps the graph's saved tensors so that backward can run
 * through it again (PyTorch's `retain_graph`).
 */
export interface BackwardOptions {
  retainGraph?: boolean;
}

/**
 * What the autograd package installs into tensor-core (`installAutograd`): whether grad mode is on,
 * the recording of differentiable ops, and the engine that `Tensor.backward()` runs.
 */
export interface AutogradHook {
  /** Whether grad mode is on (off inside `noGrad`). */
  isGradEnabled(): boolean;
  /** Attaches a grad_fn to the outputs of an op whose inputs require grad. */
  record(call: OpRecord): void;
  /** Runs backward from `tensor`, seeded with `gradient` (null: ones, for a one-element tensor). */
  backward(tensor: Tensor, gradient: Tensor | null, options: BackwardOptions): void;
}

let hook: AutogradHook | null = null;
let belowDepth = 0;

/** Called once by the autograd package. */
export function installAutograd(h: AutogradHook): void {
  hook = h;
}

export function autogradHook(): AutogradHook | null {
  return hook;
}

/** True when a new op would be recorded: autograd installed, grad mode on, not inside a composite. */
export function isRecording(): boolean {
  return hook !== null && belowDepth === 0 && hook.isGradEnabled();
}

/**
 * Reports a finished op to autograd when any tensor input requires grad. Returns the first output
 * so an op can end with `return recordOp("exp", [x], out)`.
 */
export function recordOp<T extends Tensor>(
  op: string,
  inputs: readonly (Tensor | null | undefined)[],
  outputs: T | readonly Tensor[],
  attrs: Record<string, unknown> = {},
): T {
  return recordOpIf(isRecording(), op, inputs, outputs, attrs);
}

/**
 * `recordOp` for an op whose result arrives after an `await` (`t.cpu()`): whether to record was
 * decided when the op was called (`isRecording()` then), as PyTorch decides at the call.
 */
export function recordOpIf<T extends Tensor>(
  recording: boolean,
  op: string,
  inputs: readonly (Tensor | null | undefined)[],
  outputs: T | readonly Tensor[],
  attrs: Record<string, unknown> = {},
): T {
  const outs = (Array.isArray(outputs) ? outputs : [outputs]) as Tensor[];
  if (recording && hook !== null && inputs.some((t) => t?.requiresGrad)) {
    hook.record({ op, inputs: inputs.map((t) => t ?? null), outputs: outs, attrs });
  }
  return outs[0] as T;
}

/**
 * Runs `fn` without recording its inner ops: a composite op (softmax built from exp and sum, say)
 * records itself once, as one node, the way PyTorch's kernels run below the Autograd key. Like
 * `tidy`, it gives back the device memory of the tensors `fn` made and does not return (an op's
 * broadcast views and intermediate results), so that disposing an op's result frees its memory.
 */
export function belowAutograd<R>(fn: () => R): R {
  belowDepth++;
  try {
    return tidy(fn);
  } finally {
    belowDepth--;
  }
}
