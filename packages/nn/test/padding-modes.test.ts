/**
 * `F.pad`'s modes that fill the border from the input's own values ("reflect", "replicate",
 * "circular") against PyTorch 1.13 (padding-modes.json): outputs and gradients on 1, 2 and 3
 * padded dimensions, with and without a batch dimension, negative amounts (cropping) among them,
 * PyTorch's node names, the dtypes each mode takes, and PyTorch's errors for bad input; then
 * `nn.Conv2d`'s `padding_mode`, which pads in the mode before convolving. The same cases run on
 * WebGPU where an adapter exists.
 */
import { assertClose, fixture, fixtureValues, useSoftwareVulkanIfPresent, webgpuRequired, type FixtureTensor } from "@torchlet/testing";
import { afterAll, describe, expect, it } from "vitest";
import { F, nn, torch } from "../src/index.ts";
import { thrown } from "./seed-models.ts";

type Mode = "reflect" | "replicate" | "circular";

interface PadCase {
  kind: "pad";
  mode: Mode;
  input: FixtureTensor;
  pad: number[];
  output: FixtureTensor;
  upstream: FixtureTensor;
  grad: FixtureTensor;
  grad_fn: string;
}

interface DtypeCase {
  kind: "dtype";
  mode: Mode;
  data: unknown[];
  dtype: "int64" | "bool";
  pad: number[];
  output?: FixtureTensor;
  type?: string;
  error?: string;
}

interface ErrorCase {
  kind: "error";
  mode: string;
  shape: number[];
  pad: number[];
  type: string;
  error: string;
}

interface ConvCase {
  kind: "conv";
  seed: number;
  args: [number, number, number | [number, number], Record<string, unknown>];
  repr: string;
  x: FixtureTensor;
  output: FixtureTensor;
  upstream: FixtureTensor;
  grad_x: FixtureTensor;
  grad_weight: FixtureTensor;
  grad_bias: FixtureTensor | null;
}

const cases = fixture<PadCase | DtypeCase | ErrorCase | ConvCase | { kind: "error"; case: string; type: string; error: string }>("padding-modes");
const convCases = cases.filter((c): c is ConvCase => c.kind === "conv");
const convError = cases.find((c): c is { kind: "error"; case: string; type: string; error: string } => c.kind === "error" && "case" in c)!;
const padCases = cases.filter((c): c is PadCase => c.kind === "pad");
const dtypeCases = cases.filter((c): c is DtypeCase => c.kind === "dtype");
const errorCases = cases.filter((c): c is ErrorCase => c.kind === "error" && "shape" in c);

const label = (c: { mode: string; pad: number[] }, shape: number[]) => `${c.mode}: [${shape.join(", ")}] by [${c.pad.join(", ")}]`;
const tensorOf = (t: FixtureTensor, device: torch.Device) => torch.fromValues(fixtureValues(t), t.shape, "float32").to(device);

/** Pads a recorded input on `device` and holds output, node name and gradient against PyTorch's. */
async function expectPadLikePyTorch(c: PadCase, device: torch.Device): Promise<void> {
  const x = tensorOf(c.input, device).requiresGrad_();
  const y = F.pad(x, c.pad, { mode: c.mode });
  expect([...y.shape]).toEqual(c.output.shape);
  expect(y.device).toBe(device);
  expect(y.gradFn?.name).toBe(c.grad_fn);
  assertClose(Array.from((await y.cpu()).toArray()), fixtureValues(c.output), { rtol: 0, atol: 0 }, "output");
  y.backward(tensorOf(c.upstream, device));
  assertClose(Array.from((await x.grad!.cpu()).toArray()), fixtureValues(c.grad), { rtol: 1e-5, atol: 1e-6 }, "grad");
}

describe("F.pad's reflect, replicate and circular modes against PyTorch 1.13", () => {
  it("has the fixture's cases", () => {
    expect(padCases.length).toBeGreaterThanOrEqual(28);
    expect(new Set(padCases.map((c) => c.mode))).toEqual(new Set(["reflect", "replicate", "circular"]));
  });

  it.each(padCases.map((c) => [label(c, c.input.shape), c] as const))("%s", async (_, c) => {
    await expectPadLikePyTorch(c, "cpu");
  });

  it.each(dtypeCases.map((c) => [`${c.mode}, ${c.dtype}`, c] as const))("%s: as PyTorch, values or error", (_, c) => {
    const x = torch.tensor(c.data as number[], { dtype: c.dtype });
    if (c.output) {
      const y = F.pad(x, c.pad, { mode: c.mode });
      expect(y.dtype).toBe(c.dtype);
      expect(Array.from(y.long().toArray())).toEqual(fixtureValues(c.output));
    } else {
      expect(thrown(() => F.pad(x, c.pad, { mode: c.mode }))).toEqual({ type: c.type, error: c.error });
    }
  });

  it("refuses to wrap past what cropping the other side leaves (PyTorch 1.13 returns unwritten memory there)", () => {
    expect(thrown(() => F.pad(torch.zeros(1, 2, 4, 5), [-1, 1, 3, -2], { mode: "circular" }))).toEqual({
      type: "RuntimeError",
      error: "Padding value causes wrapping around more than once.",
    });
  });

  it("takes a value of 0 in the edge modes, as PyTorch does, and refuses any other", () => {
    const x = torch.randn(1, 2, 3);
    expect([...F.pad(x, [1, 1], { mode: "reflect", value: 0 }).shape]).toEqual([1, 2, 5]);
    expect(thrown(() => F.pad(x, [1, 1], { mode: "reflect", value: 1 }))).toEqual({
      type: "RuntimeError",
      error: 'Padding mode "reflect" doesn\'t take in value argument',
    });
  });
});

describe("F.pad's errors in the edge modes, as PyTorch gives them", () => {
  it.each(errorCases.map((c) => [label(c, c.shape), c] as const))("%s", (_, c) => {
    expect(thrown(() => F.pad(torch.zeros(c.shape), c.pad, { mode: c.mode as Mode }))).toEqual({ type: c.type, error: c.error });
  });
});

/** The recorded Conv2d, built after the same seed: Python's keyword names in camelCase. */
function conv(c: ConvCase, device: torch.Device): nn.Conv2d {
  const [inChannels, outChannels, kernelSize, options] = c.args;
  const camel = Object.fromEntries(Object.entries(options).map(([k, v]) => [k.replace(/_(\w)/g, (_, ch: string) => ch.toUpperCase()), v]));
  torch.manualSeed(c.seed);
  return new nn.Conv2d(inChannels, outChannels, kernelSize, camel as nn.Conv2dOptions).to(device);
}

/** Runs a recorded Conv2d on `device` and holds output and gradients against PyTorch's. */
async function expectConvLikePyTorch(c: ConvCase, device: torch.Device): Promise<void> {
  const layer = conv(c, device);
  const x = tensorOf(c.x, device).requiresGrad_();
  const y = layer.call(x);
  assertClose(Array.from((await y.cpu()).toArray()), fixtureValues(c.output), { rtol: 1e-4, atol: 1e-5 }, "output");
  y.backward(tensorOf(c.upstream, device));
  const grads: [torch.Tensor | null, FixtureTensor | null, string][] = [
    [x.grad, c.grad_x, "grad_x"],
    [layer.weight.grad, c.grad_weight, "grad_weight"],
    [layer.bias?.grad ?? null, c.grad_bias, "grad_bias"],
  ];
  for (const [grad, expected, what] of grads) {
    if (expected === null) continue;
    assertClose(Array.from((await grad!.cpu()).toArray()), fixtureValues(expected), { rtol: 1e-4, atol: 1e-4 }, what);
  }
}

describe("nn.Conv2d's padding_mode against PyTorch 1.13", () => {
  it("has the fixture's cases", () => expect(convCases.length).toBeGreaterThanOrEqual(4));

  it.each(convCases.map((c) => [c.repr, c] as const))("%s: repr, output and gradients", async (_, c) => {
    expect(String(conv(c, "cpu"))).toBe(c.repr);
    await expectConvLikePyTorch(c, "cpu");
  });

  it("refuses an unknown mode with PyTorch's message", () => {
    expect(thrown(() => new nn.Conv2d(1, 1, 3, { paddingMode: "wrap" as "zeros" }))).toEqual({ type: convError.type, error: convError.error });
  });
});

useSoftwareVulkanIfPresent();
const available = await torch.webgpu.init();
afterAll(() => torch.webgpu.destroy());

describe.runIf(available || webgpuRequired())("F.pad's edge modes on webgpu against PyTorch 1.13", () => {
  it("has an adapter", () => expect(available, "webgpu.init() found no WebGPU adapter").toBe(true));

  it.each(padCases.map((c) => [label(c, c.input.shape), c] as const))("%s", async (_, c) => {
    await expectPadLikePyTorch(c, "webgpu");
  });

  it.each(convCases.map((c) => [c.repr, c] as const))("%s", async (_, c) => {
    await expectConvLikePyTorch(c, "webgpu");
  });
});
