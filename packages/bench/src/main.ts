/**
 * `pnpm bench [--quick] [--sizes 128,512] [--no-conv] [--no-mlp] [--no-training] [--backends torchlet-wasm,tfjs-wasm]`:
 * torchlet against TensorFlow.js on this machine. Prints the tables and writes the same numbers as JSON to results/latest.json.
 *
 * Rows are backends, each a small object (see `backend.ts`); to add one, add it to the list below.
 */
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { SingleBar } from "cli-progress";
import type { BenchBackend } from "./backend.ts";
import { tfjs } from "./backends/tfjs.ts";
import { torchletCpu, torchletWebgpu } from "./backends/torchlet.ts";
import { formatReport, writeReport } from "./report.ts";
import { runBench, stepCount, type BenchOptions } from "./run.ts";
import { fullTiming, quickTiming } from "./timing.ts";
import { weightCopyTable } from "./weight-copy.ts";
import { mlpTraining, mnistConv } from "./workloads.ts";

/** torchlet-cpu (the TypeScript kernels) first: every other backend's results are checked against it. */
const backends: BenchBackend[] = [
  torchletCpu(),
  torchletCpu({ name: "torchlet-wasm", kernel: "wasm" }),
  torchletCpu({ name: "torchlet-wasm-1t", kernel: "wasm", threads: 1 }),
  tfjs("cpu"),
  tfjs("wasm"),
  torchletWebgpu(),
  tfjs("webgpu"),
];

const ratios: [string, string][] = [
  ["torchlet-cpu", "tfjs-cpu"],
  ["torchlet-wasm", "tfjs-wasm"],
  ["torchlet-wasm-1t", "tfjs-wasm"],
  ["torchlet-webgpu", "tfjs-webgpu"],
];

/** Steps in one timed run of the MLP training workload; per-step times are scaled to an epoch. */
const trainingSteps = { full: 200, quick: 50 };

/** The value of `--name value` or `--name=value`, if given. */
function valueOf(argv: string[], name: string): string | undefined {
  const at = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (at < 0) return undefined;
  return argv[at].includes("=") ? argv[at].split("=")[1] : argv[at + 1];
}

/**
 * The rows to run: all of them, or those named by `--backends` (a comma-separated list). The
 * reference row, torchlet-cpu, always runs first, since every other row is checked against it.
 */
function chooseBackends(argv: string[]): BenchBackend[] {
  const text = valueOf(argv, "--backends");
  if (text === undefined) return backends;
  const names = text.split(",");
  const unknown = names.filter((name) => !backends.some((b) => b.name === name));
  if (unknown.length > 0) {
    throw new Error(`--backends: no row named ${unknown.join(", ")}; the rows are ${backends.map((b) => b.name).join(", ")}`);
  }
  return backends.filter((b, i) => i === 0 || names.includes(b.name));
}

function parseArgs(argv: string[]): { quick: boolean; sizes: number[] | null; conv: boolean; mlp: boolean; training: boolean } {
  const quick = argv.includes("--quick");
  const conv = !argv.includes("--no-conv");
  const mlp = !argv.includes("--no-mlp");
  const training = !argv.includes("--no-training");
  const text = valueOf(argv, "--sizes");
  let sizes: number[] | null = null;
  if (text !== undefined) {
    sizes = (text ?? "").split(",").map(Number);
    if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
      throw new Error(`--sizes wants a list of positive integers, like --sizes 128,512; got ${text}`);
    }
  }
  return { quick, sizes, conv, mlp, training };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const chosen = chooseBackends(process.argv.slice(2));
  const options: BenchOptions = {
    sizes: args.sizes ?? (args.quick ? [128, 512] : [128, 256, 512, 1024]),
    conv: args.conv ? mnistConv : null,
    mlp: args.mlp,
    mlpEpoch: args.training ? mlpTraining(args.quick ? trainingSteps.quick : trainingSteps.full) : null,
    timing: args.quick ? quickTiming : fullTiming,
    quick: args.quick,
    backends: chosen,
    ratios,
  };
  // the bar goes to stderr and only on a terminal, so piped output stays clean
  const bar = new SingleBar({ format: "{bar} {value}/{total} {step}", stream: process.stderr, hideCursor: true, clearOnComplete: true });
  bar.start(stepCount(options), 0, { step: "" });
  let done = -1;
  options.onStep = (step) => bar.update(++done, { step });
  const report = await runBench(options);
  bar.update(stepCount(options), { step: "done" });
  bar.stop();

  console.log(formatReport(report));
  if (args.mlp) console.log(`\n${weightCopyTable(options.timing)}`);
  const file = writeReport(report, fileURLToPath(new URL("../results/latest.json", import.meta.url)));
  console.log(`\nJSON: ${relative(process.cwd(), file)}`);
}

main().then(
  // Dawn keeps the event loop alive after the WebGPU rows: leave explicitly
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
