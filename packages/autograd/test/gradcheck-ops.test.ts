/**
 * gradcheck on every sample of every differentiable op of tensor-core's op table (`opInfos`), on
 * the CPU: each backward rule against finite differences of its own forward op. A new op joins
 * by being added to the table.
 */
import { gradInputsOf, opInfos, type OpInfo, type OpSample, type Tensor } from "@torchlet/tensor-core";
import { describe, expect, it } from "vitest";
import { autograd } from "../src/index.ts";

/** The sample's inputs, with the ones gradients flow to marked as requiring grad; null if there are none. */
export function gradcheckInputs(info: OpInfo, sample: OpSample): Tensor[] | null {
  const inputs = sample.inputs();
  const positions = gradInputsOf(info, sample, inputs).filter((i) => inputs[i].dtype === "float32");
  if (positions.length === 0) return null;
  for (const i of positions) inputs[i].requiresGrad_();
  return inputs;
}

describe("gradcheck of every differentiable op in opInfos, on the CPU", () => {
  for (const info of opInfos.filter((i) => i.differentiable && !i.needsWebgpu)) {
    describe(info.name, () => {
      for (const sample of info.samples) {
        const inputs = gradcheckInputs(info, sample);
        if (inputs === null) {
          it(`${sample.name}: no float input, so nothing requires grad`, () => {
            const out = sample.call(...sample.inputs());
            expect((Array.isArray(out) ? out[0] : (out as Tensor)).requiresGrad).toBe(false);
          });
          continue;
        }
        it(sample.name, () => {
          expect(autograd.gradcheck(sample.call, inputs)).toBe(true);
        });
      }
    });
  }
});
