/**
 * A generator's state as bytes, in the layout of PyTorch 1.13's `CPUGeneratorImplState`, so that
 * `getRngState()` here and `torch.get_rng_state()` there hold the same 5056 bytes after the same
 * draws, and a state saved by either can be loaded by the other.
 *
 * The layout is a C struct on a little-endian machine (offsets in bytes):
 *
 * | offset | type        | field                                                   |
 * | ------ | ----------- | ------------------------------------------------------- |
 * | 0      | uint64      | the initial seed                                        |
 * | 8      | int32       | `left`                                                  |
 * | 12     | int32       | `seeded` (always 1)                                     |
 * | 16     | uint64      | `next`                                                  |
 * | 24     | uint64[624] | the twister's words, each widened to 64 bits            |
 * | 5016   | float64 × 3 | `normal_x`, `normal_y`, `normal_rho`: only `normal_y` is used, for the remembered float64 normal sample |
 * | 5040   | int32       | whether `normal_y` holds a sample                       |
 * | 5048   | float32     | a remembered float32 normal sample (PyTorch's CPU kernels never make one) |
 * | 5052   | bool        | whether it holds one; then 3 bytes of padding           |
 *
 * The first 5048 bytes alone are PyTorch's older ("legacy") layout, which loads too.
 */
import { RuntimeError } from "../errors.ts";
import { CpuStorage } from "../storage.ts";
import type { Tensor } from "../tensor.ts";
import { STATE_SIZE } from "./mt19937.ts";

const LEGACY_SIZE = 5048;
const STATE_BYTES = 5056;

const SEED = 0;
const LEFT = 8;
const SEEDED = 12;
const NEXT = 16;
const WORDS = 24;
const NORMAL_Y = 5024;
const NORMAL_IS_VALID = 5040;

/** What a generator's state holds. */
export interface GeneratorSnapshot {
  seed: bigint;
  words: Uint32Array;
  left: number;
  next: number;
  nextDoubleNormalSample: number | null;
}

/** The 5056 bytes of a state, in PyTorch's layout (see the table above). */
export function encodeState(s: GeneratorSnapshot): Uint8Array {
  const bytes = new Uint8Array(STATE_BYTES);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(SEED, s.seed, true);
  view.setInt32(LEFT, s.left, true);
  view.setInt32(SEEDED, 1, true);
  view.setBigUint64(NEXT, BigInt(s.next), true);
  for (let i = 0; i < STATE_SIZE; i++) view.setBigUint64(WORDS + 8 * i, BigInt(s.words[i]), true);
  if (s.nextDoubleNormalSample !== null) {
    view.setFloat64(NORMAL_Y, s.nextDoubleNormalSample, true);
    view.setInt32(NORMAL_IS_VALID, 1, true);
  }
  return bytes;
}

/**
 * A state read back from PyTorch's layout (5056 bytes, or the 5048 of the legacy layout), checked
 * as PyTorch checks it; throws PyTorch's errors for a wrong size or an impossible twister position.
 */
export function decodeState(bytes: Uint8Array): GeneratorSnapshot {
  if (bytes.length !== STATE_BYTES && bytes.length !== LEGACY_SIZE) {
    throw new RuntimeError(
      `Expected either a CPUGeneratorImplStateLegacy of size ${LEGACY_SIZE} or a CPUGeneratorImplState of size ${STATE_BYTES} but found the input RNG state size to be ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const left = view.getInt32(LEFT, true);
  const next = Number(view.getBigUint64(NEXT, true) & 0xffffffffn); // PyTorch keeps 32 bits of it
  const seeded = view.getInt32(SEEDED, true) !== 0;
  // the same validity test as PyTorch's mt19937::is_valid
  if (!seeded || left <= 0 || left > STATE_SIZE || next > STATE_SIZE) {
    throw new RuntimeError("Invalid mt19937 state");
  }
  const words = new Uint32Array(STATE_SIZE);
  for (let i = 0; i < STATE_SIZE; i++) words[i] = Number(view.getBigUint64(WORDS + 8 * i, true) & 0xffffffffn);
  return {
    seed: view.getBigUint64(SEED, true),
    words,
    left,
    next,
    nextDoubleNormalSample: view.getInt32(NORMAL_IS_VALID, true) !== 0 ? view.getFloat64(NORMAL_Y, true) : null,
  };
}

/** The bytes of a state tensor: a CPU int64 tensor (torchlet's stand-in for a ByteTensor) of values 0-255. */
export function stateBytesOf(state: Tensor): Uint8Array {
  const notBytes = () =>
    new TypeError("RNG state must be a torch.ByteTensor (in torchlet: an int64 tensor of byte values, as getRngState returns)");
  if (state.dtype !== "int64" || !(state.storage instanceof CpuStorage)) throw notBytes();
  const values = state.toArray();
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(Number.isInteger(v) && v >= 0 && v <= 255)) throw notBytes();
    bytes[i] = v;
  }
  return bytes;
}
