/**
 * Constant padding against PyTorch 1.13 (padding.json, `pad` and `error` cases): borders on one
 * and several dimensions, crops (negative amounts), crops only, an empty pad, integer and bool
 * tensors, and PyTorch's messages for bad amounts. The same cases run on WebGPU where an adapter
 * exists. The gradients are autograd's to test (its pad-gradients test reads the same cases).
 */
import { fixture, fixtureValues, type FixtureTensor } from "@torchlet/testing";
import { describe, expect, it } from "vitest";
import * as torch from "../src/index.ts";
import type { DType, Tensor } from "../src/index.ts";
import { read, setUpWebgpu } from "./webgpu-support.ts";

interface PadCase {
  kind: "pad";
  input: FixtureTensor;
  pad: number[];
  value: number;
  dtype: DType;
  output: FixtureTensor;
  upstream: FixtureTensor | null;
  grad: FixtureTensor | null;
  grad_fn: string | null;
}

interface ErrorCase {
  kind: "error";
  case: string;
  type: string;
  error: string;
}

const cases = fixture<PadCase | ErrorCase>("padding");
const padCases = cases.filter((c): c is PadCase => c.kind === "pad");
const errors = new Map(cases.filter((c): c is ErrorCase => c.kind === "error").map((c) => [c.case, c]));

const fromFixture = (t: FixtureTensor, dtype: DType = "float32") => torch.fromValues(fixtureValues(t), t.shape, dtype);
const label = (c: PadCase) => `${c.dtype} [${c.input.shape.join(", ")}] by (${c.pad.join(", ")}) with ${c.value}`;

/** Pads the case's input on `device` and checks the output: copies and fills, so exactly. */
async function expectLikePyTorch(c: PadCase, device: "cpu" | "webgpu"): Promise<void> {
  const y = torch.constantPadNd(fromFixture(c.input, c.dtype).to(device), c.pad, c.value);
  const out = await read(y);
  expect(out.shape).toEqual(c.output.shape);
  expect(out.dtype).toBe(c.dtype);
  expect(out.values).toEqual(fixtureValues(c.output));
}

/** Runs `fn`, expecting PyTorch's error for `name`, and that `x` is left as it was. */
function expectError(name: string, x: Tensor, fn: () => unknown): void {
  const recorded = errors.get(name);
  if (!recorded) throw new Error(`padding.json has no error case "${name}"`);
  const before = Array.from(x.toArray());
  let caught: unknown = null;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, name).toBeInstanceOf(torch.TorchletError);
  expect((caught as torch.TorchletError).pythonType).toBe(recorded.type);
  expect((caught as Error).message).toBe(recorded.error);
  expect(Array.from(x.toArray())).toEqual(before);
}

describe("constantPadNd against PyTorch 1.13", () => {
  it("has the fixture's cases", () => expect(padCases.length).toBeGreaterThanOrEqual(10));

  it.each(padCases.map((c) => [label(c), c] as const))("%s", async (_, c) => {
    await expectLikePyTorch(c, "cpu");
  });

  it("gives PyTorch's errors for bad amounts, changing nothing", () => {
    const x = torch.randn(2, 3, 4);
    expectError("pad odd length", x, () => torch.constantPadNd(x, [1, 2, 3]));
    expectError("pad too long", x, () => torch.constantPadNd(x, [1, 1, 1, 1, 1, 1, 1, 1]));
    expectError("pad crops more than the size", x, () => torch.constantPadNd(x, [-3, -2]));
  });

  it("returns a new tensor, never a view of its input, even when it only crops", () => {
    const x = torch.arange(6).reshape(2, 3);
    const y = torch.constantPadNd(x, [-1, 0]);
    y.fill_(9);
    expect(Array.from(x.toArray())).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

const available = await setUpWebgpu();

describe.skipIf(!available)("constantPadNd on webgpu against PyTorch 1.13", () => {
  it.each(padCases.map((c) => [label(c), c] as const))("%s", async (_, c) => {
    await expectLikePyTorch(c, "webgpu");
  });
});
