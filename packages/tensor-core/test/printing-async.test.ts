/**
 * `formatTensorAsync` on a device tensor, without a GPU: a stand-in backend keeps "device" memory
 * on the host, so the read-back path and the device suffix are tested on every machine. (The real
 * WebGPU device is tested end to end in printing-webgpu.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { fixture, fixtureValues, type FixtureTensor } from "@torchlet/testing";
import * as torch from "../src/index.ts";
import type { CpuArray } from "../src/dtype.ts";

/** Device storage that is really a host array, and counts how often it is read back. */
class HostHeldStorage implements torch.Storage {
  readonly device = "webgpu" as const;
  downloads = 0;
  constructor(
    readonly values: CpuArray,
    readonly dtype: torch.DType,
  ) {}
  get length(): number {
    return this.values.length;
  }
  retain(): void {}
  release(): void {}
}

const notNeeded = () => {
  throw new Error("not needed to print");
};

/** Only what reading a tensor back needs; every kernel is left out. */
const standIn = {
  device: "webgpu",
  upload: (dtype: torch.DType, values: CpuArray) => new HostHeldStorage(values.slice(), dtype),
  download: async (storage: HostHeldStorage) => {
    storage.downloads++;
    return storage.values.slice();
  },
} as unknown as torch.Backend;
for (const kernel of ["allocate", "fill", "copy", "unary", "binary", "where", "reduce", "softmax", "matmul"]) {
  (standIn as unknown as Record<string, unknown>)[kernel] = notNeeded;
}
torch.registerBackend(standIn);

interface DeviceCase extends FixtureTensor {
  label: string;
  dtype: torch.DType;
  requires_grad: boolean;
  grad_fn: string | null;
  device?: string;
  str: string;
}

describe("formatTensorAsync on a device tensor", () => {
  const cases = fixture<DeviceCase>("printing-extra").filter((c) => c.device === "webgpu:0");

  it("has the device cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(6);
  });

  for (const c of cases) {
    it(`reads back and prints ${c.label}`, async () => {
      const t = torch.fromValues(fixtureValues(c), c.shape, c.dtype, "webgpu");
      // the grad_fn and requires_grad flag are the device tensor's, not those of its host copy
      if (c.grad_fn !== null) t.gradFn = { name: c.grad_fn, nextFunctions: [] };
      else if (c.requires_grad) t.requiresGrad_(true);
      expect(await t.format()).toBe(c.str);
      expect((t.storage as HostHeldStorage).downloads).toBe(1);
    });
  }

  it("refuses to print a device tensor synchronously, and says what to do", () => {
    const t = torch.fromValues([1, 2], [2], "float32", "webgpu");
    expect(() => torch.formatTensor(t)).toThrow(torch.RuntimeError);
    expect(() => String(t)).toThrow("use `await t.format()`");
  });
});
