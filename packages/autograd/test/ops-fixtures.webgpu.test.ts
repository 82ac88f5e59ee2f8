/**
 * Every case of PyTorch's `ops.json` on the webgpu device: forward and backward both run on the
 * GPU, and the gradients must match PyTorch's as on the CPU.
 */
import { fixture } from "@torchlet/testing";
import { describe, it } from "vitest";
import { webgpuForTests } from "./helpers.ts";
import { sharedLinearCase } from "./ops-cases.ts";
import { checkOpsCase, checkSharedLinear, type OpsFixtureCase, type SharedLinearFixture } from "./ops-fixture-check.ts";

const cases = fixture<OpsFixtureCase & SharedLinearFixture>("ops");
const available = await webgpuForTests();

describe.skipIf(!available)("ops.json on webgpu", () => {
  for (const c of cases.filter((c) => c.op !== sharedLinearCase)) {
    it(c.op, () => checkOpsCase(c, "webgpu"));
  }

  it("a Linear layer used twice sums the gradients of both uses", () =>
    checkSharedLinear(cases.find((c) => c.op === sharedLinearCase)!, "webgpu"));
});
