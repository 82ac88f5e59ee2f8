/**
 * `pnpm example deep-network`: the tutorial's 50-layer experiment, measured. For each activation
 * it prints how the spread (standard deviation) of the signal changes layer by layer under each
 * initialisation, then the spread of each layer's weight gradient.
 */
import { parseArgs } from "node:util";
import { ACTIVATIONS, INITS, measureSpreads, type Activation, type Init } from "./experiment.ts";

const USAGE = `usage: pnpm example deep-network [--activation none|relu|tanh] [--seed N]
  --activation A    the activation after each layer; all three when absent
  --seed N          torch.manualSeed before the network and the inputs are drawn (default 0)`;

/** The layers whose figures are shown (1 is the first layer; 0 the input). */
const FORWARD_ROWS = [0, 1, 2, 5, 10, 20, 30, 40, 50];
const BACKWARD_ROWS = [1, 10, 20, 30, 40, 50];

function formatted(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return value === 0 || (Math.abs(value) >= 0.01 && Math.abs(value) < 1000) ? value.toFixed(4) : value.toExponential(2);
}

/** A table: a header row and rows, left column left-aligned, the others right-aligned. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}

/** The two tables of one activation, as text. */
export function report(activation: Activation, seed: number): string {
  const inits = Object.keys(INITS) as Init[];
  const runs = inits.map((init) => measureSpreads(init, activation, seed));
  const forward = FORWARD_ROWS.map((layer) => [layer === 0 ? "input" : `layer ${layer}`, ...runs.map((r) => formatted(r.forward[layer]))]);
  const backward = BACKWARD_ROWS.map((layer) => [`layer ${layer}`, ...runs.map((r) => formatted(r.backward[layer - 1]))]);
  return [
    `activation: ${activation}`,
    "",
    "std of each layer's output",
    table(["", ...inits], forward),
    "",
    "std of each layer's weight gradient (loss: mean square of the output)",
    table(["", ...inits], backward),
  ].join("\n");
}

/** The command line's entry point. */
export async function main(args: readonly string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...args], options: { activation: { type: "string" }, seed: { type: "string", default: "0" } } }));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`);
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a whole number of at least 0, got ${values.seed}\n${USAGE}`);
  const activations = Object.keys(ACTIVATIONS) as Activation[];
  if (values.activation !== undefined && !activations.includes(values.activation as Activation)) {
    throw new Error(`--activation must be one of ${activations.join(", ")}, got ${values.activation}\n${USAGE}`);
  }
  const chosen = values.activation === undefined ? activations : [values.activation as Activation];
  console.log("50 layers of nn.Linear(100, 100), biases zero, 256 standard normal inputs\n");
  console.log(chosen.map((activation) => report(activation, seed)).join("\n\n"));
}
