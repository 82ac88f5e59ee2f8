/**
 * `nn.ModuleList`: a list of modules, registered as children "0", "1", ... so that their parameters
 * belong to the parent. It has no forward: the parent decides how to use them (the seed's
 * 50-layer network loops over one).
 */
import { IndexError } from "@torchlet/tensor-core";
import { Module, typeName, typename } from "@torchlet/module";
import { sliceIndices } from "./indexing.ts";
import { nameAt, renumber } from "./sequential.ts";

/** A list of registered modules, indexed by position (PyTorch's `nn.ModuleList`). */
export class ModuleList extends Module {
  /** `list[0]` is the first module (the child named "0"); `at(i)` also takes negative indices. */
  readonly [index: number]: Module;

  /** A list holding `modules` in order (empty when omitted). */
  constructor(modules?: Iterable<Module>) {
    super();
    if (modules !== undefined) this.extend(modules);
  }

  /** How many modules there are. */
  get length(): number {
    return this._modules.size;
  }

  /** The modules in order. */
  *[Symbol.iterator](): Iterator<Module> {
    for (const module of this._modules.values()) if (module !== null) yield module;
  }

  /** The module at position `index` (negative counts from the end); IndexError outside. */
  at(index: number): Module {
    return this._modules.get(nameAt(this, index)) as Module;
  }

  /** Replaces the module at position `index` (`list[i] = module`). */
  set(index: number, module: Module): void {
    (this as unknown as Record<string, Module>)[nameAt(this, index)] = module;
  }

  /** Removes the module at `index`; the rest are renumbered. */
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

  /** `list[start:stop:step]`: a new ModuleList of the selected modules, numbered from "0". */
  slice(start?: number | null, stop?: number | null, step = 1): ModuleList {
    const modules = [...this];
    const Self = this.constructor as new (modules: Iterable<Module>) => ModuleList;
    return new Self(sliceIndices(modules.length, start, stop, step).map((i) => modules[i]));
  }

  /** Adds `module` at the end. Returns this list. */
  append(module: Module): this {
    this.addModule(String(this.length), module);
    return this;
  }

  /**
   * Puts `module` at position `index` (0..length, negative from the end), shifting the rest on.
   * (PyTorch's ModuleList.insert does not check the index and misplaces a negative one; this one
   * checks it as Sequential.insert does.)
   */
  insert(index: number, module: Module): this {
    if (!(module instanceof Module)) throw new TypeError(`${typename(module)} is not a Module subclass`);
    const n = this._modules.size;
    if (!(-n <= index && index <= n)) throw new IndexError(`Index out of range: ${index}`);
    const at = index < 0 ? index + n : index;
    for (let i = n; i > at; i--) this._modules.set(String(i), this._modules.get(String(i - 1)) as Module);
    this._modules.set(String(at), module);
    return this;
  }

  /** Appends every module of `modules`. Returns this list. */
  extend(modules: Iterable<Module>): this {
    if (modules === null || typeof (modules as Iterable<Module>)[Symbol.iterator] !== "function") {
      throw new TypeError(`ModuleList.extend should be called with an iterable, but got ${typeName(modules)}`);
    }
    for (const module of modules) this.append(module);
    return this;
  }
}
