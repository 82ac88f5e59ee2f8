/**
 * `nn.ParameterDict`: parameters by name, registered under those names, in insertion order. A
 * plain tensor put in the dict becomes a Parameter; other values are kept as they are.
 */
import { AttributeError, KeyError, RuntimeError, Tensor } from "@torchlet/tensor-core";
import { Module, typeName, typename } from "@torchlet/module";
import { entriesOf } from "./module-dict.ts";
import { describeEntry, setEntry } from "./parameter-list.ts";

/** What `new ParameterDict(...)` and `update` accept: a Map or ParameterDict, a plain object, or [name, value] pairs. */
export type ParameterEntries =
  | ReadonlyMap<string, unknown>
  | ParameterDict
  | Readonly<Record<string, unknown>>
  | Iterable<readonly [string, unknown]>;

/** Registered parameters by name, in insertion order (PyTorch's `nn.ParameterDict`). */
export class ParameterDict extends Module {
  /** The keys in insertion order (the values live in the module's registries and fields). */
  readonly _keys = new Set<string>();

  /** A dict holding `parameters` (see `update` for the order), empty when omitted. */
  constructor(parameters?: ParameterEntries) {
    super();
    if (parameters !== undefined) this.update(parameters);
  }

  /**
   * `dict[key]`: the entry under `key`, an AttributeError when there is none (as in PyTorch).
   * With a second argument, Python's `dict.get(key, default)`: `fallback` when there is none.
   */
  get(key: string, ...fallback: [unknown?]): unknown {
    if (this._keys.has(key)) return (this as unknown as Record<string, unknown>)[key];
    if (fallback.length > 0) return fallback[0];
    throw new AttributeError(`'${this._getName()}' object has no attribute '${key}'`);
  }

  /** Adds or replaces the entry under `key` (`dict[key] = value`); a plain tensor becomes a Parameter. */
  set(key: string, value: unknown): void {
    if (typeof key !== "string") {
      throw new TypeError(
        `Index given to ParameterDict cannot be used as a key as it is not a string (type is '${typeName(key)}').`,
      );
    }
    setEntry(this, key, value);
    this._keys.add(key);
  }

  /** Whether `key` is in the dict. */
  has(key: string): boolean {
    return this._keys.has(key);
  }

  /** Removes `key` (`del dict[key]`); KeyError when it is not there. */
  delete(key: string): void {
    if (!this._keys.delete(key)) throw new KeyError(key);
    delete (this as unknown as Record<string, unknown>)[key];
  }

  /** Removes `key` and returns its entry. */
  pop(key: string): unknown {
    const value = this.get(key);
    this.delete(key);
    return value;
  }

  /** Removes and returns the last inserted `[key, value]` pair. */
  popitem(): [string, unknown] {
    const key = [...this._keys].pop();
    if (key === undefined) throw new KeyError("popitem(): dictionary is empty");
    return [key, this.pop(key)];
  }

  /** The entry under `key`, first setting it to `fallback` when there is none. */
  setdefault(key: string, fallback: unknown = null): unknown {
    if (!this.has(key)) this.set(key, fallback);
    return this.get(key);
  }

  /** Removes every entry. */
  clear(): void {
    for (const key of [...this._keys]) this.delete(key);
  }

  /** A new ParameterDict holding the same entries (the same Parameter objects). */
  copy(): ParameterDict {
    return new ParameterDict(new Map(this.entries()));
  }

  /** A new ParameterDict with every key of `keys` set to `fallback`. */
  fromkeys(keys: Iterable<string>, fallback: unknown = null): ParameterDict {
    return new ParameterDict([...keys].map((k) => [k, fallback] as const));
  }

  /** How many entries there are. */
  get length(): number {
    return this._keys.size;
  }

  /** The keys in insertion order. */
  [Symbol.iterator](): IterableIterator<string> {
    return this._keys.values();
  }

  /** The keys in insertion order. */
  keys(): IterableIterator<string> {
    return this._keys.values();
  }

  /** The entries in insertion order. */
  *values(): IterableIterator<unknown> {
    for (const key of this._keys) yield this.get(key);
  }

  /** `[key, value]` pairs in insertion order (Python's `items()`). */
  *entries(): IterableIterator<[string, unknown]> {
    for (const key of this._keys) yield [key, this.get(key)];
  }

  /**
   * Adds or replaces entries. A Map or another ParameterDict keeps its order, and so does an
   * iterable of pairs; a plain object's keys are taken in sorted order, as PyTorch 1.13 sorts a
   * plain dict's.
   */
  update(parameters: ParameterEntries): void {
    const isPlainObject =
      typeof parameters === "object" &&
      parameters !== null &&
      !(parameters instanceof Map) &&
      !(parameters instanceof Module) &&
      typeof (parameters as Iterable<unknown>)[Symbol.iterator] !== "function";
    const pairs = entriesOf(parameters as ParameterEntries, "ParameterDict");
    if (isPlainObject) pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [key, value] of pairs) this.set(key, value);
  }

  /** One line per entry: its kind, tensor type and size, as PyTorch prints it. */
  override extraRepr(): string {
    return [...this.entries()].map(([k, p]) => `  (${k}): ${describeEntry(p, (t: Tensor) => typename(t))}`).join("\n");
  }

  /** A ParameterDict holds parameters; it computes nothing. */
  override call(): never {
    throw new RuntimeError("ParameterDict should not be called.");
  }
}
