/**
 * Cells show what Python shows: each case of python-shown.json pairs a TypeScript cell with a
 * Python cell, and what Python 3 / PyTorch 1.13 printed and showed for it.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { Notebook } from "../src/index.ts";
import { shownAs } from "../src/node/index.ts";

interface Case {
  name: string;
  typescript: string;
  python: string;
  stdout: string;
  value: string | null;
  error: string | null;
}
const fixture = JSON.parse(readFileSync(new URL("./fixtures/python-shown.json", import.meta.url), "utf8")) as {
  setup: { typescript: string };
  cases: Case[];
};

describe("a cell shows what its Python twin shows", () => {
  const notebook = new Notebook();
  beforeAll(async () => {
    const setup = await notebook.run(fixture.setup.typescript);
    expect(setup.ok).toBe(true);
  });

  for (const c of fixture.cases) {
    it(`${c.name}: ${c.python.replace(/\n/g, "; ")}`, async () => {
      const run = await notebook.run(c.typescript);
      expect(shownAs(run)).toEqual({ stdout: c.stdout, value: c.value, error: c.error });
    });
  }
});
