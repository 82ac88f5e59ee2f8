/**
 * Version counters: `t._version` as PyTorch 1.13 keeps it (versions.json: after each write through
 * the tensor, a view, `detach()` and `.data`; fresh tensors at 0), and the storage's `version`,
 * which every write into an existing storage must bump — the packed-operand cache of the CPU's
 * matrix product relies on it. Besides the fixture, every in-place method and function is held to
 * a table here (a new one fails until it is added), and the sources are read for the backend calls
 * that write into a tensor, each of which must either make its output or count the write.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fixture } from "@torchlet/testing";
import * as torch from "../src/index.ts";

const storageVersion = (t: torch.Tensor) => t.storage.version ?? 0;

interface WritesCase {
  kind: "writes";
  steps: { step: string; x: number; view: number; data: number }[];
}
interface FreshCase {
  kind: "fresh";
  case: string;
  version: number;
}

/** The fixture's steps in torchlet; `x` is ones(3, 4), `v` its view x[0]. */
const steps: Record<string, (x: torch.Tensor, v: torch.Tensor) => void> = {
  add_: (x) => x.add_(1),
  sub_: (x) => x.sub_(torch.ones(4), { alpha: 2 }),
  mul_: (x) => x.mul_(2),
  div_: (x) => x.div_(2),
  fill_: (x) => x.fill_(3),
  zero_: (x) => x.zero_(),
  copy_: (x) => x.copy_(torch.full([3, 4], 2)),
  clamp_min: (x) => x.clamp_({ min: 0 }),
  clamp_min_max: (x) => x.clamp_({ min: 0, max: 1 }),
  normal_: (x) => x.normal_(),
  uniform_: (x) => x.uniform_(),
  bernoulli_: (x) => torch.bernoulli_(x, 0.5),
  "data.add_": (x) => x.data.add_(1),
  "detach.add_": (x) => x.detach().add_(1),
  "view.mul_": (_, v) => v.mul_(2),
  "data=": (x) => {
    x.data = torch.ones(3, 4);
  },
};

describe("t._version against PyTorch", () => {
  it("counts each write once, through the tensor, its views and detach(), but not .data", () => {
    const [writes] = fixture<WritesCase>("versions").filter((c) => c.kind === "writes");
    expect(writes.steps.map((s) => s.step).sort()).toEqual(Object.keys(steps).sort());
    const x = torch.ones(3, 4);
    const v = x.index(0);
    const d = x.data;
    for (const expected of writes.steps) {
      const storage = x.storage;
      const before = storageVersion(x);
      steps[expected.step](x, v);
      expect({ step: expected.step, x: x._version, view: v._version, data: d._version }).toEqual(expected);
      // every write reaches the storage's counter, .data's too; `.data =` swaps in another storage
      if (expected.step === "data=") expect(x.storage).not.toBe(storage);
      else expect(storageVersion(x), expected.step).toBeGreaterThan(before);
    }
  });

  it("fresh tensors start at version 0", () => {
    const made: Record<string, () => torch.Tensor> = {
      randn: () => torch.randn(3, 4),
      rand: () => torch.rand(3, 4),
      randint: () => torch.randint(0, 5, [3, 4]),
      zeros: () => torch.zeros(3, 4),
      ones: () => torch.ones(3, 4),
      full: () => torch.full([3, 4], 2),
      tensor: () => torch.tensor([1, 2]),
      randn_like: () => torch.randnLike(torch.ones(3, 4)),
      clone: () => torch.ones(3, 4).clone(),
      add: () => torch.ones(3, 4).add(1),
      mm: () => torch.mm(torch.ones(3, 4), torch.ones(4, 2)),
      bernoulli: () => torch.bernoulli(torch.full([3], 0.5)),
    };
    const cases = fixture<FreshCase>("versions").filter((c) => c.kind === "fresh");
    expect(cases.map((c) => c.case).sort()).toEqual(Object.keys(made).sort());
    for (const c of cases) expect(made[c.case]()._version, c.case).toBe(c.version);
  });
});

/** One call of each in-place method of Tensor, and of each in-place function of the package. */
const inplaceMethods: Record<string, (t: torch.Tensor) => unknown> = {
  fill_: (t) => t.fill_(2),
  zero_: (t) => t.zero_(),
  copy_: (t) => t.copy_(torch.ones(2, 3)),
  add_: (t) => t.add_(1),
  sub_: (t) => t.sub_(torch.ones(3), { alpha: 0.5 }),
  mul_: (t) => t.mul_(3),
  div_: (t) => t.div_(3),
  clamp_: (t) => t.clamp_({ min: -1, max: 1 }),
  normal_: (t) => t.normal_(0, 2),
  uniform_: (t) => t.uniform_(-1, 1),
};
/** Methods with a trailing underscore that change flags, not values. */
const flagMethods = ["requiresGrad_", "detach_"];
const inplaceFunctions: Record<string, (t: torch.Tensor) => unknown> = {
  bernoulli_: (t) => torch.bernoulli_(t, 0.3),
};

describe("every in-place write counts", () => {
  it("each method and function with a trailing underscore is in the tables above", () => {
    const methods = Object.getOwnPropertyNames(torch.Tensor.prototype).filter((name) => name.endsWith("_"));
    expect(methods.filter((m) => !flagMethods.includes(m)).sort()).toEqual(Object.keys(inplaceMethods).sort());
    const functions = Object.keys(torch).filter((name) => name.endsWith("_"));
    expect(functions.sort()).toEqual(Object.keys(inplaceFunctions).sort());
  });

  for (const [name, write] of Object.entries({ ...inplaceMethods, ...inplaceFunctions })) {
    it(`${name}: one version on the tensor and its views, and a new storage version`, () => {
      const base = torch.randn(4, 3);
      const t = base.narrow(0, 1, 2); // a view: the write lands in base's storage
      const detached = base.detach();
      const before = [base._version, t._version, storageVersion(base)];
      write(t);
      expect(base._version).toBe(before[0] + 1);
      expect(t._version).toBe(before[1] + 1);
      expect(detached._version).toBe(base._version);
      expect(storageVersion(base)).toBeGreaterThan(before[2]);
    });
  }

  it("a write that fails its checks counts nothing", () => {
    const t = torch.ones(2, 3);
    const [version, stored] = [t._version, storageVersion(t)];
    expect(() => t.add_(torch.ones(4))).toThrow(torch.RuntimeError);
    expect(() => t.clamp_({})).toThrow(torch.RuntimeError);
    expect(() => t.copy_(torch.ones(3, 3))).toThrow(torch.RuntimeError);
    expect([t._version, storageVersion(t)]).toEqual([version, stored]);
  });

  it("the random fills count on the storage, and randn's fresh tensor stays at version 0", () => {
    const t = torch.zeros(5);
    for (const fill of [torch.fillNormal, torch.fillUniform] as const) {
      const before = storageVersion(t);
      fill(t, 0, 1);
      expect(storageVersion(t)).toBeGreaterThan(before);
    }
    const before = storageVersion(t);
    torch.fillBernoulli(t, 0.5);
    torch.fillRandomInteger(t, 0, 3);
    expect(storageVersion(t)).toBe(before + 2);
    expect(torch.randn(20)._version).toBe(0);
  });

  it("batchNorm's update of the running statistics counts on them", () => {
    const mean = torch.zeros(2);
    const variance = torch.ones(2);
    torch.batchNorm(torch.randn(4, 2), mean, variance, { training: true });
    expect([mean._version, variance._version]).toEqual([1, 1]);
  });
});

/**
 * The backend calls that write into a tensor, found by reading the sources outside the kernels:
 * each must be in a function that makes the tensor it writes ("fresh") or counts the write
 * ("counts": its body calls markWritten or bumpVersion), or be a helper whose every caller counts
 * it. A new call site fails here until it is classified.
 */
const writeSites: Record<string, { kind: "fresh" } | { kind: "counts" } | { kind: "countedBy"; callers: string[] }> = {
  "ops/inplace.ts fill_": { kind: "counts" },
  "ops/inplace.ts copy_": { kind: "counts" },
  "ops/inplace.ts writeBinary": { kind: "countedBy", callers: ["binary_", "clamp_"] },
  "ops/norm.ts updateRunning": { kind: "counts" },
  "ops/matmul.ts addmm": { kind: "fresh" },
  "ops/transfer.ts to": { kind: "fresh" },
  "ops/elementwise.ts binaryKernel": { kind: "fresh" },
  "ops/elementwise.ts unaryKernel": { kind: "fresh" },
  "ops/elementwise.ts where": { kind: "fresh" },
  "ops/views.ts clone": { kind: "fresh" },
  "ops/creation.ts filled": { kind: "fresh" },
  "ops/creation.ts filledLike": { kind: "fresh" },
  "ops/creation.ts fromValues": { kind: "fresh" },
  "random/draw-order.ts writeInDrawOrder": { kind: "counts" },
  // these fill `fillNormal`'s fresh array of values, which writeInDrawOrder then stores
  "random/normal-blocks.ts transformBlock": { kind: "fresh" },
  "random/normal-blocks.ts fillNormalBlocks": { kind: "fresh" },
};

const srcRoot = fileURLToPath(new URL("../src/", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(join(srcRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ["kernels", "webgpu", "wasm", "format"].includes(entry.name) ? [] : sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** The functions of a file: name → body text (from its `function` keyword to the next one). */
function functionsOf(text: string): { name: string; start: number; body: string }[] {
  const starts = [...text.matchAll(/^(?:export )?function (\w+)/gm)];
  return starts.map((m, i) => ({ name: m[1], start: m.index!, body: text.slice(m.index!, starts[i + 1]?.index ?? text.length) }));
}

describe("the sources", () => {
  it("write into tensors only where the write is made fresh or counted", () => {
    const found = new Set<string>();
    // backend kernels with an output argument, and direct stores into a storage's typed array
    const write = /\b(?:backendFor\([^)]*\)|backend)\.(?:fill|copy|unary|binary|addScaled|where)\(|\bdata\.set\(|\bdata\[[^\]]+\]\s*=(?!=)/g;
    for (const file of sourceFiles(".")) {
      const text = readFileSync(join(srcRoot, file), "utf8");
      const functions = functionsOf(text);
      for (const m of text.matchAll(write)) {
        const owner = functions.filter((f) => f.start < m.index!).at(-1);
        const site = `${file.split("\\").join("/")} ${owner?.name ?? "(top level)"}`;
        found.add(site);
        const rule = writeSites[site];
        expect(rule, `unclassified write at ${site}: ${m[0]}`).toBeDefined();
        if (rule.kind === "counts") expect(owner!.body, site).toMatch(/markWritten\(|bumpVersion\(/);
        if (rule.kind === "countedBy") {
          for (const caller of rule.callers) {
            const body = functions.find((f) => f.name === caller)?.body ?? "";
            expect(body, `${caller} calls ${owner!.name} and counts`).toMatch(new RegExp(`${owner!.name}\\(`));
            expect(body, `${caller} counts the write`).toMatch(/markWritten\(/);
          }
        }
      }
    }
    expect([...found].sort()).toEqual(Object.keys(writeSites).sort());
  });
});
