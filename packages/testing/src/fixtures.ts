/**
 * The PyTorch 1.13 reference outputs (see fixtures/pytorch-1.13/README.md): recorded once with real
 * PyTorch, committed, and read by the tests of every package.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** A tensor as the fixtures store it: row-major data, with NaN and infinities as strings. */
export interface FixtureTensor {
  shape: number[];
  data: (number | boolean | "nan" | "inf" | "-inf")[];
}

/**
 * A case of modules.json: a seed document model's repr, its registries (names with shapes or
 * class names), and where PyTorch ran it, the input, output, printed output and grad_fn.
 */
export interface ModulesCase {
  label: string;
  repr: string;
  named_parameters: [string, number[]][];
  named_buffers: [string, number[]][];
  state_dict: [string, number[]][];
  named_children: [string, string][];
  named_modules: [string, string][];
  input?: FixtureTensor;
  output?: FixtureTensor;
  output_str?: string;
  grad_fn?: string | null;
}

export type FixtureName = "rng" | "printing" | "modules" | "init" | "ops" | "batchnorm" | "errors";

export interface FixtureFile<C> {
  torch: string;
  variant: number;
  cases: C[];
}

const folder = new URL("../fixtures/pytorch-1.13/", import.meta.url);

/** The cases of one fixture file, e.g. `fixture("rng")`. */
export function fixture<C = Record<string, unknown>>(name: FixtureName | string): C[] {
  const file = fileURLToPath(new URL(`${name}.json`, folder));
  return (JSON.parse(readFileSync(file, "utf8")) as FixtureFile<C>).cases;
}

/** Fixture values as numbers: "nan", "inf" and "-inf" become NaN and ±Infinity, booleans 0 and 1. */
export function fixtureValues(t: FixtureTensor): number[] {
  return t.data.map((v) => {
    if (v === "nan") return NaN;
    if (v === "inf") return Infinity;
    if (v === "-inf") return -Infinity;
    return Number(v);
  });
}
