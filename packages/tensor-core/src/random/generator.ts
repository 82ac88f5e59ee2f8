/**
 * `torch.Generator` for the CPU, and the default generator behind `torch.manualSeed`.
 *
 * A generator is a Mersenne Twister plus one remembered number: the Box-Muller transform makes
 * normal samples in pairs, and PyTorch keeps the second of a pair for the next request, so
 * `randn(3)` followed by `randn(3)` uses every sample of the pairs it made. `manualSeed` forgets it.
 *
 * Random tensors on WebGPU are drawn here too, then copied to the GPU: `torch.randn(3, { device:
 * "webgpu" })` holds the same values as `torch.randn(3)` after the same seed. (PyTorch's CUDA has a
 * generator of its own, so its CUDA tensors differ from its CPU ones.)
 */
import { RuntimeError, TorchletError, ValueError } from "../errors.ts";
import { fromValues } from "../ops/creation.ts";
import type { Tensor } from "../tensor.ts";
import { MersenneTwister } from "./mt19937.ts";
import { decodeState, encodeState, stateBytesOf } from "./state-bytes.ts";

/** The seed PyTorch gives a `torch.Generator()` made without one. */
export const DEFAULT_SEED = 67280421310721n;

const TWO_TO_64 = 1n << 64n;

/** A seed as PyTorch accepts it: an integer in [-2^63, 2^64); negative seeds wrap modulo 2^64. */
function toSeed(seed: number | bigint): bigint {
  let s: bigint;
  if (typeof seed === "bigint") {
    s = seed;
  } else if (Number.isNaN(seed)) {
    throw new ValueError("cannot convert float NaN to integer");
  } else if (!Number.isFinite(seed)) {
    throw new TorchletError("OverflowError", "cannot convert float infinity to integer");
  } else {
    s = BigInt(Math.trunc(seed)); // Python's int(seed)
  }
  if (s < -(1n << 63n) || s >= TWO_TO_64) throw new RuntimeError("Overflow when unpacking long");
  return s < 0n ? s + TWO_TO_64 : s;
}

/** A fresh seed from the platform's cryptographic source. */
function nonDeterministicSeed(): bigint {
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  // 53 bits, so that the seed is exact as a JavaScript number (PyTorch's CPU seeds use 64)
  return (BigInt(words[0] & 0x1fffff) << 32n) | BigInt(words[1]);
}

/**
 * PyTorch's CPU random number generator. Pass one as `{ generator }` to draw from a stream of your
 * own, apart from the global one:
 *
 * ```ts
 * const g = new torch.Generator().manualSeed(0);
 * torch.randn(3, { generator: g }); // tensor([ 1.5410, -0.2934, -2.1788])
 * ```
 */
export class Generator {
  /** Generators live on the CPU; WebGPU tensors are drawn on the CPU and copied over. */
  readonly device = "cpu" as const;
  /** The engine: every number drawn starts as its 32-bit output. */
  readonly engine = new MersenneTwister();
  /**
   * The unused second half of the last float64 Box-Muller pair, or null (PyTorch's
   * `next_double_normal_sample`).
   */
  nextDoubleNormalSample: number | null = null;
  private _seed = 0n;

  constructor(options: { device?: string } = {}) {
    const device = options.device ?? "cpu";
    if (device !== "cpu") {
      throw new RuntimeError(`Device type ${device.toUpperCase()} is not supported for torch.Generator() api.`);
    }
    this.manualSeed(DEFAULT_SEED);
  }

  /**
   * Restarts the stream from `seed` (an integer; negative ones wrap modulo 2^64) and forgets the
   * remembered normal sample. Only the low 32 bits of the seed reach the twister, as in PyTorch.
   * Returns the generator.
   */
  manualSeed(seed: number | bigint): this {
    const s = toSeed(seed);
    this._seed = s;
    this.engine.seed(Number(s & 0xffffffffn));
    this.nextDoubleNormalSample = null;
    return this;
  }

  /**
   * The seed this stream started from: a number, or a bigint when it passes 2^53 (where numbers
   * stop being exact).
   */
  initialSeed(): number | bigint {
    return this._seed <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(this._seed) : this._seed;
  }

  /** Seeds the stream from a non-deterministic source and returns that seed. */
  seed(): number {
    const s = nonDeterministicSeed();
    this.manualSeed(s);
    return Number(s);
  }

  /**
   * The whole state (twister, counters, seed, remembered normal sample) as a tensor of 5056 bytes
   * laid out exactly as PyTorch 1.13's `get_state()` lays them out. torchlet has no uint8 dtype, so
   * the bytes come as an int64 tensor; `torch.tensor(pythonState.tolist())` loads a state saved by
   * PyTorch.
   */
  getState(): Tensor {
    const bytes = encodeState({
      seed: this._seed,
      words: this.engine.state,
      left: this.engine.left,
      next: this.engine.next,
      nextDoubleNormalSample: this.nextDoubleNormalSample,
    });
    return fromValues(bytes, [bytes.length], "int64");
  }

  /** Restores a state from `getState()` (or from PyTorch's `get_state()`). Returns the generator. */
  setState(state: Tensor): this {
    const saved = decodeState(stateBytesOf(state));
    this._seed = saved.seed;
    this.engine.state.set(saved.words);
    this.engine.left = saved.left;
    this.engine.next = saved.next;
    this.nextDoubleNormalSample = saved.nextDoubleNormalSample;
    return this;
  }

  /** One 32-bit output of the twister (PyTorch's `random()`). */
  random(): number {
    return this.engine.random();
  }

  /** Two outputs as a 64-bit integer, the first as the high half (PyTorch's `random64()`). */
  random64(): bigint {
    return this.engine.random64();
  }
}

/** The generator that every random function uses when not given one. */
export const defaultGenerator = new Generator();
// PyTorch seeds its default generator non-deterministically when it starts.
defaultGenerator.seed();

/**
 * Seeds the default generator, so that the random numbers that follow are the same on every run
 * and the same as PyTorch's after `torch.manual_seed(seed)`. Returns the default generator.
 */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator.manualSeed(seed);
}

/** The seed the default generator started from (see `Generator.initialSeed`). */
export function initialSeed(): number | bigint {
  return defaultGenerator.initialSeed();
}

/** Seeds the default generator non-deterministically; returns the seed. */
export function seed(): number {
  return defaultGenerator.seed();
}

/** The default generator's state, as PyTorch's `torch.get_rng_state()` (see `Generator.getState`). */
export function getRngState(): Tensor {
  return defaultGenerator.getState();
}

/** Restores the default generator's state from `getRngState()` (PyTorch's `torch.set_rng_state`). */
export function setRngState(state: Tensor): void {
  defaultGenerator.setState(state);
}
