/**
 * A caching allocator for GPU buffers, after the idea of PyTorch's CUDA caching allocator.
 *
 * Creating and destroying GPU buffers is slow, and a training loop frees and re-creates tensors
 * of the same few sizes at every step. So a freed buffer is not destroyed: it goes back to a free
 * list for its size class, and the next request of that class takes it. Sizes are rounded up to
 * classes (four per power of two) so that nearby sizes share buffers, wasting at most a quarter.
 *
 * Reusing a buffer right away is safe because every op submits its commands to the queue at
 * once (see `dispatch.ts`): work recorded later runs after the work that last used the buffer.
 */

/** A buffer handed out by the pool, with the byte size of its class. */
export interface Block {
  readonly buffer: GPUBuffer;
  readonly bytes: number;
}

/** The smallest class; also keeps zero-element tensors bindable (a binding needs bytes). */
const minimumBytes = 256;

/** The size class of a request: the next of 2^k · {1, 1.25, 1.5, 1.75}, at least 256 bytes. */
export function sizeClass(bytes: number): number {
  if (bytes <= minimumBytes) return minimumBytes;
  const power = 2 ** Math.floor(Math.log2(bytes));
  const quarter = power / 4;
  return Math.ceil(bytes / quarter) * quarter;
}

/** Free lists of GPU buffers, one per size class, and the byte counts behind `memoryAllocated`/`memoryReserved`. */
export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private allocatedBytes = 0;
  private cachedBytes = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: GPUBufferUsageFlags,
    /** The largest buffer the device allows; classes are capped there (callers check requests). */
    private readonly maxBytes: number,
  ) {}

  /** A buffer of at least `bytes` bytes, from the free list when one of its class is there. */
  acquire(bytes: number): Block {
    const size = Math.max(bytes, Math.min(sizeClass(bytes), this.maxBytes));
    const cached = this.free.get(size)?.pop();
    if (cached) this.cachedBytes -= size;
    const buffer = cached ?? this.device.createBuffer({ size, usage: this.usage });
    this.allocatedBytes += size;
    return { buffer, bytes: size };
  }

  /** Takes a block back for reuse. */
  release(block: Block): void {
    this.allocatedBytes -= block.bytes;
    this.cachedBytes += block.bytes;
    const list = this.free.get(block.bytes);
    if (list) list.push(block.buffer);
    else this.free.set(block.bytes, [block.buffer]);
  }

  /** Destroys every cached buffer (PyTorch's `torch.cuda.empty_cache()`). */
  emptyCache(): void {
    for (const list of this.free.values()) for (const buffer of list) buffer.destroy();
    this.free.clear();
    this.cachedBytes = 0;
  }

  /** Bytes in blocks handed out and not yet released. */
  get allocated(): number {
    return this.allocatedBytes;
  }

  /** Bytes the pool holds: handed out plus cached for reuse. */
  get reserved(): number {
    return this.allocatedBytes + this.cachedBytes;
  }
}
