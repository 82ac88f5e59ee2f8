/**
 * What `Sequential` and `ModuleList` share: modules registered as children in order, read and
 * changed by position. The children's names are the registry's keys ("0", "1", ... unless a
 * Sequential was built from a map), so positions are looked up through the names.
 */
import { IndexError } from "@torchlet/tensor-core";
import { Module } from "@torchlet/module";
import { absoluteIndex } from "./indexing.ts";

export abstract class ModuleSequence extends Module {
  /**
   * `seq[0]` reads the child registered under the name "0", which for a container built from a
   * list of modules is the first one (Python's `getattr(seq, "0")`). `at(i)` is Python's `seq[i]`:
   * by position, negative indices included, whatever the names.
   */
  readonly [index: number]: Module;

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
    return this._modules.get(this.nameAt(index)) as Module;
  }

  /** Replaces the module at position `index` (`seq[i] = module`), keeping its name. */
  set(index: number, module: Module): void {
    (this as unknown as Record<string, Module>)[this.nameAt(index)] = module;
  }

  /** Removes the module at `index` (`del seq[i]`); the rest are renamed "0", "1", ... as in PyTorch. */
  delete(index: number): void {
    this._modules.delete(this.nameAt(index));
    const modules = [...this._modules.values()];
    this._modules.clear();
    modules.forEach((module, i) => this._modules.set(String(i), module));
  }

  /** Removes the module at `index` and returns it. */
  pop(index: number): Module {
    const module = this.at(index);
    this.delete(index);
    return module;
  }

  /** Adds `module` at the end, named by its position. Returns this container. */
  append(module: Module): this {
    this.addModule(String(this.length), module);
    return this;
  }

  /** Puts `module` at position `index` (0..length, negative from the end), shifting the rest on. */
  protected insertAt(index: number, module: Module): this {
    const n = this._modules.size;
    if (!(-n <= index && index <= n)) throw new IndexError(`Index out of range: ${index}`);
    const at = index < 0 ? index + n : index;
    for (let i = n; i > at; i--) this._modules.set(String(i), this._modules.get(String(i - 1)) as Module);
    this._modules.set(String(at), module);
    return this;
  }

  /** The name of the child at position `index`. */
  private nameAt(index: number): string {
    return [...this._modules.keys()][absoluteIndex(index, this._modules.size)];
  }
}
