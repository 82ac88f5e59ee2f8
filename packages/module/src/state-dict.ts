/**
 * `stateDict()` and `loadStateDict()`: a module's whole state as one flat, ordered map from dotted
 * names (`stack.0.weight`) to tensors, and back. The names are the file format of a checkpoint, so
 * they follow PyTorch's exactly: parameters then persistent buffers of each module, the module
 * before its children, children in registration order.
 *
 * Loading checks everything before it changes anything: PyTorch copies each tensor as it goes and
 * may leave a model half loaded when a later key is wrong; here a failed load leaves every
 * parameter and buffer as it was, and the error lists every problem at once.
 */
import { pythonStringRepr, RuntimeError, Tensor } from "@torchlet/tensor-core";
import { noGrad } from "@torchlet/autograd";
import type { Module } from "./module.ts";
import { typename } from "./typename.ts";

/** A state dict as `loadStateDict` accepts it: a `Map` (what `stateDict()` returns) or a plain object. */
export type StateDictLike = ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>;

/** One tensor to copy, once every check has passed. */
export interface PendingCopy {
  readonly target: Tensor;
  readonly source: Tensor;
}

/** What `_loadFromStateDict` reports into, for one `loadStateDict` call. */
export interface LoadReport {
  readonly missingKeys: string[];
  readonly unexpectedKeys: string[];
  readonly errorMsgs: string[];
  readonly copies: PendingCopy[];
}

/**
 * The keys a non-strict `loadStateDict` did not match (PyTorch's `_IncompatibleKeys`). Prints as
 * PyTorch does: `<All keys matched successfully>` when both lists are empty.
 */
export class IncompatibleKeys {
  /** @param missingKeys the model's keys the state dict lacked; @param unexpectedKeys its keys the model lacks */
  constructor(
    readonly missingKeys: string[],
    readonly unexpectedKeys: string[],
  ) {}

  /**
   * What PyTorch prints for the result of `load_state_dict`: `<All keys matched successfully>`, or
   * `_IncompatibleKeys(missing_keys=[...], unexpected_keys=[...])`.
   */
  toString(): string {
    if (this.missingKeys.length === 0 && this.unexpectedKeys.length === 0) return "<All keys matched successfully>";
    const list = (keys: string[]) => `[${keys.map(pythonStringRepr).join(", ")}]`;
    return `_IncompatibleKeys(missing_keys=${list(this.missingKeys)}, unexpected_keys=${list(this.unexpectedKeys)})`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/**
 * Puts `module`'s own parameters and persistent buffers (not its children's) into `destination`,
 * under `prefix`. `null` entries are left out. Unless `keepVars`, the values are detached: they
 * share storage with the parameters but carry no autograd history.
 */
export function saveToStateDict(module: Module, destination: Map<string, Tensor>, prefix: string, keepVars: boolean): void {
  for (const [name, param] of module._parameters) {
    if (param !== null) destination.set(prefix + name, keepVars ? param : param.detach());
  }
  for (const [name, buffer] of module._buffers) {
    if (buffer !== null && !module._nonPersistentBuffersSet.has(name)) {
      destination.set(prefix + name, keepVars ? buffer : buffer.detach());
    }
  }
}

/**
 * Checks the entries of `stateDict` meant for `module` itself (those under `prefix`) and queues the
 * copies, reporting missing keys, unexpected keys and mismatched shapes. Children are checked by
 * their own call, with a longer prefix.
 */
export function loadFromStateDict(module: Module, stateDict: Map<string, unknown>, prefix: string, report: LoadReport): void {
  const localState = new Map<string, Tensor>();
  for (const [name, param] of module._parameters) if (param !== null) localState.set(name, param);
  for (const [name, buffer] of module._buffers) {
    if (buffer !== null && !module._nonPersistentBuffersSet.has(name)) localState.set(name, buffer);
  }

  for (const [name, target] of localState) {
    const key = prefix + name;
    if (!stateDict.has(key)) {
      report.missingKeys.push(key);
      continue;
    }
    const value = stateDict.get(key);
    if (!(value instanceof Tensor)) {
      report.errorMsgs.push(
        `While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received <class '${typename(value)}'>`,
      );
      continue;
    }
    // checkpoints from PyTorch 0.3 stored scalars as one-element vectors
    const source: Tensor = target.ndim === 0 && value.ndim === 1 ? value.select(0, 0) : value;
    if (!target.shape.equals(source.shape)) {
      report.errorMsgs.push(
        `size mismatch for ${key}: copying a param with shape ${source.shape} from checkpoint, the shape in current model is ${target.shape}.`,
      );
      continue;
    }
    if (target.device === "cpu" && source.device !== "cpu") {
      report.errorMsgs.push(
        `While copying the parameter named "${key}", whose dimensions in the model are ${target.shape} and whose dimensions in the checkpoint are ${source.shape}, an exception occurred : the checkpoint's tensor is on ${source.device}: read it back with \`await t.cpu()\` first.`,
      );
      continue;
    }
    report.copies.push({ target, source });
  }

  // A key under this prefix is unexpected unless it names one of our tensors or children.
  for (const key of stateDict.keys()) {
    if (!key.startsWith(prefix)) continue;
    const first = key.slice(prefix.length).split(".", 1)[0];
    if (!module._modules.has(first) && !localState.has(first)) report.unexpectedKeys.push(key);
  }
}

/** `module.loadStateDict(stateDict, { strict })`: see `Module.loadStateDict`. */
export function loadStateDict(module: Module, stateDict: StateDictLike, strict: boolean): IncompatibleKeys {
  const entries = toMap(stateDict);
  const report: LoadReport = { missingKeys: [], unexpectedKeys: [], errorMsgs: [], copies: [] };

  // each module gets its own copy of the entries under its prefix: an override of
  // _loadFromStateDict may rewrite it (say, to accept an older checkpoint's names) without
  // touching the caller's map
  const visit = (m: Module, local: Map<string, unknown>, prefix: string): void => {
    m._loadFromStateDict(local, prefix, report);
    for (const [name, child] of m._modules) {
      if (child === null) continue;
      const childPrefix = `${prefix}${name}.`;
      const childState = new Map([...local].filter(([key]) => key.startsWith(childPrefix)));
      visit(child, childState, childPrefix);
    }
  };
  visit(module, entries, "");

  const errors = [...report.errorMsgs];
  if (strict) {
    const quoted = (keys: string[]) => keys.map((k) => `"${k}"`).join(", ");
    if (report.unexpectedKeys.length > 0) errors.unshift(`Unexpected key(s) in state_dict: ${quoted(report.unexpectedKeys)}. `);
    if (report.missingKeys.length > 0) errors.unshift(`Missing key(s) in state_dict: ${quoted(report.missingKeys)}. `);
  }
  if (errors.length > 0) {
    throw new RuntimeError(`Error(s) in loading state_dict for ${module._getName()}:\n\t${errors.join("\n\t")}`);
  }

  // Every check passed: now, and only now, the values change.
  noGrad(() => {
    for (const { target, source } of report.copies) target.copy_(source);
  });
  return new IncompatibleKeys(report.missingKeys, report.unexpectedKeys);
}

function toMap(stateDict: StateDictLike): Map<string, unknown> {
  if (stateDict instanceof Map) return new Map(stateDict);
  const isPlainObject =
    typeof stateDict === "object" && stateDict !== null && [Object.prototype, null].includes(Object.getPrototypeOf(stateDict));
  if (!isPlainObject) {
    throw new TypeError(`Expected state_dict to be dict-like, got <class '${typename(stateDict)}'>.`);
  }
  return new Map(Object.entries(stateDict));
}
