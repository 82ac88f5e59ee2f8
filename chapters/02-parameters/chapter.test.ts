/**
 * Chapter 02 against PyTorch: every cell of cells.ts, run in one notebook, shows character for
 * character what the same cell of cells.py showed in PyTorch 1.13 (pytorch-output.json) — except
 * the one cell listed in `differences`, where the answer belongs to the language, not the library.
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

const dir = fileURLToPath(new URL(".", import.meta.url));
const recorded = readRecorded(dir)!;
const cells = readCells(dir);

/**
 * Cells whose output cannot be PyTorch's, with what PyTorch showed and what torchlet shows
 * instead (the prose says why). `type(mlp.state_dict())` names Python's class; JavaScript has no
 * OrderedDict, and `stateDict()` returns a Map, which keeps insertion order just the same.
 */
const differences: Record<string, { pytorch: string; torchlet: string }> = {
  "state-dict-type": { pytorch: "<class 'collections.OrderedDict'>", torchlet: "'Map'" },
};

let runs: ChapterCellRun[] = [];
beforeAll(async () => {
  runs = await runChapter(dir);
});

describe("chapter 02: parameters", () => {
  it("has the cells of its PyTorch twin, with the same ids", () => {
    expect(cells.map((c) => c.id)).toEqual(readPythonCells(dir).map((c) => c.id));
    expect(recorded.cells.map((c) => c.id)).toEqual(cells.map((c) => c.id));
  });

  it.each(["zh", "en"] as const)("places every cell once in its %s prose, in order", (lang) => {
    expect(placedCellIds(readProse(dir, lang)!)).toEqual(cells.map((c) => c.id));
  });

  for (const cell of cells) {
    const difference = cell.id === null ? undefined : differences[cell.id];
    if (difference) {
      it(`In [${cell.index}] (${cell.id}) shows the JavaScript counterpart of PyTorch's value`, () => {
        const { run } = runs[cell.index - 1]!;
        const python = recorded.cells[cell.index - 1]!;
        expect({ stdout: python.stdout, value: python.value, error: python.error }).toEqual({ stdout: "", value: difference.pytorch, error: null });
        expect(shownAs(run)).toEqual({ stdout: "", value: difference.torchlet, error: null });
      });
      continue;
    }
    it(`In [${cell.index}] (${cell.id}) shows what PyTorch showed`, () => {
      const { run } = runs[cell.index - 1]!;
      const python = recorded.cells[cell.index - 1]!;
      expect(shownAs(run)).toEqual({ stdout: python.stdout, value: python.value, error: python.error });
    });
  }
});
