/**
 * Chapter 08 against PyTorch: every cell of cells.ts, run in one notebook, shows character for
 * character what the same cell of cells.py showed in PyTorch 1.13 (pytorch-output.json), except
 * the cells tagged "measure". Those show timings, which change from run to run and machine to
 * machine: they must run through on both sides, and their tables must have the shape the prose
 * describes (the kernels and sizes it names, positive figures), but their numbers are not compared.
 */
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import {
  placedCellIds,
  readCells,
  readProse,
  readPythonCells,
  readRecorded,
  runChapter,
  shownAs,
  type ChapterCellRun,
} from "@torchlet/cells/node";
import type { Cell, View } from "@torchlet/cells";

const dir = fileURLToPath(new URL(".", import.meta.url));
const recorded = readRecorded(dir)!;
const cells = readCells(dir);

/** A cell whose output is a measurement: run, never compared. */
const isMeasurement = (cell: Cell) => cell.tags.includes("measure");

/** The CPU switches the cells change, read before and after the chapter runs. */
async function cpuSettings() {
  const { torch } = await import("@torchlet/nn");
  return { kernel: torch.backends.cpu.kernel, threads: torch.getNumThreads() };
}

let runs: ChapterCellRun[] = [];
let before: Awaited<ReturnType<typeof cpuSettings>>;
let after: typeof before;
beforeAll(async () => {
  before = await cpuSettings();
  runs = await runChapter(dir);
  after = await cpuSettings();
}, 120_000);

/** The table a cell showed as its value. */
function tableOf(id: string): Extract<View, { kind: "table" }> {
  const { run } = runs.find((r) => r.cell.id === id)!;
  const view = run.outputs.flatMap((o) => (o.kind === "value" && o.view?.kind === "table" ? [o.view] : []))[0];
  expect(view, `${id} shows a table`).toBeDefined();
  return view as Extract<View, { kind: "table" }>;
}

/** The column `name` of a table, as text. */
function column(view: Extract<View, { kind: "table" }>, name: string): string[] {
  const c = view.columns.indexOf(name);
  expect(c, `column ${name}`).toBeGreaterThanOrEqual(0);
  return view.rows.map((row) => row[c]!);
}

function expectPositiveFigures(texts: string[]) {
  for (const text of texts) expect(Number(text), text).toBeGreaterThan(0);
}

describe("chapter 08: how the CPU matrix product got fast", () => {
  it("has the cells of its PyTorch twin, with the same ids and tags", () => {
    const python = readPythonCells(dir);
    expect(cells.map((c) => c.id)).toEqual(python.map((c) => c.id));
    expect(cells.map((c) => c.tags)).toEqual(python.map((c) => c.tags));
    expect(recorded.cells.map((c) => c.id)).toEqual(cells.map((c) => c.id));
  });

  it.each(["zh", "en"] as const)("places every cell once in its %s prose, in order", (lang) => {
    expect(placedCellIds(readProse(dir, lang)!)).toEqual(cells.map((c) => c.id));
  });

  for (const cell of cells) {
    if (isMeasurement(cell)) {
      it(`In [${cell.index}] (${cell.id}) runs through, as it did in PyTorch (a measurement: not compared)`, () => {
        const { run } = runs[cell.index - 1]!;
        expect(shownAs(run).error).toBeNull();
        expect(run.ok).toBe(true);
        expect(recorded.cells[cell.index - 1]!.error).toBeNull();
      });
    } else {
      it(`In [${cell.index}] (${cell.id}) shows what PyTorch showed`, () => {
        const { run } = runs[cell.index - 1]!;
        const python = recorded.cells[cell.index - 1]!;
        expect(shownAs(run)).toEqual({ stdout: python.stdout, value: python.value, error: python.error });
      });
    }
  }

  it("times the three kernels, one thread each, in the order the prose discusses them", () => {
    const view = tableOf("time-kernels");
    expect(column(view, "kernel")).toEqual(["reference", "ts", "wasm"]);
    expect(column(view, "threads")).toEqual(["1", "1", "1"]);
    expectPositiveFigures([...column(view, "ms"), ...column(view, "GFLOP/s"), ...column(view, "× reference")]);
  });

  it("times the WebAssembly kernel on one and two threads at four sizes", () => {
    const view = tableOf("time-threads");
    expect(column(view, "n")).toEqual(["64", "128", "256", "512"]);
    expectPositiveFigures([...column(view, "1 thread GFLOP/s"), ...column(view, "2 threads GFLOP/s"), ...column(view, "speed-up")]);
  });

  it("leaves the kernel and thread settings as it found them", () => {
    expect(after).toEqual(before);
  });
});
