/**
 * One matrix-product skeleton for matmul and all three convolution kernels.
 *
 * C[b, row, col] = Σ_k A[b, row, k] · B[b, k, col], where A and B need not exist in memory: a
 * kernel supplies WGSL functions `loadA(b, row, k)`, `loadB(b, k, col)` and `storeC(b, row, col, v)`
 * that compute where each element lives. For matmul they apply strides (so transposed operands
 * are read in place); for convolution `loadA` reads the input patch under the kernel, which is
 * im2col without ever building the im2col matrix ("implicit GEMM").
 *
 * Two schedules of the same sum:
 * - simple: one thread per element of C, looping over k. Best on CPU adapters (SwiftShader,
 *   lavapipe), where workgroup barriers are expensive and there is no faster shared memory.
 * - tiled: a workgroup of 16×16 threads computes a 64×64 tile of C, each thread a 4×4 block. The
 *   workgroup walks k in steps of 16, first copying a 64×16 slab of A and a 16×64 slab of B into
 *   shared memory (each element fetched from global memory once per workgroup instead of 64
 *   times), then every thread multiplies from shared memory. This is what real GPUs need.
 */
import type { KernelVariant } from "./device.ts";
import { entryPoint, runKernel, type Params } from "./dispatch.ts";
import type { ComputeType } from "./wgsl.ts";

/** One matrix product for `runGemm`: its sizes, and the WGSL that reads A and B and writes C. */
export interface Gemm {
  /** Names the kernel; the schedule, type and the rest of the shader's identity are added here. */
  readonly key: string;
  readonly type: ComputeType;
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** The kernel's own uniforms (offsets, strides, geometry); `batch`, `M`, `N`, `K` are added. */
  readonly params: Params;
  /** WGSL declarations of the storage buffers, from binding 1. */
  readonly bindings: string;
  readonly buffers: readonly GPUBuffer[];
  /** WGSL defining `loadA(b, row, k) -> T`, `loadB(b, k, col) -> T` and `storeC(b, row, col, v: T)`. */
  readonly functions: string;
}

const tile = 64; // rows and columns of C per workgroup
const depth = 16; // k per step
const threads = 16; // per side: 16 × 16 threads, each 4 × 4 outputs
const simpleWorkgroup = 64;

/** Runs the product with the simple or the tiled schedule. */
export function runGemm(g: Gemm, variant: KernelVariant): void {
  if (g.batch === 0 || g.m === 0 || g.n === 0) return;
  const params = g.params.u32("batch", g.batch).u32("M", g.m).u32("N", g.n).u32("K", g.k);
  const key = `${g.key}:${g.type}:${variant}`;
  if (variant === "simple") {
    params.u32("total", g.batch * g.m * g.n);
    runKernel({
      key,
      source: () => [params.wgsl(), g.bindings, `alias T = ${g.type};`, g.functions, entryPoint(`${simpleWorkgroup}`, simpleBody)].join("\n"),
      params,
      buffers: g.buffers,
      workgroups: Math.ceil((g.batch * g.m * g.n) / simpleWorkgroup),
    });
    return;
  }
  const tilesM = Math.ceil(g.m / tile);
  const tilesN = Math.ceil(g.n / tile);
  runKernel({
    key,
    source: () => [params.wgsl(), g.bindings, `alias T = ${g.type};`, g.functions, tiledShared, entryPoint(`${threads}, ${threads}`, tiledBody)].join("\n"),
    params,
    buffers: g.buffers,
    workgroups: g.batch * tilesM * tilesN,
  });
}

const simpleBody = `  let i = wg * ${simpleWorkgroup}u + lid;
  if (i >= p.total) { return; }
  let col = i % p.N;
  let row = (i / p.N) % p.M;
  let b = i / (p.N * p.M);
  var acc = T(0);
  for (var k = 0u; k < p.K; k = k + 1u) {
    acc = acc + loadA(b, row, k) * loadB(b, k, col);
  }
  storeC(b, row, col, acc);`;

const tiledShared = `var<workgroup> tileA: array<array<T, ${depth}>, ${tile}>;
var<workgroup> tileB: array<array<T, ${tile}>, ${depth}>;
`;

// Thread (tx, ty) owns rows ty + 16i and columns tx + 16j of the tile (i, j < 4): neighbouring
// threads then read neighbouring words of shared memory and write neighbouring columns of C.
const tiledBody = `  let tilesN = (p.N + ${tile - 1}u) / ${tile}u;
  let tilesM = (p.M + ${tile - 1}u) / ${tile}u;
  let b = wg / (tilesM * tilesN);
  if (b >= p.batch) { return; }
  let t = wg % (tilesM * tilesN);
  let row0 = (t / tilesN) * ${tile}u;
  let col0 = (t % tilesN) * ${tile}u;
  let tx = lid3.x;
  let ty = lid3.y;
  var acc: array<array<T, 4>, 4>;
  for (var i = 0u; i < 4u; i = i + 1u) {
    for (var j = 0u; j < 4u; j = j + 1u) { acc[i][j] = T(0); }
  }
  for (var k0 = 0u; k0 < p.K; k0 = k0 + ${depth}u) {
    // 256 threads fetch the 1024 elements of each slab, 4 each; outside the matrices, zeros.
    for (var l = 0u; l < 4u; l = l + 1u) {
      let e = lid + l * 256u;
      let ar = e / ${depth}u;
      let ak = e % ${depth}u;
      var av = T(0);
      if (row0 + ar < p.M && k0 + ak < p.K) { av = loadA(b, row0 + ar, k0 + ak); }
      tileA[ar][ak] = av;
      let bk = e / ${tile}u;
      let bc = e % ${tile}u;
      var bv = T(0);
      if (k0 + bk < p.K && col0 + bc < p.N) { bv = loadB(b, k0 + bk, col0 + bc); }
      tileB[bk][bc] = bv;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${depth}u; kk = kk + 1u) {
      var a: array<T, 4>;
      var bb: array<T, 4>;
      for (var i = 0u; i < 4u; i = i + 1u) { a[i] = tileA[ty + ${threads}u * i][kk]; }
      for (var j = 0u; j < 4u; j = j + 1u) { bb[j] = tileB[kk][tx + ${threads}u * j]; }
      for (var i = 0u; i < 4u; i = i + 1u) {
        for (var j = 0u; j < 4u; j = j + 1u) { acc[i][j] = acc[i][j] + a[i] * bb[j]; }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i = i + 1u) {
    for (var j = 0u; j < 4u; j = j + 1u) {
      let row = row0 + ty + ${threads}u * i;
      let col = col0 + tx + ${threads}u * j;
      if (row < p.M && col < p.N) { storeC(b, row, col, acc[i][j]); }
    }
  }`;
