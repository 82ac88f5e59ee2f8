/**
 * Grad mode: one switch that says whether new ops are recorded into the backward graph. PyTorch
 * keeps it per thread; JavaScript runs one thread of tensor work, so here it is one module-level
 * flag. Turning it off is what `torch.no_grad()` does: evaluation and optimizer steps run without
 * building a graph they would never use.
 */

let enabled = true;

/** Whether ops running now are recorded for backward (PyTorch's `torch.is_grad_enabled()`). */
export function isGradEnabled(): boolean {
  return enabled;
}

/** Turns recording on or off until it is set again (PyTorch's `torch.set_grad_enabled(mode)`). */
export function setGradEnabled(mode: boolean): void {
  enabled = mode;
}

/**
 * Runs `fn` with recording off and returns its result: nothing computed inside gets a `gradFn`, and
 * in-place updates of parameters are allowed (PyTorch's `with torch.no_grad():`).
 *
 * `fn` must be synchronous: the previous mode is restored when `fn` returns, so code after an
 * `await` inside it would silently run with the outer mode. Awaiting is for reading results, which
 * can happen after the block.
 */
export function noGrad<R>(fn: () => R): R {
  return withGradMode(false, fn, "noGrad");
}

/** Runs `fn` with recording on, even inside `noGrad` (PyTorch's `with torch.enable_grad():`). */
export function enableGrad<R>(fn: () => R): R {
  return withGradMode(true, fn, "enableGrad");
}

function withGradMode<R>(mode: boolean, fn: () => R, name: string): R {
  const previous = enabled;
  enabled = mode;
  let result: R;
  try {
    result = fn();
  } finally {
    enabled = previous;
  }
  if (result instanceof Promise) {
    throw new TypeError(`${name}(fn) needs a synchronous fn: ops after an await would run with the outer grad mode`);
  }
  return result;
}
