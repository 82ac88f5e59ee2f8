/**
 * Forward hooks: functions a module runs around `forward` each time it is called, to inspect or
 * change what goes in and what comes out without touching the module's code (logging activations,
 * feature extraction, pruning masks).
 */
import type { Module } from "./module.ts";

/**
 * Runs before `forward` with the call's inputs. Returning nothing keeps them; returning an array
 * replaces them (one argument per element, like Python's tuple); returning anything else replaces
 * them with that one value.
 */
export type ForwardPreHook = (module: Module, inputs: unknown[]) => unknown;

/** Runs after `forward` with the inputs and the output; returning something replaces the output. */
export type ForwardHook = (module: Module, inputs: unknown[], output: unknown) => unknown;

let nextHookId = 0;

/**
 * What `registerForwardHook` and friends return: `remove()` takes the hook off again
 * (PyTorch's `torch.utils.hooks.RemovableHandle`).
 */
export class RemovableHandle {
  /** A number unique among all handles: the key of the hook in its module's table. */
  readonly id = nextHookId++;
  private readonly hooks: Map<number, unknown>;

  /** @param hooks the table (id → hook) the handle's hook lives in */
  constructor(hooks: Map<number, unknown>) {
    this.hooks = hooks;
  }

  /** Takes the hook out of its table; calling it again does nothing. */
  remove(): void {
    this.hooks.delete(this.id);
  }
}
