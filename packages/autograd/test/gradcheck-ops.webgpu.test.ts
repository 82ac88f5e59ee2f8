/**
 * gradcheck on the webgpu device: samples of every differentiable op of the op table run forward
 * and backward on the GPU, checked against finite differences taken on the GPU too. Every sample
 * runs on the CPU (gradcheck-ops.test.ts); here the samples with at most `maxElements` checked
 * input elements (and at least the smallest of each op), since each element costs two forward
 * passes and two read-backs, which software GPUs make slow.
 */
import { opInfos, webgpu, type OpInfo, type OpSample, type Tensor } from "@torchlet/tensor-core";
import { describe, expect, it } from "vitest";
import { autograd } from "../src/index.ts";
import { gradcheckInputs, webgpuForTests } from "./helpers.ts";

const available = await webgpuForTests();

const maxElements = 64;

function samplesToCheck(info: OpInfo): { sample: OpSample; inputs: Tensor[] }[] {
  const candidates = info.samples.flatMap((sample) => {
    const inputs = gradcheckInputs(info, sample);
    if (inputs === null) return []; // int64 samples: nothing requires grad (checked on the CPU)
    const size = inputs.filter((t) => t.requiresGrad).reduce((n, t) => n + t.numel(), 0);
    return [{ sample, inputs, size }];
  });
  const smallest = Math.min(...candidates.map((c) => c.size));
  return candidates.filter((c) => c.size <= Math.max(maxElements, smallest));
}

/** The inputs on the GPU, as leaves again; ops that move CPU inputs themselves (toCopy) keep them. */
function onDevice(info: OpInfo, inputs: Tensor[]): Tensor[] {
  if (info.needsWebgpu) return inputs;
  return inputs.map((t) => (t.requiresGrad ? t.detach().to("webgpu").requiresGrad_() : t.to("webgpu")));
}

describe.skipIf(!available)("gradcheck of every differentiable op in opInfos, on webgpu", () => {
  for (const info of opInfos.filter((i) => i.differentiable)) {
    describe(info.name, () => {
      for (const { sample, inputs } of samplesToCheck(info)) {
        it(sample.name, async () => {
          expect(await autograd.gradcheckAsync(sample.call, onDevice(info, inputs))).toBe(true);
          await webgpu.synchronize(); // surfaces any error the GPU reported
        });
      }
    });
  }
});
