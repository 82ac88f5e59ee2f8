/**
 * The benchmark run: every backend in turn, every workload, each result checked before its time
 * is kept. The first backend is the reference (torchlet-cpu); the others are compared with it.
 * A backend that cannot start, or a workload that fails or computes a wrong result, gets a
 * reason instead of a number, and the run goes on.
 */
import { cpus } from "node:os";
import type { BenchBackend, Task } from "./backend.ts";
import { mismatch, spotCheckMatmul } from "./check.ts";
import { median, timeRuns, type TimingOptions } from "./timing.ts";
import { convFlops, matmulFlops, matmulOperands, mlpFlops, mlpStep, mlpTrainingStepFlops, type ConvProblem, type MlpTraining } from "./workloads.ts";

/** One cell of the table: a measurement, or why there is none. */
export type Cell =
  | { ok: true; gflops: number; medianMs: number; runs: number }
  | { ok: false; reason: string };

export interface BackendReport {
  name: string;
  /** What the backend said of itself at setup (adapter, threads), or null if setup failed. */
  description: string | null;
  /** Why the backend could not run at all, if it could not. */
  error: string | null;
  /** Square fp32 matmul, by size n. */
  matmul: Record<string, Cell>;
  /** The convolution forward pass, and a training step (forward and both gradients); absent for backends without them. */
  conv2d?: { forward: Cell; step: Cell };
  /** The matrix products of an MLP training step; absent for backends without them. */
  mlp?: Cell;
  /** A run of whole MLP training steps (model, loss, optimizer); absent for backends without it. */
  mlpEpoch?: Cell;
}

export interface BenchReport {
  date: string;
  quick: boolean;
  machine: { cpu: string; cores: number; node: string; platform: string };
  timing: TimingOptions;
  sizes: number[];
  conv: ConvProblem | null;
  mlp: boolean;
  /** Steps in one run of the MLP training workload, or null when it did not run. */
  mlpEpochSteps: number | null;
  backends: BackendReport[];
  /** GFLOP/s of one backend over another's, by size: "torchlet-cpu / tfjs-cpu" → { "512": 4.9 }. */
  ratios: Record<string, Record<string, number | null>>;
}

export interface BenchOptions {
  sizes: number[];
  /** The convolution workload, or null to skip it. */
  conv: ConvProblem | null;
  /** Whether to run the MLP training step's products. */
  mlp: boolean;
  /** The MLP training workload (whole steps through each library's training API), or null to skip it. */
  mlpEpoch: MlpTraining | null;
  timing: TimingOptions;
  quick: boolean;
  /** The first one is the reference that the others' results are checked against. */
  backends: BenchBackend[];
  /** Ratios to report, as [numerator, denominator] backend names. */
  ratios: [string, string][];
  /** Told before each step, for a progress bar. */
  onStep?: (label: string) => void;
}

/** How many steps `runBench` reports through `onStep`. */
export function stepCount(options: BenchOptions): number {
  const convSteps = options.conv ? 2 * options.backends.filter((b) => b.conv2d).length : 0;
  const mlpSteps = options.mlp ? options.backends.filter((b) => b.mlp).length : 0;
  const epochSteps = options.mlpEpoch ? options.backends.filter((b) => b.mlpEpoch).length : 0;
  return options.backends.length * (1 + options.sizes.length) + convSteps + mlpSteps + epochSteps;
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

/**
 * Runs the task once, checks its results (against `expected`, or with `check` for the reference),
 * then times it. Returns the cell and, for the reference, the results to check the others with.
 */
async function measureTask(
  makeTask: () => Promise<Task>,
  flops: number,
  timing: TimingOptions,
  check: (results: Float32Array[]) => string | null,
): Promise<{ cell: Cell; results: Float32Array[] | null }> {
  let task: Task | null = null;
  try {
    task = await makeTask();
    const start = performance.now();
    await task.run(); // the first warm-up run, whose results are checked
    const firstMs = performance.now() - start;
    const results = await task.results();
    const wrong = check(results);
    if (wrong) return { cell: { ok: false, reason: `wrong result: ${wrong}` }, results: null };
    const times = await timeRuns(task, timing, 1, firstMs);
    const ms = median(times);
    return { cell: { ok: true, gflops: flops / ms / 1e6, medianMs: ms, runs: times.length }, results };
  } catch (error) {
    return { cell: { ok: false, reason: `failed: ${message(error)}` }, results: null };
  } finally {
    task?.dispose();
  }
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const step = options.onStep ?? (() => {});
  const reference = new Map<string, Float32Array[]>(); // workload → torchlet-cpu's results
  const reports: BackendReport[] = [];

  for (const [index, backend] of options.backends.entries()) {
    const isReference = index === 0;
    const report: BackendReport = { name: backend.name, description: null, error: null, matmul: {} };
    reports.push(report);
    step(`${backend.name}: setting up`);
    try {
      report.description = await backend.setup();
    } catch (error) {
      report.error = message(error);
    }

    const checkAgainst = (workload: string, ownCheck: (r: Float32Array[]) => string | null) => (results: Float32Array[]) => {
      if (isReference) return ownCheck(results);
      const expected = reference.get(workload);
      return expected ? mismatch(results, expected) : "torchlet-cpu has no result to compare with";
    };

    for (const n of options.sizes) {
      step(`${backend.name}: matmul ${n}`);
      if (report.error) {
        report.matmul[n] = { ok: false, reason: `not run: ${report.error}` };
        continue;
      }
      const { a, b } = matmulOperands(n);
      const check = checkAgainst(`matmul ${n}`, (r) => (r.length === 1 ? spotCheckMatmul(n, a, b, r[0]) : "no product"));
      const { cell, results } = await measureTask(() => backend.matmul(n), matmulFlops(n), options.timing, check);
      report.matmul[n] = cell;
      if (isReference && results) reference.set(`matmul ${n}`, results);
    }

    if (options.conv && backend.conv2d) {
      const problem = options.conv;
      const conv2d = backend.conv2d.bind(backend);
      const cells: Cell[] = [];
      for (const gradients of [false, true]) {
        const workload = gradients ? "conv2d step" : "conv2d forward";
        step(`${backend.name}: ${workload}`);
        if (report.error) {
          cells.push({ ok: false, reason: `not run: ${report.error}` });
          continue;
        }
        const count = gradients ? 3 : 1;
        const check = checkAgainst(workload, (r) => (r.length === count ? null : `expected ${count} results, got ${r.length}`));
        const { cell, results } = await measureTask(() => conv2d(problem, gradients), convFlops(problem, gradients), options.timing, check);
        cells.push(cell);
        if (isReference && results) reference.set(workload, results);
      }
      report.conv2d = { forward: cells[0], step: cells[1] };
    }

    if (options.mlp && backend.mlp) {
      const mlp = backend.mlp.bind(backend);
      step(`${backend.name}: MLP step`);
      if (report.error) {
        report.mlp = { ok: false, reason: `not run: ${report.error}` };
      } else {
        const count = mlpStep().products.length;
        const check = checkAgainst("mlp", (r) => (r.length === count ? null : `expected ${count} results, got ${r.length}`));
        const { cell, results } = await measureTask(mlp, mlpFlops(mlpStep()), options.timing, check);
        report.mlp = cell;
        if (isReference && results) reference.set("mlp", results);
      }
    }

    if (options.mlpEpoch && backend.mlpEpoch) {
      const training = options.mlpEpoch;
      const mlpEpoch = backend.mlpEpoch.bind(backend);
      step(`${backend.name}: MLP training`);
      if (report.error) {
        report.mlpEpoch = { ok: false, reason: `not run: ${report.error}` };
      } else {
        // every run gives one finite loss per step, and its first losses match torchlet-cpu's
        const compare = checkAgainst("mlp training", () => null);
        const check = (r: Float32Array[]) => lossesCheck(r, training.steps) ?? compare(firstLosses(r));
        const flops = mlpTrainingStepFlops(training) * training.steps;
        const { cell, results } = await measureTask(() => mlpEpoch(training), flops, options.timing, check);
        report.mlpEpoch = cell;
        if (isReference && results) reference.set("mlp training", firstLosses(results));
      }
    }

    try {
      await backend.teardown();
    } catch {
      // a backend that cannot clean up has still measured what it measured
    }
  }

  return {
    date: new Date().toISOString(),
    quick: options.quick,
    machine: { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, node: process.version, platform: `${process.platform}-${process.arch}` },
    timing: options.timing,
    sizes: options.sizes,
    conv: options.conv,
    mlp: options.mlp,
    mlpEpochSteps: options.mlpEpoch?.steps ?? null,
    backends: reports,
    ratios: ratiosOf(reports, options.sizes, options.ratios),
  };
}

/**
 * Losses compared between backends: those of the first steps. Each backend rounds differently
 * (summation order, fused multiply-adds), and over hundreds of SGD steps on random labels those
 * differences grow into visibly different trajectories; the first steps still agree closely, and
 * are enough to show that two backends train the same model on the same data.
 */
const comparedSteps = 20;

function firstLosses(results: Float32Array[]): Float32Array[] {
  return results.map((losses) => losses.subarray(0, comparedSteps));
}

/** Any backend's own check of a training run: one loss per step, each a finite number. */
function lossesCheck(results: Float32Array[], steps: number): string | null {
  if (results.length !== 1 || results[0].length !== steps) return `expected the ${steps} losses of a run`;
  const bad = results[0].findIndex((loss) => !Number.isFinite(loss));
  return bad >= 0 ? `the loss of step ${bad} is ${results[0][bad]}` : null;
}

function ratiosOf(reports: BackendReport[], sizes: number[], pairs: [string, string][]): BenchReport["ratios"] {
  const byName = new Map(reports.map((r) => [r.name, r]));
  const ratios: BenchReport["ratios"] = {};
  for (const [top, bottom] of pairs) {
    const t = byName.get(top);
    const b = byName.get(bottom);
    if (!t || !b) continue;
    const row: Record<string, number | null> = {};
    for (const n of sizes) {
      const x = t.matmul[n];
      const y = b.matmul[n];
      row[n] = x?.ok && y?.ok ? x.gflops / y.gflops : null;
    }
    ratios[`${top} / ${bottom}`] = row;
  }
  return ratios;
}
