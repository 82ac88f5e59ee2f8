/**
 * conv2d and its two gradients on WebAssembly — the GEMM (im2col through gathers) and the direct
 * kernel — against PyTorch 1.13 (cpu-kernels.json) and against the reference loops on random
 * geometries: strides, padding, dilation, groups, 1x1 kernels, kernels as large as the input,
 * awkward sizes, each run through both paths where the direct kernel applies.
 */
import fc from "fast-check";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { assertClose, fixture, fixtureValues, type FixtureTensor } from "@torchlet/testing";
import type { Conv2dParams } from "../src/backend.ts";
import * as torch from "../src/index.ts";
import {
  conv2dBackwardInputReference,
  conv2dBackwardWeightReference,
  conv2dReference,
} from "../src/kernels/conv/reference-cpu.ts";
import type { Tensor } from "../src/tensor.ts";
import { conv2dBackwardInputWasm, conv2dBackwardWeightWasm, conv2dWasm, convOptions } from "../src/wasm/conv.ts";
import { directConvStats } from "../src/wasm/conv-direct.ts";
import { gemmStats } from "../src/wasm/gemm.ts";
import { setNumThreads } from "../src/wasm/settings.ts";
import { wasmKernels, type WasmKernels } from "../src/wasm/workspace.ts";
import { absolute, expectWithinRounding, nanTensor, randomTensor, seededRandom, stridedTensor, valuesOf } from "./wasm-helpers.ts";

let kernels: WasmKernels;
beforeAll(() => {
  const k = wasmKernels();
  expect(k).not.toBeNull();
  kernels = k!;
  setNumThreads(1);
});

afterEach(() => {
  convOptions.direct = true;
});

/**
 * Runs a WebAssembly kernel into a NaN-filled tensor of `shape`, checking that it did run — on the
 * direct kernel or the GEMM, when `path` says which.
 */
function run(shape: readonly number[], kernel: (out: Tensor) => boolean, path?: "direct" | "gemm"): Tensor {
  const out = nanTensor(shape);
  const [gemms, directs] = [gemmStats.calls, directConvStats.calls];
  expect(kernel(out)).toBe(true);
  if (out.numel() > 0) expect(gemmStats.calls + directConvStats.calls).toBeGreaterThan(gemms + directs);
  if (path === "direct") expect(gemmStats.calls).toBe(gemms);
  if (path === "gemm") expect(directConvStats.calls).toBe(directs);
  return out;
}

/** Runs a reference kernel into a NaN-filled tensor of `shape`. */
function reference(shape: readonly number[], kernel: (out: Tensor) => void): Tensor {
  const out = nanTensor(shape);
  kernel(out);
  return out;
}

interface ConvCase {
  kind: string;
  name: string;
  params: Conv2dParams;
  x: FixtureTensor;
  weight: FixtureTensor;
  bias: FixtureTensor | null;
  output: FixtureTensor;
  upstream: FixtureTensor;
  grad_x: FixtureTensor;
  grad_weight: FixtureTensor;
}

const fromFixture = (t: FixtureTensor) => torch.fromValues(fixtureValues(t), t.shape, "float32");

describe("WebAssembly conv2d against PyTorch", () => {
  const cases = fixture<ConvCase>("cpu-kernels").filter((c) => c.kind === "conv2d");
  it("has the fixture's cases", () => expect(cases.length).toBeGreaterThanOrEqual(9));

  for (const c of cases) {
    it(`${c.name}: output, input gradient, weight gradient`, () => {
      const x = fromFixture(c.x);
      const w = fromFixture(c.weight);
      const bias = c.bias ? fromFixture(c.bias) : null;
      const up = fromFixture(c.upstream);
      const out = run(c.output.shape, (o) => conv2dWasm(kernels, x, w, bias, o, c.params));
      assertClose(valuesOf(out), fixtureValues(c.output), { rtol: 1e-5, atol: 1e-5 }, "output");
      const gx = run(c.x.shape, (o) => conv2dBackwardInputWasm(kernels, up, w, o, c.params));
      assertClose(valuesOf(gx), fixtureValues(c.grad_x), { rtol: 1e-4, atol: 1e-5 }, "grad_x");
      const gw = run(c.weight.shape, (o) => conv2dBackwardWeightWasm(kernels, up, x, o, c.params));
      assertClose(valuesOf(gw), fixtureValues(c.grad_weight), { rtol: 1e-4, atol: 1e-5 }, "grad_weight");
    });
  }
});

/** A random convolution that fits its input. */
const convProblem = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }),
    groups: fc.integer({ min: 1, max: 3 }),
    cg: fc.integer({ min: 1, max: 6 }),
    og: fc.integer({ min: 1, max: 9 }),
    kh: fc.integer({ min: 1, max: 4 }),
    kw: fc.integer({ min: 1, max: 4 }),
    sh: fc.integer({ min: 1, max: 3 }),
    // the direct kernel needs horizontal stride 1: draw it more often than the other strides
    sw: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 3 })),
    ph: fc.integer({ min: 0, max: 2 }),
    pw: fc.integer({ min: 0, max: 2 }),
    dh: fc.integer({ min: 1, max: 2 }),
    dw: fc.integer({ min: 1, max: 2 }),
    extraH: fc.integer({ min: 0, max: 9 }),
    extraW: fc.integer({ min: 0, max: 9 }),
    offset: fc.integer({ min: 0, max: 3 }),
    bias: fc.boolean(),
    seed: fc.nat(),
  })
  .map((r) => ({
    ...r,
    // the smallest input the dilated kernel fits, plus some
    h: Math.max(1, r.dh * (r.kh - 1) + 1 - 2 * r.ph + r.extraH),
    w: Math.max(1, r.dw * (r.kw - 1) + 1 - 2 * r.pw + r.extraW),
  }));

/** A contiguous tensor that starts `offset` elements into its storage. */
function atOffset(shape: number[], offset: number, rng: () => number): Tensor {
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((x, y) => x * y, 1));
  return stridedTensor(shape, strides, offset, rng);
}

/**
 * Which path each kernel should take, written from the direct kernel's contract (`conv-direct.ts`):
 * the forward pass wherever the horizontal stride is 1 and output rows have at least 4 pixels; the
 * input gradient at stride 1 where the padding does not pass the dilated kernel, input rows have
 * at least 4 pixels and there are at least 4 input channels per group.
 */
function expectedPaths(r: { sh: number; sw: number; ph: number; pw: number; dh: number; dw: number; kh: number; kw: number; w: number; cg: number }, ow: number) {
  const forward = r.sw === 1 && ow >= 4;
  const inputGradient = r.sh === 1 && r.sw === 1 && r.ph <= r.dh * (r.kh - 1) && r.pw <= r.dw * (r.kw - 1) && r.w >= 4 && r.cg >= 4;
  return { forward: forward ? "direct" : "gemm", inputGradient: inputGradient ? "direct" : "gemm" } as const;
}

describe("WebAssembly conv2d against the reference loops", () => {
  it("random geometries agree within float32 rounding, on the direct kernel and on the GEMM", () => {
    let directRuns = 0;
    fc.assert(
      fc.property(convProblem, (r) => {
        const rng = seededRandom(r.seed);
        const p: Conv2dParams = { stride: [r.sh, r.sw], padding: [r.ph, r.pw], dilation: [r.dh, r.dw], groups: r.groups };
        const x = atOffset([r.n, r.cg * r.groups, r.h, r.w], r.offset, rng);
        const w = atOffset([r.og * r.groups, r.cg, r.kh, r.kw], r.offset, rng);
        const bias = r.bias ? randomTensor([r.og * r.groups], rng) : null;
        const outShape = torch.conv2dOutputShape(x.shape, w.shape, p);
        const up = atOffset(outShape, r.offset, rng);
        const [ax, aw, aup] = [absolute(x), absolute(w), absolute(up)];
        const abias = bias && absolute(bias);
        const taps = r.cg * r.kh * r.kw;
        const what = JSON.stringify(r);
        const ref = reference(outShape, (o) => conv2dReference(x, w, bias, o, p));
        const mag = reference(outShape, (o) => conv2dReference(ax, aw, abias, o, p));
        // the direct kernel sums each input pixel's kh·kw·og products in float32
        const gxRef = reference(x.shape, (o) => conv2dBackwardInputReference(up, w, o, p));
        const gxMag = reference(x.shape, (o) => conv2dBackwardInputReference(aup, aw, o, p));
        const paths = expectedPaths(r, outShape[3]);

        for (const direct of [true, false]) {
          convOptions.direct = direct;
          const out = run(outShape, (o) => conv2dWasm(kernels, x, w, bias, o, p), direct ? paths.forward : "gemm");
          expectWithinRounding(out, ref, mag, 2 * taps + 4, `output ${what}, direct ${direct}`);
          // col2im adds up to kh·kw products into each input element, each in float32
          const gx = run(x.shape, (o) => conv2dBackwardInputWasm(kernels, up, w, o, p), direct ? paths.inputGradient : "gemm");
          expectWithinRounding(gx, gxRef, gxMag, 2 * r.og * r.kh * r.kw + 2 * r.og + 2, `grad_x ${what}, direct ${direct}`);
        }
        if (paths.forward === "direct") directRuns++;

        const pixels = r.n * outShape[2] * outShape[3];
        const gw = run(w.shape, (o) => conv2dBackwardWeightWasm(kernels, up, x, o, p));
        const gwRef = reference(w.shape, (o) => conv2dBackwardWeightReference(up, x, o, p));
        const gwMag = reference(w.shape, (o) => conv2dBackwardWeightReference(aup, ax, o, p));
        expectWithinRounding(gw, gwRef, gwMag, 2 * pixels + 2, `grad_weight ${what}`);
      }),
      { numRuns: 60 },
    );
    expect(directRuns).toBeGreaterThan(5); // the generator does reach the direct kernel (about half the runs)
  });

  it("the direct kernel's row ends and channel blocks: every output width from 4 to 19, 1 to 9 channels", () => {
    const rng = seededRandom(7);
    for (let ow = 4; ow <= 19; ow++) {
      for (const [og, cg, groups] of [[1, 2, 1], [3, 1, 2], [4, 3, 1], [5, 2, 1], [8, 1, 2], [9, 4, 1]]) {
        const p: Conv2dParams = { stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups };
        const x = randomTensor([2, cg * groups, 5, ow + 2], rng);
        const w = randomTensor([og * groups, cg, 2, 2], rng);
        const bias = randomTensor([og * groups], rng);
        const outShape = torch.conv2dOutputShape(x.shape, w.shape, p);
        expect(outShape[3]).toBe(ow);
        const out = run(outShape, (o) => conv2dWasm(kernels, x, w, bias, o, p), "direct");
        const ref = reference(outShape, (o) => conv2dReference(x, w, bias, o, p));
        const mag = reference(outShape, (o) => conv2dReference(absolute(x), absolute(w), absolute(bias), o, p));
        expectWithinRounding(out, ref, mag, 2 * cg * 4 + 4, `output width ${ow}, ${og} channels, ${groups} groups`);
      }
    }
  });

  it("MNIST-sized layers, with enough channels for several panels and blocks, on both paths", () => {
    const rng = seededRandom(1);
    const layers: [number[], number[], Conv2dParams][] = [
      [[4, 1, 28, 28], [8, 1, 5, 5], { stride: [1, 1], padding: [2, 2], dilation: [1, 1], groups: 1 }],
      [[3, 16, 12, 12], [20, 16, 5, 5], { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 }],
      [[2, 6, 14, 14], [12, 3, 3, 3], { stride: [2, 2], padding: [1, 1], dilation: [1, 1], groups: 2 }],
      [[3, 32, 13, 13], [64, 32, 3, 3], { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 }],
    ];
    for (const [xs, ws, p] of layers) {
      const x = randomTensor(xs, rng);
      const w = randomTensor(ws, rng);
      const bias = randomTensor([ws[0]], rng);
      const outShape = torch.conv2dOutputShape(xs, ws, p);
      const up = randomTensor(outShape, rng);
      const taps = ws[1] * ws[2] * ws[3];
      for (const direct of [true, false]) {
        convOptions.direct = direct;
        const what = `${xs} * ${ws}, direct ${direct}`;
        expectWithinRounding(
          run(outShape, (o) => conv2dWasm(kernels, x, w, bias, o, p)),
          reference(outShape, (o) => conv2dReference(x, w, bias, o, p)),
          reference(outShape, (o) => conv2dReference(absolute(x), absolute(w), absolute(bias), o, p)),
          2 * taps + 4,
          `output ${what}`,
        );
        expectWithinRounding(
          run(xs, (o) => conv2dBackwardInputWasm(kernels, up, w, o, p)),
          reference(xs, (o) => conv2dBackwardInputReference(up, w, o, p)),
          reference(xs, (o) => conv2dBackwardInputReference(absolute(up), absolute(w), o, p)),
          2 * ws[0] * ws[2] * ws[3] + 2 * ws[0] + 2,
          `grad_x ${what}`,
        );
      }
      expectWithinRounding(
        run(ws, (o) => conv2dBackwardWeightWasm(kernels, up, x, o, p)),
        reference(ws, (o) => conv2dBackwardWeightReference(up, x, o, p)),
        reference(ws, (o) => conv2dBackwardWeightReference(absolute(up), absolute(x), o, p)),
        2 * xs[0] * outShape[2] * outShape[3] + 2,
        `grad_weight ${xs} * ${ws}`,
      );
    }
  });

  it("an empty batch gives an empty output and a zero weight gradient", () => {
    const rng = seededRandom(2);
    const p: Conv2dParams = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 };
    const x = randomTensor([0, 2, 5, 5], rng);
    const w = randomTensor([3, 2, 3, 3], rng);
    const up = randomTensor([0, 3, 5, 5], rng);
    const gw = nanTensor([3, 2, 3, 3]);
    expect(conv2dBackwardWeightWasm(kernels, up, x, gw, p)).toBe(true);
    expect(valuesOf(gw)).toEqual(new Array(54).fill(0));
  });
});
