/**
 * The webgpu device itself: acquiring it once, describing the adapter, choosing kernels, caching
 * pipelines, reporting GPU errors, destroying and re-acquiring it; and the pure arithmetic of
 * dispatch folding and dimension coalescing, which needs no GPU.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as torch from "../src/index.ts";
import { gpu } from "../src/webgpu/device.ts";
import { foldWorkgroups, pipelineCount } from "../src/webgpu/dispatch.ts";
import { coalesce } from "../src/webgpu/strided.ts";
import { read, setUpWebgpu } from "./webgpu-support.ts";

const available = await setUpWebgpu();

describe("dispatch folding", () => {
  it("covers every workgroup count within the per-dimension limit, with less than one row to spare", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 1, max: 65535 }), (count, limit) => {
        fc.pre(count <= limit * limit);
        const [x, y] = foldWorkgroups(count, limit);
        expect(x).toBeLessThanOrEqual(limit);
        expect(y).toBeLessThanOrEqual(limit);
        expect(x * y).toBeGreaterThanOrEqual(count);
        expect(x * y - count).toBeLessThan(y);
      }),
    );
    expect(foldWorkgroups(65535, 65535)).toEqual([65535, 1]);
    expect(foldWorkgroups(65536, 65535)).toEqual([32768, 2]);
  });
});

describe("coalescing dimensions", () => {
  /** Storage positions of every element, row-major over `shape`. */
  function positions(shape: readonly number[], strides: readonly number[]): number[] {
    const out: number[] = [];
    const walk = (d: number, at: number): void => {
      if (d === shape.length) {
        out.push(at);
        return;
      }
      for (let i = 0; i < shape[d]; i++) walk(d + 1, at + i * strides[d]);
    };
    walk(0, 0);
    return out;
  }

  it("visits the same positions in the same order, for every operand (property)", () => {
    const layout = fc.array(fc.record({ size: fc.integer({ min: 1, max: 4 }), a: fc.integer({ min: 0, max: 30 }), b: fc.integer({ min: 0, max: 30 }) }), { maxLength: 5 });
    fc.assert(
      fc.property(layout, fc.boolean(), (dims, contiguousA) => {
        const shape = dims.map((d) => d.size);
        const stridesA = contiguousA ? torch.contiguousStrides(shape) : dims.map((d) => d.a);
        const stridesB = dims.map((d) => d.b);
        const merged = coalesce(shape, [stridesA, stridesB]);
        expect(positions(merged.shape, merged.strides[0])).toEqual(positions(shape, stridesA));
        expect(positions(merged.shape, merged.strides[1])).toEqual(positions(shape, stridesB));
        expect(merged.shape.every((s) => s > 1)).toBe(true);
      }),
    );
    expect(coalesce([2, 3, 4], [[12, 4, 1], [0, 4, 1]])).toEqual({ shape: [2, 12], strides: [[12, 1], [0, 1]] });
  });
});

describe.skipIf(!available)("the webgpu device", () => {
  it("is acquired once: repeated and concurrent init() calls share it", async () => {
    const device = gpu().device;
    expect(await Promise.all([torch.webgpu.init(), torch.webgpu.init()])).toEqual([true, true]);
    expect(gpu().device).toBe(device);
    expect(torch.webgpu.isAvailable()).toBe(true);
  });

  it("describes its adapter in plain properties", () => {
    const info = torch.webgpu.adapterInfo()!;
    expect(Object.keys(info).sort()).toEqual(["architecture", "description", "device", "isFallbackAdapter", "vendor"]);
    expect(typeof info.isFallbackAdapter).toBe("boolean");
    for (const key of ["vendor", "architecture", "device", "description"] as const) expect(typeof info[key]).toBe("string");
    expect(JSON.parse(JSON.stringify(info))).toEqual(info);
  });

  it("picks blocked kernels on a fallback (CPU) adapter unless told otherwise", () => {
    torch.webgpu.setKernels("auto");
    if (torch.webgpu.adapterInfo()!.isFallbackAdapter) expect(torch.webgpu.kernels()).toBe("blocked");
    torch.webgpu.setKernels("tiled");
    expect(torch.webgpu.kernels()).toBe("tiled");
    torch.webgpu.setKernels("simple");
    expect(torch.webgpu.kernels()).toBe("simple");
    torch.webgpu.setKernels("auto");
    expect(() => torch.webgpu.setKernels("fast" as "tiled")).toThrow(TypeError);
  });

  it("names its tensors' types as PyTorch names those of other devices (torch.cuda.FloatTensor)", async () => {
    const x = torch.tensor([1.5, -2]).to("webgpu");
    expect(x.type()).toBe("torch.webgpu.FloatTensor");
    const longs = x.type("torch.webgpu.LongTensor");
    expect([longs.device, longs.dtype, longs.type()]).toEqual(["webgpu", "int64", "torch.webgpu.LongTensor"]);
    expect((await longs.cpu()).tolist()).toEqual([1, -2]);
    const moved = torch.tensor([true]).type("torch.webgpu.BoolTensor");
    expect([moved.device, moved.dtype]).toEqual(["webgpu", "bool"]);
  });

  it("takes the kernel choice from init() options too", async () => {
    expect(await torch.webgpu.init({ kernels: "tiled" })).toBe(true);
    expect(torch.webgpu.kernels()).toBe("tiled");
    await torch.webgpu.init({ kernels: "auto" });
  });

  it("compiles each shader once and reuses its pipeline", async () => {
    const x = torch.ones([5, 7], { device: "webgpu" });
    const once = x.sigmoid().sum(1, true);
    const compiled = pipelineCount();
    const twice = x.add(x).sigmoid().sum(1, true);
    await read(twice);
    // `add` is new; sigmoid and sum reuse their pipelines
    expect(pipelineCount()).toBe(compiled + 1);
    expect((await read(once)).values).toEqual(Array(5).fill(Math.fround(7 / (1 + Math.exp(-1)))).map((v) => expect.closeTo(v, 4)));
  });

  it("reports an error the GPU found at the next synchronize(), once", async () => {
    // a buffer may not be both mappable for reading and a storage buffer: a validation error
    gpu().device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.STORAGE });
    await expect(torch.webgpu.synchronize()).rejects.toThrow("WebGPU reported an error");
    await expect(torch.webgpu.synchronize()).resolves.toBeUndefined();
  });

  it("can be destroyed and acquired again", async () => {
    const before = torch.ones(3, { device: "webgpu" });
    torch.webgpu.destroy();
    expect(torch.webgpu.isAvailable()).toBe(false);
    expect(torch.webgpu.memoryAllocated()).toBe(0);
    expect(() => before.add(before)).toThrow("call `await torch.webgpu.init()` first");
    expect(await torch.webgpu.init()).toBe(true);
    const after = torch.ones(3, { device: "webgpu" });
    expect((await read(after.add(after))).values).toEqual([2, 2, 2]);
    before.dispose(); // a tensor of the old device lets go without touching the new one
    expect(torch.webgpu.memoryAllocated()).toBeGreaterThan(0);
  });
});
