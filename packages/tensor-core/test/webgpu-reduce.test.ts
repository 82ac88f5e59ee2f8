/**
 * Reductions and softmax on WebGPU: every set of dimensions, strided input, all three schedules
 * (a thread per output, a workgroup per output, chunks and a second pass), first-index ties and
 * NaN against PyTorch, and numerically stable softmax.
 */
import { assertClose, fixture, fixtureValues, type FixtureTensor } from "@torchlet/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as torch from "../src/index.ts";
import type { DType, ReduceOp, Tensor } from "../src/index.ts";
import { sampleTensor } from "../src/op-info.ts";
import { expectGpuMatchesCpu, gpuTolerance, read, setUpWebgpu } from "./webgpu-support.ts";

const available = await setUpWebgpu();

interface ReduceCase {
  kind: string;
  name: string;
  op: "max" | "min";
  dim: number;
  dims: number[];
  x: FixtureTensor;
  values: FixtureTensor;
  indices: FixtureTensor;
  output: FixtureTensor;
  softmax: FixtureTensor;
  log_softmax: FixtureTensor;
}

const cases = fixture<ReduceCase>("webgpu-kernels");
const gpuFrom = (t: FixtureTensor) => torch.fromValues(fixtureValues(t), t.shape, "float32", "webgpu");

/** Every subset of {0, ..., n-1}, the empty one included. */
function subsets(n: number): number[][] {
  return Array.from({ length: 2 ** n }, (_, mask) => [...Array(n).keys()].filter((d) => mask & (1 << d)));
}

/** A [4, 3, 5] view of a [3, 5, 4] tensor: every stride differs from the contiguous layout's. */
function stridedInput(dtype: DType, seed: number): Tensor {
  return sampleTensor([3, 5, 4], seed, dtype);
}
const permuted = (x: Tensor) => x.permute(2, 0, 1);

describe.skipIf(!available)("reductions on webgpu", () => {
  for (const op of ["sum", "max", "min"] as ReduceOp[]) {
    it(`${op} over every set of dimensions of a permuted view, for every dtype`, async () => {
      for (const dtype of ["float32", "int64", "bool"] as DType[]) {
        for (const dims of subsets(3)) {
          const outType = op === "sum" && dtype !== "float32" ? "int64" : dtype;
          await expectGpuMatchesCpu((x) => torch.reduceKernel(op, permuted(x), dims, true, outType), [stridedInput(dtype, dims.length + 1)], `${op} ${dtype} dims [${dims}]`);
        }
      }
    });
  }

  it("max and min along one dimension return the first extreme value's position", async () => {
    for (const dtype of ["float32", "int64", "bool"] as DType[]) {
      for (const dim of [0, 1, 2]) {
        await expectGpuMatchesCpu((x) => { const r = torch.max(permuted(x), dim); return [r.values, r.indices]; }, [stridedInput(dtype, 20 + dim)], `max ${dtype} dim ${dim}`);
        await expectGpuMatchesCpu((x) => { const r = torch.min(permuted(x), dim, true); return [r.values, r.indices]; }, [stridedInput(dtype, 30 + dim)], `min ${dtype} dim ${dim}`);
      }
    }
  });

  describe("against PyTorch: ties, NaN, several dimensions", () => {
    for (const c of cases.filter((k) => ["reduce", "argmax", "sum"].includes(k.kind))) {
      it(c.name, async () => {
        const x = gpuFrom(c.x);
        if (c.kind === "reduce") {
          const { values, indices } = c.op === "max" ? torch.max(x, c.dim) : torch.min(x, c.dim);
          assertClose((await read(values)).values, fixtureValues(c.values), gpuTolerance, "values");
          expect((await read(indices)).values).toEqual(fixtureValues(c.indices));
        } else if (c.kind === "argmax") {
          expect((await read(x.argmax())).values).toEqual(fixtureValues(c.output));
        } else {
          assertClose((await read(x.sum(c.dims))).values, fixtureValues(c.output), gpuTolerance, "sum");
        }
      });
    }
  });

  describe("schedules", () => {
    it("one workgroup per output: rows of 65 to 1000 elements", async () => {
      for (const length of [65, 256, 257, 1000]) {
        const x = sampleTensor([3, length], length);
        await expectGpuMatchesCpu((t) => t.sum(1), [x], `sum of rows of ${length}`);
        await expectGpuMatchesCpu((t) => { const r = t.max(1); return [r.values, r.indices]; }, [x], `max of rows of ${length}`);
        await expectGpuMatchesCpu((t) => t.argmin(), [x], `argmin of ${3 * length}`);
      }
    });

    // a workgroup takes 4096 elements, so these need 3 to 13 chunks
    it("chunks and a second pass: one sum of 50000 elements, and columns of 10000", async () => {
      const big = sampleTensor([50000], 41);
      await expectGpuMatchesCpu((t) => t.sum(), [big], "sum of 50000");
      await expectGpuMatchesCpu((t) => t.mean(), [big], "mean of 50000");
      const tall = sampleTensor([10000, 3], 42);
      await expectGpuMatchesCpu((t) => { const r = t.max(0); return [r.values, r.indices]; }, [tall], "max down columns of 10000");
      await expectGpuMatchesCpu((t) => { const r = t.min(0); return [r.values, r.indices]; }, [tall], "min down columns of 10000");
      const ints = sampleTensor([12289], 43, "int64");
      await expectGpuMatchesCpu((t) => [t.sum(), t.argmax()], [ints], "int64 sum and argmax of 12289");
    });

    it("ties across chunks: the earliest position wins, wherever the chunk boundaries fall", async () => {
      const values = new Array<number>(20000).fill(1);
      for (const at of [4095, 4096, 12000, 19999]) values[at] = 5;
      const x = torch.tensor(values, { dtype: "float32", device: "webgpu" });
      expect((await read(x.argmax())).values).toEqual([4095]);
      values[15000] = NaN;
      values[17000] = NaN;
      const withNan = torch.tensor(values, { dtype: "float32", device: "webgpu" });
      const { values: max, indices } = withNan.max(0);
      expect((await read(max)).values).toEqual([NaN]);
      expect((await read(indices)).values).toEqual([15000]);
    });

    it("random shapes and dims agree with the CPU (property)", async () => {
      const arb = fc.record({
        shape: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
        mask: fc.integer({ min: 0, max: 15 }),
        seed: fc.integer({ min: 1, max: 1000 }),
      });
      await fc.assert(
        fc.asyncProperty(arb, async ({ shape, mask, seed }) => {
          const dims = [...shape.keys()].filter((d) => mask & (1 << d));
          const x = sampleTensor(shape, seed);
          await expectGpuMatchesCpu((t) => t.transpose(0, -1).sum(dims, true), [x], `sum [${shape}] over [${dims}]`);
        }),
        { numRuns: 25 },
      );
    });
  });
});

describe.skipIf(!available)("softmax on webgpu", () => {
  it("along every dimension of a strided input, short and long slices", async () => {
    for (const shape of [[3, 4, 5], [2, 70, 3], [130, 2]]) {
      const x = sampleTensor(shape, shape[1]).mul(3);
      for (let dim = 0; dim < shape.length; dim++) {
        await expectGpuMatchesCpu((t) => t.transpose(0, -1).softmax(dim), [x], `softmax [${shape}] dim ${dim}`);
        await expectGpuMatchesCpu((t) => t.transpose(0, -1).logSoftmax(dim), [x], `log_softmax [${shape}] dim ${dim}`);
      }
    }
  });

  it("of a 0-d tensor", async () => {
    await expectGpuMatchesCpu((t) => [t.softmax(0), t.logSoftmax(0)], [torch.tensor(3.5, { dtype: "float32" })], "0-d");
  });

  for (const c of cases.filter((k) => k.kind === "softmax")) {
    it(`against PyTorch: ${c.name}`, async () => {
      const x = gpuFrom(c.x);
      assertClose((await read(x.softmax(c.dim))).values, fixtureValues(c.softmax), gpuTolerance, "softmax");
      assertClose((await read(x.logSoftmax(c.dim))).values, fixtureValues(c.log_softmax), gpuTolerance, "log_softmax");
    });
  }

  it("keeps huge inputs finite and NaN where the input has one", async () => {
    const x = torch.tensor([[1000, 1001, 999], [-1000, -1000, -1000], [0, NaN, 1]], { dtype: "float32" });
    await expectGpuMatchesCpu((t) => t.softmax(1), [x], "softmax of extremes");
    const { values } = await read(x.to("webgpu").softmax(1));
    expect(values.slice(0, 6).every(Number.isFinite)).toBe(true);
    expect(values.slice(6).every(Number.isNaN)).toBe(true);
  });
});
