/**
 * `std` against PyTorch 1.13 (`std.json`, written by `std.py` beside it): values and gradients
 * over all dims, one dim, several dims, with and without Bessel's correction and keepdim; the
 * gradient PyTorch defines as 0 where every value is equal; values whose squares overflow or
 * underflow float32 (PyTorch accumulates in double); nan and inf; the `StdBackward0` node; the
 * errors for bad input, which leave the input as it was; finite differences; and the same on WebGPU.
 */
import { std, tensor, type Tensor } from "@torchlet/tensor-core";
import { assertClose, fixture, fixtureValues, type FixtureTensor } from "@torchlet/testing";
import { describe, expect, it } from "vitest";
import { autograd } from "../src/index.ts";
import { fromFixture, leafFromFixture, valuesOf, webgpuForTests } from "./helpers.ts";

interface ValueCase {
  kind: "value";
  case: string;
  input: FixtureTensor;
  dim: number | number[] | null;
  correction: number;
  keepdim: boolean;
  output: FixtureTensor;
  upstream: FixtureTensor;
  grad: FixtureTensor;
  grad_fn: string;
}

interface ErrorCase {
  kind: "error";
  case: string;
  type: string;
  message: string;
}

const cases = fixture<ValueCase | ErrorCase>("std");
const values = cases.filter((c): c is ValueCase => c.kind === "value");
const errors = cases.filter((c): c is ErrorCase => c.kind === "error");

const stdOf = (x: Tensor, c: ValueCase) => x.std(c.dim, { correction: c.correction, keepdim: c.keepdim });

describe("std against PyTorch", () => {
  it("has the recorded cases", () => {
    expect(values.length).toBeGreaterThanOrEqual(8);
    expect(errors.length).toBeGreaterThanOrEqual(3);
  });

  for (const c of values) {
    it(`${c.case}: value, shape, grad_fn and gradient`, () => {
      const x = leafFromFixture(c.input);
      const out = stdOf(x, c);
      expect([...out.shape]).toEqual(c.output.shape);
      assertClose(Array.from(out.toArray()), fixtureValues(c.output), { rtol: 1e-5, atol: 1e-6 });
      expect(out.gradFn?.name).toBe(c.grad_fn);
      out.backward(fromFixture(c.upstream));
      expect([...x.grad!.shape]).toEqual(c.grad.shape);
      assertClose(Array.from(x.grad!.toArray()), fixtureValues(c.grad), { rtol: 1e-4, atol: 1e-5 });
    });
  }

  it("torch.std(x, ...) is x.std(...)", () => {
    const c = values.find((v) => Array.isArray(v.dim))!;
    const x = fromFixture(c.input);
    expect(Array.from(std(x, c.dim, { correction: c.correction }).toArray())).toEqual(Array.from(x.std(c.dim, { correction: c.correction }).toArray()));
  });

  it("reads unbiased: false as correction 0, as PyTorch's older flag does", () => {
    const c = values.find((v) => v.dim === null && v.correction === 0)!;
    assertClose(Array.from(fromFixture(c.input).std(null, { unbiased: false }).toArray()), fixtureValues(c.output), { rtol: 1e-5 });
  });

  const bad: Record<string, () => Tensor> = {
    "std(int64)": () => tensor([1, 2]),
    "std(dim=3) of a 3-d tensor": () => fromFixture(values[0]!.input),
    "std(dim=[0, 0])": () => fromFixture(values[0]!.input),
  };
  const call: Record<string, (t: Tensor) => unknown> = {
    "std(int64)": (t) => t.std(),
    "std(dim=3) of a 3-d tensor": (t) => t.std(3),
    "std(dim=[0, 0])": (t) => t.std([0, 0]),
  };
  for (const e of errors) {
    it(`${e.case}: ${e.type}, PyTorch's message, the input unchanged`, () => {
      const t = bad[e.case]!();
      const before = t.tolist();
      let thrown: unknown = null;
      try {
        call[e.case]!(t);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).not.toBeNull();
      expect((thrown as { pythonType?: string }).pythonType).toBe(e.type);
      expect((thrown as Error).message).toBe(e.message);
      expect(t.tolist()).toEqual(before);
    });
  }

  it("passes gradcheck over all dims, one dim and several, with both corrections", () => {
    const x = () => tensor([[0.3, -1.2, 2.0, 0.7], [1.1, 0.4, -0.5, -2.2], [0.9, 1.6, -0.1, 0.2]], { dtype: "float32", requiresGrad: true });
    for (const correction of [0, 1]) {
      expect(autograd.gradcheck((t) => t.std(null, { correction }), [x()])).toBe(true);
      expect(autograd.gradcheck((t) => t.std(1, { correction }), [x()])).toBe(true);
      expect(autograd.gradcheck((t) => t.std([0, 1], { correction, keepdim: true }), [x()])).toBe(true);
    }
  });
});

const available = await webgpuForTests();

describe.skipIf(!available)("std on webgpu", () => {
  it("gives the CPU's values and gradients", async () => {
    for (const c of values) {
      const cpu = leafFromFixture(c.input);
      const gpu = leafFromFixture(c.input, "webgpu");
      const [outCpu, outGpu] = [stdOf(cpu, c), stdOf(gpu, c)];
      assertClose(await valuesOf(outGpu), await valuesOf(outCpu), { rtol: 1e-5, atol: 1e-6 }, `${c.case}: value`);
      outCpu.backward(fromFixture(c.upstream));
      outGpu.backward(fromFixture(c.upstream, "webgpu"));
      assertClose(await valuesOf(gpu.grad!), await valuesOf(cpu.grad!), { rtol: 1e-4, atol: 1e-5 }, `${c.case}: gradient`);
    }
  });
});
