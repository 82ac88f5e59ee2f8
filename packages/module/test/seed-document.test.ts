/**
 * The seed document's first two modules, run as PyTorch ran them for modules.json (each case's model
 * is built right after `manual_seed(case index + 1)`, then the input is drawn), and printed:
 * values, printed output and grad_fn must all be PyTorch's.
 */
import { describe, expect, it } from "vitest";
import { assertClose, fixture, fixtureValues, type FixtureTensor } from "@torchlet/testing";
import { manualSeed, randn, tensor } from "@torchlet/tensor-core";
import { Parameter } from "../src/index.ts";
import { MyFCLayer, ReluLayer } from "./stand-ins.ts";

interface SeedCase {
  label: string;
  input: FixtureTensor;
  output: FixtureTensor;
  output_str: string;
  grad_fn: string | null;
}
const cases = fixture<SeedCase>("modules");
const seedCase = (label: string) => cases.find((c) => c.label === label) as SeedCase;

describe("the seed's modules, seeded as PyTorch seeded them", () => {
  it("ReluLayer on randn(2, 3) after manual_seed(1)", () => {
    const c = seedCase("ReluLayer");
    manualSeed(1);
    const relu = new ReluLayer();
    const a = randn(2, 3);
    assertClose(a.toArray(), fixtureValues(c.input));
    const out = relu.call(a);
    assertClose(out.toArray(), fixtureValues(c.output));
    expect(String(out)).toBe(c.output_str);
    expect(out.gradFn).toBeNull();
  });

  it("MyFCLayer(25, 10) after manual_seed(2): weights, bias, then the input", () => {
    const c = seedCase("MyFCLayer(25,10)");
    manualSeed(2);
    const fc = new MyFCLayer(25, 10, (shape) => randn(shape));
    const a = randn(1, 25);
    assertClose(a.toArray(), fixtureValues(c.input));
    const out = fc.call(a);
    assertClose(out.toArray(), fixtureValues(c.output), { rtol: 1e-5, atol: 1e-5 });
    expect(String(out)).toBe(c.output_str);
    // forward reads `.data`, which is cut from the graph: no grad_fn although weights require grad
    expect(out.gradFn).toBeNull();
    expect(fc.weights.requiresGrad).toBe(true);
  });
});

describe("printing a Parameter", () => {
  it("is `Parameter containing:` above the tensor with requires_grad=True (printing.json)", async () => {
    const expected = fixture<{ label: string; str?: string }>("printing").find((c) => c.label === "Parameter repr")?.str;
    const p = new Parameter(tensor([1, -2], { dtype: "float32" }));
    expect(String(p)).toBe(expected);
    expect(await p.format()).toBe(expected);
  });
});
