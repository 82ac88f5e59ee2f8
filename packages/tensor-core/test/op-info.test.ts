/**
 * The op table itself: it covers every op tensor-core records, each sample really calls the op it
 * is filed under, samples are reproducible, and the samples of differentiable ops sit where the
 * op is smooth, so the gradient checks built on them mean something.
 */
import { readdirSync, readFileSync } from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { installAutograd, type OpRecord } from "../src/grad-hooks.ts";
import { fromValues } from "../src/ops/creation.ts";
import { gradInputsOf, opInfo, opInfos, type OpInfo, type OpSample } from "../src/op-info.ts";
import { Tensor } from "../src/tensor.ts";
import * as torch from "../src/index.ts";

const opsFolder = new URL("../src/ops/", import.meta.url);

/**
 * The op names passed to `recordOp` in the sources of `src/ops/`, read from the syntax tree. A name
 * is either a string literal, a conditional between literals, or a parameter of the enclosing
 * function, in which case the names are the literals its callers pass in that position
 * (`binary("mul", a, b)` → "mul"), followed through as many functions as it takes.
 */
function recordedOpNames(): Set<string> {
  const names = new Set<string>();
  for (const file of readdirSync(opsFolder).filter((f) => f.endsWith(".ts"))) {
    const source = ts.createSourceFile(file, readFileSync(new URL(file, opsFolder), "utf8"), ts.ScriptTarget.Latest, true);
    const calls: ts.CallExpression[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) calls.push(node);
      ts.forEachChild(node, visit);
    };
    visit(source);

    const callee = (call: ts.CallExpression) => (ts.isIdentifier(call.expression) ? call.expression.text : null);
    const literals = (expr: ts.Expression, seen: Set<string>): string[] => {
      if (ts.isStringLiteral(expr)) return [expr.text];
      if (ts.isParenthesizedExpression(expr)) return literals(expr.expression, seen);
      if (ts.isConditionalExpression(expr)) return [...literals(expr.whenTrue, seen), ...literals(expr.whenFalse, seen)];
      if (ts.isIdentifier(expr)) return fromCallers(expr, seen);
      throw new Error(`${file}: cannot read the op name in \`${expr.getText()}\``);
    };
    // A parameter: find the function it belongs to, then what its callers pass.
    const fromCallers = (id: ts.Identifier, seen: Set<string>): string[] => {
      let fn: ts.Node | undefined = id.parent;
      while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
      const params = fn && ts.isFunctionLike(fn) ? fn.parameters : undefined;
      const position = params?.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === id.text) ?? -1;
      const fnName = fn && (ts.isFunctionDeclaration(fn) ? fn.name?.text : ts.isVariableDeclaration(fn.parent) ? fn.parent.name.getText() : undefined);
      if (position < 0 || !fnName) throw new Error(`${file}: \`${id.text}\` is not a parameter of a named function`);
      if (seen.has(fnName)) return [];
      const next = new Set(seen).add(fnName);
      return calls.filter((c) => callee(c) === fnName && c.arguments[position]).flatMap((c) => literals(c.arguments[position], next));
    };

    for (const call of calls) {
      if (callee(call) === "recordOp") for (const name of literals(call.arguments[0], new Set())) names.add(name);
    }
  }
  return names;
}

describe("the op table covers every recorded op", () => {
  const recorded = recordedOpNames();

  it("reads the op names from the sources", () => {
    // a few names reached only through helper functions, to show the reading follows them
    for (const name of ["add", "mul", "exp", "sumDim", "maxDim", "min", "logSoftmax", "squeezeDim"]) {
      expect(recorded, name).toContain(name);
    }
  });

  it("has an entry for every name given to recordOp", () => {
    const missing = [...recorded].filter((name) => !opInfos.some((info) => info.name === name));
    expect(missing).toEqual([]);
  });

  it("has no entry for an op that is never recorded", () => {
    const stale = opInfos.map((info) => info.name).filter((name) => !recorded.has(name));
    expect(stale).toEqual([]);
  });

  it("has one entry per name, each with uniquely named samples", () => {
    const names = opInfos.map((info) => info.name);
    expect(new Set(names).size).toBe(names.length);
    for (const info of opInfos) {
      expect(info.samples.length, info.name).toBeGreaterThan(0);
      const sampleNames = info.samples.map((s) => s.name);
      expect(new Set(sampleNames).size, info.name).toBe(sampleNames.length);
    }
  });

  it("finds entries by name", () => {
    expect(opInfo("conv2d").name).toBe("conv2d");
    expect(() => opInfo("nope")).toThrow("no op table entry named nope");
  });
});

/** Each sample with the entry it belongs to, for `it.each`. */
const cpuSamples = opInfos.filter((info) => !info.needsWebgpu).flatMap((info) => info.samples.map((s) => [`${info.name}: ${s.name}`, info, s] as const));

function valuesOf(t: Tensor): number[] {
  return Array.from(t.toArray());
}

function outputsOf(result: Tensor | readonly Tensor[]): readonly Tensor[] {
  return result instanceof Tensor ? [result] : result;
}

describe("samples are reproducible", () => {
  it.each(cpuSamples)("%s", (_, info, s) => {
    const first = s.inputs();
    torch.manualSeed(123); // the global generator must not matter
    torch.randn(5);
    const second = s.inputs();
    expect(first.length).toBe(second.length);
    first.forEach((t, i) => {
      expect(t.device).toBe("cpu");
      expect(t.isContiguous()).toBe(true);
      expect(t.shape).toEqual(second[i].shape);
      expect(t.dtype).toBe(second[i].dtype);
      expect(valuesOf(t)).toEqual(valuesOf(second[i]));
    });
    const positions = gradInputsOf(info, s, first);
    for (const p of positions) expect(first[p]?.dtype, `${info.name}: gradient input ${p}`).toBe("float32");
  });
});

/**
 * A stand-in for the autograd package that only notes which op made each tensor, so a test can
 * ask which op produced a sample's result. It is installed for this file only (each test file
 * runs in its own module graph).
 */
const records: OpRecord[] = [];
installAutograd({
  isGradEnabled: () => true,
  record(call) {
    records.push(call);
    for (const out of call.outputs) out.gradFn = { name: call.op, nextFunctions: [] };
  },
  backward() {
    throw new Error("no backward in this test");
  },
});

describe("each sample records the op it is filed under", () => {
  const tracked = cpuSamples.filter(([, , s]) => s.inputs().some((t) => t.dtype === "float32"));

  it.each(tracked)("%s", (_, info, s) => {
    const inputs = s.inputs();
    for (const t of inputs) if (t.dtype === "float32") t.requiresGrad_(true);
    records.length = 0;
    const [first] = outputsOf(s.call(...inputs));
    expect(first.gradFn?.name).toBe(info.name);
    const own = records.find((r) => r.op === info.name);
    expect(own?.outputs[0]).toBe(first);
  });

  it("records the dense copies a kernel makes of strided input as no step of their own", () => {
    const x = torch.sampleTensor([1, 5, 5, 2], 1).requiresGrad_(true);
    const w = torch.sampleTensor([3, 2, 3, 3], 2).requiresGrad_(true);
    records.length = 0;
    torch.conv2d(x.permute(0, 3, 1, 2), w);
    torch.maxPool2d(x.transpose(1, 2), { kernelSize: 2 });
    expect(records.map((r) => r.op)).toEqual(["permute", "conv2d", "transpose", "maxPool2d"]);
  });

  it("leaves out no entry: every entry has a sample with float inputs", () => {
    const covered = new Set(tracked.map(([, info]) => info.name));
    expect(opInfos.filter((i) => !i.needsWebgpu && !covered.has(i.name)).map((i) => i.name)).toEqual([]);
  });
});

describe("webgpu-only samples", () => {
  it("say so: without a webgpu device they fail with the message that says how to get one", () => {
    const entries = opInfos.filter((i) => i.needsWebgpu);
    expect(entries.map((i) => i.name)).toEqual(["toCopy"]);
    for (const s of entries[0].samples) {
      expect(() => s.call(...s.inputs())).toThrow("call `await torch.webgpu.init()` first");
    }
  });
});

/**
 * One-sided differences of the first output with respect to one input element, at step `eps`:
 * (f(x + eps) - f(x)) / eps and (f(x) - f(x - eps)) / eps. Inputs are rebuilt from values, so the
 * sample's own views are made on the perturbed copies.
 */
function oneSidedDifferences(s: OpSample, base: readonly Tensor[], input: number, element: number, eps: number) {
  const at = (delta: number) => {
    const inputs = base.map((t, i) => {
      const values = valuesOf(t);
      if (i === input) values[element] += delta;
      return fromValues(values, t.shape, t.dtype);
    });
    return valuesOf(outputsOf(s.call(...inputs))[0]);
  };
  const [plus, here, minus] = [at(eps), at(0), at(-eps)];
  return { forward: plus.map((p, k) => (p - here[k]) / eps), backward: here.map((h, k) => (h - minus[k]) / eps) };
}

/** Where the forward and backward slopes disagree by more than curvature and float32 noise allow. */
function firstJump(forward: readonly number[], backward: readonly number[]): number {
  return forward.findIndex((f, k) => !(Math.abs(f - backward[k]) <= 0.05 * (1 + Math.abs(f) + Math.abs(backward[k]))));
}

const differentiableSamples = cpuSamples.filter(([, info]) => info.differentiable);

describe("samples of differentiable ops keep away from kinks and ties", () => {
  // Where a function is smooth, the slope just right of a point and just left of it agree up to
  // the step times the curvature; a kink or tie closer than the step shows up as a jump between them.
  const eps = 2e-3;

  it.each(differentiableSamples)("%s", (_, info: OpInfo, s: OpSample) => {
    const base = s.inputs();
    for (const input of gradInputsOf(info, s, base)) {
      for (let element = 0; element < base[input].numel(); element++) {
        const { forward, backward } = oneSidedDifferences(s, base, input, element, eps);
        const k = firstJump(forward, backward);
        if (k >= 0) {
          throw new Error(`input ${input} element ${element}, output ${k}: slope ${forward[k]} to the right, ${backward[k]} to the left`);
        }
      }
    }
  });

  it.each([
    ["relu of a value 1e-3 from zero", [1e-3, 1], (x: Tensor) => x.relu()],
    ["clamp exactly at its bound", [-0.45, 1], (x: Tensor) => x.clamp({ min: -0.45 })],
    ["a tie in max", [0.5, 0.5], (x: Tensor) => x.max()],
  ] as const)("would notice %s", (_, values, call) => {
    const kinked: OpSample = { name: "kink", inputs: () => [fromValues(values, [2], "float32")], call };
    const { forward, backward } = oneSidedDifferences(kinked, kinked.inputs(), 0, 0, eps);
    expect(firstJump(forward, backward)).toBe(0);
  });
});
