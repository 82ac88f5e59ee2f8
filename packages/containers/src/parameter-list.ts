/**
 * `nn.ParameterList`: a list of parameters, registered under "0", "1", ... so that a module with a
 * variable number of weights still hands them all to the optimizer. A plain tensor put in the list
 * becomes a Parameter; other values are kept as they are.
 */
import { RuntimeError, Tensor } from "@torchlet/tensor-core";
import { Module, Parameter, typeName, typename } from "@torchlet/module";
import { absoluteIndex, sliceIndices } from "./indexing.ts";

/** A list of registered parameters, indexed by position (PyTorch's `nn.ParameterList`). */
export class ParameterList extends Module {
  /** `list[0]` is the first entry; `at(i)` also takes negative indices. */
  readonly [index: number]: unknown;

  /** How many entries the list holds (its entries are named "0" .. "size-1"). */
  _size = 0;

  /** A list of `values` (tensors become Parameters), empty when omitted. */
  constructor(values?: Iterable<unknown>) {
    super();
    if (values !== undefined) this.extend(values);
  }

  /** How many entries there are. */
  get length(): number {
    return this._size;
  }

  /** The entries in order. */
  *[Symbol.iterator](): Iterator<unknown> {
    for (let i = 0; i < this._size; i++) yield this.at(i);
  }

  /** The entry at position `index` (negative counts from the end); IndexError outside. */
  at(index: number): unknown {
    return (this as unknown as Record<string, unknown>)[String(absoluteIndex(index, this._size))];
  }

  /** Replaces the entry at `index`; a plain tensor becomes a Parameter. */
  set(index: number, value: unknown): void {
    setEntry(this, String(absoluteIndex(index, this._size)), value);
  }

  /** Adds `value` at the end (a plain tensor becomes a Parameter). Returns this list. */
  append(value: unknown): this {
    const index = this._size;
    setEntry(this, String(index), value);
    this._size = index + 1;
    return this;
  }

  /** Appends every value of `values`. Returns this list. */
  extend(values: Iterable<unknown>): this {
    if (values === null || typeof (values as Iterable<unknown>)?.[Symbol.iterator] !== "function" || values instanceof Tensor) {
      throw new TypeError(`ParameterList.extend should be called with an iterable, but got ${typeName(values)}`);
    }
    for (const value of values) this.append(value);
    return this;
  }

  /** `list[start:stop:step]`: a new ParameterList of the selected entries. */
  slice(start?: number | null, stop?: number | null, step = 1): ParameterList {
    const Self = this.constructor as new () => ParameterList;
    const out = new Self();
    for (const i of sliceIndices(this._size, start, stop, step)) out.append(this.at(i));
    return out;
  }

  /** One line per entry: its kind, dtype and size, as PyTorch prints it. */
  override extraRepr(): string {
    return [...this].map((p, k) => `  (${k}): ${describeEntry(p, (t) => `torch.${t.dtype}`)}`).join("\n");
  }

  /** A ParameterList holds parameters; it computes nothing. */
  override call(): never {
    throw new RuntimeError("ParameterList should not be called.");
  }
}

/** Stores `value` under `name`, a plain tensor as a new Parameter (sharing its storage). */
export function setEntry(container: Module, name: string, value: unknown): void {
  const entry = value instanceof Tensor && !(value instanceof Parameter) ? new Parameter(value) : value;
  (container as unknown as Record<string, unknown>)[name] = entry;
}

/**
 * How ParameterList and ParameterDict describe an entry: `Parameter containing: [torch.float32 of
 * size 2x3]` for a tensor (the type written by `typeName`), the type's name for anything else.
 */
export function describeEntry(value: unknown, typeName: (t: Tensor) => string): string {
  if (!(value instanceof Tensor)) return `Object of type: ${typename(value)}`;
  const kind = value instanceof Parameter ? "Parameter" : "Tensor";
  const device = value.device === "cpu" ? "" : " (GPU 0)";
  return `${kind} containing: [${typeName(value)} of size ${value.shape.join("x")}${device}]`;
}
