/**
 * The report as people read it (Markdown tables, pasteable into a README) and as programs read
 * it (JSON).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { BenchReport, Cell } from "./run.ts";
import { mnistStepsPerEpoch } from "./workloads.ts";

/** A Markdown table with its columns padded to line up; the first column left-aligned, the rest right. */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(" | ")} |`;
  const rule = `| ${widths.map((w, c) => (c === 0 ? "-".repeat(w) : `${"-".repeat(w - 1)}:`)).join(" | ")} |`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

function gflops(cell: Cell | undefined): string {
  return cell?.ok ? cell.gflops.toFixed(2) : "—";
}

/**
 * The same epoch in PyTorch 1.13 on the CPU with OpenBLAS, as a fixed point of comparison: a
 * figure quoted from a measurement outside this run (PyTorch is not a dependency of the bench).
 */
export const pytorchEpochReference = { label: "pytorch-1.13 + OpenBLAS (quoted)", seconds: 0.55 } as const;

export function formatReport(report: BenchReport): string {
  const out: string[] = [];
  const { machine, timing } = report;
  out.push(`Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.platform}${report.quick ? " (quick run)" : ""}`);
  out.push(
    `Each number: the median of ${timing.minRuns} to ${timing.maxRuns} timed runs after at least ${timing.warmupRuns} warm-up run(s) and ${timing.warmupMs} ms, ` +
      "kept only when the result matches torchlet-cpu's.",
  );
  out.push("");
  out.push("fp32 matmul, n×n @ n×n, GFLOP/s (higher is better)");
  out.push("");
  const sizes = report.sizes.map(String);
  const rows = report.backends.map((b) => [b.name, ...sizes.map((n) => gflops(b.matmul[n]))]);
  for (const [name, ratio] of Object.entries(report.ratios)) {
    rows.push([name, ...sizes.map((n) => (ratio[n] == null ? "—" : `${ratio[n]!.toFixed(2)}x`))]);
  }
  out.push(markdownTable(["backend", ...sizes.map((n) => `n = ${n}`)], rows));

  const conv = report.conv;
  const convRows = report.backends.filter((b) => b.conv2d);
  if (conv && convRows.length > 0) {
    out.push("");
    out.push(
      `conv2d, batch ${conv.batch}, ${conv.inChannels} → ${conv.outChannels} channels, ${conv.kernel}×${conv.kernel} kernel, ` +
        `${conv.size}×${conv.size} images, stride 1, no padding: forward, and a training step (forward + grad input + grad weight)`,
    );
    out.push("");
    const ms = (cell: Cell | undefined) => (cell?.ok ? cell.medianMs.toFixed(1) : "—");
    out.push(
      markdownTable(
        ["backend", "forward ms", "GFLOP/s", "step ms", "GFLOP/s"],
        convRows.map((b) => [b.name, ms(b.conv2d?.forward), gflops(b.conv2d?.forward), ms(b.conv2d?.step), gflops(b.conv2d?.step)]),
      ),
    );
  }

  const mlpRows = report.backends.filter((b) => b.mlp);
  if (report.mlp && mlpRows.length > 0) {
    out.push("");
    out.push(
      `MLP 784 → 100 → 100 → 10, batch 64: the 8 matrix products of one training step (3 forward, 5 backward), ` +
        `and those of an epoch of MNIST (${mnistStepsPerEpoch} steps)`,
    );
    out.push("");
    out.push(
      markdownTable(
        ["backend", "ms per step", "s per epoch", "GFLOP/s"],
        mlpRows.map((b) => {
          const cell = b.mlp;
          return cell?.ok
            ? [b.name, cell.medianMs.toFixed(2), ((cell.medianMs * mnistStepsPerEpoch) / 1000).toFixed(1), cell.gflops.toFixed(2)]
            : [b.name, "—", "—", "—"];
        }),
      ),
    );
  }

  const epochRows = report.backends.filter((b) => b.mlpEpoch);
  if (report.mlpEpochSteps !== null && epochRows.length > 0) {
    out.push("");
    out.push(
      "MLP training: nn.Sequential(Linear(784, 100), ReLU, Linear(100, 100), ReLU, Linear(100, 10)), cross-entropy, SGD (lr 0.1), " +
        `batch 64; whole steps (forward, backward, update, reading the loss), ${report.mlpEpochSteps} per run, ` +
        `and an epoch of MNIST (${mnistStepsPerEpoch} steps)`,
    );
    out.push("");
    const rows = epochRows.map((b) => {
      const cell = b.mlpEpoch;
      if (!cell?.ok) return [b.name, "—", "—"];
      const perStep = cell.medianMs / report.mlpEpochSteps!;
      return [b.name, perStep.toFixed(2), ((perStep * mnistStepsPerEpoch) / 1000).toFixed(2)];
    });
    const quoted = pytorchEpochReference;
    rows.push([quoted.label, ((quoted.seconds * 1000) / mnistStepsPerEpoch).toFixed(2), quoted.seconds.toFixed(2)]);
    out.push(markdownTable(["backend", "ms per step", "s per epoch"], rows));
  }

  out.push("");
  out.push("Backends:");
  const width = Math.max(...report.backends.map((b) => b.name.length));
  for (const b of report.backends) {
    out.push(`  ${b.name.padEnd(width)}  ${b.description ?? `not available: ${b.error}`}`);
  }
  const notes: string[] = [];
  for (const b of report.backends) {
    if (b.error) continue; // already said above
    for (const [n, cell] of Object.entries(b.matmul)) if (!cell.ok) notes.push(`  ${b.name}, matmul ${n}: ${cell.reason}`);
    if (b.conv2d && !b.conv2d.forward.ok) notes.push(`  ${b.name}, conv2d forward: ${b.conv2d.forward.reason}`);
    if (b.conv2d && !b.conv2d.step.ok) notes.push(`  ${b.name}, conv2d step: ${b.conv2d.step.reason}`);
    if (b.mlp && !b.mlp.ok) notes.push(`  ${b.name}, MLP step: ${b.mlp.reason}`);
    if (b.mlpEpoch && !b.mlpEpoch.ok) notes.push(`  ${b.name}, MLP training: ${b.mlpEpoch.reason}`);
  }
  if (notes.length > 0) out.push("", "Missing numbers:", ...notes);
  return out.join("\n");
}

/** Writes the report as JSON (creating the folder); returns the path. */
export function writeReport(report: BenchReport, file: string): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
