/**
 * Python's tuples. JavaScript writes `a, b` as an array, and arrays print as Python lists; where a
 * chapter's Python twin ends a cell with `a, b` (shown `(a, b)`), the TypeScript cell writes
 * `tuple(a, b)`.
 */

const tupleMark = Symbol.for("torchlet.cells.tuple");

/** A Python tuple: an array that prints as `(a, b)` (and `(a,)` for one item). */
export type Tuple<T extends unknown[] = unknown[]> = Readonly<T> & { readonly [tupleMark]: true };

/**
 * `tuple(a, b)`: what Python writes as `a, b` at the end of a cell, shown as `(a, b)`.
 *
 * ```ts
 * tuple(layer.weight.shape, layer.bias)   // (torch.Size([10, 5]), None) when bias is null
 * ```
 */
export function tuple<T extends unknown[]>(...items: T): Tuple<T> {
  const array = [...items];
  Object.defineProperty(array, tupleMark, { value: true });
  return Object.freeze(array) as unknown as Tuple<T>;
}

/** Whether a value was made by `tuple(...)`. */
export function isTuple(value: unknown): value is Tuple {
  return Array.isArray(value) && (value as unknown as Record<symbol, unknown>)[tupleMark] === true;
}

