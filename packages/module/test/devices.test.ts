/**
 * `_apply`, `to(device)` and `await cpu()` without a GPU: a stand-in backend registered as "webgpu"
 * keeps its "device" memory on the host and counts references, so these tests run on every machine
 * and can check that no storage is leaked or freed too early. (devices-webgpu.test.ts runs the same
 * moves on the real WebGPU device where an adapter exists.)
 */
import { describe, expect, it } from "vitest";
import * as core from "@torchlet/tensor-core";
import { arange, ones, tensor, tidy, zeros, type Tensor } from "@torchlet/tensor-core";
import { Module, Parameter } from "../src/index.ts";
import { Linear, Norm, Sequential } from "./stand-ins.ts";

/** "Device" memory that is a host array, with a count of the tensors that hold it. */
class HostHeldStorage implements core.Storage {
  static live = new Set<HostHeldStorage>();
  readonly device = "webgpu" as const;
  refs = 0;
  constructor(
    readonly values: Float32Array | Float64Array | Uint8Array,
    readonly dtype: core.DType,
  ) {}
  get length(): number {
    return this.values.length;
  }
  retain(): void {
    this.refs++;
    HostHeldStorage.live.add(this);
  }
  release(): void {
    this.refs--;
    if (this.refs === 0) HostHeldStorage.live.delete(this);
  }
}

/** The CPU view of a stand-in device tensor, so the CPU kernels can do the work. */
function hostView(t: Tensor): Tensor {
  const s = t.storage;
  if (s instanceof HostHeldStorage) return core.Tensor.fromStorage(new core.CpuStorage(s.values, s.dtype), t.shape, t.stride(), t.storageOffset());
  return t;
}

const cpu = core.backendFor("cpu");
const standIn = {
  device: "webgpu",
  allocate: (dtype: core.DType, length: number) => new HostHeldStorage(dtype === "float32" ? new Float32Array(length) : dtype === "int64" ? new Float64Array(length) : new Uint8Array(length), dtype),
  upload: (dtype: core.DType, values: Float32Array) => new HostHeldStorage(values.slice(), dtype),
  download: async (storage: HostHeldStorage) => storage.values.slice(),
  fill: (out: Tensor, value: number) => cpu.fill(hostView(out), value),
  copy: (src: Tensor, out: Tensor) => cpu.copy(hostView(src), hostView(out)),
  binary: (op: core.BinaryOp, a: Tensor, b: Tensor, out: Tensor) => cpu.binary(op, hostView(a), hostView(b), hostView(out)),
} as unknown as core.Backend;
core.registerBackend(standIn);

function model(): Sequential {
  const lin = new Linear(3, 2);
  lin.weight.data.copy_(arange(6, { dtype: "float32" }).view(2, 3));
  lin.weight.grad = ones(2, 3);
  const norm = new Norm(2);
  norm.running_mean.fill_(0.5);
  return new Sequential(lin, norm);
}
const linOf = (m: Sequential) => m._modules.get("0") as Linear;
const normOf = (m: Sequential) => m._modules.get("1") as Norm;
const devices = (m: Module) => [...m.parameters(), ...m.buffers()].map((t) => t.device);
const values = async (m: Module) => Promise.all([...m.stateDict()].map(async ([k, t]) => [k, (await t.cpu()).tolist()]));

describe("to(device) and await cpu()", () => {
  it("moves parameters, their gradients and buffers, keeping the Parameter objects", async () => {
    const net = model();
    const expected = await values(net);
    const params = [...net.parameters()]; // what an optimizer would hold
    const grad = linOf(net).weight.grad;
    const buffer = normOf(net).running_mean;

    expect(net.to("webgpu")).toBe(net);
    expect(devices(net).every((d) => d === "webgpu")).toBe(true);
    expect([...net.parameters()]).toEqual(params);
    expect(params.every((p) => p instanceof Parameter && p.requiresGrad && p.isLeaf)).toBe(true);
    expect(linOf(net).weight.grad).toBe(grad);
    expect(grad?.device).toBe("webgpu");
    expect(normOf(net).running_mean).not.toBe(buffer); // buffers are replaced, as in PyTorch
    expect(await values(net)).toEqual(expected);

    expect(await net.cpu()).toBe(net);
    expect(devices(net).every((d) => d === "cpu")).toBe(true);
    expect([...net.parameters()]).toEqual(params);
    expect(linOf(net).weight.grad?.device).toBe("cpu");
    expect(await values(net)).toEqual(expected);
  });

  it("holds each device storage once, and gives it back on the way home", async () => {
    HostHeldStorage.live.clear();
    const net = model();
    net.to("webgpu");
    // weight, its grad, bias, norm weight, running_mean, num_batches_tracked, scratch
    expect(HostHeldStorage.live.size).toBe(7);
    expect([...HostHeldStorage.live].every((s) => s.refs === 1)).toBe(true);
    await net.cpu();
    expect(HostHeldStorage.live.size).toBe(0);
  });

  it("keeps parameters and buffers alive when moved inside tidy", () => {
    const net = model();
    tidy(() => {
      net.to("webgpu");
    });
    expect([...net.parameters()].some((p) => p.isDisposed)).toBe(false);
    expect([...net.buffers()].some((b) => b.isDisposed)).toBe(false);
    expect(linOf(net).weight.grad?.isDisposed).toBe(false);
  });

  it("refuses a synchronous move back to the CPU, changing nothing", () => {
    const net = model().to("webgpu");
    expect(() => net.to("cpu")).toThrow("await module.cpu()");
    expect(devices(net).every((d) => d === "webgpu")).toBe(true);
  });

  it("takes only floating-point dtypes, and converts only floating-point tensors", () => {
    const net = model();
    expect(() => net.to("int64")).toThrow(
      new TypeError("nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=torch.int64"),
    );
    net.to({ device: "webgpu", dtype: "float32" });
    expect(normOf(net).num_batches_tracked.dtype).toBe("int64");
    expect(normOf(net).num_batches_tracked.device).toBe("webgpu");
  });

  it("moves to the device and dtype of a tensor", () => {
    const net = model().to(zeros(1).to("webgpu"));
    expect(devices(net).every((d) => d === "webgpu")).toBe(true);
  });

  it("loads a CPU state dict into a model on the device, and zeroes gradients there", async () => {
    const source = model();
    linOf(source).weight.data.fill_(9);
    const net = model().to("webgpu");
    net.loadStateDict(source.stateDict());
    expect(await values(net)).toEqual(await values(source));
    net.zeroGrad();
    expect((await (linOf(net).weight.grad as Tensor).cpu()).tolist()).toEqual([[0, 0, 0], [0, 0, 0]]);
  });
});

describe("_apply(fn)", () => {
  it("rewrites every parameter in place without recording a graph, children first", () => {
    const net = model();
    const weight = linOf(net).weight;
    const seen: number[][] = [];
    net._apply((t) => {
      seen.push([...t.shape]);
      return t.dtype === "float32" ? t.mul(2) : t;
    });
    expect(linOf(net).weight).toBe(weight);
    expect(weight.tolist()).toEqual([[0, 2, 4], [6, 8, 10]]);
    expect(weight.gradFn).toBeNull();
    expect(weight.grad?.tolist()).toEqual([[2, 2, 2], [2, 2, 2]]);
    expect(normOf(net).running_mean.tolist()).toEqual([1, 1]);
    // the Linear child's weight, its grad and bias come before the Norm child's tensors
    expect(seen.slice(0, 3)).toEqual([[2, 3], [2, 3], [2]]);
  });

  it("float() leaves integer buffers alone", () => {
    const net = model().float();
    expect(normOf(net).num_batches_tracked.dtype).toBe("int64");
    expect(tensor(0).dtype).toBe("int64");
  });
});
