/**
 * `torch.save` and `torch.load`, in the safetensors format (see `safetensors.ts`): a state dict
 * in, bytes out, and back. The bytes are what a `.safetensors` file holds, so Python reads them
 * with `safetensors.torch.load_file` (and `model.load_state_dict` takes the result), and a file
 * saved by Python loads here.
 *
 * ```ts
 * const bytes = await torch.save(model.stateDict());        // a Uint8Array
 * fs.writeFileSync("model.safetensors", bytes);
 * model.loadStateDict(torch.load(fs.readFileSync("model.safetensors")));
 * ```
 *
 * `save` is asynchronous because a tensor on the GPU has to be read back first; for a state dict
 * that is all on the CPU, `saveSync` gives the same bytes at once. Unlike PyTorch, which pickles
 * any object to a file, these take and give a flat dictionary of tensors and plain bytes: the
 * caller decides where the bytes go (a file, `localStorage`, a download).
 */
import { fromValues, RuntimeError, Tensor } from "@torchlet/tensor-core";
import type { StateDictLike } from "@torchlet/module";
import { typename } from "@torchlet/module";
import { deserialize, serialize, type RawTensor } from "./safetensors.ts";

/** Options of `torch.save`. */
export interface SaveOptions {
  /** Free-form string pairs stored in the header's `__metadata__` (e.g. `{ format: "pt" }`). */
  metadata?: Record<string, string>;
}

/** The entries of a state dict (a Map or a plain object), each checked to be a tensor. */
function entriesOf(stateDict: StateDictLike): [string, Tensor][] {
  const entries = stateDict instanceof Map ? [...stateDict.entries()] : Object.entries(stateDict);
  return entries.map(([name, value]) => {
    if (!(value instanceof Tensor)) throw new TypeError(`torch.save stores tensors, but ${name} is ${typename(value)}`);
    return [name, value];
  });
}

/** A CPU tensor's contents, row-major. */
function rawOf(t: Tensor): RawTensor {
  return { dtype: t.dtype, shape: [...t.shape], values: t.toArray() };
}

/**
 * The safetensors bytes of a state dict whose tensors are all on the CPU. Throws for a tensor on
 * the GPU: reading it back takes an `await`, so use `save`.
 */
export function saveSync(stateDict: StateDictLike, options: SaveOptions = {}): Uint8Array {
  const entries = entriesOf(stateDict);
  const onDevice = entries.find(([, t]) => t.device !== "cpu");
  if (onDevice) {
    throw new RuntimeError(`${onDevice[0]} is on ${onDevice[1].device}: reading it takes an await, so use \`await torch.save(...)\``);
  }
  return serialize(new Map(entries.map(([name, t]) => [name, rawOf(t)])), options.metadata ?? null);
}

/** The safetensors bytes of a state dict (`model.stateDict()`), its tensors on any device. */
export async function save(stateDict: StateDictLike, options: SaveOptions = {}): Promise<Uint8Array> {
  const entries = entriesOf(stateDict);
  const onCpu = await Promise.all(entries.map(([, t]) => (t.device === "cpu" ? t : t.cpu())));
  return serialize(new Map(entries.map(([name], i) => [name, rawOf(onCpu[i])])), options.metadata ?? null);
}

/** Bytes as a Uint8Array (a Node Buffer is one already; an ArrayBuffer is wrapped). */
const asBytes = (bytes: Uint8Array | ArrayBuffer) => (bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));

/**
 * The tensors of safetensors bytes, as a Map from name to CPU tensor, in the order their data is
 * stored (the format keeps no other order). Ready for `model.loadStateDict(...)`.
 */
export function load(bytes: Uint8Array | ArrayBuffer): Map<string, Tensor> {
  const { tensors } = deserialize(asBytes(bytes));
  return new Map([...tensors].map(([name, raw]) => [name, fromValues(raw.values, raw.shape, raw.dtype)]));
}

/** The `__metadata__` string pairs of safetensors bytes, or null when the file has none. */
export function loadMetadata(bytes: Uint8Array | ArrayBuffer): Record<string, string> | null {
  return deserialize(asBytes(bytes)).metadata;
}
