/**
 * `nn.ModuleList`: a list of modules, registered as children "0", "1", ... so that their parameters
 * belong to the parent. It has no forward: the parent decides how to use them (the seed's
 * 50-layer network loops over one).
 */
import { Module, typeName, typename } from "@torchlet/module";
import { sliceIndices } from "./indexing.ts";
import { ModuleSequence } from "./module-sequence.ts";

/** A list of registered modules, indexed by position (PyTorch's `nn.ModuleList`). */
export class ModuleList extends ModuleSequence {
  /** A list holding `modules` in order (empty when omitted). */
  constructor(modules?: Iterable<Module>) {
    super();
    if (modules !== undefined) this.extend(modules);
  }

  /** `list[start:stop:step]`: a new ModuleList of the selected modules, numbered from "0". */
  slice(start?: number | null, stop?: number | null, step = 1): ModuleList {
    const modules = [...this];
    const Self = this.constructor as new (modules: Iterable<Module>) => ModuleList;
    return new Self(sliceIndices(modules.length, start, stop, step).map((i) => modules[i]));
  }

  /**
   * Puts `module` at position `index` (0..length, negative from the end), shifting the rest on.
   * (PyTorch's ModuleList.insert does not check the index and misplaces a negative one; this one
   * checks it as Sequential.insert does.)
   */
  insert(index: number, module: Module): this {
    if (!(module instanceof Module)) throw new TypeError(`${typename(module)} is not a Module subclass`);
    return this.insertAt(index, module);
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
