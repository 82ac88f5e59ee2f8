/**
 * `nn.Sequential`: modules run one after another, each one's output the next one's input.
 *
 * It is a Module like any other: the modules are registered children named "0", "1", ... (or the
 * names of the map it was built from), so `parameters()`, `stateDict()` and `to()` see them, and
 * its forward is the loop a reader would write by hand.
 */
import { TorchletError } from "@torchlet/tensor-core";
import { Module } from "@torchlet/module";
import { sliceIndices } from "./indexing.ts";
import { ModuleSequence } from "./module-sequence.ts";

/** Modules applied one after another (PyTorch's `nn.Sequential`). */
export class Sequential extends ModuleSequence {
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

  /**
   * `seq[start:stop:step]`: a new Sequential of the selected modules, which keep their names
   * (PyTorch's behaviour: `seq[1:3]` holds children "1" and "2").
   */
  slice(start?: number | null, stop?: number | null, step = 1): Sequential {
    const entries = [...this._modules] as [string, Module][];
    const Self = this.constructor as new (modules: ReadonlyMap<string, Module>) => Sequential;
    return new Self(new Map(sliceIndices(entries.length, start, stop, step).map((i) => entries[i])));
  }

  /** Puts `module` at position `index` (0..length, negative from the end), shifting the rest on. */
  insert(index: number, module: Module): this {
    if (!(module instanceof Module)) {
      throw new TorchletError("AssertionError", "module should be of type: <class 'torch.nn.modules.module.Module'>");
    }
    return this.insertAt(index, module);
  }

  /** Appends every module of `modules` (another Sequential, an array, ...). Returns this Sequential. */
  extend(modules: Iterable<Module>): this {
    for (const module of modules) this.append(module);
    return this;
  }
}
