/**
 * gradcheck on every sample of every differentiable op of tensor-core's op table (`opInfos`), on
 * the CPU: each backward rule against finite differences of its own forward op. A new op joins
 * by being added to the table.
 */
import { opInfos, type Tensor } from "@torchlet/tensor-core";
import { describe, expect, it } from "vitest";
import { autograd } from "../src/index.ts";
import { gradcheckInputs } from "./helpers.ts";

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
