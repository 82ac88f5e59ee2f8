/**
 * Every case of init.json through the public API: the default initialisation of `nn.Linear` and
 * `nn.Conv2d` after a seed (PyTorch's weights, weight drawn before bias), each `nn.init` function on
 * a 4x6 tensor, and `nn.init.calculateGain`. `orthogonal_` draws a QR decomposition, whose signs
 * depend on the algorithm: its result is checked to be orthogonal and to match up to the sign of
 * each row.
 */
import { describe, expect, it } from "vitest";
import { assertClose, fixture, fixtureValues, type FixtureTensor } from "@torchlet/testing";
import { nn, torch } from "../src/index.ts";

interface InitCase {
  what: string;
  seed?: number;
  shape?: number[];
  values?: number[] | Record<string, number>;
  weight?: FixtureTensor;
  bias?: FixtureTensor;
}

const cases = fixture<InitCase>("init");
const byName = (what: string) => cases.find((c) => c.what === what)!;

describe("default initialisation of the layers (init.json)", () => {
  const layers: [string, () => nn.Linear | nn.Conv2d][] = [
    ["Linear(3,2) default init", () => new nn.Linear(3, 2)],
    ["Linear(25,10) default init", () => new nn.Linear(25, 10)],
    ["Linear(784,100) default init", () => new nn.Linear(784, 100)],
    ["Conv2d(2,3,3) default init", () => new nn.Conv2d(2, 3, 3)],
  ];
  it.each(layers)("%s", (what, build) => {
    const c = byName(what);
    torch.manualSeed(c.seed!);
    const layer = build();
    expect([...layer.weight.shape]).toEqual(c.weight!.shape);
    assertClose(layer.weight.toArray(), fixtureValues(c.weight!), { rtol: 1e-6, atol: 1e-7 }, "weight");
    assertClose(layer.bias!.toArray(), fixtureValues(c.bias!), { rtol: 1e-6, atol: 1e-7 }, "bias");
  });

  it("a layer built with { device } on the CPU draws the same numbers", () => {
    torch.manualSeed(20);
    const layer = new nn.Linear(3, 2, { device: "cpu" });
    assertClose(layer.weight.toArray(), fixtureValues(byName("Linear(3,2) default init").weight!), { rtol: 1e-6, atol: 1e-7 });
  });
});

describe("nn.init on a 4x6 tensor after manual_seed(40) (init.json)", () => {
  const initialisers: [string, (t: torch.Tensor) => unknown][] = [
    ["normal_(0,0.01)", (t) => nn.init.normal_(t, { mean: 0, std: 0.01 })],
    ["xavier_normal_", (t) => nn.init.xavierNormal_(t)],
    ["xavier_uniform_", (t) => nn.init.xavierUniform_(t)],
    ["kaiming_normal_", (t) => nn.init.kaimingNormal_(t)],
    ["kaiming_uniform_", (t) => nn.init.kaimingUniform_(t)],
    ["uniform_(-1,1)", (t) => nn.init.uniform_(t, { a: -1, b: 1 })],
    ["trunc_normal_", (t) => nn.init.truncNormal_(t)],
  ];
  it.each(initialisers)("%s", (what, init) => {
    const c = byName(what);
    torch.manualSeed(c.seed!);
    const t = torch.empty(c.shape!);
    init(t);
    assertClose(t.toArray(), c.values as number[], { rtol: 1e-5, atol: 1e-6 }, what);
  });

  it("orthogonal_: orthonormal rows, PyTorch's values up to the sign of each row", () => {
    const c = byName("orthogonal_");
    torch.manualSeed(c.seed!);
    const w = nn.init.orthogonal_(torch.empty(4, 6));
    // W Wᵀ = I for a wide matrix
    assertClose(w.matmul(w.t()).toArray(), torch.eye(4).toArray(), { atol: 1e-5 }, "W·Wᵀ");
    const ours = w.toArray();
    const theirs = c.values as number[];
    for (let row = 0; row < 4; row++) {
      const a = Array.from(ours.slice(row * 6, row * 6 + 6));
      const b = theirs.slice(row * 6, row * 6 + 6);
      const sign = Math.sign(a[0]) === Math.sign(b[0]) ? 1 : -1;
      assertClose(
        a.map((v) => v * sign),
        b,
        { rtol: 1e-4, atol: 1e-5 },
        `row ${row}`,
      );
    }
  });

  it("calculateGain", () => {
    const { values } = byName("calculate_gain") as { values: Record<string, number> };
    for (const [key, expected] of Object.entries(values)) {
      const [name, param] = key.split(",");
      expect(nn.init.calculateGain(name, param === undefined ? undefined : Number(param)), key).toBeCloseTo(expected, 12);
    }
  });
});
