/**
 * `optim.Optimizer`: what every optimizer shares. It holds the parameters in groups, each group
 * with its own copy of the options (so one model can train its layers at different rates), and a
 * `state` per parameter (momentum buffers, running averages).
 *
 * A training step is the usual three lines:
 *
 * ```ts
 * optimizer.zeroGrad();                  // gradients accumulate, so clear last step's
 * lossFn.call(model.call(x), y).backward();
 * optimizer.step();                      // update every parameter in place
 * ```
 *
 * `step` runs with autograd off and writes into the parameters themselves, so the model keeps the
 * same Parameter objects (on whatever device they live). Temporaries of the update are freed at
 * the end of the step (`tidy`), and the state tensors are kept (`keep`), so GPU memory stays flat
 * over any number of steps. `stateDict()` and `loadStateDict()` carry the state and the groups'
 * options to another optimizer over another copy of the model, to resume training.
 */
import { keep, pythonFloatRepr, Tensor, tidy, ValueError, type Device } from "@torchlet/tensor-core";
import { enableGrad, noGrad } from "@torchlet/autograd";
import { typename } from "@torchlet/module";
import { isOptimizerStateDict, joinOptimizerStateDict } from "../serialization/optimizer-file.ts";

/** A group of parameters with its options, as `paramGroups` holds it. */
export type ParamGroup<O> = O & { params: Tensor[] };

/** A group as given to the constructor: parameters plus any options that differ from the defaults. */
export type ParamGroupInit<O> = Partial<O> & { params: Iterable<Tensor> | Tensor };

/** What an optimizer is built from: parameters (`model.parameters()`), or groups of them. */
export type Params<O> = Iterable<Tensor> | Iterable<ParamGroupInit<O>>;

/**
 * What `stateDict()` gives and `loadStateDict` takes (PyTorch's `optimizer.state_dict()`): the
 * parameters are numbered 0, 1, 2, ... through the groups in order, and stand as those numbers, so
 * that the dictionary fits another optimizer over another copy of the model.
 */
export interface OptimizerStateDict {
  /** Each parameter's state (momentum buffers, moment averages, step counts), by its number. */
  state: Map<number, Record<string, unknown>>;
  /** Each group's options, with its parameters as their numbers. */
  paramGroups: (Record<string, unknown> & { params: number[] })[];
}

/** A group's options without its parameters, arrays copied (`betas`), so that no two groups share one. */
function optionsOf(group: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(group).filter(([name]) => name !== "params").map(([name, v]) => [name, Array.isArray(v) ? [...v] : v]));
}

/**
 * The optimizer's state dict inside what `torch.load` gave (its tensors, and the metadata where
 * `torch.save` put the rest); a TypeError for tensors that are not an optimizer's.
 */
function fromFile(tensors: ReadonlyMap<string, Tensor>): OptimizerStateDict {
  const metadata = (tensors as { metadata?: Record<string, string> | null }).metadata ?? null;
  const stateDict = joinOptimizerStateDict(tensors, metadata);
  if (!stateDict) {
    throw new TypeError("loadStateDict takes an optimizer's state dict; these tensors are not one (torch.save(optimizer.stateDict()) writes a file that is)");
  }
  return stateDict;
}

/** A state value as `loadStateDict` takes it: a tensor copied onto `device` (and kept out of `tidy`), an array copied. */
function copyTo(value: unknown, device: Device): unknown {
  if (value instanceof Tensor) return keep(noGrad(() => (value.device === device ? value.clone() : value.to(device))));
  return Array.isArray(value) ? [...value] : value;
}

/** Python's `str` of a number: an integer as an int, anything else as Python's float repr. */
export function pythonNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : pythonFloatRepr(x);
}

/** How Python prints an option's value in an optimizer's repr. */
function pythonValue(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return pythonNumber(value);
  if (Array.isArray(value)) return `(${value.map(pythonValue).join(", ")})`;
  return String(value);
}

/** `weightDecay` → `weight_decay`: the option's name in PyTorch. */
const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The base of every optimizer: parameter groups with their options, per-parameter state, `zeroGrad`, `step`. */
export abstract class Optimizer<O extends object> {
  /** The options of every group that does not set its own. */
  readonly defaults: O;
  /** The parameter groups, each with its full set of options. */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state (momentum buffers, moment estimates), created on the first step. */
  readonly state = new Map<Tensor, Record<string, unknown>>();

  /**
   * @param params the tensors to optimise (`model.parameters()`), or groups `{ params, ...options }`
   * @param defaults every option, for groups that do not set it
   */
  constructor(params: Params<O>, defaults: O) {
    this.defaults = defaults;
    if (params instanceof Tensor) {
      throw new TypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${typename(params)}`);
    }
    const list = [...(params as Iterable<Tensor | ParamGroupInit<O>>)];
    if (list.length === 0) throw new ValueError("optimizer got an empty parameter list");
    const groups = list[0] instanceof Tensor ? [{ params: list as Tensor[] } as unknown as ParamGroupInit<O>] : (list as ParamGroupInit<O>[]);
    for (const group of groups) this.addParamGroup(group);
  }

  /** Adds a group of parameters, with options that override the defaults (e.g. a layer to fine-tune). */
  addParamGroup(group: ParamGroupInit<O>): void {
    const params = group.params instanceof Tensor ? [group.params] : [...group.params];
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError(`optimizer can only optimize Tensors, but one of the params is ${typename(p)}`);
      if (!p.isLeaf) throw new ValueError("can't optimize a non-leaf Tensor");
    }
    const full = { ...this.defaults, ...group, params } as ParamGroup<O>;
    for (const [name, value] of Object.entries(full)) {
      if (value === undefined) {
        throw new ValueError(`parameter group didn't specify a value of required optimization parameter ${snakeCase(name)}`);
      }
    }
    const taken = new Set(this.paramGroups.flatMap((g) => g.params));
    if (params.some((p) => taken.has(p))) throw new ValueError("some parameters appear in more than one parameter group");
    this.paramGroups.push(full);
  }

  /**
   * Clears the gradient of every parameter before the next backward pass: zeroes it (PyTorch 1.13's
   * default), or with `{ setToNone: true }` drops it, which saves the memory and the zeroing.
   */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const grad = p.grad;
        if (grad === null) continue;
        if (options.setToNone) {
          p.grad = null;
          continue;
        }
        if (grad.gradFn !== null) grad.detach_();
        else grad.requiresGrad_(false);
        noGrad(() => grad.zero_());
      }
    }
  }

  /**
   * Updates every parameter that has a gradient, in place. `closure`, if given, re-evaluates the
   * model and returns the loss (it runs with autograd on; its result is returned).
   */
  step<R = undefined>(closure?: () => R): R | undefined {
    const loss = closure ? enableGrad(closure) : undefined;
    noGrad(() =>
      tidy(() => {
        for (const group of this.paramGroups) this.updateGroup(group);
      }),
    );
    return loss;
  }

  /** The update rule of one group: each optimizer's own algorithm. */
  protected abstract updateGroup(group: ParamGroup<O>): void;

  /** The state of `p`, made by `init` on first use; its tensors are kept out of `tidy`. */
  protected stateOf<S extends Record<string, unknown>>(p: Tensor, init: () => S): S {
    let state = this.state.get(p) as S | undefined;
    if (state === undefined) {
      state = init();
      for (const value of Object.values(state)) if (value instanceof Tensor) keep(value);
      this.state.set(p, state);
    }
    return state;
  }

  /**
   * The optimizer's state and its groups' options, to resume training later, in this optimizer or
   * in a new one over a copy of the model (PyTorch's `state_dict()`). The state's tensors are the
   * optimizer's own, not copies, as in PyTorch: the next step changes them. `loadStateDict` copies.
   */
  stateDict(): OptimizerStateDict {
    const numbers = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((group) => ({
      ...optionsOf(group),
      params: group.params.map((p) => {
        if (!numbers.has(p)) numbers.set(p, numbers.size);
        return numbers.get(p)!;
      }),
    }));
    const state = new Map<number, Record<string, unknown>>();
    for (const [p, values] of this.state) {
      const number = numbers.get(p);
      if (number !== undefined) state.set(number, { ...values });
    }
    return { state, paramGroups };
  }

  /**
   * Takes back what `stateDict()` gave (PyTorch's `load_state_dict`): every group's options, and
   * the state of each parameter, matched by position, its tensors copied to the parameter's
   * device. The groups must have as many parameters as this optimizer's; otherwise PyTorch's error,
   * and nothing changes. Takes what `torch.load` read from a file `torch.save(optimizer.stateDict())`
   * wrote, too.
   */
  loadStateDict(stateDict: OptimizerStateDict | ReadonlyMap<string, Tensor>): void {
    if (!isOptimizerStateDict(stateDict)) stateDict = fromFile(stateDict);
    const saved = stateDict.paramGroups;
    if (saved.length !== this.paramGroups.length) throw new ValueError("loaded state dict has a different number of parameter groups");
    if (saved.some((group, i) => group.params.length !== this.paramGroups[i]!.params.length)) {
      throw new ValueError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
    }
    const byNumber = new Map(saved.flatMap((group, i) => group.params.map((n, j) => [n, this.paramGroups[i]!.params[j]!] as const)));
    const state = new Map<Tensor, Record<string, unknown>>();
    for (const [n, values] of stateDict.state) {
      const p = byNumber.get(n);
      if (p === undefined) continue;
      state.set(p, Object.fromEntries(Object.entries(values).map(([name, v]) => [name, copyTo(v, p.device)])));
    }
    this.state.clear();
    for (const [p, values] of state) this.state.set(p, values);
    saved.forEach((group, i) => {
      this.paramGroups[i] = { ...optionsOf(group), params: this.paramGroups[i]!.params } as ParamGroup<O>;
    });
  }

  /** PyTorch's repr: each group's options (not its parameters), sorted by their Python names. */
  toString(): string {
    let text = `${this.constructor.name} (`;
    this.paramGroups.forEach((group, i) => {
      text += `\nParameter Group ${i}\n`;
      const entries = Object.entries(group)
        .filter(([name]) => name !== "params")
        .map(([name, value]) => [snakeCase(name), pythonValue(value)] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [name, value] of entries) text += `    ${name}: ${value}\n`;
    });
    return `${text})`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
