/**
 * The 50-layer experiment against PyTorch 1.13 (deep-network.py): the same seed, initialisation
 * and activation give the same spread after every layer and the same spread of every layer's
 * weight gradient, on both sides computed as float64 standard deviations of the float32 tensors
 * (PyTorch's float32 `std` itself gives nan or inf once the variance passes float32's range; where
 * it gives a number, ours must give the same number).
 *
 * One case is chaotic: tanh after standard normal weights (gain 10 per layer into a saturating
 * function). There the network amplifies differences in rounding layer after layer, so two
 * correct implementations agree on the forward spread within 1 % and on the gradients' within a
 * factor of 4, which is still the experiment's point: gradients 10^14 larger at the first layer.
 */
import { describe, expect, it } from "vitest";
import { assertClose, fixture } from "@torchlet/testing";
import { measureSpreads, type Activation, type Init } from "../src/deep-network/experiment.ts";
import { report } from "../src/deep-network/main.ts";

type Value = number | "nan" | "inf" | "-inf";
interface SpreadCase {
  seed: number;
  activation: Activation;
  init: Init;
  forward: Value[];
  forward64: Value[];
  backward: Value[];
  backward64: Value[];
}

const cases = fixture<SpreadCase>("deep-network");
const numbers = (values: Value[]) => values.map((v) => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v));

describe("the 50-layer experiment, as in PyTorch", () => {
  it("has every activation with every initialisation", () => expect(cases.length).toBe(12));

  for (const c of cases) {
    const chaotic = c.activation === "tanh" && c.init === "normal";
    it(`${c.activation} after ${c.init} weights${chaotic ? " (chaotic)" : ""}`, () => {
      const spreads = measureSpreads(c.init, c.activation, c.seed);
      const [forward64, backward64] = [numbers(c.forward64), numbers(c.backward64)];
      if (chaotic) {
        assertClose(spreads.forward, forward64, { rtol: 1e-2, atol: 0 }, "forward spreads");
        spreads.backward.forEach((s, i) => expect(Math.abs(Math.log(s / backward64[i])), `layer ${i + 1}'s gradient`).toBeLessThan(Math.log(4)));
        expect(spreads.backward[0] / spreads.backward[49]).toBeGreaterThan(1e14);
        return;
      }
      assertClose(spreads.forward, forward64, { rtol: 1e-5, atol: 0 }, "forward spreads");
      // ReLU after the default weights leaves gradients near 1e-41, below float32's normal range,
      // where its spacing is 1.4e-45: the spread, a float32, is only that exact
      assertClose(spreads.backward, backward64, { rtol: 1e-5, atol: 1.5e-45 }, "gradient spreads");
      // and PyTorch's own float32 std, wherever it is a number
      numbers(c.forward).forEach((s, i) => {
        if (Number.isFinite(s)) expect(spreads.forward[i], `output ${i}`).toBeCloseTo(s, -Math.log10(Math.abs(s)) + 5);
      });
    });
  }

  it("prints a table per activation, one column per initialisation", () => {
    const text = report("none", 0);
    expect(text).toContain("activation: none");
    expect(text).toMatch(/^ +default +normal +xavier +kaiming$/m);
    expect(text).toMatch(/^layer 50 .*NaN/m); // standard normal weights overflow float32 by layer 50
  });
});
