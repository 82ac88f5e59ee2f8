/**
 * Elementwise kernels on WebGPU: every op of the op table for every dtype, strided and broadcast
 * operands, writes into views, dtype conversions, the special values where WGSL's own built-ins
 * differ from PyTorch, and a dispatch too large for one dimension of workgroups.
 */
import { assertClose, fixture, fixtureValues, type FixtureTensor } from "@torchlet/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as torch from "../src/index.ts";
import type { BinaryOp, DType, Tensor, UnaryOp } from "../src/index.ts";
import { binaryOps, unaryOps } from "../src/kernels/elementwise/ops.ts";
import { sampleTensor } from "../src/op-info.ts";
import { expectGpuMatchesCpu, gpuTolerance, read, setUpWebgpu } from "./webgpu-support.ts";

const available = await setUpWebgpu();

/** A float tensor holding the values where kernels go wrong: NaN, ±∞, ±0, and ordinary numbers. */
function specialValues(): Tensor {
  return torch.tensor([NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -2.5, 3, 1e-3, -7e-6, 40, -40, 88.5, 2], { dtype: "float32" }).reshape(4, 4);
}

function fromFixture(t: FixtureTensor, dtype: DType = "float32"): Tensor {
  return torch.fromValues(fixtureValues(t), t.shape, dtype);
}

interface ElementwiseCase {
  kind: string;
  name: string;
  op: string;
  a: FixtureTensor;
  b: FixtureTensor;
  x: FixtureTensor;
  output: FixtureTensor;
}

const elementwiseFixtures = fixture<ElementwiseCase>("webgpu-kernels").filter((c) => ["binary", "unary", "long"].includes(c.kind));

describe.skipIf(!available)("elementwise kernels on webgpu", () => {
  describe("every binary op of the op table, for every pair of dtypes", () => {
    const dtypes: DType[] = ["float32", "int64", "bool"];
    for (const op of Object.keys(binaryOps) as BinaryOp[]) {
      it(op, async () => {
        for (const da of dtypes) {
          for (const db of dtypes) {
            if (op === "sub" && da === "bool" && db === "bool") continue; // refused by the op, as in PyTorch
            // broadcast a transposed [4, 3] against a [3] row
            const a = sampleTensor([3, 4], 1, da);
            // integer powers with negative exponents are an error in PyTorch: keep exponents >= 0
            const b = op === "pow" && db === "int64" ? sampleTensor([3], 2, db).abs() : sampleTensor([3], 2, db);
            const fn = (x: Tensor, y: Tensor) => torch.binaryKernel(op, x.t(), y);
            await expectGpuMatchesCpu(fn, [a, b], `${op}(${da}, ${db})`);
          }
        }
      });
    }
  });

  describe("every unary op of the op table", () => {
    for (const op of Object.keys(unaryOps) as UnaryOp[]) {
      it(`${op} of special float values`, async () => {
        await expectGpuMatchesCpu((x) => torch.unaryKernel(op, x, op === "logicalNot" ? "bool" : "float32"), [specialValues()], op);
      });
    }
    for (const op of ["neg", "abs", "sign", "relu", "logicalNot"] as UnaryOp[]) {
      it(`${op} of int64 and bool values`, async () => {
        const ints = sampleTensor([5, 3], 3, "int64");
        await expectGpuMatchesCpu((x) => torch.unaryKernel(op, x, op === "logicalNot" ? "bool" : "int64"), [ints], `${op}(int64)`);
        const bools = sampleTensor([5, 3], 4, "bool");
        await expectGpuMatchesCpu((x) => torch.unaryKernel("logicalNot", x, "bool"), [bools], "logicalNot(bool)");
      });
    }
  });

  describe("special values, against PyTorch", () => {
    for (const c of elementwiseFixtures) {
      it(c.name, async () => {
        let result: Tensor;
        if (c.kind === "binary") {
          const [a, b] = [fromFixture(c.a).to("webgpu"), fromFixture(c.b).to("webgpu")];
          result = c.op === "pow" ? torch.pow(a, b) : c.op === "maximum" ? torch.maximum(a, b) : torch.minimum(a, b);
        } else if (c.kind === "unary") {
          const x = fromFixture(c.x).to("webgpu");
          result = c.op === "relu" ? x.relu() : c.op === "tanh" ? x.tanh() : x.sigmoid();
        } else {
          result = fromFixture(c.x).to("webgpu").long();
        }
        const { values, shape } = await read(result);
        expect(shape).toEqual(c.output.shape);
        // tanh near zero is held to relative precision: its values are tiny
        assertClose(values, fixtureValues(c.output), c.op === "tanh" ? { rtol: 1e-5, atol: 1e-12 } : gpuTolerance, c.name);
      });
    }

    it("pow with integral exponents of negative bases agrees with the CPU on a grid", async () => {
      const bases = torch.tensor([-3, -2.5, -1, -0.5, 0, 0.5, 1, 2, 3.5], { dtype: "float32" }).reshape(9, 1);
      const exponents = torch.tensor([-3, -2, -1, 0, 1, 2, 3, 7, 0.5, -0.5, 2.5, 65], { dtype: "float32" });
      await expectGpuMatchesCpu((a, b) => torch.pow(a, b), [bases, exponents], "pow grid");
    });

    it("integer pow multiplies exactly", async () => {
      const bases = torch.tensor([[-3], [-2], [0], [1], [2], [5]]);
      const exponents = torch.tensor([0, 1, 2, 3, 7]);
      const { values } = await read(torch.pow(bases.to("webgpu"), exponents.to("webgpu")));
      expect(values).toEqual(Array.from(torch.pow(bases, exponents).toArray()));
      expect(values.slice(0, 5)).toEqual([1, -3, 9, -27, -2187]);
    });
  });

  describe("layouts", () => {
    it("reads transposed, sliced, expanded and permuted operands in place", async () => {
      const x = sampleTensor([4, 6, 5], 5);
      const y = sampleTensor([5, 1], 6);
      await expectGpuMatchesCpu((a, b) => a.permute(2, 0, 1).slice(1, 1, null, 2).mul(b.expand(5, 2).unsqueeze(2)), [x, y], "permuted × expanded");
      await expectGpuMatchesCpu((a) => a.select(1, 3).t().contiguous(), [x], "select + transpose + contiguous");
    });

    it("handles awkward sizes: 0-d, 1, 3, 7, 65 and empty tensors", async () => {
      for (const shape of [[], [1], [3], [7], [65], [7, 65], [0], [3, 0]]) {
        await expectGpuMatchesCpu((a, b) => a.add(b.t().t()).sigmoid(), [sampleTensor(shape, 7), sampleTensor(shape, 8)], `[${shape}]`);
      }
    });

    it("broadcasts random shapes like the CPU (property)", async () => {
      const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 });
      await fc.assert(
        fc.asyncProperty(shapeArb, fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), fc.integer({ min: 1, max: 1000 }), async (shape, ones, seed) => {
          // b has size 1 wherever `ones` says, and may be shorter than a
          const bShape = shape.map((s, i) => (ones[i] ? 1 : s)).slice(ones[3] ? 1 : 0);
          const a = sampleTensor(shape, seed);
          const b = sampleTensor(bShape, seed + 1);
          // then read the product through its reversed dimensions (a non-contiguous view)
          const reversed = (t: Tensor) => t.permute([...t.shape.keys()].reverse());
          await expectGpuMatchesCpu((x, y) => reversed(x.mul(y.exp())).sigmoid(), [a, b], `[${shape}] * [${bShape}]`);
        }),
        { numRuns: 30 },
      );
    });
  });

  describe("writes into views (in-place ops)", () => {
    const inPlace: [string, (t: Tensor, other: Tensor) => void][] = [
      ["add_ into a transposed view", (t, o) => t.t().add_(o.t())],
      ["mul_ into every other column", (t, o) => t.slice(1, 0, null, 2).mul_(o.slice(1, 1, null, 2))],
      ["fill_ of one row", (t) => t.select(0, 2).fill_(7.5)],
      ["copy_ of a broadcast row into a column slice", (t, o) => t.narrow(1, 1, 3).copy_(o.select(0, 0).narrow(0, 0, 3))],
      ["a tensor plus itself, in place", (t) => t.add_(t)],
      ["clamp_ of a slice", (t) => t.narrow(0, 1, 3).clamp_({ min: -0.5, max: 0.5 })],
    ];
    for (const [name, write] of inPlace) {
      it(name, async () => {
        const base = sampleTensor([6, 6], 9);
        const other = sampleTensor([6, 6], 10);
        const cpu = base.clone();
        write(cpu, other);
        const gpu = base.to("webgpu");
        write(gpu, other.to("webgpu"));
        const { values } = await read(gpu);
        assertClose(values, Array.from(cpu.toArray()), gpuTolerance, name);
      });
    }

    // PyTorch refuses these writes ("some elements of the input tensor and the written-to tensor
    // refer to a single memory location"): the answer would depend on the order of the writes.
    const refused: [string, (t: Tensor) => void][] = [
      ["a tensor times its own transpose", (t) => t.mul_(t.t())],
      ["copy_ of its own transpose", (t) => t.copy_(t.t())],
    ];
    for (const [name, write] of refused) {
      it(`${name}: refused on the GPU as on the CPU, nothing written`, async () => {
        const base = sampleTensor([5, 5], 16);
        const gpu = base.to("webgpu");
        expect(() => write(base.clone())).toThrow("refer to a single memory location");
        expect(() => write(gpu)).toThrow("refer to a single memory location");
        assertClose((await read(gpu)).values, Array.from(base.toArray()), gpuTolerance, name);
      });
    }

    // An operand whose memory is not one dense block (a column) escapes PyTorch's cheap overlap
    // check; the GPU then reads it as it was before the write, as if it had been cloned first.
    it("div_ by its own first column, broadcast: reads the operand as it was before the write", async () => {
      const base = sampleTensor([5, 5], 16);
      const cpu = base.clone();
      cpu.div_(cpu.narrow(1, 0, 1).clone());
      const gpu = base.to("webgpu");
      gpu.div_(gpu.narrow(1, 0, 1));
      assertClose((await read(gpu)).values, Array.from(cpu.toArray()), gpuTolerance, "div_ by own column");
    });
  });

  describe("dtypes", () => {
    it("converts between every pair of dtypes as the CPU does", async () => {
      const sources = [finite(specialValues()), sampleTensor([4, 4], 11, "int64"), sampleTensor([4, 4], 12, "bool")];
      for (const src of sources) {
        for (const dtype of ["float32", "int64", "bool"] as DType[]) {
          await expectGpuMatchesCpu((x) => x.to(dtype), [src], `${src.dtype} → ${dtype}`);
        }
      }
    });

    it("where picks between broadcast operands of any dtype", async () => {
      for (const dtype of ["float32", "int64", "bool"] as DType[]) {
        const cond = sampleTensor([3, 1, 4], 13, "bool");
        await expectGpuMatchesCpu((c, a, b) => torch.where(c, a, b), [cond, sampleTensor([5, 1], 14, dtype), sampleTensor([4], 15, dtype)], `where ${dtype}`);
      }
    });

    it("compares int64 and float operands in the promoted dtype", async () => {
      const ints = torch.tensor([[1, 2, 3]]);
      const floats = torch.tensor([[1.5], [2], [3]], { dtype: "float32" });
      await expectGpuMatchesCpu((a, b) => a.le(b), [ints, floats], "int64 <= float32");
      await expectGpuMatchesCpu((a, b) => a.add(b), [ints, floats], "int64 + float32");
    });
  });

  it("folds a dispatch of more than 65535 workgroups into two dimensions", async () => {
    const n = 65535 * 64 + 1000; // one thread per element, 64 per workgroup
    const x = torch.zeros(n, { device: "webgpu" });
    const y = x.add(1.5).mul(torch.arange(n, { dtype: "float32", device: "webgpu" }));
    const { values } = await read(y);
    expect(values.length).toBe(n);
    for (const i of [0, 1, 63, 64, 65535 * 64 - 1, 65535 * 64, n - 1]) expect(values[i], `element ${i}`).toBe(Math.fround(1.5 * i));
    const wrong = values.findIndex((v, i) => v !== Math.fround(1.5 * i));
    expect(wrong).toBe(-1);
  });
});

/** The finite values of a tensor (NaN and ±∞ become 0): float → int conversions of them are undefined. */
function finite(t: Tensor): Tensor {
  const values = Array.from(t.toArray(), (v) => (Number.isFinite(v) ? v : 0));
  return torch.fromValues(values, t.shape, "float32");
}
