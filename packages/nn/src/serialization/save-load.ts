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
 * any object to a file, these take a module's or an optimizer's state dict and give a dictionary
 * of tensors (with the file's metadata) and plain bytes: the caller decides where the bytes go
 * (a file, `localStorage`, a download).
 */
import { fromValues, readBack, RuntimeError, Tensor } from "@torchlet/tensor-core";
import type { StateDictLike } from "@torchlet/module";
import { typename } from "@torchlet/module";
import type { OptimizerStateDict } from "../optim/optimizer.ts";
import { isOptimizerStateDict, OPTIMIZER_METADATA_KEY, splitOptimizerStateDict } from "./optimizer-file.ts";
import { deserialize, serialize, type RawTensor } from "./safetensors.ts";

/** Options of `torch.save`. */
export interface SaveOptions {
  /** Free-form string pairs stored in the header's `__metadata__` (e.g. `{ format: "pt" }`). */
  metadata?: Record<string, string>;
}

/** What `torch.save` takes: a module's state dict, or an optimizer's. */
export type Saveable = StateDictLike | OptimizerStateDict;

/** The tensors to store and the metadata to store with them. */
function contentsOf(stateDict: Saveable, options: SaveOptions): { entries: [string, Tensor][]; metadata: Record<string, string> | null } {
  if (isOptimizerStateDict(stateDict)) {
    const { tensors, json } = splitOptimizerStateDict(stateDict);
    return { entries: tensors, metadata: { ...options.metadata, [OPTIMIZER_METADATA_KEY]: json } };
  }
  const entries = stateDict instanceof Map ? [...stateDict.entries()] : Object.entries(stateDict);
  for (const [name, value] of entries) {
    if (!(value instanceof Tensor)) throw new TypeError(`torch.save stores tensors, but ${name} is ${typename(value)}`);
  }
  return { entries: entries as [string, Tensor][], metadata: options.metadata ?? null };
}

/** A CPU tensor's contents, row-major. */
function rawOf(t: Tensor): RawTensor {
  return { dtype: t.dtype, shape: [...t.shape], values: t.toArray() };
}

/**
 * The safetensors bytes of a state dict whose tensors are all on the CPU. Throws for a tensor on
 * the GPU: reading it back takes an `await`, so use `save`.
 */
export function saveSync(stateDict: Saveable, options: SaveOptions = {}): Uint8Array {
  const { entries, metadata } = contentsOf(stateDict, options);
  const onDevice = entries.find(([, t]) => t.device !== "cpu");
  if (onDevice) {
    throw new RuntimeError(`${onDevice[0]} is on ${onDevice[1].device}: reading it takes an await, so use \`await torch.save(...)\``);
  }
  return serialize(new Map(entries.map(([name, t]) => [name, rawOf(t)])), metadata);
}

/**
 * The safetensors bytes of a state dict, its tensors on any device: a module's
 * (`model.stateDict()`), or an optimizer's (`optimizer.stateDict()`: see `optimizer-file.ts`).
 */
export async function save(stateDict: Saveable, options: SaveOptions = {}): Promise<Uint8Array> {
  const { entries, metadata } = contentsOf(stateDict, options);
  const onCpu = await Promise.all(entries.map(([, t]) => readBack(t)));
  return serialize(new Map(entries.map(([name], i) => [name, rawOf(onCpu[i])])), metadata);
}

/** Bytes as a Uint8Array (a Node Buffer is one already; an ArrayBuffer is wrapped). */
const asBytes = (bytes: Uint8Array | ArrayBuffer) => (bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));

/** What `torch.load` gives: the file's tensors by name, and its metadata (null when it has none). */
export class LoadedStateDict extends Map<string, Tensor> {
  constructor(
    entries: Iterable<readonly [string, Tensor]>,
    /** The header's `__metadata__` string pairs. */
    readonly metadata: Record<string, string> | null,
  ) {
    super(entries);
  }
}

/**
 * The tensors of safetensors bytes, as a Map from name to CPU tensor, in the order their data is
 * stored (the format keeps no other order). Ready for `model.loadStateDict(...)`, or, for a file
 * that `torch.save(optimizer.stateDict())` wrote, for `optimizer.loadStateDict(...)`.
 */
export function load(bytes: Uint8Array | ArrayBuffer): LoadedStateDict {
  const { tensors, metadata } = deserialize(asBytes(bytes));
  return new LoadedStateDict(
    [...tensors].map(([name, raw]) => [name, fromValues(raw.values, raw.shape, raw.dtype)]),
    metadata,
  );
}

/** The `__metadata__` string pairs of safetensors bytes, or null when the file has none. */
export function loadMetadata(bytes: Uint8Array | ArrayBuffer): Record<string, string> | null {
  return deserialize(asBytes(bytes)).metadata;
}
