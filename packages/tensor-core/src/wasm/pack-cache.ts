/**
 * Packed operands that stay in WebAssembly memory between products: a layer's weights, multiplied
 * batch after batch, are packed once instead of on every call.
 *
 * A packing can be reused only while the values it was made from are unchanged. Every write into
 * an existing tensor bumps its storage's `version` (see `storage.ts`), so a packing is filed under
 * its storage (weakly: the cache never keeps a tensor alive) and the layout it was read through
 * (which operand, offset, strides, sizes), and is valid while the storage's version is the one it
 * was packed at. An optimizer's step, `copy_`, `normal_`, an initialiser: any of them bumps the
 * version, and the next product packs again. (`t.data = other` points the tensor at another
 * storage altogether, which has packings of its own.)
 *
 * What is kept: an operand seen again, unchanged and read the same way, within the last
 * `REUSE_WINDOW` products — a weight in an inference loop. Not the activations of a batch (seen
 * once), nor a weight that an optimizer changes between its uses in a training step (each version
 * is seen once per layout), nor the batches of a dataset replayed epoch after epoch (seen again,
 * but only after thousands of products: keeping them would only push out what is reused soon).
 * The packings live at the bottom of the workspace, after the threads' control block; the scratch
 * space of each kernel call starts above them (`workspaceStart`). They are bounded by `maxBytes`:
 * to make room, packings idle for a whole window go, least recently used first, and the rest move
 * down to close the gaps; packings in steady use are never pushed out by newcomers (that would
 * trade one packing for another on every call). A packing whose storage has been
 * garbage-collected, or written, gives its room back.
 */
import { roundUp } from "./pack.ts";
import { CONTROL_BYTES, setResidentFloats, view, type WasmKernels } from "./workspace.ts";

/** The room packings may take in WebAssembly memory unless told otherwise: 32 MiB. */
const DEFAULT_MAX_BYTES = 32 << 20;
/** Operands smaller than this many floats pack in well under a microsecond: not worth keeping. */
const MIN_FLOATS = 1024;
/**
 * Products (calls of `residentPackings`) within which an operand must be seen again to be kept,
 * and for which a kept one must have gone unused before it may be pushed out.
 */
const REUSE_WINDOW = 256;

/** One kept packing: where it lies (float index into WebAssembly memory) and how long it is. */
interface Entry {
  at: number;
  readonly floats: number;
  lastUse: number;
  /** Whether the packed values are there (false between making room and packing). */
  packed: boolean;
}

/** What is known of one operand layout of one storage. */
interface Sighting {
  version: number;
  /** The product that last read it. */
  lastSeen: number;
  entry: Entry | null;
}

const FIRST = CONTROL_BYTES / 4;
let maxBytes = DEFAULT_MAX_BYTES;
/** Live entries, in the order they lie in memory. */
let entries: Entry[] = [];
let tick = 0;
const seen = new WeakMap<object, Map<string, Sighting>>();
/** The storages (by their layouts' map) watched for collection: those that ever had a packing kept. */
const registered = new WeakSet<Map<string, Sighting>>();
// when a storage is collected, its packings give their room back
const collected = new FinalizationRegistry<Map<string, Sighting>>((layouts) => {
  for (const sighting of layouts.values()) if (sighting.entry) drop(sighting.entry);
});

/** Counters for tests and measurements. */
export const packCacheStats = { hits: 0, packs: 0 };

function end(): number {
  const last = entries.at(-1);
  return last ? last.at + last.floats : FIRST;
}

function drop(entry: Entry): void {
  const i = entries.indexOf(entry);
  if (i < 0) return;
  entries.splice(i, 1);
  if (i === entries.length) resize();
}

/** Tells the workspace where the kept packings end (and how to drop them all when it needs the room). */
function resize(): void {
  setResidentFloats(end() - FIRST, () => packCache.clear());
}

/** Moves every entry down so that they lie back to back from the bottom. */
function compact(kernels: WasmKernels): void {
  const memory = view(kernels);
  let at = FIRST;
  for (const entry of entries) {
    if (entry.at !== at) {
      memory.copyWithin(at, entry.at, entry.at + entry.floats);
      entry.at = at;
    }
    at += entry.floats;
  }
  resize();
}

/**
 * Room for `floats` more, evicting the least recently used entries not in use by the current call;
 * null if it cannot be made.
 */
function allocate(kernels: WasmKernels, floats: number): Entry | null {
  const limit = Math.floor(maxBytes / 4);
  if (floats > limit) return null;
  let live = entries.reduce((sum, e) => sum + e.floats, 0);
  if (end() - FIRST + floats > limit) {
    const idle = entries.filter((e) => tick - e.lastUse > REUSE_WINDOW).sort((x, y) => x.lastUse - y.lastUse);
    for (const old of idle) {
      if (live + floats <= limit) break;
      entries.splice(entries.indexOf(old), 1);
      live -= old.floats;
    }
    if (live + floats > limit) return null;
    compact(kernels);
  }
  const entry: Entry = { at: end(), floats, lastUse: tick, packed: false };
  entries.push(entry);
  resize();
  return entry;
}

/** An operand that might be kept packed: its storage and the layout it is read through. */
export interface PackRequest {
  readonly storage: { version?: number };
  /** Which operand and how it is read: equal keys mean equal packings of equal values. */
  readonly layout: string;
  /** Floats of its packing. */
  readonly floats: number;
}

/** Where a request's packing lies, and whether it must still be written there. */
export interface Resident {
  readonly entry: Entry;
  readonly fresh: boolean;
}

/**
 * Looks up the packings of one kernel call's operands (all at once, so that making room for one
 * cannot move another). For each request: null (pack into the scratch space as usual), or the
 * entry where its packing lies (`fresh`: pack it there now, then call `markPacked`). Read
 * `entry.at` only after this returns.
 */
export function residentPackings(kernels: WasmKernels, requests: readonly (PackRequest | null)[]): (Resident | null)[] {
  tick++;
  return requests.map((request) => {
    if (request === null || maxBytes === 0 || request.floats < MIN_FLOATS) return null;
    let layouts = seen.get(request.storage);
    if (!layouts) {
      layouts = new Map();
      seen.set(request.storage, layouts);
    }
    const version = request.storage.version ?? 0;
    const sighting = layouts.get(request.layout);
    if (!sighting || sighting.version !== version) {
      if (sighting?.entry) drop(sighting.entry); // written since: those values are gone
      layouts.set(request.layout, { version, lastSeen: tick, entry: null });
      return null;
    }
    const kept = sighting.entry;
    const recent = tick - sighting.lastSeen <= REUSE_WINDOW;
    sighting.lastSeen = tick;
    if (kept && entries.includes(kept) && kept.packed) {
      kept.lastUse = tick;
      packCacheStats.hits++;
      return { entry: kept, fresh: false };
    }
    if (!recent) return null;
    const entry = allocate(kernels, roundUp(request.floats, 4));
    sighting.entry = entry;
    if (entry && !registered.has(layouts)) {
      collected.register(request.storage, layouts);
      registered.add(layouts);
    }
    return entry && { entry, fresh: true };
  });
}

/** Records that a fresh entry now holds its packing. */
export function markPacked(resident: Resident): void {
  resident.entry.packed = true;
  packCacheStats.packs++;
}

/**
 * `torch.backends.cpu.packCache`: the packed operands kept in WebAssembly memory between matrix
 * products (see the top of this file).
 */
export const packCache = {
  /** The most memory packings may take, in bytes; 0 turns the cache off (and empties it). */
  get maxBytes(): number {
    return maxBytes;
  },
  set maxBytes(bytes: number) {
    if (!(Number.isInteger(bytes) && bytes >= 0)) throw new TypeError(`packCache.maxBytes must be a non-negative integer, got ${String(bytes)}`);
    maxBytes = bytes;
    if (entries.reduce((sum, e) => sum + e.floats, 0) * 4 > bytes) packCache.clear();
  },
  /** Bytes the kept packings take now. */
  get bytes(): number {
    return entries.reduce((sum, e) => sum + e.floats, 0) * 4;
  },
  /** How many packings are kept. */
  get entries(): number {
    return entries.length;
  },
  /** Forgets every packing and gives their room back to the kernels' scratch space. */
  clear(): void {
    for (const entry of entries) entry.packed = false;
    entries = [];
    resize();
  },
};
