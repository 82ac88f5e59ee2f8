/**
 * The test every chapter runs against PyTorch, written once. `describeChapter(import.meta.url,
 * title)` in a chapter's `chapter.test.ts` runs its `cells.ts` in one notebook and checks:
 * - the cells match their PyTorch twin in `cells.py`: same ids, same tags, same order, and the
 *   recording `pytorch-output.json` is of those cells;
 * - both prose files (`zh.md`, `en.md`) place every cell once, in order;
 * - the cells tagged "raises-exception" are exactly those that raised in PyTorch (the site runs on
 *   past them, so an untagged error would stop the page);
 * - every cell shows what PyTorch showed, character for character: its printed output, the value
 *   of its last expression and its error. Cells tagged "measure" show timings, which no two runs
 *   share: they must run through on both sides, and are not compared.
 *
 * Where a cell cannot show PyTorch's output for a reason the chapter's prose explains (a value of
 * JavaScript's own, a device that the recording machine did not have), `expected` says what it
 * shows instead.
 */
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { Cell } from "../parse.ts";
import { placedCellIds, readCells, readProse, readPythonCells, readRecorded } from "../node/chapters.ts";
import { runChapter, shownAs, type ChapterCellRun } from "../node/run-chapter.ts";

/** What a cell shows, as `shownAs` reads a run and the recording holds it. */
export interface Shown {
  stdout: string;
  value: string | null;
  error: string | null;
}

export interface ChapterTestOptions {
  /** What `cell` shows where it cannot be PyTorch's output; undefined keeps PyTorch's. */
  expected?: (cell: Cell, pytorch: Shown) => Shown | undefined;
  /** Runs before the chapter's cells (e.g. to look for a WebGPU adapter). */
  beforeRun?: () => unknown;
  /** Runs after the chapter's cells. */
  afterRun?: () => unknown;
  /** The chapter's own further tests, inside its describe block; `runs()` gives each cell's run. */
  more?: (runs: () => readonly ChapterCellRun[]) => void;
  /** How long running the whole chapter may take, in milliseconds. */
  timeout?: number;
}

/** Declares the tests of the chapter whose `chapter.test.ts` has the URL `chapterTestUrl`. */
export function describeChapter(chapterTestUrl: string, title: string, options: ChapterTestOptions = {}): void {
  const dir = fileURLToPath(new URL(".", chapterTestUrl));
  const cells = readCells(dir);
  const python = readPythonCells(dir);
  const recorded = readRecorded(dir);
  if (recorded === null) throw new Error(`${dir} has no pytorch-output.json: record it with chapters/record_pytorch.py`);
  const ids = (list: readonly { id: string | null }[]) => list.map((c) => c.id);
  const tagged = (list: readonly Cell[], tag: string) => ids(list.filter((c) => c.tags.includes(tag)));

  let runs: ChapterCellRun[] = [];
  beforeAll(async () => {
    await options.beforeRun?.();
    runs = await runChapter(dir);
    await options.afterRun?.();
  }, options.timeout ?? 120_000);

  describe(title, () => {
    it("has the cells of its PyTorch twin, with the same ids and tags, and PyTorch's recording of them", () => {
      expect(ids(python)).toEqual(ids(cells));
      expect(python.map((c) => c.tags)).toEqual(cells.map((c) => c.tags));
      expect(ids(recorded.cells)).toEqual(ids(cells));
    });

    it.each(["zh", "en"] as const)("places every cell once in its %s prose, in order", (lang) => {
      expect(placedCellIds(readProse(dir, lang) ?? "")).toEqual(ids(cells));
    });

    it('tags exactly the cells that raise in PyTorch with "raises-exception"', () => {
      expect(tagged(cells, "raises-exception")).toEqual(ids(recorded.cells.filter((c) => c.error !== null)));
    });

    for (const cell of cells) {
      const pytorch = recorded.cells[cell.index - 1]!;
      const recordedShown: Shown = { stdout: pytorch.stdout, value: pytorch.value, error: pytorch.error };
      if (cell.tags.includes("measure")) {
        it(`In [${cell.index}] (${cell.id}) runs through, as it did in PyTorch (a measurement: not compared)`, () => {
          const { run } = runs[cell.index - 1]!;
          expect(shownAs(run).error).toBeNull();
          expect(run.ok).toBe(true);
          expect(pytorch.error).toBeNull();
        });
      } else {
        it(`In [${cell.index}] (${cell.id}) shows what PyTorch showed`, () => {
          const { run } = runs[cell.index - 1]!;
          expect(shownAs(run)).toEqual(options.expected?.(cell, recordedShown) ?? recordedShown);
        });
      }
    }

    options.more?.(() => runs);
  });
}
