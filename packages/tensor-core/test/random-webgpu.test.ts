/**
 * Random tensors on WebGPU: the numbers are drawn on the CPU, from the same generator, and copied
 * into the GPU tensor, so they are PyTorch's CPU numbers wherever they live, and a non-contiguous
 * GPU view is filled in the same memory order as a CPU one (checked against rng-extra.json).
 * Runs where `torch.webgpu.init()` finds an adapter, and fails rather than skips where CI demands
 * WebGPU (TORCHLET_REQUIRE_WEBGPU=1).
 */
import { afterAll, describe, expect, it } from "vitest";
import { fixture, useSoftwareVulkanIfPresent, webgpuRequired } from "@torchlet/testing";
import * as torch from "../src/index.ts";
import type { Tensor } from "../src/index.ts";

useSoftwareVulkanIfPresent();
const hasAdapter = await torch.webgpu.init();
afterAll(() => {
  if (hasAdapter) torch.webgpu.destroy();
});

const read = async (t: Tensor) => Array.from((await t.cpu()).toArray());
const flat = (t: Tensor) => Array.from(t.toArray());

interface ViewStep {
  op: string;
  mean?: number;
  std?: number;
  from?: number;
  to?: number;
  target?: { base: number[]; view: [string, ...number[]][]; dtype?: torch.DType };
  storage?: number[];
}

function viewOf(base: Tensor, steps: [string, ...number[]][]): Tensor {
  let view = base;
  for (const [name, ...args] of steps) {
    if (name === "t") view = view.t();
    else if (name === "narrow") view = view.narrow(args[0], args[1], args[2]);
    else if (name === "permute") view = view.permute(...args);
    else if (name === "slice") view = view.slice(args[0], args[1], args[2], args[3]);
    else throw new Error(`unknown view step ${name}`);
  }
  return view;
}

describe.runIf(hasAdapter || webgpuRequired())("random numbers into WebGPU tensors", () => {
  it("has an adapter", () => {
    expect(hasAdapter, "torch.webgpu.init() found no WebGPU adapter").toBe(true);
  });

  it("randn, rand and randint on webgpu hold the CPU's numbers, on both normal paths", async () => {
    for (const shape of [[3], [2, 3], [17], [5, 7], [100]]) {
      torch.manualSeed(1);
      const cpu = [torch.randn(shape), torch.rand(shape), torch.randint(-5, 50, shape)];
      torch.manualSeed(1);
      const gpu = [
        torch.randn(shape, { device: "webgpu" }),
        torch.rand(shape, { device: "webgpu" }),
        torch.randint(-5, 50, shape, { device: "webgpu" }),
      ];
      for (let i = 0; i < cpu.length; i++) {
        expect(gpu[i].device).toBe("webgpu");
        expect(gpu[i].dtype).toBe(cpu[i].dtype);
        expect(await read(gpu[i]), `${i} of [${shape}]`).toEqual(flat(cpu[i]));
      }
    }
  });

  it("the generator moves on exactly as for a CPU draw", async () => {
    torch.manualSeed(2);
    torch.randn(3);
    const next = flat(torch.randn(5));
    torch.manualSeed(2);
    torch.randn(3, { device: "webgpu" });
    expect(flat(torch.randn(5))).toEqual(next);
  });

  it("randperm, bernoulli_ and randnLike on webgpu", async () => {
    torch.manualSeed(3);
    const cpu = [flat(torch.randperm(20)), flat(torch.bernoulli_(torch.empty(30), 0.3)), flat(torch.randnLike(torch.zeros(5, 4).t()))];
    torch.manualSeed(3);
    const perm = torch.randperm(20, { device: "webgpu" });
    const mask = torch.bernoulli_(torch.empty([30], { device: "webgpu" }), 0.3);
    const like = torch.randnLike(torch.zeros([5, 4], { device: "webgpu" }).t());
    expect(like.device).toBe("webgpu");
    expect(like.stride()).toEqual([1, 4]);
    expect([await read(perm), await read(mask), await read(like.t())]).toEqual([cpu[0], cpu[1], flat(torch.tensor(cpu[2]).reshape(4, 5).t())]);
  });

  it("fills views of GPU tensors in PyTorch's order (rng-extra.json's view cases)", async () => {
    const cases = fixture<{ label: string; seed: number; steps: ViewStep[] }>("rng-extra");
    const replayed = cases.filter((c) => c.label === "normal_ into views" || c.label === "uniform_ and random_ into views");
    expect(replayed.length).toBe(2);
    for (const c of replayed) {
      torch.manualSeed(c.seed);
      for (const step of c.steps) {
        const spec = step.target!;
        const base = torch.zeros(spec.base, { dtype: spec.dtype ?? "float32", device: "webgpu" });
        const view = viewOf(base, spec.view);
        if (step.op === "normal_") view.normal_(step.mean, step.std);
        else if (step.op === "uniform_") view.uniform_(step.from, step.to);
        else torch.fillRandomInteger(view, 0, 10);
        expect(await read(base), `${c.label}: ${JSON.stringify(spec)}`).toEqual(step.storage);
      }
    }
  });

  it("bernoulli with probabilities on the GPU asks for them on the CPU", () => {
    const p = torch.full([3], 0.5, { device: "webgpu" });
    expect(() => torch.bernoulli(p)).toThrow("bernoulli needs the probabilities on the CPU");
  });
});
