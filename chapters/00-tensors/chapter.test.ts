/**
 * Chapter 00 against PyTorch: every cell of cells.ts, run in one notebook, shows character for
 * character what the same cell of cells.py showed in PyTorch 1.13 (pytorch-output.json) — except
 * the two cells where the answer belongs to JavaScript (see `languageDifferences` in expected.ts).
 *
 * The device cells depend on the machine, in both languages. PyTorch was recorded without CUDA,
 * so they stayed on the CPU; in Node without a WebGPU adapter torchlet's do the same and show
 * PyTorch's output. Where this machine has an adapter, they show what PyTorch showed on CUDA
 * (pytorch-cuda-output.json), renamed for WebGPU. chapter.webgpu.test.ts runs that path on
 * SwiftShader wherever it is installed.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { torch } from "@torchlet/nn";
import { placedCellIds, readCells, readProse, readPythonCells, runChapter, shownAs, type ChapterCellRun } from "@torchlet/cells/node";
import { deviceCells, dir, expectedFor, languageDifferences, recorded, recordedOnCuda } from "./expected.ts";

const cells = readCells(dir);

let runs: ChapterCellRun[] = [];
let hasWebgpu = false;
beforeAll(async () => {
  hasWebgpu = await torch.webgpu.init();
  runs = await runChapter(dir);
});

describe("chapter 00: tensors and autograd", () => {
  it("has the cells of its PyTorch twin, with the same ids, in both recordings", () => {
    const ids = cells.map((c) => c.id);
    expect(readPythonCells(dir).map((c) => c.id)).toEqual(ids);
    expect(recorded.cells.map((c) => c.id)).toEqual(ids);
    expect(recordedOnCuda.cells.map((c) => c.id)).toEqual(ids);
  });

  it.each(["zh", "en"] as const)("places every cell once in its %s prose, in order", (lang) => {
    expect(placedCellIds(readProse(dir, lang)!)).toEqual(cells.map((c) => c.id));
  });

  it('tags exactly the cells that raise in PyTorch with "raises-exception", so the site runs past them', () => {
    const raising = recorded.cells.filter((c) => c.error !== null).map((c) => c.id);
    expect(cells.filter((c) => c.tags.includes("raises-exception")).map((c) => c.id)).toEqual(raising);
    expect(readPythonCells(dir).filter((c) => c.tags.includes("raises-exception")).map((c) => c.id)).toEqual(raising);
  });

  it("lists as device cells exactly those whose PyTorch output changed on CUDA", () => {
    const changed = recorded.cells
      .filter((c, i) => {
        const cuda = recordedOnCuda.cells[i]!;
        return c.stdout !== cuda.stdout || c.value !== cuda.value || c.error !== cuda.error;
      })
      .map((c) => c.id);
    expect(changed).toEqual(deviceCells);
  });

  it("keeps PyTorch's side of each language difference as PyTorch printed it", () => {
    for (const [id, { pytorch }] of Object.entries(languageDifferences)) {
      const python = recorded.cells.find((c) => c.id === id)!;
      expect({ stdout: python.stdout, value: python.value, error: python.error }, id).toEqual(pytorch);
    }
  });

  for (const cell of cells) {
    const how = cell.id! in languageDifferences ? "shows the JavaScript counterpart of PyTorch's output" : "shows what PyTorch showed";
    it(`In [${cell.index}] (${cell.id}) ${how}`, () => {
      const { run } = runs[cell.index - 1]!;
      expect(shownAs(run)).toEqual(expectedFor(cell.id!, cell.index, hasWebgpu));
    });
  }
});
