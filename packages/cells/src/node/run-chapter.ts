/**
 * Running a whole chapter in Node, and reading its runs the way PyTorch's were recorded.
 */
import { Notebook, type CellRun } from "../notebook.ts";
import { outputText, type Output } from "../outputs.ts";
import type { Cell } from "../parse.ts";
import { readCells } from "./chapters.ts";

/** One cell and its run. */
export interface ChapterCellRun {
  readonly cell: Cell;
  readonly run: CellRun;
}

/**
 * Runs every cell of the chapter in `dir` in one fresh notebook, in order. `onOutput` sees each
 * output as it appears (the terminal prints them live).
 */
export async function runChapter(
  dir: string,
  options: { onCell?: (cell: Cell) => void; onOutput?: (output: Output, run: CellRun) => void } = {},
): Promise<ChapterCellRun[]> {
  const notebook = new Notebook(options.onOutput ? { onOutput: options.onOutput } : {});
  const runs: ChapterCellRun[] = [];
  for (const cell of readCells(dir)) {
    options.onCell?.(cell);
    runs.push({ cell, run: await notebook.run(cell.code, cell.index) });
  }
  return runs;
}

/**
 * A run as `pytorch-output.json` records a cell: what it printed to stdout, the text of its value
 * (null when it shows none), and its error as `Type: message` (null when it ran through).
 */
export function shownAs(run: CellRun): { stdout: string; value: string | null; error: string | null } {
  const texts = (kind: Output["kind"]) => run.outputs.filter((o) => o.kind === kind);
  const stdout = run.outputs
    .filter((o) => o.kind === "stream" && o.name === "stdout")
    .map(outputText)
    .join("");
  const values = texts("value").map(outputText);
  const errors = texts("error").map(outputText);
  return { stdout, value: values.length > 0 ? values.join("\n") : null, error: errors.length > 0 ? errors.join("\n") : null };
}
