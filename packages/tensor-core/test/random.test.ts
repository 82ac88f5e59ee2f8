/**
 * PyTorch's random numbers, held against rng.json (recorded with PyTorch 1.13): after the same seed,
 * randn, rand, randint, normal_ and uniform_ must give PyTorch's values, on both of PyTorch's normal
 * paths (below 16 elements and from 16 up), and the generator's state, including the remembered
 * normal sample, must carry from one call to the next.
 */
import { describe, expect, it } from "vitest";
import { assertClose, fixture } from "@torchlet/testing";
import * as torch from "../src/index.ts";

interface ShapeCase {
  seed: number;
  shape: number[];
  randn: number[];
  rand: number[];
  randint_0_10: number[];
  "normal_1.5_0.5": number[];
  "uniform_-2_3": number[];
  randn_str: string;
}

interface SequenceCase {
  seed: number;
  sequence: string[];
  values: number[][];
}

const cases = fixture<ShapeCase | SequenceCase>("rng");
const shapeCases = cases.filter((c): c is ShapeCase => "shape" in c);
const sequenceCase = cases.find((c): c is SequenceCase => "sequence" in c)!;

const values = (t: torch.Tensor) => Array.from(t.toArray());

/** Every draw of one shape case, each after its own re-seed, as rng.json records them. */
function drawAll(c: ShapeCase): Record<string, number[]> {
  const draw = (make: () => torch.Tensor) => {
    torch.manualSeed(c.seed);
    return values(make());
  };
  return {
    randn: draw(() => torch.randn(c.shape)),
    rand: draw(() => torch.rand(c.shape)),
    randint_0_10: draw(() => torch.randint(0, 10, c.shape)),
    "normal_1.5_0.5": draw(() => torch.empty(c.shape).normal_(1.5, 0.5)),
    "uniform_-2_3": draw(() => torch.empty(c.shape).uniform_(-2, 3)),
  };
}

describe("rng.json: each draw after torch.manual_seed(seed)", () => {
  it("covers both normal paths", () => {
    const sizes = shapeCases.map((c) => c.shape.reduce((a, b) => a * b, 1));
    expect(sizes.some((n) => n < 16)).toBe(true);
    expect(sizes.some((n) => n >= 16 && n % 16 !== 0)).toBe(true);
  });

  for (const c of shapeCases) {
    it(`seed ${c.seed}, shape [${c.shape}]: randn, rand, randint, normal_, uniform_ within 1e-6`, () => {
      const drawn = drawAll(c);
      for (const [name, got] of Object.entries(drawn)) {
        assertClose(got, c[name as keyof ShapeCase] as number[], { rtol: 0, atol: 1e-6 }, `${name}${JSON.stringify(c.shape)}`);
      }
    });

    it(`seed ${c.seed}, shape [${c.shape}]: the same floats, bit for bit`, () => {
      const drawn = drawAll(c);
      for (const [name, got] of Object.entries(drawn)) {
        expect(got, name).toEqual(c[name as keyof ShapeCase]);
      }
    });
  }

  it("randint is int64 and randn/rand are float32", () => {
    torch.manualSeed(0);
    expect(torch.randint(0, 10, [3]).dtype).toBe("int64");
    expect(torch.randn(3).dtype).toBe("float32");
    expect(torch.rand(3).dtype).toBe("float32");
  });
});

describe("rng.json: a sequence of draws after one seed", () => {
  it(`seed ${sequenceCase.seed}: ${sequenceCase.sequence.join(", ")}`, () => {
    expect(sequenceCase.sequence).toEqual(["randn(3)", "rand(2,2)", "randn(20)"]);
    torch.manualSeed(sequenceCase.seed);
    const got = [values(torch.randn(3)), values(torch.rand(2, 2)), values(torch.randn(20))];
    got.forEach((g, i) => assertClose(g, sequenceCase.values[i], { rtol: 0, atol: 1e-6 }, sequenceCase.sequence[i]));
    got.forEach((g, i) => expect(g).toEqual(sequenceCase.values[i]));
  });

  it("the sample remembered by randn(3) is what the next small randn starts with", () => {
    torch.manualSeed(sequenceCase.seed);
    torch.randn(3); // two Box-Muller pairs: the fourth sample waits in the generator
    const waiting = torch.defaultGenerator.nextDoubleNormalSample;
    expect(waiting).not.toBeNull();
    expect(torch.randn(1).item()).toBe(Math.fround(waiting!));
    expect(torch.defaultGenerator.nextDoubleNormalSample).toBeNull();
  });

  it("manualSeed forgets the remembered sample", () => {
    torch.manualSeed(sequenceCase.seed);
    const first = values(torch.randn(3));
    torch.randn(3);
    torch.manualSeed(sequenceCase.seed);
    expect(torch.defaultGenerator.nextDoubleNormalSample).toBeNull();
    expect(values(torch.randn(3))).toEqual(first);
  });
});

describe("the random functions' arguments", () => {
  it("takes sizes variadic or as one array, and options last", () => {
    torch.manualSeed(1);
    const a = torch.randn(2, 3);
    torch.manualSeed(1);
    const b = torch.randn([2, 3], { dtype: "float32" });
    expect(values(b)).toEqual(values(a));
    expect([...a.shape]).toEqual([2, 3]);
  });

  it("randint(high, size) is randint(0, high, size)", () => {
    torch.manualSeed(4);
    const a = values(torch.randint(10, [17]));
    torch.manualSeed(4);
    expect(values(torch.randint(0, 10, [17]))).toEqual(a);
  });

  it("requiresGrad makes a leaf that requires grad", () => {
    const t = torch.randn(2, 3, { requiresGrad: true });
    expect(t.requiresGrad).toBe(true);
    expect(t.isLeaf).toBe(true);
  });

  it("manualSeed returns the default generator, as torch.manual_seed does", () => {
    expect(torch.manualSeed(3)).toBe(torch.defaultGenerator);
    expect(torch.initialSeed()).toBe(3);
  });

  it("a scalar shape gives a 0-d tensor from the one-at-a-time path", () => {
    torch.manualSeed(0);
    const t = torch.randn([]);
    expect(t.ndim).toBe(0);
    expect(t.item()).toBe(values((torch.manualSeed(0), torch.randn(1)))[0]);
  });

  it("an empty shape draws nothing", () => {
    torch.manualSeed(0);
    expect(torch.randn(0).numel()).toBe(0);
    expect(torch.randint(10, [0]).numel()).toBe(0);
    const next = values(torch.rand(3));
    torch.manualSeed(0);
    expect(values(torch.rand(3))).toEqual(next);
  });
});
