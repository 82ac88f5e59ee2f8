/**
 * Matrix products, convolutions and max pooling on WebGPU, each with every kernel variant (tiled,
 * blocked and simple) on the same adapter: held against PyTorch's outputs and gradients, and
 * against the CPU for operand layouts and sizes that cross the 64×64 tiles and the k-steps of 16.
 */
import { assertClose, fixture, fixtureValues, type FixtureTensor } from "@torchlet/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as torch from "../src/index.ts";
import type { Conv2dParams, Tensor } from "../src/index.ts";
import { sampleTensor } from "../src/op-info.ts";
import { expectGpuMatchesCpu, gpuTolerance, read, setUpWebgpu } from "./webgpu-support.ts";

const available = await setUpWebgpu();

interface KernelCase {
  kind: string;
  name: string;
  op?: string;
  a: FixtureTensor;
  b: FixtureTensor;
  b_transposed: FixtureTensor;
  output: FixtureTensor;
  params: Record<string, number[] | number | boolean>;
  x: FixtureTensor;
  weight: FixtureTensor;
  bias: FixtureTensor | null;
  upstream: FixtureTensor;
  grad_x: FixtureTensor;
  grad_weight: FixtureTensor;
  grad_bias: FixtureTensor | null;
  indices: FixtureTensor;
}

const cpuKernelCases = fixture<KernelCase>("cpu-kernels");
const gpuKernelCases = fixture<KernelCase>("webgpu-kernels");
const gpuFrom = (t: FixtureTensor) => torch.fromValues(fixtureValues(t), t.shape, "float32", "webgpu");

async function expectValues(t: Tensor, expected: FixtureTensor, what: string): Promise<void> {
  const { values, shape } = await read(t);
  expect(shape, `${what}: shape`).toEqual(expected.shape);
  assertClose(values, fixtureValues(expected), gpuTolerance, what);
}

/** The same values in a column-major layout: a view whose strides the kernel must honour. */
function columnMajor(t: Tensor): Tensor {
  return t.transpose(-1, -2).contiguous().transpose(-1, -2);
}

const variants: torch.webgpu.KernelVariant[] = ["tiled", "blocked", "simple"];

describe.skipIf(!available).each(variants)("%s kernels", (variant) => {
  beforeAll(() => torch.webgpu.setKernels(variant));
  afterAll(() => torch.webgpu.setKernels("auto"));

  it("runs the variant asked for", () => {
    expect(torch.webgpu.kernels()).toBe(variant);
  });

  describe("matmul", () => {
    for (const c of cpuKernelCases.filter((k) => k.kind === "matmul")) {
      it(`against PyTorch: ${c.name}, contiguous and column-major operands`, async () => {
        const [a, b] = [gpuFrom(c.a), gpuFrom(c.b)];
        await expectValues(torch.bmm(a, b), c.output, "contiguous");
        await expectValues(torch.bmm(columnMajor(a), columnMajor(b)), c.output, "column-major");
      });
    }

    for (const c of gpuKernelCases.filter((k) => k.kind === "matmul")) {
      it(`against PyTorch: ${c.name}`, async () => {
        const a = gpuFrom(c.a);
        if (c.b_transposed) {
          await expectValues(a.matmul(gpuFrom(c.b_transposed).t()), c.output, "a @ b.T");
        } else {
          const b = gpuFrom(c.b);
          await expectValues(a.matmul(b), c.output, "batch folded into rows");
          // the same product as one bmm whose second operand has batch stride 0
          await expectValues(torch.bmm(a, b.expand(a.shape[0], ...b.shape)), c.output, "expanded batch");
        }
      });
    }

    it("awkward sizes against the CPU: 1, 3, 7, 16, 17, 64, 65 and 130", async () => {
      const sizes = [1, 3, 7, 16, 17, 64, 65, 130];
      for (const [m, k, n] of [[1, 1, 1], [3, 7, 65], [65, 3, 7], [7, 65, 3], [17, 16, 64], [130, 17, 65], [64, 130, 1], [1, 64, 130]]) {
        expect(sizes).toEqual(expect.arrayContaining([m, k, n]));
        await expectGpuMatchesCpu((a, b) => a.mm(b), [sampleTensor([m, k], m + k), sampleTensor([k, n], k + n)], `${m}x${k}x${n}`);
      }
    });

    it("transposed, sliced and broadcast operands, and the vector forms", async () => {
      const a = sampleTensor([2, 9, 6], 60);
      const b = sampleTensor([9, 12], 61);
      // [2, 6, 9] (transposed) @ [9, 6] (every other column)
      await expectGpuMatchesCpu((x, y) => x.transpose(1, 2).matmul(y.slice(1, 0, null, 2)), [a, b], "transposed a, sliced b");
      await expectGpuMatchesCpu((x, y) => torch.matmul(y.t().unsqueeze(0).expand(3, 12, 9), x.unsqueeze(1)), [a, b], "broadcast batch");
      await expectGpuMatchesCpu((x, y) => [torch.mv(x.select(0, 1), y.select(0, 0).narrow(0, 0, 6)), torch.dot(y.select(1, 2), y.select(1, 3))], [a, b], "mv and dot");
      await expectGpuMatchesCpu((x) => x.matmul(x.transpose(1, 2)), [a], "x @ x.T (one buffer bound twice)");
    });

    it("int64 products", async () => {
      await expectGpuMatchesCpu((a, b) => a.matmul(b), [sampleTensor([5, 70], 62, "int64"), sampleTensor([70, 3], 63, "int64")], "int64");
    });

    it("no rows or no columns, and an empty sum", async () => {
      await expectGpuMatchesCpu((a, b) => a.mm(b), [sampleTensor([0, 3], 64), sampleTensor([3, 4], 65)], "0 rows");
      await expectGpuMatchesCpu((a, b) => a.mm(b), [sampleTensor([2, 0], 66), sampleTensor([0, 4], 67)], "k = 0");
    });
  });

  describe("conv2d", () => {
    for (const c of cpuKernelCases.filter((k) => k.kind === "conv2d")) {
      it(`against PyTorch: ${c.name}: output and both gradients`, async () => {
        const p: Conv2dParams = {
          stride: c.params.stride as [number, number],
          padding: c.params.padding as [number, number],
          dilation: c.params.dilation as [number, number],
          groups: c.params.groups as number,
        };
        const [x, w] = [gpuFrom(c.x), gpuFrom(c.weight)];
        const bias = c.bias ? gpuFrom(c.bias) : null;
        await expectValues(torch.conv2d(x, w, bias, p), c.output, "output");
        const upstream = gpuFrom(c.upstream);
        await expectValues(torch.conv2dBackwardInput(upstream, w, x.shape, p), c.grad_x, "gradient of the input");
        await expectValues(torch.conv2dBackwardWeight(upstream, x, w.shape, p), c.grad_weight, "gradient of the weight");
      });
    }

    it("a channels-last input, a strided bias and a batch that crosses the tile", async () => {
      const x = sampleTensor([9, 5, 5, 3], 70); // N H W C
      const w = sampleTensor([4, 3, 3, 3], 71);
      const b = sampleTensor([8], 72);
      await expectGpuMatchesCpu((xs, ws, bs) => torch.conv2d(xs.permute(0, 3, 1, 2), ws, bs.slice(0, 0, null, 2), { padding: 1 }), [x, w, b], "permuted input");
    });
  });

  describe("max_pool2d", () => {
    const pools = [
      ...gpuKernelCases.filter((k) => k.kind === "max_pool2d"),
      ...fixture<KernelCase & { op: string; inputs: FixtureTensor[]; grads: FixtureTensor[] }>("ops")
        .filter((k) => k.op.startsWith("max_pool2d"))
        .map((k) => ({ ...k, name: k.op, x: k.inputs[0], grad_x: k.grads[0], params: poolParamsOf(k.op) })),
    ];
    for (const c of pools) {
      it(`against PyTorch: ${c.name}: output, indices and gradient`, async () => {
        const options = {
          kernelSize: c.params.kernel_size as [number, number],
          stride: c.params.stride as [number, number],
          padding: c.params.padding as [number, number],
          dilation: c.params.dilation as [number, number],
          ceilMode: c.params.ceil_mode as boolean,
        };
        const x = gpuFrom(c.x);
        const [out, indices] = torch.maxPool2dWithIndices(x, options);
        await expectValues(out, c.output, "output");
        if (c.indices) expect((await read(indices)).values, "indices").toEqual(fixtureValues(c.indices));
        const grad = torch.maxPool2dBackward(gpuFrom(c.upstream), indices, x.shape, torch.pool2dParams(options));
        await expectValues(grad, c.grad_x, "gradient of the input");
      });
    }
  });
});

/** The options of the two pooling cases in ops.json, which name them in the op: "max_pool2d 2", "max_pool2d 3 s1 p1". */
function poolParamsOf(op: string): Record<string, number[] | boolean> {
  const [, k, s, p] = /max_pool2d (\d+)(?: s(\d+))?(?: p(\d+))?/.exec(op)!;
  const pair = (v: string | undefined, fallback: number) => [Number(v ?? fallback), Number(v ?? fallback)];
  return { kernel_size: pair(k, 0), stride: pair(s, Number(k)), padding: pair(p, 0), dilation: [1, 1], ceil_mode: false };
}
