/**
 * Every sample of every entry in the op table runs on the CPU and on WebGPU; the results must
 * agree, and where PyTorch's output for the sample is recorded (`op-info.json`), the GPU's result
 * must match it too. New ops join this test by being added to the table.
 */
import { assertClose, fixture, fixtureValues, type FixtureTensor } from "@torchlet/testing";
import { describe, expect, it } from "vitest";
import * as torch from "../src/index.ts";
import { opInfos } from "../src/op-info.ts";
import { asList, expectSameResults, gpuTolerance, read, setUpWebgpu, toGpu } from "./webgpu-support.ts";

const available = await setUpWebgpu();

interface RecordedCase {
  op: string;
  sample: string;
  outputs: (FixtureTensor & { dtype: string })[];
}
const recorded = new Map(fixture<RecordedCase>("op-info").map((c) => [`${c.op}: ${c.sample}`, c]));

/** Samples that draw random numbers must draw the same ones on both devices. */
function reseed(): void {
  const manualSeed = (torch as { manualSeed?: (seed: number) => unknown }).manualSeed;
  manualSeed?.(0);
}

describe.skipIf(!available)("every op of the op table: webgpu agrees with the cpu and with PyTorch", () => {
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
          const pytorch = recorded.get(`${info.name}: ${sample.name}`);
          if (pytorch) {
            const outputs = asList(gpu);
            for (let i = 0; i < pytorch.outputs.length; i++) {
              const { values, shape } = await read(outputs[i]);
              expect(shape).toEqual(pytorch.outputs[i].shape);
              const tolerance = pytorch.outputs[i].dtype === "float32" ? gpuTolerance : { rtol: 0, atol: 0 };
              assertClose(values, fixtureValues(pytorch.outputs[i]), tolerance, `PyTorch's output ${i}`);
            }
          }
        });
      }
    });
  }
});

describe.skipIf(!available)("*Like on webgpu", () => {
  it("lays the result out as the input (transposed in memory) and fills every element", async () => {
    const x = torch.arange(12, { dtype: "float32" }).view(3, 4).to("webgpu").t();
    for (const like of [torch.zerosLike(x), torch.onesLike(x), torch.fullLike(x, 2.5)]) {
      expect([like.device, like.stride()]).toEqual(["webgpu", [1, 4]]);
      const values = Array.from((await like.cpu()).toArray());
      expect(new Set(values).size).toBe(1);
      expect(values).toHaveLength(12);
    }
    expect(Array.from((await torch.fullLike(x, 2.5).cpu()).toArray())).toEqual(Array(12).fill(2.5));
  });
});
