/**
 * gradcheck on the webgpu device: every sample of every differentiable op of the op table runs
 * forward and backward on the GPU, checked against finite differences taken on the GPU too.
 */
import { opInfos, webgpu, type OpInfo, type Tensor } from "@torchlet/tensor-core";
import { describe, expect, it } from "vitest";
import { autograd } from "../src/index.ts";
import { gradcheckInputs, webgpuForTests } from "./helpers.ts";

const available = await webgpuForTests();

/** The inputs on the GPU, as leaves again; ops that move CPU inputs themselves (toCopy) keep them. */
function onDevice(info: OpInfo, inputs: Tensor[]): Tensor[] {
  if (info.needsWebgpu) return inputs;
  return inputs.map((t) => (t.requiresGrad ? t.detach().to("webgpu").requiresGrad_() : t.to("webgpu")));
}

describe.skipIf(!available)("gradcheck of every differentiable op in opInfos, on webgpu", () => {
  for (const info of opInfos.filter((i) => i.differentiable)) {
    describe(info.name, () => {
      for (const sample of info.samples) {
        const inputs = gradcheckInputs(info, sample);
        if (inputs === null) continue; // int64 samples: nothing requires grad (checked on the CPU)
        it(sample.name, async () => {
          expect(await autograd.gradcheckAsync(sample.call, onDevice(info, inputs))).toBe(true);
          await webgpu.synchronize(); // surfaces any error the GPU reported
        });
      }
    });
  }
});
