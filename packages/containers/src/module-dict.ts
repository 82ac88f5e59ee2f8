/**
 * `nn.ModuleDict`: modules by name, registered as children under those names, in insertion order.
 * Like ModuleList it has no forward; the parent picks modules by key (`layers.get("conv")`).
 */
import { KeyError, ValueError } from "@torchlet/tensor-core";
import { Module, typename } from "@torchlet/module";

/** What `new ModuleDict(...)` and `update` accept: a Map or ModuleDict, a plain object, or [name, module] pairs. */
export type ModuleEntries =
  | ReadonlyMap<string, Module>
  | ModuleDict
  | Readonly<Record<string, Module>>
  | Iterable<readonly [string, Module]>;

/** Registered modules by name, in insertion order (PyTorch's `nn.ModuleDict`). */
export class ModuleDict extends Module {
  /** A dict holding `modules` (empty when omitted), in their order. */
  constructor(modules?: ModuleEntries) {
    super();
    if (modules !== undefined) this.update(modules);
  }

  /** The module under `key` (`dict[key]`); KeyError when there is none. */
  get(key: string): Module {
    if (!this._modules.has(key)) throw new KeyError(key);
    return this._modules.get(key) as Module;
  }

  /** Adds or replaces the module under `key` (`dict[key] = module`), with addModule's checks. */
  set(key: string, module: Module): void {
    this.addModule(key, module);
  }

  /** Whether `key` is in the dict (`key in dict`). */
  has(key: string): boolean {
    return this._modules.has(key);
  }

  /** Removes `key` (`del dict[key]`); KeyError when it is not there. */
  delete(key: string): void {
    if (!this._modules.delete(key)) throw new KeyError(key);
  }

  /** Removes `key` and returns its module; KeyError when it is not there. */
  pop(key: string): Module {
    const module = this.get(key);
    this.delete(key);
    return module;
  }

  /** Removes every module. */
  clear(): void {
    this._modules.clear();
  }

  /** How many modules there are. */
  get length(): number {
    return this._modules.size;
  }

  /** The keys in insertion order (iterating a dict gives its keys, as in Python). */
  [Symbol.iterator](): IterableIterator<string> {
    return this._modules.keys();
  }

  /** The keys in insertion order. */
  keys(): IterableIterator<string> {
    return this._modules.keys();
  }

  /** The modules in insertion order. */
  *values(): IterableIterator<Module> {
    for (const module of this._modules.values()) yield module as Module;
  }

  /** `[key, module]` pairs in insertion order (Python's `items()`). */
  *entries(): IterableIterator<[string, Module]> {
    for (const [key, module] of this._modules) yield [key, module as Module];
  }

  /**
   * Adds or replaces the entries of `modules`: a Map or another ModuleDict, a plain object, or an
   * iterable of [name, module] pairs, each in its own order.
   */
  update(modules: ModuleEntries): void {
    for (const [key, module] of entriesOf(modules, "ModuleDict")) this.set(key, module);
  }
}

/**
 * The [key, value] pairs of a mapping or of an iterable of pairs, checking each pair the way
 * PyTorch's `update` does (shared with ParameterDict).
 */
export function entriesOf<V>(
  source: ReadonlyMap<string, V> | Readonly<Record<string, V>> | Iterable<readonly [string, V]> | Module,
  owner: string,
): [string, V][] {
  if (source instanceof Map) return [...source];
  if (source instanceof Module && typeof (source as unknown as { entries?: unknown }).entries === "function") {
    return [...(source as unknown as { entries(): Iterable<[string, V]> }).entries()];
  }
  if (source === null || typeof source !== "object") {
    throw new TypeError(`${owner}.update should be called with an iterable of key/value pairs, but got ${typename(source)}`);
  }
  if (typeof (source as Iterable<unknown>)[Symbol.iterator] !== "function") {
    return Object.entries(source as Record<string, V>);
  }
  const pairs: [string, V][] = [];
  let j = 0;
  for (const pair of source as Iterable<unknown>) {
    if (pair === null || typeof (pair as Iterable<unknown>)[Symbol.iterator] !== "function" || typeof pair === "string") {
      throw new TypeError(`${owner} update sequence element #${j} should be Iterable; is${typename(pair)}`);
    }
    const items = [...(pair as Iterable<unknown>)];
    if (items.length !== 2) {
      throw new ValueError(`${owner} update sequence element #${j} has length ${items.length}; 2 is required`);
    }
    pairs.push(items as [string, V]);
    j++;
  }
  return pairs;
}
