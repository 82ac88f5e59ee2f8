/**
 * Every op that tensor-core records has a backward rule (or is declared not differentiable), and
 * every op of the op table is known here: a new op without a rule fails this test, before any user
 * meets it. The recorded names are read from tensor-core's source, the only complete list.
 */
import { opInfos } from "@torchlet/tensor-core";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { knownOps } from "../src/rules/index.ts";

const coreSource = fileURLToPath(new URL("../../tensor-core/src/", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** The members of a string union type in backend.ts, e.g. `UnaryOp`. */
function unionMembers(source: string, typeName: string): string[] {
  const body = new RegExp(`export type ${typeName} =([^;]*);`).exec(source)?.[1] ?? "";
  return [...body.matchAll(/"(\w+)"/g)].map((m) => m[1]);
}

/**
 * The op names passed to `recordOp`: string literals in its first argument (`recordOp("mm", ...)`,
 * `recordOp(log ? "logSoftmax" : "softmax", ...)`); where the name is a variable (the elementwise
 * and reduce ops pass their kernel op), every member of the union type it ranges over.
 */
function recordedOpNames(): Set<string> {
  const names = new Set<string>();
  const backend = readFileSync(join(coreSource, "backend.ts"), "utf8");
  for (const file of sourceFiles(coreSource)) {
    if (file.endsWith("grad-hooks.ts")) continue;
    const text = readFileSync(file, "utf8");
    for (const call of text.matchAll(/recordOp\(([^,]*),/g)) {
      const first = call[1].trim();
      const literals = [...first.matchAll(/"(\w+)"/g)].map((m) => m[1]);
      if (literals.length > 0) literals.forEach((n) => names.add(n));
      else if (file.includes("elementwise")) [...unionMembers(backend, "UnaryOp"), ...unionMembers(backend, "BinaryOp")].forEach((n) => names.add(n));
      else if (file.includes("reduce")) ["max", "min"].forEach((n) => names.add(n));
      else throw new Error(`${file}: recordOp(${first}, ...) names its op in a way this test cannot read`);
    }
  }
  return names;
}

describe("backward rules cover every recorded op", () => {
  const { differentiable, nonDifferentiable } = knownOps();
  const known = new Set([...differentiable, ...nonDifferentiable]);
  const recorded = recordedOpNames();

  it("finds the recorded ops in tensor-core's source", () => {
    for (const name of ["add", "mm", "conv2d", "maxPool2d", "softmax", "logSoftmax", "sumDim", "toCopy", "eq"]) {
      expect(recorded.has(name), name).toBe(true);
    }
  });

  it("has a rule, or a not-differentiable entry, for every recorded op", () => {
    expect([...recorded].filter((name) => !known.has(name)).sort()).toEqual([]);
  });

  it("agrees with the op table on which ops are differentiable", () => {
    for (const info of opInfos) {
      expect(info.differentiable ? differentiable : nonDifferentiable, info.name).toContain(info.name);
    }
  });

  it("has no rule for an op nobody records", () => {
    expect([...known].filter((name) => !recorded.has(name)).sort()).toEqual([]);
  });
});
