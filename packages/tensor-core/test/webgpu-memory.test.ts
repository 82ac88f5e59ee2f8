/**
 * GPU memory: uploads and downloads of every dtype, the buffer pool's accounting
 * (`memoryAllocated`, `memoryReserved`), and the three ways memory comes back: `dispose`, `tidy`,
 * and the FinalizationRegistry when a tensor is garbage collected.
 */
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as torch from "../src/index.ts";
import type { DType, Tensor } from "../src/index.ts";
import { sizeClass } from "../src/webgpu/buffer-pool.ts";
import { read, setUpWebgpu } from "./webgpu-support.ts";

const available = await setUpWebgpu();

describe("buffer size classes", () => {
  it("cover every request with at most a quarter to spare, in multiples of 4 bytes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 30 }), (bytes) => {
        const size = sizeClass(bytes);
        expect(size).toBeGreaterThanOrEqual(Math.max(bytes, 256));
        expect(size % 4).toBe(0);
        if (bytes > 256) expect(size).toBeLessThanOrEqual(bytes * 1.25 + 4);
      }),
    );
    expect([1, 256, 257, 1000, 1024, 1025, 4096 + 1].map(sizeClass)).toEqual([256, 256, 320, 1024, 1024, 1280, 5120]);
  });
});

/** Runs `fn` `times` times and returns memoryAllocated() after each run. */
async function allocatedOver(times: number, fn: () => void): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < times; i++) {
    fn();
    seen.push(torch.webgpu.memoryAllocated());
  }
  await torch.webgpu.synchronize();
  return seen;
}

/** Forces a full garbage collection, without needing node's --expose-gc flag. */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

describe.skipIf(!available)("webgpu memory", () => {
  describe("round trips", () => {
    const cases: [DType, number[]][] = [
      ["float32", [0, -0, 1.5, -2.25, NaN, Infinity, -Infinity, 3.4028234663852886e38, 1.401298464324817e-45, Math.fround(0.1)]],
      ["int64", [0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 123456789, -42]],
      ["bool", [1, 0, 0, 1, 1]],
    ];
    for (const [dtype, values] of cases) {
      it(`${dtype}: upload and download keep every value, also through a kernel copy`, async () => {
        const host = torch.fromValues(values, [values.length], dtype);
        const gpu = host.to("webgpu");
        expect(gpu.device).toBe("webgpu");
        const back = await gpu.cpu();
        expect(back.dtype).toBe(dtype);
        expect(Array.from(back.toArray())).toEqual(Array.from(host.toArray()));
        expect(Object.is(back.toArray()[1], -0) || dtype !== "float32").toBe(true);
        // a strided view goes through the copy kernel (denormals aside: shaders may flush them)
        const viewed = await gpu.unsqueeze(1).expand(values.length, 2).t().contiguous().cpu();
        const expected = Array.from(host.unsqueeze(1).expand(values.length, 2).t().contiguous().toArray());
        const normal = (v: number) => (Math.abs(v) < 1e-38 ? 0 : v);
        expect(Array.from(viewed.toArray(), normal)).toEqual(expected.map(normal));
      });
    }

    it("views of a GPU tensor come back with their own shape and offset", async () => {
      const x = torch.arange(24, { dtype: "float32" }).reshape(2, 3, 4);
      const g = x.to("webgpu");
      for (const view of [(t: Tensor) => t.select(0, 1), (t: Tensor) => t.narrow(2, 1, 2), (t: Tensor) => t.permute(2, 0, 1), (t: Tensor) => t.index(1, ":", "::2")]) {
        expect((await view(g).cpu()).tolist()).toEqual(view(x).tolist());
      }
    });

    it("zero-element tensors", async () => {
      const empty = torch.zeros([0, 3]).to("webgpu");
      expect((await empty.cpu()).shape).toEqual([0, 3]);
      expect((await read(empty.add(1))).values).toEqual([]);
      expect((await read(empty.sum(0))).values).toEqual([0, 0, 0]);
    });

    it("refuses int64 values beyond 32 bits, allocating nothing", async () => {
      const before = torch.webgpu.memoryAllocated();
      expect(() => torch.tensor([1, 2 ** 31]).to("webgpu")).toThrow(torch.RuntimeError);
      expect(() => torch.tensor([-(2 ** 31) - 1]).to("webgpu")).toThrow("does not fit in [-2147483648, 2147483647]");
      expect(torch.webgpu.memoryAllocated()).toBe(before);
      expect(() => torch.full([2], 2 ** 40, { dtype: "int64", device: "webgpu" })).toThrow("does not fit");
    });

    it("reading synchronously tells to await cpu()", () => {
      const g = torch.tensor([[1, 2]], { dtype: "float32" }).to("webgpu");
      expect(() => g.select(1, 0).item()).toThrow("await t.cpu()");
      expect(() => g.tolist()).toThrow("await t.cpu()");
      expect(() => g.toString()).toThrow(/await t\.(cpu|format)\(\)/);
    });
  });

  describe("accounting", () => {
    it("counts live bytes by size class, and a storage until its last view is gone", async () => {
      const start = torch.webgpu.memoryAllocated();
      const x = torch.zeros(1000, { device: "webgpu" }); // 4000 bytes, class 4096
      expect(torch.webgpu.memoryAllocated() - start).toBe(4096);
      const view = x.narrow(0, 10, 5);
      x.dispose();
      expect(torch.webgpu.memoryAllocated() - start).toBe(4096); // the view still uses it
      expect((await read(view)).values).toEqual([0, 0, 0, 0, 0]);
      view.dispose();
      expect(torch.webgpu.memoryAllocated()).toBe(start);
      expect(() => view.storage).toThrow("disposed");
    });

    it("reuses freed buffers: reserved memory stops growing, emptyCache gives the cache back", async () => {
      const step = () => {
        const a = torch.ones(3000, { device: "webgpu" });
        const b = a.mul(a);
        const c = b.add(a);
        for (const t of [a, b, c]) t.dispose();
      };
      step();
      const reserved = torch.webgpu.memoryReserved();
      for (let i = 0; i < 50; i++) step();
      expect(torch.webgpu.memoryReserved()).toBe(reserved);
      expect(torch.webgpu.memoryReserved()).toBeGreaterThan(torch.webgpu.memoryAllocated());
      torch.webgpu.emptyCache();
      expect(torch.webgpu.memoryReserved()).toBe(torch.webgpu.memoryAllocated());
      step(); // new buffers after the cache was emptied work as before
    });

    it("stays flat over 1000 iterations of a small training-like step inside tidy", async () => {
      const w = torch.keep(torch.ones([16, 8], { device: "webgpu" }));
      const x = torch.keep(torch.ones([4, 16], { device: "webgpu" }));
      const step = () =>
        torch.tidy(() => {
          const y = x.matmul(w).relu().softmax(1);
          const loss = y.mul(y).sum();
          w.sub_(torch.ones([16, 8], { device: "webgpu" }).mul(loss.mul(1e-6)));
        });
      step();
      const baseline = torch.webgpu.memoryAllocated();
      const seen = await allocatedOver(1000, step);
      expect(Math.max(...seen)).toBe(baseline);
      expect(Math.min(...seen)).toBe(baseline);
      w.dispose();
      x.dispose();
    });

    it("stays flat over 1000 iterations with explicit dispose", async () => {
      const a = torch.ones([8, 8], { device: "webgpu" });
      const row = torch.ones([8], { device: "webgpu" });
      // every tensor the step makes, views included, is disposed; the ops' own broadcast views
      // and intermediate results must not hold memory
      const step = () => {
        const b = a.add(row);
        const bt = b.t();
        const product = bt.matmul(a);
        const probabilities = product.softmax(1);
        const total = probabilities.sum(0);
        const asRow = total.unsqueeze(0);
        const { values, indices } = asRow.max(1, true);
        // a number operand is a shared device constant, and max without keepdim returns views
        // whose kept-shape originals the op gives back itself
        const half = total.mul(0.5);
        const shifted = half.add(1);
        const flat = asRow.max(1);
        const made = [b, bt, product, probabilities, total, asRow, values, indices, half, shifted, flat.values, flat.indices];
        for (const t of made) t.dispose();
      };
      step();
      const baseline = torch.webgpu.memoryAllocated();
      const seen = await allocatedOver(1000, step);
      expect(new Set(seen)).toEqual(new Set([baseline]));
      a.dispose();
    });

    it("frees what nobody disposed once the garbage collector finds it (FinalizationRegistry)", async () => {
      const settle = async () => {
        collectGarbage();
        await new Promise((resolve) => setTimeout(resolve, 10));
      };
      await settle(); // what earlier tests left to the collector goes first
      const baseline = torch.webgpu.memoryAllocated();
      (() => {
        for (let i = 0; i < 20; i++) torch.ones(5000, { device: "webgpu" }).add(1);
      })();
      expect(torch.webgpu.memoryAllocated()).toBeGreaterThan(baseline);
      // finalizers run later, in their own turn of the event loop, after a collection found the tensors unreachable
      for (let attempt = 0; attempt < 50 && torch.webgpu.memoryAllocated() > baseline; attempt++) await settle();
      expect(torch.webgpu.memoryAllocated()).toBe(baseline);
    });
  });
});
