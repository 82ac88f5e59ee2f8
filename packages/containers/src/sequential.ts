/**
 * `nn.Sequential`: modules run one after another, each one's output the next one's input.
 *
 * It is a Module like any other: the modules are registered children named "0", "1", ... (or the
 * names of the map it was built from), so `parameters()`, `stateDict()` and `to()` see them, and
 * its forward is the loop a reader would write by hand.
 */
import { IndexError, TorchletError } from "@torchlet/tensor-core";
import { Module } from "@torchlet/module";
import { absoluteIndex, sliceIndices } from "./indexing.ts";

/** Modules applied one after another (PyTorch's `nn.Sequential`). */
export class Sequential extends Module {
  /**
   * `seq[0]` reads the child registered under the name "0", which for a Sequential built from a
   * list of modules is the first one (Python's `getattr(seq, "0")`). `at(i)` is Python's `seq[i]`:
   * by position, negative indices included, whatever the names.
   */
  readonly [index: number]: Module;

  /**
   * `new Sequential(a, b, c)` names the modules "0", "1", "2";
   * `new Sequential(new Map([["conv", a], ["relu", b]]))` keeps the map's names and order.
   */
  constructor(...modules: Module[]);
  constructor(modules: ReadonlyMap<string, Module>);
  constructor(...args: Module[] | [ReadonlyMap<string, Module>]) {
    super();
    const [first] = args;
    if (args.length === 1 && first instanceof Map) {
      for (const [name, module] of first) this.addModule(name, module);
    } else {
      (args as Module[]).forEach((module, i) => this.addModule(String(i), module));
    }
  }

  /** Passes `input` through every module in order (typed loosely: it is whatever the modules take). */
  override forward(input: any): any {
    for (const module of this) input = module.call(input);
    return input;
  }

  /** How many modules there are (`len(seq)`). */
  get length(): number {
    return this._modules.size;
  }

  /** The modules in order (`for m in seq`). */
  *[Symbol.iterator](): Iterator<Module> {
    for (const module of this._modules.values()) if (module !== null) yield module;
  }

  /** The module at position `index` (negative counts from the end); IndexError outside. */
  at(index: number): Module {
    return this._modules.get(nameAt(this, index)) as Module;
  }

  /** Replaces the module at position `index` (`seq[i] = module`), keeping its name. */
  set(index: number, module: Module): void {
    (this as unknown as Record<string, Module>)[nameAt(this, index)] = module;
  }

  /** Removes the module at `index` (`del seq[i]`); the rest are renamed "0", "1", ... as in PyTorch. */
  delete(index: number): void {
    this._modules.delete(nameAt(this, index));
    renumber(this);
  }

  /** Removes the module at `index` and returns it. */
  pop(index: number): Module {
    const module = this.at(index);
    this.delete(index);
    return module;
  }

  /**
   * `seq[start:stop:step]`: a new Sequential of the selected modules, which keep their names
   * (PyTorch's behaviour: `seq[1:3]` holds children "1" and "2").
   */
  slice(start?: number | null, stop?: number | null, step = 1): Sequential {
    const entries = [...this._modules] as [string, Module][];
    const Self = this.constructor as new (modules: ReadonlyMap<string, Module>) => Sequential;
    return new Self(new Map(sliceIndices(entries.length, start, stop, step).map((i) => entries[i])));
  }

  /** Adds `module` at the end, named by its position. Returns this Sequential. */
  append(module: Module): this {
    this.addModule(String(this.length), module);
    return this;
  }

  /** Puts `module` at position `index` (0..length, negative from the end), shifting the rest on. */
  insert(index: number, module: Module): this {
    if (!(module instanceof Module)) {
      throw new TorchletError("AssertionError", "module should be of type: <class 'torch.nn.modules.module.Module'>");
    }
    const n = this._modules.size;
    if (!(-n <= index && index <= n)) throw new IndexError(`Index out of range: ${index}`);
    const at = index < 0 ? index + n : index;
    for (let i = n; i > at; i--) this._modules.set(String(i), this._modules.get(String(i - 1)) as Module);
    this._modules.set(String(at), module);
    return this;
  }

  /** Appends every module of `modules` (another Sequential, an array, ...). Returns this Sequential. */
  extend(modules: Iterable<Module>): this {
    for (const module of modules) this.append(module);
    return this;
  }
}

/** Renames the children "0", "1", ... in their current order. */
export function renumber(container: Module): void {
  const modules = [...container._modules.values()];
  container._modules.clear();
  modules.forEach((module, i) => container._modules.set(String(i), module));
}

/** The name of the child at position `index` of a list-like container. */
export function nameAt(container: Module, index: number): string {
  return [...container._modules.keys()][absoluteIndex(index, container._modules.size)];
}
