/**
 * `torch.Size`: the shape of a tensor. Like PyTorch's (a tuple subclass) it is a read-only list of
 * numbers that prints as `torch.Size([100, 25])`.
 */
export class Size extends Array<number> {
  // map, filter and slice of a Size give plain arrays, as slicing a torch.Size gives a tuple... of
  // numbers; only the constructor below makes a Size.
  static override get [Symbol.species]() {
    return Array;
  }

  static of_(dims: readonly number[]): Size {
    // what `new Size()` makes, an empty array with Size's prototype, without a call through the
    // derived constructor (several times slower in V8, and every tensor makes a Size)
    const size = Reflect.construct(Array, [], Size) as Size;
    for (let i = 0; i < dims.length; i++) size.push(dims[i]);
    return Object.freeze(size) as Size;
  }

  /** The number of elements a tensor of this shape holds. */
  numel(): number {
    let n = 1;
    for (const d of this) n *= d;
    return n;
  }

  /** Same dimensions, in the same order. */
  equals(other: readonly number[]): boolean {
    return this.length === other.length && this.every((d, i) => d === other[i]);
  }

  override toString(): string {
    return `torch.Size([${this.join(", ")}])`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** A `Size` holding `dims`: what `torch.Size([2, 3])` makes in PyTorch. */
export function size(dims: readonly number[]): Size {
  return Size.of_(dims);
}
