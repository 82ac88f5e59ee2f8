/**
 * Padding by name and `F.pad`, against PyTorch 1.13 (padding.json): `F.conv2d` with
 * `padding: "same"` (odd and even kernels, dilation, groups, an unbatched input) and `"valid"`,
 * each output and all three gradients, with PyTorch's graph (an even kernel pads the input first,
 * so the convolution's first input is a `ConstantPadNdBackward0`); `nn.Conv2d`'s reprs with a
 * named padding; and the errors of both and of `F.pad`. The same convolutions run on WebGPU where
 * an adapter exists.
 */
import { assertClose, fixture, fixtureValues, useSoftwareVulkanIfPresent, webgpuRequired, type FixtureTensor } from "@torchlet/testing";
import { afterAll, describe, expect, it } from "vitest";
import { F, nn, torch } from "../src/index.ts";
import { thrown } from "./seed-models.ts";

interface ConvCase {
  kind: "conv";
  padding: "same" | "valid";
  dilation: number | [number, number];
  groups: number;
  x: FixtureTensor;
  weight: FixtureTensor;
  bias: FixtureTensor;
  output: FixtureTensor;
  upstream: FixtureTensor;
  grad_x: FixtureTensor;
  grad_weight: FixtureTensor;
  grad_bias: FixtureTensor;
  grad_fn: string;
  next_functions: (string | null)[];
}

interface ReprCase {
  kind: "repr";
  args: [number, number, number | [number, number], Record<string, unknown>];
  repr: string;
}

interface ErrorCase {
  kind: "error";
  case: string;
  type: string;
  error: string;
}

const cases = fixture<ConvCase | ReprCase | ErrorCase | { kind: "pad" }>("padding");
const convCases = cases.filter((c): c is ConvCase => c.kind === "conv");
const reprCases = cases.filter((c): c is ReprCase => c.kind === "repr");
const errors = new Map(cases.filter((c): c is ErrorCase => c.kind === "error").map((c) => [c.case, c]));

const tensorOf = (t: FixtureTensor, device: torch.Device) => torch.fromValues(fixtureValues(t), t.shape, "float32").to(device);
const label = (c: ConvCase) =>
  `${c.padding}: x [${c.x.shape.join(", ")}], weight [${c.weight.shape.join(", ")}], dilation ${JSON.stringify(c.dilation)}, groups ${c.groups}`;

/** Runs a recorded convolution on `device` and holds output, gradients and graph against PyTorch's. */
async function expectConvLikePyTorch(c: ConvCase, device: torch.Device): Promise<void> {
  const [x, w, b] = [c.x, c.weight, c.bias].map((t) => tensorOf(t, device).requiresGrad_());
  const y = F.conv2d(x!, w!, b!, { padding: c.padding, dilation: c.dilation, groups: c.groups });
  expect([...y.shape]).toEqual(c.output.shape);
  expect(y.gradFn?.name).toBe(c.grad_fn);
  expect(y.gradFn!.nextFunctions.map(([fn]) => fn?.name ?? null)).toEqual(c.next_functions);
  assertClose(Array.from((await y.cpu()).toArray()), fixtureValues(c.output), { rtol: 1e-4, atol: 1e-5 }, "output");
  y.backward(tensorOf(c.upstream, device));
  for (const [t, expected, what] of [[x, c.grad_x, "grad_x"], [w, c.grad_weight, "grad_weight"], [b, c.grad_bias, "grad_bias"]] as const) {
    expect([...t!.grad!.shape], what).toEqual(expected.shape);
    assertClose(Array.from((await t!.grad!.cpu()).toArray()), fixtureValues(expected), { rtol: 1e-4, atol: 1e-4 }, what);
  }
}

describe("F.conv2d with padding 'same' and 'valid' against PyTorch 1.13", () => {
  it("has the fixture's cases", () => expect(convCases.length).toBeGreaterThanOrEqual(6));
  it.each(convCases.map((c) => [label(c), c] as const))("%s", async (_, c) => {
    await expectConvLikePyTorch(c, "cpu");
  });

  it("nn.Conv2d with padding 'same' keeps the image size and computes what F.conv2d does", () => {
    torch.manualSeed(5);
    const conv = new nn.Conv2d(2, 3, [2, 4], { padding: "same", dilation: [1, 2] });
    const x = torch.randn(1, 2, 5, 6);
    const y = conv.call(x);
    expect([...y.shape]).toEqual([1, 3, 5, 6]);
    const direct = F.conv2d(x, conv.weight, conv.bias, { padding: "same", dilation: [1, 2] });
    expect(Array.from(y.toArray())).toEqual(Array.from(direct.toArray()));
  });
});

describe("nn.Conv2d reprs with a named padding", () => {
  it.each(reprCases.map((c) => [c.repr, c] as const))("%s", (_, c) => {
    const [inChannels, outChannels, kernelSize, options] = c.args;
    const conv = new nn.Conv2d(inChannels, outChannels, kernelSize, options as nn.Conv2dOptions);
    expect(String(conv)).toBe(c.repr);
  });
});

describe("errors of named paddings and F.pad, as PyTorch gives them", () => {
  const x = torch.randn(1, 1, 5, 5);
  const w = torch.randn(2, 1, 3, 3);
  const calls: Record<string, () => unknown> = {
    "Conv2d same with stride 2": () => new nn.Conv2d(1, 2, 3, { stride: 2, padding: "same" }),
    "Conv2d same with stride (1, 2)": () => new nn.Conv2d(1, 2, 3, { stride: [1, 2], padding: "same" }),
    "Conv2d unknown padding string": () => new nn.Conv2d(1, 2, 3, { padding: "full" as "same" }),
    "conv2d same with stride 2": () => F.conv2d(x, w, null, { stride: 2, padding: "same" }),
    "conv2d unknown padding string": () => F.conv2d(x, w, null, { padding: "full" as "same" }),
    "pad mode unknown": () => F.pad(torch.randn(2, 3, 4), [1, 1], { mode: "bogus" as "constant" }),
    "pad odd length": () => F.pad(torch.randn(2, 3, 4), [1, 2, 3]),
  };
  it.each(Object.keys(calls))("%s", (name) => {
    const recorded = errors.get(name);
    expect(recorded, `padding.json has the case "${name}"`).toBeDefined();
    expect(thrown(calls[name]!)).toEqual({ type: recorded!.type, error: recorded!.error });
  });
});

useSoftwareVulkanIfPresent();
const available = await torch.webgpu.init();
afterAll(() => torch.webgpu.destroy());

describe.runIf(available || webgpuRequired())("F.conv2d with named paddings on webgpu against PyTorch 1.13", () => {
  it("has an adapter", () => expect(available, "webgpu.init() found no WebGPU adapter").toBe(true));
  it.each(convCases.map((c) => [label(c), c] as const))("%s", async (_, c) => {
    await expectConvLikePyTorch(c, "webgpu");
  }, 60_000);
});
