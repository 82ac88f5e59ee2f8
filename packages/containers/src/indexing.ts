/**
 * Python's list indexing, which the list-like containers follow: negative indices count from the
 * end, an index outside the list is an IndexError, and a slice (start, stop, step) is clipped to
 * the list the way `slice.indices(len)` clips it.
 */
import { IndexError, ValueError } from "@torchlet/tensor-core";

/** `index` as a position in 0..length-1, negative counting from the end; IndexError outside. */
export function absoluteIndex(index: number, length: number): number {
  if (!Number.isInteger(index)) throw new TypeError(`an index must be an integer, got ${index}`);
  if (index < -length || index >= length) throw new IndexError(`index ${index} is out of range`);
  return index < 0 ? index + length : index;
}

/**
 * The positions `list[start:stop:step]` selects in a list of `length` items, in order. Omitted
 * (`undefined` or `null`) bounds mean the whole list in the step's direction.
 */
export function sliceIndices(length: number, start?: number | null, stop?: number | null, step = 1): number[] {
  if (step === 0) throw new ValueError("slice step cannot be zero");
  // the bounds a slice may reach: 0..length going forward, -1..length-1 going backward
  const [lower, upper] = step > 0 ? [0, length] : [-1, length - 1];
  const clip = (bound: number | null | undefined, otherwise: number): number => {
    if (bound === undefined || bound === null) return otherwise;
    return bound < 0 ? Math.max(bound + length, lower) : Math.min(bound, upper);
  };
  const first = clip(start, step > 0 ? lower : upper);
  const end = clip(stop, step > 0 ? upper : lower);
  const positions: number[] = [];
  for (let i = first; step > 0 ? i < end : i > end; i += step) positions.push(i);
  return positions;
}
