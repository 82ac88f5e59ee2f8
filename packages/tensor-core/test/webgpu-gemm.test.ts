/**
 * The GEMM skeleton's three schedules (tiled, blocked, simple) against the CPU, on random problems:
 * batched products whose sizes straddle the blocks (1, 3, 7, 8, 9, 63, 65, 129, ...), whose operands
 * are read in place from transposed, strided, offset or batch-broadcast views, in float32 and in
 * int64 (i32 on the GPU, so exact); and convolutions with random geometry, whose im2col loads
 * decide padding and stride without branching. PyTorch's recorded outputs for the same kernels are
 * held in webgpu-matmul-conv.test.ts.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, it } from "vitest";
import * as torch from "../src/index.ts";
import type { DType, Tensor } from "../src/index.ts";
import { sampleTensor } from "../src/op-info.ts";
import { conv2dParams } from "../src/ops/conv.ts";
import { expectGpuMatchesCpu, setUpWebgpu } from "./webgpu-support.ts";

const available = await setUpWebgpu();

/** How an operand of logical shape [batch, rows, cols] lies in its storage. */
const layouts = ["contiguous", "transposed", "strided", "offset", "broadcast"] as const;
type Layout = (typeof layouts)[number];

/**
 * A storage tensor and the view of it that the product reads: the view is taken again on the
 * GPU copy of the storage, so both devices read the same layout in place.
 */
interface Operand {
  storage: Tensor;
  view: (storage: Tensor) => Tensor;
}

function operand(layout: Layout, [batch, rows, cols]: readonly number[], seed: number, dtype: DType): Operand {
  switch (layout) {
    case "contiguous":
      return { storage: sampleTensor([batch, rows, cols], seed, dtype), view: (t) => t };
    case "transposed": // column-major matrices, as the backward pass hands them over
      return { storage: sampleTensor([batch, cols, rows], seed, dtype), view: (t) => t.transpose(1, 2) };
    case "strided": // every other column
      return { storage: sampleTensor([batch, rows, 2 * cols], seed, dtype), view: (t) => t.slice(2, 1, null, 2) };
    case "offset": // a window that starts inside its storage
      return { storage: sampleTensor([batch + 1, rows + 2, cols], seed, dtype), view: (t) => t.narrow(0, 1, batch).narrow(1, 2, rows) };
    case "broadcast": // one matrix for every batch entry: batch stride 0
      return { storage: sampleTensor([1, rows, cols], seed, dtype), view: (t) => t.expand(batch, rows, cols) };
  }
}

/** Sizes on both sides of the blocked schedule's 8 and the tiled schedule's 16 and 64. */
const side = fc.constantFrom<number>(1, 2, 3, 7, 8, 9, 16, 17, 63, 65, 129);

/** One batched product [batch, m, k] @ [batch, k, n], its operands' layouts and values. */
interface Product {
  batch: number;
  m: number;
  n: number;
  k: number;
  layoutA: Layout;
  layoutB: Layout;
  dtype: DType;
  seed: number;
}

const products: fc.Arbitrary<Product> = fc.record({
  batch: fc.integer({ min: 1, max: 3 }),
  m: side,
  n: side,
  k: side,
  layoutA: fc.constantFrom(...layouts),
  layoutB: fc.constantFrom(...layouts),
  dtype: fc.constantFrom<DType>("float32", "int64"),
  seed: fc.integer({ min: 1, max: 1000 }),
});

async function expectProductMatchesCpu(p: Product): Promise<void> {
  const a = operand(p.layoutA, [p.batch, p.m, p.k], p.seed, p.dtype);
  const b = operand(p.layoutB, [p.batch, p.k, p.n], p.seed + 1, p.dtype);
  const product = (x: Tensor, y: Tensor) => torch.bmm(a.view(x), b.view(y));
  const what = `[${p.batch}, ${p.m}, ${p.k}] (${p.layoutA}) @ [${p.batch}, ${p.k}, ${p.n}] (${p.layoutB}), ${p.dtype}`;
  await expectGpuMatchesCpu(product, [a.storage, b.storage], what);
}

/** One convolution: its geometry and its values' seed. */
interface Convolution {
  batch: number;
  groups: number;
  inPerGroup: number;
  outPerGroup: number;
  height: number;
  width: number;
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  bias: boolean;
  seed: number;
}

const pair = (min: number, max: number) => fc.tuple(fc.integer({ min, max }), fc.integer({ min, max }));

/** Convolutions of random geometry, each input just large enough for an output, or a few pixels more. */
const convolutions: fc.Arbitrary<Convolution> = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    groups: fc.integer({ min: 1, max: 2 }),
    inPerGroup: fc.integer({ min: 1, max: 3 }),
    outPerGroup: fc.integer({ min: 1, max: 3 }),
    kernel: pair(1, 3),
    stride: pair(1, 3),
    padding: pair(0, 2),
    dilation: pair(1, 2),
    extra: pair(0, 7),
    bias: fc.boolean(),
    seed: fc.integer({ min: 1, max: 1000 }),
  })
  .map(({ extra, ...c }) => {
    // the smallest input that the dilated kernel fits in once padded
    const smallest = (d: 0 | 1) => c.dilation[d] * (c.kernel[d] - 1) + 1 - 2 * c.padding[d];
    return { ...c, height: Math.max(1, smallest(0) + extra[0]), width: Math.max(1, smallest(1) + extra[1]) };
  });

async function expectConvolutionMatchesCpu(c: Convolution): Promise<void> {
  const options = { stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups };
  const p = conv2dParams(options);
  const x = sampleTensor([c.batch, c.groups * c.inPerGroup, c.height, c.width], c.seed);
  const weight = sampleTensor([c.groups * c.outPerGroup, c.inPerGroup, ...c.kernel], c.seed + 1);
  const bias = sampleTensor([c.groups * c.outPerGroup], c.seed + 2);
  const gradOut = sampleTensor(torch.conv2dOutputShape(x.shape, weight.shape, p), c.seed + 3);
  // the forward pass (with or without bias), the gradient of the input, the gradient of the weight
  const passes = (xs: Tensor, ws: Tensor, bs: Tensor, gs: Tensor) => [
    torch.conv2d(xs, ws, c.bias ? bs : null, options),
    torch.conv2dBackwardInput(gs, ws, xs.shape, p),
    torch.conv2dBackwardWeight(gs, xs, ws.shape, p),
  ];
  await expectGpuMatchesCpu(passes, [x, weight, bias, gradOut], JSON.stringify(c));
}

const variants: torch.webgpu.KernelVariant[] = ["tiled", "blocked", "simple"];

describe.skipIf(!available).each(variants)("the %s GEMM schedule against the CPU", (variant) => {
  beforeAll(() => torch.webgpu.setKernels(variant));
  afterAll(() => torch.webgpu.setKernels("auto"));

  it("random batched products: sizes across the blocks, operands read in place in any layout, float32 and int64", async () => {
    await fc.assert(fc.asyncProperty(products, expectProductMatchesCpu), { numRuns: 30 });
  });

  it("thin and awkward products: matrix-vector, vector-matrix, 1, 3, 7, 65 and 129", async () => {
    const shapes = [[129, 65, 1], [1, 65, 129], [1, 129, 1], [7, 3, 129], [65, 129, 7], [3, 1, 65], [129, 7, 129]];
    for (const [m, k, n] of shapes) {
      await expectProductMatchesCpu({ batch: 2, m, n, k, layoutA: "transposed", layoutB: "strided", dtype: "float32", seed: m + n + k });
    }
    await expectProductMatchesCpu({ batch: 1, m: 129, n: 65, k: 129, layoutA: "offset", layoutB: "transposed", dtype: "int64", seed: 7 });
  });

  it("random convolutions: output and both gradients, with stride, padding, dilation and groups", async () => {
    await fc.assert(fc.asyncProperty(convolutions, expectConvolutionMatchesCpu), { numRuns: 15 });
  });
});
