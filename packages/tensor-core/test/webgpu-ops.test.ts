/**
 * Every sample of every entry in the op table runs on the CPU and on WebGPU; the results must
 * agree. New ops join this test by being added to the table.
 */
import { describe, expect, it } from "vitest";
import * as torch from "../src/index.ts";
import { opInfos } from "../src/op-info.ts";
import { expectSameResults, setUpWebgpu, toGpu } from "./webgpu-support.ts";

const available = await setUpWebgpu();

/** Samples that draw random numbers must draw the same ones on both devices. */
function reseed(): void {
  const manualSeed = (torch as { manualSeed?: (seed: number) => unknown }).manualSeed;
  manualSeed?.(0);
}

describe.skipIf(!available)("every op of the op table: webgpu agrees with the cpu", () => {
  for (const info of opInfos) {
    describe(info.name, () => {
      for (const sample of info.samples) {
        it(sample.name, async () => {
          const inputs = sample.inputs();
          reseed();
          let cpu: ReturnType<typeof sample.call>;
          try {
            cpu = sample.call(...inputs);
          } catch (error) {
            // Bad input must fail the same way on both devices.
            reseed();
            expect(() => sample.call(...toGpu(inputs))).toThrow((error as Error).message);
            return;
          }
          reseed();
          const gpu = sample.call(...toGpu(inputs));
          await expectSameResults(gpu, cpu, `${info.name}: ${sample.name}`);
        });
      }
    });
  }
});
