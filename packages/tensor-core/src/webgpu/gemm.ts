/**
 * One matrix-product skeleton for matmul and all three convolution kernels.
 *
 * C[b, row, col] = Σ_k A[b, row, k] · B[b, k, col], where A and B need not exist in memory: a
 * kernel supplies WGSL functions `loadA(b, row, k)`, `loadB(b, k, col)` and `storeC(b, row, col, v)`
 * that compute where each element lives. For matmul they apply strides (so transposed operands
 * are read in place); for convolution `loadA` reads the input patch under the kernel, which is
 * im2col without ever building the im2col matrix ("implicit GEMM").
 *
 * Three schedules of the same sum, chosen by the adapter (`torch.webgpu.kernels()`):
 * - tiled, for real GPUs: a workgroup of 16×16 threads computes a 64×64 tile of C, each thread a
 *   4×4 block. The workgroup walks k in steps of 16, first copying a 64×16 slab of A and a 16×64
 *   slab of B into shared memory (each element fetched from global memory once per workgroup
 *   instead of 64 times), then every thread multiplies from shared memory.
 * - blocked, for CPU adapters (SwiftShader, lavapipe, WARP): each thread computes an 8×8 block of
 *   C alone, holding the 64 sums in registers; per step of k it loads 8 values of A and 8 of B and
 *   does 64 multiply-adds. No shared memory and no barriers: see `blockedBody` for why.
 * - simple: one thread per element of C, looping over k. The plainest form of the sum, kept as the
 *   reference the other two are tested against; on the adapters measured it is the slowest.
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
  /**
   * WGSL defining `loadA(b, row, k) -> T`, `loadB(b, k, col) -> T` and `storeC(b, row, col, v: T)`.
   * Loads are called only with coordinates inside the matrices. They should not branch (use
   * `select`): a CPU adapter compiles each of the blocked schedule's 16 inlined loads per step, and
   * branches in them multiply its compile time.
   */
  readonly functions: string;
}

/** Runs the product with the schedule `variant` names. */
export function runGemm(g: Gemm, variant: KernelVariant): void {
  if (g.batch === 0 || g.m === 0 || g.n === 0) return;
  const params = g.params.u32("batch", g.batch).u32("M", g.m).u32("N", g.n).u32("K", g.k);
  const key = `${g.key}:${g.type}:${variant}`;
  switch (variant) {
    case "simple":
      return runSimple(g, params, key);
    case "blocked":
      return runBlocked(g, params, key);
    case "tiled":
      return runTiled(g, params, key);
  }
}

/** The shader's text: the uniforms (once the schedule has added its own), the kernel's WGSL, then `parts`. */
function shaderSource(g: Gemm, params: Params, ...parts: string[]): () => string {
  return () => [params.wgsl(), g.bindings, `alias T = ${g.type};`, g.functions, ...parts].join("\n");
}

// ---------------------------------------------------------------------------------------------
// simple: one thread per element of C

const simpleWorkgroup = 64;

function runSimple(g: Gemm, params: Params, key: string): void {
  params.u32("total", g.batch * g.m * g.n);
  runKernel({
    key,
    source: shaderSource(g, params, entryPoint(`${simpleWorkgroup}`, simpleBody)),
    params,
    buffers: g.buffers,
    workgroups: Math.ceil((g.batch * g.m * g.n) / simpleWorkgroup),
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

// ---------------------------------------------------------------------------------------------
// blocked: each thread an 8×8 block of C in registers, for CPU adapters

/** Rows and columns of C per thread, at most (thinner where C is thinner: see `blockSide`). */
const maxBlock = 8;
const blockedWorkgroup = 64;

/**
 * The block's side for a matrix side of `size`: 8, or the power of two that covers a thinner
 * matrix (a matrix-vector product gets 8×1 blocks, not 8×8 blocks with 7 columns thrown away).
 */
function blockSide(size: number): number {
  let side = 1;
  while (side < size && side < maxBlock) side *= 2;
  return side;
}

function runBlocked(g: Gemm, params: Params, key: string): void {
  const rows = blockSide(g.m);
  const cols = blockSide(g.n);
  const blocks = g.batch * Math.ceil(g.m / rows) * Math.ceil(g.n / cols);
  params.u32("blocks", blocks);
  runKernel({
    key: `${key}:${rows}x${cols}`,
    source: shaderSource(g, params, entryPoint(`${blockedWorkgroup}`, blockedBody(g.type, rows, cols))),
    params,
    buffers: g.buffers,
    workgroups: Math.ceil(blocks / blockedWorkgroup),
  });
}

const indices = (count: number): number[] => Array.from({ length: count }, (_, i) => i);

/**
 * The blocked schedule's WGSL, written out in full: one variable per sum, one line per load and per
 * multiply-add, no arrays and no inner loops.
 *
 * Why this shape is fast on a CPU adapter. SwiftShader runs four threads of a workgroup side by
 * side in the lanes of one SIMD register (other CPU adapters work alike, some with wider
 * registers), and every load from a storage buffer is a gather: four addresses, each checked
 * against the buffer's bounds. Loads, not arithmetic, are the cost. The simple
 * schedule does two loads per multiply-add; an 8×8 block does 16 loads per 64 multiply-adds, eight
 * times fewer. Shared memory (the tiled schedule) does not help here: on a CPU it is ordinary
 * memory, so copying into it adds loads and stores, and each barrier makes the driver switch
 * between the workgroup's threads. The sums must stay in registers, so they are named variables
 * rather than an array: an array indexed by a loop counter stays in memory unless the driver's
 * compiler unrolls the loop, and named variables leave it no choice. (Measured on SwiftShader:
 * 2×2, 4×4, 4×8 and 8×4 blocks, k unrolled by 2 to 8, B read as vec4, and workgroups of 16 to 256
 * threads were slower than 8×8 blocks in workgroups of 64, or no faster: see the bench README.)
 *
 * Rows and columns past the edge of C are clamped to the last one: their loads stay inside the
 * matrices and the loop needs no branch, and their sums are simply not stored.
 */
function blockedBody(type: ComputeType, rows: number, cols: number): string {
  const R = indices(rows);
  const C = indices(cols);
  // WGSL's fma is for floats only; on integers a multiply-add is exact anyway.
  const multiplyAdd = (acc: string, a: string, b: string) => (type === "f32" ? `fma(${a}, ${b}, ${acc})` : `${acc} + ${a} * ${b}`);
  return [
    `  let i = wg * ${blockedWorkgroup}u + lid;`,
    `  if (i >= p.blocks) { return; }`,
    `  let blocksN = (p.N + ${cols - 1}u) / ${cols}u;`,
    `  let blocksM = (p.M + ${rows - 1}u) / ${rows}u;`,
    `  let top = ((i / blocksN) % blocksM) * ${rows}u;`,
    `  let left = (i % blocksN) * ${cols}u;`,
    `  let b = i / (blocksN * blocksM);`,
    ...R.map((r) => `  let row${r} = min(top + ${r}u, p.M - 1u);`),
    ...C.map((c) => `  let col${c} = min(left + ${c}u, p.N - 1u);`),
    ...R.flatMap((r) => C.map((c) => `  var acc${r}_${c} = T(0);`)),
    `  for (var k = 0u; k < p.K; k = k + 1u) {`,
    ...R.map((r) => `    let a${r} = loadA(b, row${r}, k);`),
    ...C.map((c) => `    let b${c} = loadB(b, k, col${c});`),
    ...R.flatMap((r) => C.map((c) => `    acc${r}_${c} = ${multiplyAdd(`acc${r}_${c}`, `a${r}`, `b${c}`)};`)),
    `  }`,
    ...R.flatMap((r) =>
      C.map((c) => `  if (top + ${r}u < p.M && left + ${c}u < p.N) { storeC(b, row${r}, col${c}, acc${r}_${c}); }`),
    ),
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// tiled: 64×64 tiles of C through shared memory, for GPUs

const tile = 64; // rows and columns of C per workgroup
const depth = 16; // k per step
const threads = 16; // per side: 16 × 16 threads, each 4 × 4 outputs

function runTiled(g: Gemm, params: Params, key: string): void {
  const tilesM = Math.ceil(g.m / tile);
  const tilesN = Math.ceil(g.n / tile);
  runKernel({
    key,
    source: shaderSource(g, params, tiledShared, entryPoint(`${threads}, ${threads}`, tiledBody)),
    params,
    buffers: g.buffers,
    workgroups: g.batch * tilesM * tilesN,
  });
}

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
