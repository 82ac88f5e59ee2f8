/**
 * Code that must read tensor values, written once for both kinds of device. A CPU tensor's values
 * can be read at once; a webgpu tensor's only after an await. So the code is a generator that
 * `yield`s each tensor it needs and receives its values back, and one of two drivers runs it:
 * `runSync` reads on the spot, `runAsync` awaits each read. gradcheck and the engine (for a
 * gradient that must travel from the GPU back to a CPU tensor) are written this way.
 */
import { readBack, type Tensor } from "@torchlet/tensor-core";

/** A computation that yields the tensors it needs read and finishes with a T. */
export type Steps<T> = Generator<Tensor, T, ArrayLike<number>>;

/** Runs `steps`, reading every requested tensor synchronously (which works for CPU tensors). */
export function runSync<T>(steps: Steps<T>): T {
  let step = steps.next();
  while (!step.done) step = steps.next(step.value.toArray());
  return step.value;
}

/** Runs `steps`, awaiting the values of every requested tensor, on any device. */
export async function runAsync<T>(steps: Steps<T>): Promise<T> {
  let step = steps.next();
  while (!step.done) step = steps.next((await readBack(step.value)).toArray());
  return step.value;
}
