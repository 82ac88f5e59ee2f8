/**
 * Reductions on WebGPU: sum, max and min over any set of dimensions, with the position of the
 * first extreme value for max/min along one dimension (argmax semantics: ties and NaNs go to the
 * earliest element, as on the CPU).
 *
 * The input splits into "kept" dimensions, which pick an output element, and "reduced" ones, which
 * run over the elements that one output combines (`count` of them). Three schedules:
 * - few elements per output (count ≤ 64): one thread per output loops over them, as the CPU does;
 * - more: one workgroup per output; its threads take every 256th element, then combine their
 *   partial results pairwise in shared memory (a tree, log2(256) = 8 steps);
 * - many elements and few outputs (a whole-tensor sum): the elements of each output are split
 *   into chunks, one workgroup per chunk writes a partial result, and a second pass combines the
 *   partials. A GPU then spreads even a single sum over all its cores.
 */
import type { ReduceOp } from "../../backend.ts";
import type { Tensor } from "../../tensor.ts";
import { contiguousStrides, numel } from "../../shape.ts";
import { entryPoint, Params, runKernel, storageBuffer } from "../../webgpu/dispatch.ts";
import { GpuStorage, wgslType, type WgslStorageType } from "../../webgpu/storage.ts";
import { addLayoutParams, coalesce, stridedPositions, type StridedLayout } from "../../webgpu/strided.ts";
import { computeTypeOf, convert, floatSpecials, type ComputeType } from "../../webgpu/wgsl.ts";

const threadPerOutputLimit = 64;
const workgroupSize = 256;
/** Elements one workgroup reduces in the split schedule: 16 per thread. */
const chunkSize = workgroupSize * 16;
/** Below this many outputs, a large reduction is split into chunks to occupy the GPU. */
const splitBelowOutputs = 256;

/** Where the values come from: a strided tensor, or the partial results of a first pass. */
interface Source {
  readonly buffer: GPUBuffer;
  readonly type: WgslStorageType;
  readonly offset: number;
  /** Kept dimensions: strides of [source, destination, destination indices]. */
  readonly kept: StridedLayout;
  /** Reduced dimensions: strides of the source. */
  readonly reduced: StridedLayout;
  /** Partial results carry the element positions they came from. */
  readonly positions: GPUBuffer | null;
}

/** Where the results go: the output tensor (and its indices), or partial-result buffers. */
interface Destination {
  readonly values: GPUBuffer;
  readonly type: WgslStorageType;
  readonly offset: number;
  readonly indices: GPUBuffer | null;
  readonly indicesOffset: number;
}

/** Reduces `x` over `dims` into `out` (and the first extreme's position into `indices`), choosing a schedule by size. */
export function reduce(op: ReduceOp, x: Tensor, dims: readonly number[], out: Tensor, indices: Tensor | null): void {
  const keptDims = [...x.shape.keys()].filter((d) => !dims.includes(d));
  const keptShape = keptDims.map((d) => x.shape[d]);
  const outStrides = out.stride();
  const indexStrides = indices ? indices.stride() : outStrides;
  const kept = coalesce(keptShape, [
    keptDims.map((d) => x.stride(d)),
    keptDims.map((d) => outStrides[d]),
    keptDims.map((d) => indexStrides[d]),
  ]);
  const reduced = coalesce(dims.map((d) => x.shape[d]), [dims.map((d) => x.stride(d))]);
  const outputs = numel(keptShape);
  const count = numel(dims.map((d) => x.shape[d]));
  if (outputs === 0) return;

  const type = computeTypeOf(op === "sum" ? wgslType[out.dtype] : wgslType[x.dtype]);
  const source: Source = {
    buffer: (x.storage as GpuStorage).buffer,
    type: wgslType[x.dtype],
    offset: x.storageOffset(),
    kept,
    reduced,
    positions: null,
  };
  const destination: Destination = {
    values: (out.storage as GpuStorage).buffer,
    type: wgslType[out.dtype],
    offset: out.storageOffset(),
    indices: indices ? (indices.storage as GpuStorage).buffer : null,
    indicesOffset: indices ? indices.storageOffset() : 0,
  };
  const tracksIndex = op !== "sum"; // max/min carry positions through the partials, for `indices`

  if (count <= threadPerOutputLimit) {
    runReduce(op, type, source, destination, { outputs, count, chunks: 1, threadPerOutput: true });
    return;
  }
  const chunks = outputs < splitBelowOutputs ? Math.ceil(count / chunkSize) : 1;
  if (chunks === 1) {
    runReduce(op, type, source, destination, { outputs, count, chunks: 1, threadPerOutput: false });
    return;
  }
  // First pass: partial results laid out [outputs, chunks], with the positions they came from.
  const partialValues = new GpuStorage(type === "f32" ? "float32" : "int64", outputs * chunks);
  const partialPositions = tracksIndex ? new GpuStorage("int64", outputs * chunks) : null;
  partialValues.retain();
  partialPositions?.retain();
  const partials: Destination = {
    values: partialValues.buffer,
    type,
    offset: 0,
    indices: partialPositions?.buffer ?? null,
    indicesOffset: 0,
  };
  runReduce(op, type, { ...source, kept: keptWithDestination(kept, chunks) }, partials, {
    outputs,
    count,
    chunks,
    threadPerOutput: false,
  });
  // Second pass: each output combines its row of `chunks` partials.
  const rows: Source = {
    buffer: partialValues.buffer,
    type,
    offset: 0,
    kept: keptWithSource(kept, chunks),
    reduced: coalesce([chunks], [[1]]),
    positions: partialPositions?.buffer ?? null,
  };
  runReduce(op, type, rows, destination, { outputs, count: chunks, chunks: 1, threadPerOutput: chunks <= threadPerOutputLimit });
  partialValues.release();
  partialPositions?.release();
}

/** The kept layout with the destination strides replaced by the partials' row-major [outputs, chunks] layout. */
function keptWithDestination(kept: StridedLayout, chunks: number): StridedLayout {
  const rowMajor = contiguousStrides(kept.shape).map((s) => s * chunks);
  return { shape: kept.shape, strides: [kept.strides[0], rowMajor, rowMajor] };
}

/** The kept layout for reading partials back: the source is the [outputs, chunks] buffer. */
function keptWithSource(kept: StridedLayout, chunks: number): StridedLayout {
  const rowMajor = contiguousStrides(kept.shape).map((s) => s * chunks);
  return { shape: kept.shape, strides: [rowMajor, kept.strides[1], kept.strides[2]] };
}

interface Schedule {
  readonly outputs: number;
  readonly count: number;
  /** Chunks per output; above 1, the destination holds partial results [outputs, chunks]. */
  readonly chunks: number;
  readonly threadPerOutput: boolean;
}

function runReduce(op: ReduceOp, type: ComputeType, src: Source, dst: Destination, schedule: Schedule): void {
  const params = new Params()
    .u32("outputs", schedule.outputs)
    .u32("count", schedule.count)
    .u32("chunks", schedule.chunks)
    .u32("chunkSize", schedule.chunks > 1 ? chunkSize : Math.max(schedule.count, 1))
    .u32("srcOffset", src.offset)
    .u32("dstOffset", dst.offset)
    .u32("idxOffset", dst.indicesOffset);
  addLayoutParams(params, src.kept, "k");
  addLayoutParams(params, src.reduced, "r");

  const keptRank = src.kept.shape.length;
  const reducedRank = src.reduced.shape.length;
  const writesIndex = dst.indices !== null;
  const readsPositions = src.positions !== null;
  const key = [
    "reduce",
    op,
    type,
    `${src.type}->${dst.type}`,
    `k${keptRank}`,
    `r${reducedRank}`,
    schedule.threadPerOutput ? "thread" : "workgroup",
    schedule.chunks > 1 ? "partials" : "final",
    writesIndex ? "idx" : "",
    readsPositions ? "pos" : "",
  ].join(":");

  const source = (): string => {
    let bindings = storageBuffer(1, "src", src.type, "read") + storageBuffer(2, "dst", dst.type, "read_write");
    let next = 3;
    if (writesIndex) bindings += storageBuffer(next++, "dstIdx", "i32", "read_write");
    if (readsPositions) bindings += storageBuffer(next++, "srcPos", "i32", "read");
    const empty = "4294967295u"; // "no element yet": loses to every element
    // The index an element carries: its own position j, or for partials the one stored with it.
    const elementIndex = readsPositions ? "u32(srcPos[pos0 + rpos0])" : "j";
    const combineRules =
      op === "sum"
        ? `fn combine(acc: T, at: u32, v: T, i: u32) -> Pair { return Pair(acc + v, at); }`
        : `// (v, i) replaces (best, at) if it is NaN (the first NaN wins), or strictly ${op === "max" ? "greater" : "smaller"}, or equal and earlier.
fn combine(best: T, at: u32, v: T, i: u32) -> Pair {
  if (i == ${empty}) { return Pair(best, at); }
  if (at == ${empty}) { return Pair(v, i); }
  let vNan = isNanT(v);
  let bestNan = isNanT(best);
  var wins = false;
  if (vNan || bestNan) { wins = vNan && (!bestNan || i < at); }
  else if (v == best) { wins = i < at; }
  else { wins = v ${op === "max" ? ">" : "<"} best; }
  if (wins) { return Pair(v, i); }
  return Pair(best, at);
}`;
    const prelude = `alias T = ${type};
struct Pair { value: T, index: u32 }
${type === "f32" ? floatSpecials + "fn isNanT(x: f32) -> bool { return isNan(x); }" : "fn isNanT(x: i32) -> bool { return false; }"}
${combineRules}
`;
    // One output's base positions, then a loop over its elements j in [begin, end) by `step`.
    const accumulate = (begin: string, end: string, step: string) => `
${stridedPositions(keptRank, ["p.srcOffset", "p.dstOffset", "p.idxOffset"], "outIndex", "k")}
  var acc = Pair(T(0), ${op === "sum" ? "0u" : empty});
  for (var j = ${begin}; j < ${end}; j = j + ${step}) {
${stridedPositions(reducedRank, ["0u"], "j", "r", "rpos")}
    acc = combine(acc.value, acc.index, T(src[pos0 + rpos0]), ${elementIndex});
  }`;
    const partial = schedule.chunks > 1;
    const write = (value: string) =>
      partial
        ? `dst[pos1 + chunk] = ${value}.value;${writesIndex ? ` dstIdx[pos2 + chunk] = i32(${value}.index);` : ""}`
        : `dst[pos1] = ${convert(`${value}.value`, type, dst.type)};${writesIndex ? ` dstIdx[pos2] = i32(${value}.index);` : ""}`;

    if (schedule.threadPerOutput) {
      const body = `  let outIndex = wg * 64u + lid;
  if (outIndex >= p.outputs) { return; }
${accumulate("0u", "p.count", "1u")}
  ${write("acc")}`;
      return [params.wgsl(), bindings, prelude, entryPoint("64", body)].join("\n");
    }
    const body = `  let outIndex = wg / p.chunks;
  let chunk = wg % p.chunks;
  if (outIndex >= p.outputs) { return; }
  let end = min((chunk + 1u) * p.chunkSize, p.count);
${accumulate(`chunk * p.chunkSize + lid`, "end", `${workgroupSize}u`)}
  values[lid] = acc.value;
  indices[lid] = acc.index;
  workgroupBarrier();
  for (var span = ${workgroupSize / 2}u; span > 0u; span = span >> 1u) {
    if (lid < span) {
      let merged = combine(values[lid], indices[lid], values[lid + span], indices[lid + span]);
      values[lid] = merged.value;
      indices[lid] = merged.index;
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let total = Pair(values[0], indices[0]);
    ${write("total")}
  }`;
    const shared = `var<workgroup> values: array<T, ${workgroupSize}>;\nvar<workgroup> indices: array<u32, ${workgroupSize}>;\n`;
    return [params.wgsl(), bindings, prelude, shared, entryPoint(`${workgroupSize}`, body)].join("\n");
  };

  const buffers = [src.buffer, dst.values];
  if (dst.indices) buffers.push(dst.indices);
  if (src.positions) buffers.push(src.positions);
  runKernel({
    key,
    source,
    params,
    buffers,
    workgroups: schedule.threadPerOutput ? Math.ceil(schedule.outputs / 64) : schedule.outputs * schedule.chunks,
  });
}
