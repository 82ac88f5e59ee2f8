/**
 * The safetensors format (Hugging Face), the file that `torch.save` writes and `torch.load` reads:
 *
 *   8 bytes   N, the length of the header, an unsigned 64-bit little-endian integer
 *   N bytes   the header: UTF-8 JSON, `{"name": {"dtype": "F32", "shape": [2, 3],
 *             "data_offsets": [begin, end]}, ...}`, with an optional `"__metadata__"` entry of
 *             string pairs; padded with spaces so the data starts at a multiple of 8
 *   the rest  every tensor's elements, row-major and little-endian, back to back; the offsets
 *             count from the start of this part and leave no gap
 *
 * Nothing in it is code, so reading a file cannot run anything (unlike Python's pickle). The
 * writer lays tensors out exactly as the reference implementation does (the Rust crate behind
 * Python's `safetensors`): sorted by dtype, widest alignment first (I64, then F32, then BOOL), then
 * by name, with `__metadata__` first in the header. So the same dictionary gives the same bytes.
 *
 * These functions work on raw values; `save`/`load` (in `save-load.ts`) turn tensors into them.
 */
import { RuntimeError, type DType } from "@torchlet/tensor-core";

/** The dtypes torchlet reads and writes, by their safetensors names. */
export const safetensorsDtype: Record<DType, string> = { int64: "I64", float32: "F32", bool: "BOOL" };
const dtypeOf: Record<string, DType> = { I64: "int64", F32: "float32", BOOL: "bool" };
const bytesPer: Record<DType, number> = { int64: 8, float32: 4, bool: 1 };
/** The reference implementation sorts by its dtype enumeration, descending; of ours, I64 > F32 > BOOL. */
const dtypeRank: Record<DType, number> = { int64: 2, float32: 1, bool: 0 };

/** One tensor's contents as the format stores them. */
export interface RawTensor {
  dtype: DType;
  shape: number[];
  /** Row-major values: float32 as floats, int64 as integers, bool as 0/1. */
  values: ArrayLike<number>;
}

/** Headers above this size are refused, as the reference reader refuses them (100 MB). */
const maxHeaderSize = 100_000_000;

const encoder = new TextEncoder();

/** Compares two names byte by byte in UTF-8, as Rust compares strings. */
function compareUtf8(a: string, b: string): number {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** The little-endian bytes of `raw`'s values. */
function encodeValues(raw: RawTensor): Uint8Array {
  const n = raw.values.length;
  const bytes = new Uint8Array(n * bytesPer[raw.dtype]);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < n; i++) {
    const v = raw.values[i];
    if (raw.dtype === "float32") view.setFloat32(i * 4, v, true);
    else if (raw.dtype === "int64") view.setBigInt64(i * 8, BigInt(v), true);
    else bytes[i] = v !== 0 ? 1 : 0;
  }
  return bytes;
}

/** The bytes of a safetensors file holding `tensors` (and `metadata`, if given). */
export function serialize(tensors: ReadonlyMap<string, RawTensor>, metadata: Readonly<Record<string, string>> | null = null): Uint8Array {
  const names = [...tensors.keys()].sort(
    (a, b) => dtypeRank[tensors.get(b)!.dtype] - dtypeRank[tensors.get(a)!.dtype] || compareUtf8(a, b),
  );
  const header: Record<string, unknown> = {};
  if (metadata !== null) {
    if (!isStringMap(metadata)) throw new RuntimeError("the metadata of a safetensors file maps strings to strings");
    // the reference writes a hash map here, in no fixed order; sorted keys make ours reproducible
    header.__metadata__ = Object.fromEntries(Object.keys(metadata).sort(compareUtf8).map((k) => [k, metadata[k]]));
  }
  const data: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    if (name === "__metadata__") throw new RuntimeError(`a tensor cannot be named __metadata__: the header keeps that key`);
    const raw = tensors.get(name)!;
    const bytes = encodeValues(raw);
    header[name] = { dtype: safetensorsDtype[raw.dtype], shape: raw.shape, data_offsets: [offset, offset + bytes.length] };
    data.push(bytes);
    offset += bytes.length;
  }
  let json = encoder.encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const headerBytes = new Uint8Array(padded).fill(0x20);
  headerBytes.set(json);
  json = headerBytes;

  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const bytes of data) {
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

/** A safetensors file that does not follow the format; the message names what is wrong. */
function invalid(what: string): RuntimeError {
  return new RuntimeError(`Error while deserializing header: ${what}`);
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** The tensors (in the order of their data) and the metadata of a safetensors file. */
export function deserialize(bytes: Uint8Array): { tensors: Map<string, RawTensor>; metadata: Record<string, string> | null } {
  if (bytes.length < 8) throw invalid("HeaderTooSmall");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(maxHeaderSize)) throw invalid("HeaderTooLarge");
  const headerEnd = 8 + Number(n);
  if (headerEnd > bytes.length) throw invalid("InvalidHeaderLength");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, headerEnd));
  } catch {
    throw invalid("InvalidHeader");
  }
  if (!text.startsWith("{")) throw invalid("InvalidHeaderStart");
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw invalid("InvalidHeaderDeserialization");
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) throw invalid("InvalidHeaderDeserialization");

  const { __metadata__: metadata = null, ...entries } = header as Record<string, HeaderEntry> & { __metadata__?: Record<string, string> };
  if (metadata !== null && !isStringMap(metadata)) throw invalid("InvalidHeaderDeserialization");
  for (const entry of Object.values(entries)) if (!isEntry(entry)) throw invalid("InvalidHeaderDeserialization");
  // the data must be covered exactly, in order, without gaps: sort by where each tensor starts
  const ordered = Object.entries(entries).sort(([, a], [, b]) => a.data_offsets[0] - b.data_offsets[0] || a.data_offsets[1] - b.data_offsets[1]);
  const data = bytes.subarray(headerEnd);
  const dataView = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const tensors = new Map<string, RawTensor>();
  let expectedStart = 0;
  for (const [name, entry] of ordered) {
    const dtype = dtypeOf[entry.dtype];
    if (dtype === undefined) {
      throw new RuntimeError(`tensor ${name} has dtype ${entry.dtype}: torchlet reads F32, I64 and BOOL tensors`);
    }
    const [begin, end] = entry.data_offsets;
    if (begin !== expectedStart || end < begin) throw invalid(`InvalidOffset("${name}")`);
    const count = entry.shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * bytesPer[dtype]) throw invalid("TensorInvalidInfo");
    expectedStart = end;
    tensors.set(name, { dtype, shape: [...entry.shape], values: decodeValues(dataView, begin, count, dtype) });
  }
  if (expectedStart !== data.length) throw invalid("MetadataIncompleteBuffer");
  return { tensors, metadata };
}

/** A header entry of the right form: a dtype name, a shape of sizes, two offsets. */
function isEntry(entry: unknown): entry is HeaderEntry {
  const e = entry as HeaderEntry;
  const isSize = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
  return (
    typeof e === "object" &&
    e !== null &&
    typeof e.dtype === "string" &&
    Array.isArray(e.shape) &&
    e.shape.every(isSize) &&
    Array.isArray(e.data_offsets) &&
    e.data_offsets.length === 2 &&
    e.data_offsets.every(isSize)
  );
}

/** `__metadata__` must map strings to strings. */
function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "string");
}

/** `count` values of `dtype` starting at byte `begin`. */
function decodeValues(view: DataView, begin: number, count: number, dtype: DType): number[] {
  const values = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    if (dtype === "float32") values[i] = view.getFloat32(begin + i * 4, true);
    else if (dtype === "int64") values[i] = Number(view.getBigInt64(begin + i * 8, true));
    else values[i] = view.getUint8(begin + i) !== 0 ? 1 : 0;
  }
  return values;
}
