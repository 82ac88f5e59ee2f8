/**
 * The 32-bit Mersenne Twister (Matsumoto and Nishimura, 1998), the engine under PyTorch's CPU
 * generator. Everything random that torchlet draws on the CPU starts as a 32-bit word from here.
 *
 * The algorithm is the textbook one (`init_genrand` seeding, the twist, the tempering); the
 * bookkeeping copies PyTorch's `at::mt19937`: `left` counts down the words still unread in the
 * current block (plus one), `next` is the index of the next word. Keeping PyTorch's two counters
 * lets a generator's state be written and read in PyTorch's own byte layout (see `state-bytes.ts`).
 *
 * All arithmetic is on 32-bit unsigned integers: `Math.imul` multiplies modulo 2^32 and `>>> 0`
 * turns JavaScript's signed 32-bit results back into unsigned ones.
 */

/** Number of 32-bit words in the twister's state. */
export const STATE_SIZE = 624;
const SHIFT = 397; // the twist mixes word i with word i + 397
const MATRIX_A = 0x9908b0df;
const UPPER_BIT = 0x80000000;
const LOWER_BITS = 0x7fffffff;

/** One Mersenne Twister stream: 624 words of state and the position of the next word. */
export class MersenneTwister {
  /** The 624 words of state. */
  readonly state = new Uint32Array(STATE_SIZE);
  /** Words left before the next twist, plus one: a fresh seed sets it to 1, so the first draw twists. */
  left = 1;
  /** Index in `state` of the next word to hand out. */
  next = 0;

  constructor(seed = 5489) {
    this.seed(seed);
  }

  /**
   * `init_genrand`: the state is filled from the low 32 bits of `seed` by the recurrence
   * state[i] = 1812433253 · (state[i-1] xor (state[i-1] >>> 30)) + i  (mod 2^32).
   */
  seed(seed: number): void {
    const s = this.state;
    s[0] = seed >>> 0;
    for (let i = 1; i < STATE_SIZE; i++) {
      const prev = s[i - 1];
      s[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
    this.left = 1;
    this.next = 0;
  }

  /** The next 32-bit output, an integer in [0, 2^32). */
  random(): number {
    if (--this.left === 0) this.twist();
    let y = this.state[this.next++];
    // tempering: a fixed bijection that spreads the bits of the raw state word
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Two outputs as one 64-bit integer, the first as the high half (PyTorch's `random64`). */
  random64(): bigint {
    const hi = this.random();
    const lo = this.random();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** Makes the next block of 624 words from the current one. */
  private twist(): void {
    const s = this.state;
    for (let i = 0; i < STATE_SIZE; i++) {
      const y = (s[i] & UPPER_BIT) | (s[(i + 1) % STATE_SIZE] & LOWER_BITS);
      s[i] = s[(i + SHIFT) % STATE_SIZE] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    this.left = STATE_SIZE;
    this.next = 0;
  }
}
