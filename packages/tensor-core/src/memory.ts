/**
 * Freeing device memory. On the CPU the garbage collector frees typed arrays; GPU buffers are not
 * JavaScript memory, so torchlet gives them back explicitly, three ways:
 * - `t.dispose()`: this tensor is done (its storage is freed when no view uses it any more);
 * - `tidy(fn)`: every GPU tensor made inside `fn` is disposed when it returns, except what it
 *   returns and what `keep` marks (parameters, gradients, optimizer state);
 * - a `FinalizationRegistry`: a tensor the garbage collector finds unreachable gives its storage
 *   back eventually, the safety net for whatever the first two miss.
 */
import type { Storage } from "./storage.ts";
import type { Tensor } from "./tensor.ts";

const finalizer = new FinalizationRegistry<Storage>((storage) => storage.release());

const scopes: Set<Tensor>[] = [];

/** Called by every new tensor whose storage lives on a device (not the CPU). */
export function trackDeviceTensor(t: Tensor, storage: Storage): void {
  storage.retain();
  finalizer.register(t, storage, t);
  scopes[scopes.length - 1]?.add(t);
}

/** Called by `dispose()`: the tensor no longer holds its storage. */
export function untrackDeviceTensor(t: Tensor, storage: Storage): void {
  finalizer.unregister(t);
  for (const scope of scopes) scope.delete(t);
  storage.release();
}

/**
 * Runs `fn` and disposes every device tensor it created, except those in its result (a tensor, or
 * tensors inside arrays and plain objects) and those passed to `keep`. Like tfjs's `tidy`; `fn`
 * must be synchronous, since a scope cannot follow an `await`.
 */
export function tidy<R>(fn: () => R): R {
  const scope = new Set<Tensor>();
  scopes.push(scope);
  let result: R;
  try {
    result = fn();
  } catch (error) {
    // nothing is returned from a failed scope, so nothing made in it survives
    scopes.pop();
    for (const t of scope) t.dispose();
    throw error;
  }
  scopes.pop();
  if (result instanceof Promise) {
    throw new Error("tidy(fn) needs a synchronous fn: tensors made after an await would escape the scope");
  }
  const survivors = new Set<Tensor>();
  collectTensors(result, survivors);
  const parent = scopes[scopes.length - 1];
  for (const t of scope) {
    if (survivors.has(t)) parent?.add(t);
    else t.dispose();
  }
  return result;
}

/** Lets `t` outlive the `tidy` scopes it was made in. Returns `t`. */
export function keep<T extends Tensor>(t: T): T {
  for (const scope of scopes) scope.delete(t);
  return t;
}

function collectTensors(value: unknown, into: Set<Tensor>, seen = new Set<unknown>()): void {
  if (value === null || typeof value !== "object" || seen.has(value)) return;
  seen.add(value);
  if (isTensor(value)) {
    into.add(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collectTensors(v, into, seen);
  } else if (Object.getPrototypeOf(value) === Object.prototype || value instanceof Map) {
    for (const v of value instanceof Map ? value.values() : Object.values(value)) collectTensors(v, into, seen);
  }
}

function isTensor(value: object): value is Tensor {
  return (value as { isTensor?: unknown }).isTensor === true;
}
