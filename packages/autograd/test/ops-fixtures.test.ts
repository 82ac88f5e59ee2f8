/**
 * Every case of PyTorch's `ops.json` on the CPU: output, grad_fn name and each input's gradient.
 */
import { fixture } from "@torchlet/testing";
import { describe, expect, it } from "vitest";
import { opsCases, sharedLinearCase } from "./ops-cases.ts";
import { checkOpsCase, checkSharedLinear, type OpsFixtureCase, type SharedLinearFixture } from "./ops-fixture-check.ts";

const cases = fixture<OpsFixtureCase & SharedLinearFixture>("ops");

describe("ops.json on the CPU", () => {
  it("has a call for every case of the fixture", () => {
    const named = cases.map((c) => c.op).filter((op) => op !== sharedLinearCase);
    expect(named.filter((op) => !(op in opsCases))).toEqual([]);
    expect(cases.some((c) => c.op === sharedLinearCase)).toBe(true);
  });

  for (const c of cases.filter((c) => c.op !== sharedLinearCase)) {
    it(c.op, () => checkOpsCase(c, "cpu"));
  }

  it("a Linear layer used twice sums the gradients of both uses", () =>
    checkSharedLinear(cases.find((c) => c.op === sharedLinearCase)!, "cpu"));
});
