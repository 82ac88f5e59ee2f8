/**
 * rng.json's `randn_str`: after the same seed, `String(torch.randn(shape))` must be exactly what
 * PyTorch 1.13 printed, character for character. This holds the random numbers and the printing
 * together, as a reader of the first chapter sees them.
 */
import { describe, expect, it } from "vitest";
import { fixture } from "@torchlet/testing";
import * as torch from "../src/index.ts";

interface ShapeCase {
  seed: number;
  shape?: number[];
  randn_str?: string;
}

const cases = fixture<ShapeCase>("rng").filter((c) => c.shape !== undefined && c.randn_str !== undefined);

describe("rng.json: randn printed as PyTorch prints it", () => {
  it("has cases to check", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    it(`seed ${c.seed}, shape [${c.shape}]`, () => {
      torch.manualSeed(c.seed);
      expect(String(torch.randn(c.shape!))).toBe(c.randn_str);
    });
  }
});
