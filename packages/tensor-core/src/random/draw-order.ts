/**
 * In which order a tensor's elements receive their random numbers.
 *
 * PyTorch fills a tensor through its TensorIterator, which walks memory in order: the dimension
 * with the smallest stride varies fastest. For a contiguous tensor that is the row-major order; for
 * `torch.empty(4, 5).t()` it is the order of the underlying 4 × 5 storage, not the order of the
 * transposed view. Matching PyTorch's numbers therefore means drawing in memory order.
 */
import { RuntimeError } from "../errors.ts";
import { backendFor } from "../backend.ts";
import { belowAutograd } from "../grad-hooks.ts";
import { bumpVersion, CpuStorage } from "../storage.ts";
import { Tensor } from "../tensor.ts";
import type { CpuArray } from "../dtype.ts";
import { denseStridesLike, memoryOrder } from "../shape.ts";

/**
 * A tensor in which two elements share one memory location (an `expand`ed view) cannot be filled:
 * which of the numbers written there would win? PyTorch refuses with this message.
 */
export function assertNoInternalOverlap(t: Tensor): void {
  const strides = t.stride();
  if (t.shape.some((size, d) => size > 1 && strides[d] === 0)) {
    throw new RuntimeError(
      "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.",
    );
  }
}

/** Calls `visit(offset, i)` with the storage offset of the i-th element in draw order. */
function forEachOffsetInDrawOrder(t: Tensor, visit: (offset: number, i: number) => void): void {
  const strides = t.stride();
  const dims = memoryOrder(strides).filter((d) => t.shape[d] > 1); // size-1 dimensions never move
  const sizes = dims.map((d) => t.shape[d]);
  const steps = dims.map((d) => strides[d]);
  const index = new Array<number>(dims.length).fill(0);
  let offset = t.storageOffset();
  const n = t.numel();
  for (let i = 0; i < n; i++) {
    visit(offset, i);
    // advance the odometer: the last dimension fastest, carrying into the ones before it
    for (let k = dims.length - 1; k >= 0; k--) {
      offset += steps[k];
      if (++index[k] < sizes[k]) break;
      offset -= steps[k] * sizes[k];
      index[k] = 0;
    }
  }
}

/**
 * Stores `values` (one per element, in draw order, already converted to `t`'s dtype) into `t`.
 * A CPU tensor is written in place; a tensor on another device gets a CPU tensor with the same
 * memory order, holding the values, uploaded and copied in. The storage counts the write (caches of
 * its values must see it); the tensor's own version is the business of the in-place op that called
 * this, as `randn` fills a fresh tensor without an in-place op.
 */
export function writeInDrawOrder(t: Tensor, values: CpuArray): void {
  const storage = t.storage;
  if (storage instanceof CpuStorage) {
    const data = storage.data;
    if (t.isContiguous()) data.set(values, t.storageOffset());
    else forEachOffsetInDrawOrder(t, (offset, i) => (data[offset] = values[i]));
  } else {
    const host = Tensor.fromStorage(new CpuStorage(values, t.dtype), t.shape, denseStridesLike(t.shape, t.stride()));
    belowAutograd(() => backendFor(t.device).copy(host.to(t.device), t));
  }
  bumpVersion(storage);
}
