/**
 * Chapter 05 against PyTorch: every cell of cells.ts, run in one notebook, shows character for
 * character what the same cell of cells.py showed in PyTorch 1.13 (pytorch-output.json).
 *
 * One cell depends on the machine, in both languages: `to-device` moves the model to the GPU when
 * there is one and prints where its weight lives. PyTorch was recorded on a machine without CUDA,
 * so it printed `cpu`. Without a WebGPU adapter torchlet's cell prints the same; with one, it prints
 * `webgpu` (as PyTorch on a CUDA machine would print `cuda:0`), and everything else it shows stays
 * PyTorch's.
 */
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { torch } from "@torchlet/nn";
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

const dir = fileURLToPath(new URL(".", import.meta.url));
const recorded = readRecorded(dir)!;
const cells = readCells(dir);
const deviceCell = "to-device";

let runs: ChapterCellRun[] = [];
let hasWebgpu = false;
beforeAll(async () => {
  hasWebgpu = await torch.webgpu.init();
  runs = await runChapter(dir);
});

describe("chapter 05: the common interfaces of nn.Module", () => {
  it("has the cells of its PyTorch twin, with the same ids", () => {
    expect(cells.map((c) => c.id)).toEqual(readPythonCells(dir).map((c) => c.id));
    expect(recorded.cells.map((c) => c.id)).toEqual(cells.map((c) => c.id));
  });

  it.each(["zh", "en"] as const)("places every cell once in its %s prose, in order", (lang) => {
    expect(placedCellIds(readProse(dir, lang)!)).toEqual(cells.map((c) => c.id));
  });

  for (const cell of cells) {
    it(`In [${cell.index}] (${cell.id}) shows what PyTorch showed`, () => {
      const { run } = runs[cell.index - 1]!;
      const python = recorded.cells[cell.index - 1]!;
      const expected = { stdout: python.stdout, value: python.value, error: python.error };
      if (cell.id === deviceCell && hasWebgpu) {
        // PyTorch's recording stayed on the CPU; this machine has a GPU, so the model moved there
        expect(python.stdout).toBe("cpu\n");
        expected.stdout = "webgpu\n";
      }
      expect(shownAs(run)).toEqual(expected);
    });
  }
});
