/**
 * Running one compute shader: the pipeline cache, the uniform parameters, the bind group, and the
 * submission. Every kernel in `kernels/<family>/webgpu.ts` ends in one or more `runKernel` calls.
 *
 * Ordering. WebGPU offers two ways to put data on the GPU: commands in a command buffer, which
 * run when the buffer is submitted, and `queue.writeBuffer`, which runs at once in queue order,
 * that is before commands still sitting in an encoder that has not been submitted. Batching many
 * ops into one encoder would therefore let an upload (or the parameters of a later op) overtake
 * the ops recorded before it, and let a pooled buffer be handed out again while an unsubmitted
 * command still reads it. We avoid the whole class of problems by construction: every kernel
 * submits its command buffer at once. The queue then runs everything (uploads, parameter writes,
 * dispatches, copies for downloads) in exactly the order the program made the calls, so a buffer
 * returned to a pool may be reused immediately, and each dispatch's parameter buffer is written
 * after the previous user of that buffer was submitted and before its own dispatch is.
 */
import { gpu } from "./device.ts";

type ParamType = "u32" | "i32" | "f32";

/**
 * The uniform values of one dispatch, in order, with their WGSL types. The same builder writes the
 * shader's `struct Params` and the bytes that fill it, so the two cannot drift apart.
 */
export class Params {
  private readonly fields: { name: string; type: ParamType; value: number }[] = [];

  u32(name: string, value: number): this {
    return this.add(name, "u32", value);
  }
  i32(name: string, value: number): this {
    return this.add(name, "i32", value);
  }
  f32(name: string, value: number): this {
    return this.add(name, "f32", value);
  }

  private add(name: string, type: ParamType, value: number): this {
    if (type !== "f32" && !Number.isInteger(value)) throw new Error(`webgpu: parameter ${name} must be an integer, got ${value}`);
    this.fields.push({ name, type, value });
    return this;
  }

  /** `struct Params {...}` and its binding, the uniform at binding 0 that every kernel reads as `p`. */
  wgsl(): string {
    const members = this.fields.map((f) => `  ${f.name}: ${f.type},`).join("\n");
    return `struct Params {\n${members}\n}\n@group(0) @binding(0) var<uniform> p: Params;\n`;
  }

  /** The values, packed as the struct lays them out (four bytes each, padded to 16). */
  bytes(): ArrayBuffer {
    const size = Math.max(16, Math.ceil((this.fields.length * 4) / 16) * 16);
    const view = new DataView(new ArrayBuffer(size));
    this.fields.forEach((f, i) => {
      if (f.type === "f32") view.setFloat32(i * 4, f.value, true);
      else if (f.type === "i32") view.setInt32(i * 4, f.value, true);
      else view.setUint32(i * 4, f.value, true);
    });
    return view.buffer;
  }
}

/** One compute dispatch. */
export interface KernelCall {
  /** Identifies the shader text: two calls with the same key must generate the same WGSL. */
  readonly key: string;
  /** The WGSL module, generated only the first time `key` is seen. Its entry point is `main`. */
  readonly source: () => string;
  readonly params: Params;
  /** Storage buffers for bindings 1, 2, ... in the order the shader declares them. */
  readonly buffers: readonly GPUBuffer[];
  /** How many workgroups to run; folded into two dimensions when one is not enough. */
  readonly workgroups: number;
}

const pipelines = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();
const uniformPools = new WeakMap<GPUDevice, Map<number, GPUBuffer[]>>();

/** Creating a pipeline compiles the shader (5-250 ms), so each is made once per device. */
function pipelineFor(device: GPUDevice, key: string, source: () => string): GPUComputePipeline {
  let cache = pipelines.get(device);
  if (!cache) pipelines.set(device, (cache = new Map()));
  let pipeline = cache.get(key);
  if (!pipeline) {
    const module = device.createShaderModule({ label: key, code: source() });
    pipeline = device.createComputePipeline({ label: key, layout: "auto", compute: { module, entryPoint: "main" } });
    cache.set(key, pipeline);
  }
  return pipeline;
}

/** Number of distinct pipelines compiled on the current device (for tests and curiosity). */
export function pipelineCount(): number {
  return pipelines.get(gpu().device)?.size ?? 0;
}

/**
 * WebGPU caps each dimension of a dispatch (`maxComputeWorkgroupsPerDimension`, usually 65535).
 * A larger count is folded into a grid of x·y ≥ count; shaders recover the linear workgroup index
 * as `wid.x + wid.y * nwg.x` (`wg` in `entryPoint`) and ignore the few extra groups.
 */
export function foldWorkgroups(count: number, maxPerDimension: number): [number, number] {
  if (count <= maxPerDimension) return [count, 1];
  const y = Math.ceil(count / maxPerDimension);
  return [Math.ceil(count / y), y];
}

/** Runs the kernel now: records one compute pass and submits it (see the ordering note above). */
export function runKernel(call: KernelCall): void {
  if (call.workgroups === 0) return;
  const { device } = gpu();
  const pipeline = pipelineFor(device, call.key, call.source);
  const data = call.params.bytes();
  const uniforms = takeUniformBuffer(device, data.byteLength);
  device.queue.writeBuffer(uniforms, 0, data);
  const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: uniforms } }];
  call.buffers.forEach((buffer, i) => entries.push({ binding: i + 1, resource: { buffer } }));
  const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  const [x, y] = foldWorkgroups(call.workgroups, device.limits.maxComputeWorkgroupsPerDimension);
  pass.dispatchWorkgroups(x, y);
  pass.end();
  device.queue.submit([encoder.finish()]);
  // Submitted: a later writeBuffer to this buffer is queued after this dispatch has read it.
  returnUniformBuffer(device, uniforms);
}

function takeUniformBuffer(device: GPUDevice, bytes: number): GPUBuffer {
  const free = uniformPools.get(device)?.get(bytes)?.pop();
  return free ?? device.createBuffer({ size: bytes, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
}

function returnUniformBuffer(device: GPUDevice, buffer: GPUBuffer): void {
  let pool = uniformPools.get(device);
  if (!pool) uniformPools.set(device, (pool = new Map()));
  const list = pool.get(buffer.size);
  if (list) list.push(buffer);
  else pool.set(buffer.size, [buffer]);
}

/**
 * WGSL: the entry point `main`, with the builtins kernels use: `wg`, the linear index of this
 * workgroup in a folded grid; `lid`, the thread's index in its workgroup (`lid3` in 2-D).
 */
export function entryPoint(workgroupSize: string, body: string): string {
  return `@compute @workgroup_size(${workgroupSize})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lid3: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
${body}
}
`;
}

/** WGSL: declares storage buffer `binding` as `name: array<type>`. */
export function storageBuffer(binding: number, name: string, type: string, access: "read" | "read_write"): string {
  return `@group(0) @binding(${binding}) var<storage, ${access}> ${name}: array<${type}>;\n`;
}
