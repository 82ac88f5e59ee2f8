/**
 * The benchmark's machinery on tiny sizes: the tables and the JSON come out, results are checked
 * before times are kept (a broken backend gets a reason, not a number), and the tfjs layout
 * conversions are right (tfjs's results must match torchlet's to be recorded at all).
 * No speed is asserted here: the numbers belong to `pnpm bench`.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { BenchBackend } from "../src/backend.ts";
import { tfjs } from "../src/backends/tfjs.ts";
import { torchletCpu } from "../src/backends/torchlet.ts";
import { mismatch } from "../src/check.ts";
import { formatReport, writeReport } from "../src/report.ts";
import { runBench, stepCount, type BenchOptions, type Cell } from "../src/run.ts";
import { matmulOperands, mlpTraining, permuted, type ConvProblem } from "../src/workloads.ts";

const once = { warmupRuns: 1, warmupMs: 0, minRuns: 1, maxRuns: 1, budgetMs: 0 };
const smallConv: ConvProblem = { batch: 2, inChannels: 2, outChannels: 3, kernel: 3, size: 6 };

/** A backend whose products are off by one in one element. */
function offByOne(): BenchBackend {
  return {
    name: "off-by-one",
    async setup() {
      return "adds 1 to the first element";
    },
    async matmul(n) {
      const { a, b } = matmulOperands(n);
      const c = new Float32Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let p = 0; p < n; p++) c[i * n + j] += a[i * n + p] * b[p * n + j];
      c[0] += 1;
      return { async run() {}, async results() { return [c]; }, dispose() {} };
    },
    async teardown() {},
  };
}

function unavailable(): BenchBackend {
  return {
    name: "unavailable",
    async setup() {
      throw new Error("no such device here");
    },
    async matmul() {
      throw new Error("never called");
    },
    async teardown() {},
  };
}

function expectNumber(cell: Cell | undefined): void {
  if (!cell?.ok) throw new Error(`expected a measurement, got ${cell ? cell.reason : "nothing"}`);
  expect(cell.gflops).toBeGreaterThan(0);
  expect(Number.isFinite(cell.gflops)).toBe(true);
  expect(cell.runs).toBe(1);
}

describe("the benchmark run", () => {
  it("measures what checks out, explains what does not, and reports both ways", async () => {
    const steps: string[] = [];
    const options: BenchOptions = {
      sizes: [8, 17],
      conv: smallConv,
      mlp: true,
      mlpEpoch: mlpTraining(3),
      timing: once,
      quick: true,
      backends: [torchletCpu(), tfjs("cpu"), offByOne(), unavailable()],
      ratios: [["torchlet-cpu", "tfjs-cpu"]],
      onStep: (s) => steps.push(s),
    };
    const report = await runBench(options);
    expect(steps.length).toBe(stepCount(options));

    const [torchlet, tfjsCpu, broken, missing] = report.backends;
    for (const row of [torchlet, tfjsCpu]) {
      expect(row.error).toBeNull();
      expectNumber(row.matmul[8]);
      expectNumber(row.matmul[17]);
      expectNumber(row.conv2d?.forward); // tfjs's NHWC results, converted back, match torchlet's
      expectNumber(row.conv2d?.step);
      expectNumber(row.mlp); // tfjs's transpose flags give the same products as torchlet's views
      expectNumber(row.mlpEpoch); // tfjs's training loop gives the losses torchlet's gives, step after step
    }
    for (const n of [8, 17]) {
      const cell = broken.matmul[n];
      expect(cell.ok).toBe(false);
      if (!cell.ok) expect(cell.reason).toMatch(/^wrong result: result 0 differs from torchlet-cpu at element 0/);
    }
    expect(missing.error).toBe("no such device here");
    expect(missing.matmul[8]).toEqual({ ok: false, reason: "not run: no such device here" });
    expect(report.ratios["torchlet-cpu / tfjs-cpu"][8]).toBeGreaterThan(0);

    const text = formatReport(report);
    expect(text).toMatch(/\| backend +\| +n = 8 \| +n = 17 \|/); // a ratio of 10x or more widens the columns
    expect(text).toMatch(/\| off-by-one +\| +— \| +— \|/);
    expect(text).toMatch(/unavailable +not available: no such device here/);
    expect(text).toContain("off-by-one, matmul 8: wrong result");
    expect(text).toMatch(/\| torchlet-cpu \/ tfjs-cpu +\| +[\d.]+x \|/);
    expect(text).toMatch(/\| backend +\| ms per step \| s per epoch \| GFLOP\/s \|/);
    expect(text).toMatch(/\| backend +\| ms per step \| s per epoch \|\n/);
    expect(text).toMatch(/\| pytorch-1\.13 \+ OpenBLAS \(quoted\) \| +0\.59 \| +0\.55 \|/);

    const file = writeReport(report, join(mkdtempSync(join(tmpdir(), "bench-")), "results", "latest.json"));
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(JSON.parse(JSON.stringify(report)));
  }, 60_000);

  it("rejects a wrong reference result too, by recomputing entries in doubles", async () => {
    const report = await runBench({ sizes: [9], conv: null, mlp: false, mlpEpoch: null, timing: once, quick: true, backends: [offByOne(), torchletCpu()], ratios: [] });
    const [reference, torchlet] = report.backends;
    expect(reference.matmul[9]).toEqual({ ok: false, reason: expect.stringMatching(/^wrong result: the product is wrong at \(0, 0\)/) });
    expect(torchlet.matmul[9]).toEqual({ ok: false, reason: "wrong result: torchlet-cpu has no result to compare with" });
  });
});

/** torchlet's own training row, with the loss of its first step reported 1 too high. */
function skewedTraining(): BenchBackend {
  const inner = torchletCpu();
  return {
    name: "skewed-training",
    setup: () => inner.setup(),
    matmul: (n) => inner.matmul(n),
    async mlpEpoch(training) {
      const task = await inner.mlpEpoch!(training);
      return {
        run: () => task.run(),
        async results() {
          const [losses] = await task.results();
          const skewed = losses.slice();
          skewed[0] += 1;
          return [skewed];
        },
        dispose: () => task.dispose(),
      };
    },
    teardown: () => inner.teardown(),
  };
}

describe("the training row", () => {
  it("keeps a time only when the first losses match torchlet-cpu's", async () => {
    const report = await runBench({ sizes: [], conv: null, mlp: false, mlpEpoch: mlpTraining(2), timing: once, quick: true, backends: [torchletCpu(), skewedTraining()], ratios: [] });
    const [torchlet, skewed] = report.backends;
    expectNumber(torchlet.mlpEpoch);
    expect(skewed.mlpEpoch).toEqual({ ok: false, reason: expect.stringMatching(/^wrong result: result 0 differs from torchlet-cpu at element 0/) });
    expect(report.mlpEpochSteps).toBe(2);
  });
});

describe("helpers", () => {
  it("permuted reorders NCHW to NHWC and back", () => {
    const nchw = Float32Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => i);
    const nhwc = permuted(nchw, [2, 3, 2, 2], [0, 2, 3, 1]);
    // element (n=0, h=0, w=1, c=2) of NHWC is element (0, 2, 0, 1) of NCHW: 2·4 + 1
    expect(nhwc[0 * 12 + 0 * 6 + 1 * 3 + 2]).toBe(9);
    expect(Array.from(permuted(nhwc, [2, 2, 2, 3], [0, 3, 1, 2]))).toEqual(Array.from(nchw));
  });

  it("mismatch catches NaN, wrong lengths and values beyond the tolerance", () => {
    const expected = [Float32Array.of(1, -1000, 3)];
    expect(mismatch([Float32Array.of(1.5, -1000, 3)], expected)).toBeNull(); // within 0.1 % of 1000
    expect(mismatch([Float32Array.of(NaN, -1000, 3)], expected)).toMatch(/element 0/);
    expect(mismatch([Float32Array.of(1, -1000, 5)], expected)).toMatch(/element 2/);
    expect(mismatch([Float32Array.of(1, -1000)], expected)).toMatch(/has 2 values, expected 3/);
    expect(mismatch([], expected)).toMatch(/0 results, expected 1/);
  });
});
