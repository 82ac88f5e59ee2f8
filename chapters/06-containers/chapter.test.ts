/**
 * Chapter 06 against PyTorch: every cell of cells.ts, run in one notebook, shows character for
 * character what the same cell of cells.py showed in PyTorch 1.13 (pytorch-output.json).
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

let runs: ChapterCellRun[] = [];
beforeAll(async () => {
  runs = await runChapter(dir);
});

describe("chapter 06: containers", () => {
  it("has the cells of its PyTorch twin, with the same ids", () => {
    expect(cells.map((c) => c.id)).toEqual(readPythonCells(dir).map((c) => c.id));
    expect(recorded.cells.map((c) => c.id)).toEqual(cells.map((c) => c.id));
  });

  it.each(["zh", "en"] as const)("places every cell once in its %s prose, in order", (lang) => {
    expect(placedCellIds(readProse(dir, lang)!)).toEqual(cells.map((c) => c.id));
  });

  it('tags exactly the cells that raise in PyTorch with "raises-exception", so the site runs past them', () => {
    expect(cells.filter((c) => c.tags.includes("raises-exception")).map((c) => c.id)).toEqual(
      recorded.cells.filter((c) => c.error !== null).map((c) => c.id),
    );
    expect(readPythonCells(dir).filter((c) => c.tags.includes("raises-exception")).map((c) => c.id)).toEqual(
      recorded.cells.filter((c) => c.error !== null).map((c) => c.id),
    );
  });

  for (const cell of cells) {
    it(`In [${cell.index}] (${cell.id}) shows what PyTorch showed`, () => {
      const { run } = runs[cell.index - 1]!;
      const python = recorded.cells[cell.index - 1]!;
      expect(shownAs(run)).toEqual({ stdout: python.stdout, value: python.value, error: python.error });
    });
  }
});
