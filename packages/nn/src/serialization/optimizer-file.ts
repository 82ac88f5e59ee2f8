/**
 * An optimizer's state dict in a safetensors file, so that `torch.save(optimizer.stateDict())`
 * and `optimizer.loadStateDict(torch.load(bytes))` work as they do in PyTorch.
 *
 * PyTorch pickles the whole dictionary. Safetensors holds only tensors and string pairs, so the
 * state dict is split between the two: its tensors (momentum buffers, moment averages) become the
 * file's tensors, named `state.<parameter number>.<name>`, and everything else (each group's
 * options, numbers such as Adam's step count, the null of an SGD buffer not made yet) is JSON in
 * the header's metadata under `torchlet.optimizer`, with each tensor replaced by its name there.
 */
import { Tensor } from "@torchlet/tensor-core";
import type { OptimizerStateDict } from "../optim/optimizer.ts";

/** The metadata key that holds the JSON part. */
export const OPTIMIZER_METADATA_KEY = "torchlet.optimizer";

/** Whether `value` has the shape of `optimizer.stateDict()`'s result. */
export function isOptimizerStateDict(value: unknown): value is OptimizerStateDict {
  return typeof value === "object" && value !== null && (value as OptimizerStateDict).state instanceof Map && Array.isArray((value as OptimizerStateDict).paramGroups);
}

/** A tensor's place in the JSON part. */
interface TensorRef {
  readonly $tensor: string;
}
/** JSON has no NaN or infinities; an option may still be one (an lr of Infinity is legal, if odd). */
interface NumberRef {
  readonly $number: "NaN" | "Infinity" | "-Infinity";
}

function encodeNumbers(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? ({ $number: String(value) } as NumberRef) : value;
}

function decodeNumbers(_key: string, value: unknown): unknown {
  return typeof value === "object" && value !== null && "$number" in value ? Number((value as NumberRef).$number) : value;
}

/** The state dict as the file's tensors and the JSON text for its metadata. */
export function splitOptimizerStateDict(stateDict: OptimizerStateDict): { tensors: [string, Tensor][]; json: string } {
  const tensors: [string, Tensor][] = [];
  const state = [...stateDict.state].map(([n, values]) => [
    n,
    Object.fromEntries(
      Object.entries(values).map(([name, value]) => {
        if (!(value instanceof Tensor)) return [name, value];
        const ref = `state.${n}.${name}`;
        tensors.push([ref, value]);
        return [name, { $tensor: ref } as TensorRef];
      }),
    ),
  ]);
  return { tensors, json: JSON.stringify({ state, paramGroups: stateDict.paramGroups }, encodeNumbers) };
}

/** The state dict again, from a file's tensors and its metadata; null when the file holds no optimizer. */
export function joinOptimizerStateDict(tensors: ReadonlyMap<string, Tensor>, metadata: Record<string, string> | null): OptimizerStateDict | null {
  const json = metadata?.[OPTIMIZER_METADATA_KEY];
  if (json === undefined) return null;
  const parsed = JSON.parse(json, decodeNumbers) as { state: [number, Record<string, unknown>][]; paramGroups: OptimizerStateDict["paramGroups"] };
  const tensorOf = (ref: string) => {
    const t = tensors.get(ref);
    if (!t) throw new Error(`the optimizer's state names a tensor ${ref} that the file does not hold`);
    return t;
  };
  const state = new Map(
    parsed.state.map(([n, values]) => [
      n,
      Object.fromEntries(
        Object.entries(values).map(([name, value]) => [
          name,
          typeof value === "object" && value !== null && "$tensor" in value ? tensorOf((value as TensorRef).$tensor) : value,
        ]),
      ),
    ]),
  );
  return { state, paramGroups: parsed.paramGroups };
}
