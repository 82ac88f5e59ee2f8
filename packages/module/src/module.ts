/**
 * `nn.Module`: the base class of every layer, block and model.
 *
 * A module owns three registries, each an ordered `Map` from name to value:
 *   - `_parameters`: tensors to train (`Parameter`s), e.g. a layer's `weight` and `bias`;
 *   - `_buffers`:    tensors that are state but not trained, e.g. BatchNorm's `running_mean`;
 *   - `_modules`:    child modules, which makes modules a tree.
 * Everything else a module offers walks that tree: listing parameters for an optimizer, saving
 * and loading the state, moving every tensor to the GPU, switching train/eval mode, printing.
 *
 * Assigning to a field fills the registries (`this.weight = new Parameter(...)`); that mechanism,
 * PyTorch's `__setattr__`, is in `setattr.ts`.
 */
import {
  dtypeName,
  keep,
  readBack,
  RuntimeError,
  Tensor,
  TorchletError,
  ValueError,
  AttributeError,
  KeyError,
  type Device,
  type DType,
} from "@torchlet/tensor-core";
import { noGrad } from "@torchlet/autograd";
import { RemovableHandle, type ForwardHook, type ForwardPreHook } from "./hooks.ts";
import { Parameter } from "./parameter.ts";
import { moduleRepr } from "./repr.ts";
import { hasAttribute, moduleProxyHandler } from "./setattr.ts";
import {
  IncompatibleKeys,
  loadFromStateDict,
  loadStateDict,
  saveToStateDict,
  type LoadReport,
  type StateDictLike,
} from "./state-dict.ts";
import { typename } from "./typename.ts";

/** Where `Module.to` moves parameters and buffers: a device, a dtype, both, or those of a tensor. */
export type ModuleTarget = Device | DType | { device?: Device; dtype?: DType } | Tensor;

/**
 * The base class of layers, blocks and models (PyTorch's `nn.Module`). Subclass it, call `super()`,
 * assign parameters, buffers and child modules to fields, override `forward`, and run it with
 * `call(...)`.
 */
export class Module {
  /** True in training mode (the default), false after `eval()`; layers such as BatchNorm read it. */
  training = true;
  /** The parameters registered on this module itself, in registration order (`null` = declared, absent). */
  readonly _parameters = new Map<string, Parameter | null>();
  /** The buffers registered on this module itself, in registration order. */
  readonly _buffers = new Map<string, Tensor | null>();
  /** Names of buffers left out of `stateDict()` (registered with `{ persistent: false }`). */
  readonly _nonPersistentBuffersSet = new Set<string>();
  /** The child modules, in registration order. */
  readonly _modules = new Map<string, Module | null>();
  /** Hooks run before `forward`, by handle id. */
  readonly _forwardPreHooks = new Map<number, ForwardPreHook>();
  /** Hooks run after `forward`, by handle id. */
  readonly _forwardHooks = new Map<number, ForwardHook>();

  /**
   * Sets up the empty registries. Subclasses call `super()` first, then assign their parameters,
   * buffers and children to fields. What the constructor returns is a `Proxy` of the module (see
   * `setattr.ts`), so those assignments register themselves.
   */
  constructor() {
    return new Proxy(this, moduleProxyHandler);
  }

  // ---------------------------------------------------------------- the computation

  /**
   * The computation of the module: subclasses override it. Call the module with `call()` rather
   * than `forward()` directly, so that its hooks run.
   */
  forward(..._inputs: any[]): any {
    throw new TorchletError("NotImplementedError", `Module [${this._getName()}] is missing the required "forward" function`);
  }

  /**
   * Runs the module on `inputs`, Python's `module(x)`: the forward pre-hooks (which may replace the
   * inputs), then `forward`, then the forward hooks (which may replace the output).
   */
  call(...inputs: Parameters<this["forward"]>): ReturnType<this["forward"]> {
    let args: unknown[] = inputs;
    for (const hook of [...this._forwardPreHooks.values()]) {
      const result = hook(this, args);
      if (result !== undefined && result !== null) args = Array.isArray(result) ? result : [result];
    }
    let output: unknown = this.forward(...args);
    for (const hook of [...this._forwardHooks.values()]) {
      const result = hook(this, args, output);
      if (result !== undefined && result !== null) output = result;
    }
    return output as ReturnType<this["forward"]>;
  }

  /** Adds a hook that runs before every `forward` and may replace its inputs. */
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    const handle = new RemovableHandle(this._forwardPreHooks as Map<number, unknown>);
    this._forwardPreHooks.set(handle.id, hook);
    return handle;
  }

  /** Adds a hook that runs after every `forward` and may replace its output. */
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    const handle = new RemovableHandle(this._forwardHooks as Map<number, unknown>);
    this._forwardHooks.set(handle.id, hook);
    return handle;
  }

  // ---------------------------------------------------------------- registration

  /**
   * Registers `tensor` as a buffer: state that is saved and moved with the module but not trained.
   * A non-persistent buffer (`{ persistent: false }`) is left out of `stateDict()`. Afterwards
   * `module.name = tensor` updates it.
   */
  registerBuffer(name: string, tensor: Tensor | null, options: { persistent?: boolean } = {}): void {
    if (typeof name !== "string") throw new TypeError(`buffer name should be a string. Got ${typename(name)}`);
    if (name.includes(".")) throw new KeyError(`buffer name can't contain "."`);
    if (name === "") throw new KeyError(`buffer name can't be empty string ""`);
    if (hasAttribute(this, name) && !this._buffers.has(name)) throw new KeyError(`attribute '${name}' already exists`);
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TypeError(`cannot assign '${typename(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
    }
    this._buffers.set(name, tensor);
    if (options.persistent ?? true) this._nonPersistentBuffersSet.delete(name);
    else this._nonPersistentBuffersSet.add(name);
  }

  /**
   * Registers a parameter under `name`, for parameters made on the fly (assigning a `Parameter` to
   * a field does the same). `null` declares the name without a value, like an absent bias.
   */
  registerParameter(name: string, param: Parameter | null): void {
    if (typeof name !== "string") throw new TypeError(`parameter name should be a string. Got ${typename(name)}`);
    if (name.includes(".")) throw new KeyError(`parameter name can't contain "."`);
    if (name === "") throw new KeyError(`parameter name can't be empty string ""`);
    if (hasAttribute(this, name) && !this._parameters.has(name)) throw new KeyError(`attribute '${name}' already exists`);
    if (param === null) {
      this._parameters.set(name, null);
      return;
    }
    if (!(param instanceof Parameter)) {
      throw new TypeError(
        `cannot assign '${typename(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`,
      );
    }
    if (param.gradFn !== null) {
      throw new ValueError(
        `Cannot assign non-leaf Tensor to parameter '${name}'. Model parameters must be created explicitly. To express '${name}' as a function of another Tensor, compute the value in the forward() method.`,
      );
    }
    this._parameters.set(name, param);
  }

  /** Registers `module` as a child under `name` (assigning a module to a field does the same). */
  addModule(name: string, module: Module | null): void {
    if (module !== null && !(module instanceof Module)) throw new TypeError(`${typename(module)} is not a Module subclass`);
    if (typeof name !== "string") throw new TypeError(`module name should be a string. Got ${typename(name)}`);
    if (hasAttribute(this, name) && !this._modules.has(name)) throw new KeyError(`attribute '${name}' already exists`);
    if (name.includes(".")) throw new KeyError(`module name can't contain ".", got: ${name}`);
    if (name === "") throw new KeyError(`module name can't be empty string ""`);
    this._modules.set(name, module);
  }

  /** Another name for `addModule`. */
  registerModule(name: string, module: Module | null): void {
    this.addModule(name, module);
  }

  /** The submodule at a dotted path such as `"stack.0"` (`""` is this module). */
  getSubmodule(target: string): Module {
    if (target === "") return this;
    let module: Module = this;
    for (const item of target.split(".")) {
      if (!hasAttribute(module, item)) throw new AttributeError(`${module._getName()} has no attribute \`${item}\``);
      const next: unknown = (module as unknown as Record<string, unknown>)[item];
      if (!(next instanceof Module)) throw new AttributeError(`\`${item}\` is not an nn.Module`);
      module = next;
    }
    return module;
  }

  /** The parameter at a dotted path such as `"stack.0.weight"`. */
  getParameter(target: string): Parameter {
    const [module, name] = splitTarget(this, target);
    const value = (module as unknown as Record<string, unknown>)[name];
    if (!(value instanceof Parameter)) throw new AttributeError(`\`${name}\` is not an nn.Parameter`);
    return value;
  }

  /** The buffer at a dotted path such as `"bn.running_mean"`. */
  getBuffer(target: string): Tensor {
    const [module, name] = splitTarget(this, target);
    if (!module._buffers.has(name)) throw new AttributeError(`\`${name}\` is not a buffer`);
    return module._buffers.get(name) as Tensor;
  }

  // ---------------------------------------------------------------- walking the tree

  /**
   * Every module of the tree with its dotted name, this one first (named `prefix`), depth first in
   * registration order. A module reachable twice (shared) is listed once, unless
   * `removeDuplicate` is false.
   */
  *namedModules(options: { memo?: Set<Module>; prefix?: string; removeDuplicate?: boolean } = {}): Generator<[string, Module]> {
    const { memo = new Set<Module>(), prefix = "", removeDuplicate = true } = options;
    if (memo.has(this)) return;
    if (removeDuplicate) memo.add(this);
    yield [prefix, this];
    for (const [name, module] of this._modules) {
      if (module === null) continue;
      const childPrefix = prefix + (prefix ? "." : "") + name;
      yield* module.namedModules({ memo, prefix: childPrefix, removeDuplicate });
    }
  }

  /** Every module of the tree, this one first, each once. */
  *modules(): Generator<Module> {
    for (const [, module] of this.namedModules()) yield module;
  }

  /** The direct children with their names, each module once. */
  *namedChildren(): Generator<[string, Module]> {
    const memo = new Set<Module>();
    for (const [name, module] of this._modules) {
      if (module !== null && !memo.has(module)) {
        memo.add(module);
        yield [name, module];
      }
    }
  }

  /** The direct children, each once. */
  *children(): Generator<Module> {
    for (const [, module] of this.namedChildren()) yield module;
  }

  /** The parameters with their dotted names (`stack.0.weight`), each once. */
  namedParameters(options: { prefix?: string; recurse?: boolean } = {}): Generator<[string, Parameter]> {
    return namedMembers(this, (m) => m._parameters, options.prefix ?? "", options.recurse ?? true);
  }

  /** The parameters, each once: what an optimizer is given. */
  *parameters(options: { recurse?: boolean } = {}): Generator<Parameter> {
    for (const [, param] of this.namedParameters(options)) yield param;
  }

  /** The buffers with their dotted names, each once (non-persistent ones included). */
  namedBuffers(options: { prefix?: string; recurse?: boolean } = {}): Generator<[string, Tensor]> {
    return namedMembers(this, (m) => m._buffers, options.prefix ?? "", options.recurse ?? true);
  }

  /** The buffers, each once. */
  *buffers(options: { recurse?: boolean } = {}): Generator<Tensor> {
    for (const [, buffer] of this.namedBuffers(options)) yield buffer;
  }

  /**
   * Calls `fn` on every module of the tree, children before their parent, and returns this
   * module. The usual use is initialisation: `model.apply((m) => { if (m instanceof Linear) ... })`.
   */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  // ---------------------------------------------------------------- state

  /**
   * The whole state as an ordered map from dotted names to tensors: parameters and persistent
   * buffers, this module's before its children's. The tensors share storage with the module's
   * (detached from autograd unless `keepVars`).
   */
  stateDict(options: { destination?: Map<string, Tensor>; prefix?: string; keepVars?: boolean } = {}): Map<string, Tensor> {
    const { destination = new Map<string, Tensor>(), prefix = "", keepVars = false } = options;
    this._saveToStateDict(destination, prefix, keepVars);
    for (const [name, module] of this._modules) {
      if (module !== null) module.stateDict({ destination, prefix: `${prefix}${name}.`, keepVars });
    }
    return destination;
  }

  /**
   * Copies a state dict's tensors into this module's parameters and buffers. With `strict` (the
   * default) the keys must match `stateDict()`'s exactly. Every problem (missing keys, unexpected
   * keys, shapes that differ) is reported together in one RuntimeError, and then nothing has been
   * copied. Returns the keys that did not match.
   */
  loadStateDict(stateDict: StateDictLike, options: { strict?: boolean } = {}): IncompatibleKeys {
    return loadStateDict(this, stateDict, options.strict ?? true);
  }

  /** Saves this module's own tensors, not its children's. Override to save extra state. */
  _saveToStateDict(destination: Map<string, Tensor>, prefix: string, keepVars: boolean): void {
    saveToStateDict(this, destination, prefix, keepVars);
  }

  /**
   * Checks the entries of `stateDict` under `prefix` against this module's own tensors and queues
   * the copies in `report`. Override to accept older checkpoint layouts: `stateDict` is this
   * module's own copy and may be changed.
   */
  _loadFromStateDict(stateDict: Map<string, unknown>, prefix: string, report: LoadReport): void {
    loadFromStateDict(this, stateDict, prefix, report);
  }

  // ---------------------------------------------------------------- devices

  /**
   * Replaces every parameter's data, gradient and buffer of the tree by `fn` of it: how `to()` is
   * built. Parameters stay the same objects, only their storage changes, so an optimizer that holds
   * them keeps working; buffers are replaced by what `fn` returns.
   */
  _apply(fn: (t: Tensor) => Tensor): this {
    for (const child of this.children()) child._apply(fn);
    for (const param of this._parameters.values()) {
      if (param === null) continue;
      // parameters are leaves: their new data must not be recorded as computed from the old
      adoptStorage(param, noGrad(() => fn(param)));
      if (param.grad !== null) {
        const grad = param.grad;
        adoptStorage(grad, noGrad(() => fn(grad)));
      }
    }
    for (const [name, buffer] of this._buffers) {
      if (buffer !== null) this._buffers.set(name, keep(fn(buffer)));
    }
    return this;
  }

  /**
   * Moves (and/or casts) every parameter and buffer: `module.to("webgpu")`. Moving to the GPU is
   * synchronous; moving back needs `await module.cpu()`. Only floating-point tensors take a new
   * dtype. Returns this module.
   */
  to(target: ModuleTarget): this {
    const { device, dtype } = parseTarget(target);
    if (dtype !== undefined && dtype !== "float32") {
      throw new TypeError(`nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=${dtypeName(dtype)}`);
    }
    if (device === "cpu" && [...tensorsOf(this)].some((t) => t.device !== "cpu")) {
      throw new RuntimeError(`a module on the GPU comes back asynchronously: use \`await module.cpu()\` instead of module.to("cpu")`);
    }
    const copies = new Set<Tensor>();
    this._apply((t) => {
      const moved = t.to({ device: device ?? t.device, dtype: t.isFloatingPoint() ? (dtype ?? t.dtype) : t.dtype });
      if (moved !== t) copies.add(moved);
      return moved;
    });
    // Parameters and gradients took over their copies' storage; the copies themselves are done with.
    for (const buffer of this.buffers()) copies.delete(buffer);
    for (const copy of copies) copy.dispose();
    return this;
  }

  /**
   * Brings every parameter, gradient and buffer back to the CPU, waiting for the GPU. Nothing
   * changes until every tensor has been read, so a failed read leaves the module as it was.
   */
  async cpu(): Promise<this> {
    const all = [...tensorsOf(this)];
    const onCpu = await Promise.all(all.map(readBack)); // values only, outside the graph, as PyTorch's _apply
    const hostOf = new Map(all.map((t, i) => [t, onCpu[i]]));
    for (const module of this.modules()) {
      for (const param of module._parameters.values()) {
        if (param === null) continue;
        adoptStorage(param, hostOf.get(param) as Tensor);
        if (param.grad !== null) adoptStorage(param.grad, hostOf.get(param.grad) as Tensor);
      }
      for (const [name, buffer] of module._buffers) {
        if (buffer !== null) module._buffers.set(name, hostOf.get(buffer) as Tensor);
      }
    }
    // Parameters and gradients now point at host memory. What is still on the GPU are the old
    // buffers, replaced rather than rewritten (as in PyTorch): their memory goes back now instead of
    // whenever the garbage collector finds them.
    for (const t of all) if (t.device !== "cpu") t.dispose();
    return this;
  }

  /** Casts floating-point parameters and buffers to float32. */
  float(): this {
    return this._apply((t) => (t.isFloatingPoint() ? t.float() : t));
  }

  // ---------------------------------------------------------------- modes and gradients

  /** Sets training mode (or evaluation mode with `false`) on this module and every descendant. */
  train(mode = true): this {
    if (typeof mode !== "boolean") throw new ValueError("training mode is expected to be boolean");
    this.training = mode;
    for (const child of this.children()) child.train(mode);
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Turns gradient tracking of every parameter on (or off, to freeze them). */
  requiresGrad_(requiresGrad = true): this {
    for (const param of this.parameters()) param.requiresGrad_(requiresGrad);
    return this;
  }

  /**
   * Zeroes every parameter's gradient before the next backward pass (gradients accumulate), or
   * drops them with `{ setToNone: true }`.
   */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    for (const param of this.parameters()) {
      const grad = param.grad;
      if (grad === null) continue;
      if (options.setToNone) {
        param.grad = null;
        continue;
      }
      if (grad.gradFn !== null) grad.detach_();
      else grad.requiresGrad_(false);
      grad.zero_();
    }
  }

  // ---------------------------------------------------------------- printing

  /** The name a module prints under: its class name. */
  _getName(): string {
    return this.constructor.name;
  }

  /**
   * Extra information printed inside the module's parentheses, e.g. Linear's
   * `in_features=3, out_features=2, bias=True`. Override it; several lines are fine.
   */
  extraRepr(): string {
    return "";
  }

  /** PyTorch's repr: the class name, the extra repr, and each child indented below. */
  toString(): string {
    return moduleRepr(this);
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

// These are functions rather than methods on purpose: every method name is an attribute name
// that a parameter, buffer or child could then no longer take.

/**
 * Walks the tree (or only `module`, without `recurse`) and yields the members `membersOf` gives for
 * each module, named by the module's path; a value met twice (a shared parameter) is yielded once,
 * under its first name.
 */
function* namedMembers<T>(
  module: Module,
  membersOf: (module: Module) => Iterable<[string, T | null]>,
  prefix: string,
  recurse: boolean,
): Generator<[string, T]> {
  const memo = new Set<T>();
  const modules: Iterable<[string, Module]> = recurse ? module.namedModules({ prefix }) : [[prefix, module]];
  for (const [modulePrefix, m] of modules) {
    for (const [name, value] of membersOf(m)) {
      if (value === null || memo.has(value)) continue;
      memo.add(value);
      yield [modulePrefix + (modulePrefix ? "." : "") + name, value];
    }
  }
}

/** Every parameter, gradient and buffer of the tree, each once. */
function* tensorsOf(root: Module): Generator<Tensor> {
  const seen = new Set<Tensor>();
  for (const module of root.modules()) {
    const candidates: (Tensor | null)[] = [];
    for (const param of module._parameters.values()) candidates.push(param, param?.grad ?? null);
    candidates.push(...module._buffers.values());
    for (const t of candidates) {
      if (t !== null && !seen.has(t)) {
        seen.add(t);
        yield t;
      }
    }
  }
}

/** Splits `"a.b.weight"` into the module `a.b` and the name `weight`, which must exist there. */
function splitTarget(root: Module, target: string): [Module, string] {
  const dot = target.lastIndexOf(".");
  const module = root.getSubmodule(dot < 0 ? "" : target.slice(0, dot));
  const name = target.slice(dot + 1);
  if (!hasAttribute(module, name)) throw new AttributeError(`${module._getName()} has no attribute \`${name}\``);
  return [module, name];
}

/**
 * Points `owner` at `source`'s storage (PyTorch's `param.data = new_data`), keeping the tensor object
 * the same, and lets it outlive any `tidy` scope: parameters and gradients are long-lived.
 */
function adoptStorage(owner: Tensor, source: Tensor): void {
  if (source !== owner) owner.replaceStorage(source.storage, source.shape, source.stride(), source.storageOffset());
  keep(owner);
}

function parseTarget(target: ModuleTarget): { device?: Device; dtype?: DType } {
  if (target instanceof Tensor) return { device: target.device, dtype: target.dtype };
  if (typeof target === "object") return target;
  if (target === "float32" || target === "int64" || target === "bool") return { dtype: target };
  return { device: target };
}
