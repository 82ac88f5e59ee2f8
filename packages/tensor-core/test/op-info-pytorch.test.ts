/**
 * Every sample of the op table against PyTorch 1.13: `op-info.json` holds what PyTorch computed for
 * the same sample, written as its Python twin (`op-info.py` beside the fixture). The inputs are
 * compared exactly first, so a twin that drifted from the table shows up as such, not as a wrong op.
 */
import { assertClose, fixture, fixtureValues, type FixtureTensor } from "@torchlet/testing";
import { describe, expect, it } from "vitest";
import { opInfos } from "../src/index.ts";
import { Tensor } from "../src/index.ts";

interface OpInfoCase {
  op: string;
  sample: string;
  inputs: (FixtureTensor & { dtype: string })[];
  outputs: (FixtureTensor & { dtype: string })[];
  grad_fn: string | null;
}

const cases = fixture<OpInfoCase>("op-info");
const key = (op: string, sample: string) => `${op}: ${sample}`;
const byKey = new Map(cases.map((c) => [key(c.op, c.sample), c]));

const samples = opInfos
  .filter((info) => !info.needsWebgpu)
  .flatMap((info) => info.samples.map((s) => [key(info.name, s.name), s] as const));

function expectLike(actual: Tensor, expected: OpInfoCase["outputs"][number], what: string, exact: boolean): void {
  expect(actual.shape, `${what} shape`).toEqual(expected.shape);
  expect(actual.dtype, `${what} dtype`).toBe(expected.dtype);
  const values = Array.from(actual.toArray());
  if (exact || expected.dtype !== "float32") {
    expect(values, `${what} values`).toEqual(fixtureValues(expected));
  } else {
    assertClose(values, fixtureValues(expected), { rtol: 1e-5, atol: 1e-5 }, what);
  }
}

describe("the op table's samples against PyTorch 1.13", () => {
  it("has a recorded case for every sample, and a sample for every case", () => {
    const ours = new Set(samples.map(([k]) => k));
    expect(samples.map(([k]) => k).filter((k) => !byKey.has(k))).toEqual([]);
    expect([...byKey.keys()].filter((k) => !ours.has(k))).toEqual([]);
  });

  it.each(samples)("%s", (k, s) => {
    const recorded = byKey.get(k);
    if (!recorded) throw new Error(`no PyTorch case for ${k}`);
    const inputs = s.inputs();
    expect(inputs.length).toBe(recorded.inputs.length);
    inputs.forEach((t, i) => expectLike(t, recorded.inputs[i], `input ${i}`, true));
    const result = s.call(...inputs);
    const outputs = result instanceof Tensor ? [result] : result;
    expect(outputs.length).toBe(recorded.outputs.length);
    outputs.forEach((t, i) => expectLike(t, recorded.outputs[i], `output ${i}`, false));
  });
});
