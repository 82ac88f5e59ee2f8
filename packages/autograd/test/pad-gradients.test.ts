/**
 * The gradient of constant padding against PyTorch 1.13 (padding.json, float `pad` cases): the
 * border's gradient dropped, a cropped part of the input given zeros, and the node named
 * `ConstantPadNdBackward0`; on the CPU, and on WebGPU where an adapter exists.
 */
import { constantPadNd, fromValues, type Device, type Tensor } from "@torchlet/tensor-core";
import { fixture, fixtureValues, type FixtureTensor } from "@torchlet/testing";
import { describe, expect, it } from "vitest";
import "../src/index.ts";
import { valuesOf, webgpuForTests } from "./helpers.ts";

interface PadCase {
  kind: string;
  input: FixtureTensor;
  pad: number[];
  value: number;
  upstream: FixtureTensor | null;
  grad: FixtureTensor | null;
  grad_fn: string | null;
}

const cases = fixture<PadCase>("padding").filter((c) => c.kind === "pad" && c.grad !== null);
const tensorOf = (t: FixtureTensor, device: Device): Tensor => fromValues(fixtureValues(t), t.shape, "float32").to(device);

async function expectGradientLikePyTorch(c: PadCase, device: Device): Promise<void> {
  const x = tensorOf(c.input, device).requiresGrad_();
  const y = constantPadNd(x, c.pad, c.value);
  expect(y.gradFn?.name).toBe(c.grad_fn);
  y.backward(tensorOf(c.upstream!, device));
  expect([...x.grad!.shape]).toEqual(c.grad!.shape);
  // the gradient only moves values: exactly PyTorch's
  expect(await valuesOf(x.grad!)).toEqual(fixtureValues(c.grad!));
}

const label = (c: PadCase) => `[${c.input.shape.join(", ")}] by (${c.pad.join(", ")})`;

describe("the gradient of constantPadNd", () => {
  it("has the fixture's cases", () => expect(cases.length).toBeGreaterThanOrEqual(8));
  it.each(cases.map((c) => [label(c), c] as const))("%s, as PyTorch computes it", async (_, c) => {
    await expectGradientLikePyTorch(c, "cpu");
  });
});

const available = await webgpuForTests();

describe.skipIf(!available)("the gradient of constantPadNd on webgpu", () => {
  it.each(cases.map((c) => [label(c), c] as const))("%s, as PyTorch computes it", async (_, c) => {
    await expectGradientLikePyTorch(c, "webgpu");
  });
});
