/**
 * Chapter 08 against PyTorch: every cell of cells.ts, run in one notebook, shows character for
 * character what the same cell of cells.py showed in PyTorch 1.13 (pytorch-output.json), except
 * the cells tagged "measure". Those show timings, which change from run to run and machine to
 * machine: they must run through on both sides, and their tables must have the shape the prose
 * describes (the kernels and sizes it names, positive figures), but their numbers are not compared.
 */
import { expect, it } from "vitest";
import type { View } from "@torchlet/cells";
import { describeChapter } from "@torchlet/cells/testing";
import type { ChapterCellRun } from "@torchlet/cells/node";

/** The CPU switches the cells change, read before and after the chapter runs. */
async function cpuSettings() {
  const { torch } = await import("@torchlet/nn");
  return { kernel: torch.backends.cpu.kernel, threads: torch.getNumThreads() };
}

type Table = Extract<View, { kind: "table" }>;

/** The table a cell showed as its value. */
function tableOf(runs: readonly ChapterCellRun[], id: string): Table {
  const { run } = runs.find((r) => r.cell.id === id)!;
  const view = run.outputs.flatMap((o) => (o.kind === "value" && o.view?.kind === "table" ? [o.view] : []))[0];
  expect(view, `${id} shows a table`).toBeDefined();
  return view as Table;
}

/** The column `name` of a table, as text. */
function column(view: Table, name: string): string[] {
  const c = view.columns.indexOf(name);
  expect(c, `column ${name}`).toBeGreaterThanOrEqual(0);
  return view.rows.map((row) => row[c]!);
}

function expectPositiveFigures(texts: string[]) {
  for (const text of texts) expect(Number(text), text).toBeGreaterThan(0);
}

let before: Awaited<ReturnType<typeof cpuSettings>>;
let after: typeof before;

describeChapter(import.meta.url, "chapter 08: how the CPU matrix product got fast", {
  beforeRun: async () => {
    before = await cpuSettings();
  },
  afterRun: async () => {
    after = await cpuSettings();
  },
  more: (runs) => {
    it("times the three kernels, one thread each, in the order the prose discusses them", () => {
      const view = tableOf(runs(), "time-kernels");
      expect(column(view, "kernel")).toEqual(["reference", "ts", "wasm"]);
      expect(column(view, "threads")).toEqual(["1", "1", "1"]);
      expectPositiveFigures([...column(view, "ms"), ...column(view, "GFLOP/s"), ...column(view, "× reference")]);
    });

    it("times the WebAssembly kernel on one and two threads at four sizes", () => {
      const view = tableOf(runs(), "time-threads");
      expect(column(view, "n")).toEqual(["64", "128", "256", "512"]);
      expectPositiveFigures([...column(view, "1 thread GFLOP/s"), ...column(view, "2 threads GFLOP/s"), ...column(view, "speed-up")]);
    });

    it("leaves the kernel and thread settings as it found them", () => {
      expect(after).toEqual(before);
    });
  },
});
