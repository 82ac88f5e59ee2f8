/**
 * A chapter in the terminal, as Jupyter shows a notebook: each cell's code under `In [n]:`, then
 * what it printed, its value under `Out[n]:`, or its error.
 */
import type { CellRun } from "../notebook.ts";
import { outputText, type Output } from "../outputs.ts";
import type { Cell } from "../parse.ts";

/** ANSI colours, or none when the output is not a terminal. */
export interface Palette {
  readonly prompt: (text: string) => string;
  readonly code: (text: string) => string;
  readonly error: (text: string) => string;
}

const plain: Palette = { prompt: (t) => t, code: (t) => t, error: (t) => t };
const ansi: Palette = {
  prompt: (t) => `\x1b[32m${t}\x1b[0m`,
  code: (t) => `\x1b[2m${t}\x1b[0m`,
  error: (t) => `\x1b[31m${t}\x1b[0m`,
};

/** The palette for a stream: colours for a terminal, plain text otherwise (files, pipes, tests). */
export function paletteFor(isTTY: boolean | undefined): Palette {
  return isTTY && !process.env.NO_COLOR ? ansi : plain;
}

/** The heading and code of a cell. */
export function cellHeader(cell: Cell, palette: Palette = plain, showCode = true): string {
  const prompt = palette.prompt(`In [${cell.index}]:`) + (cell.id ? palette.code(`  # ${cell.id}`) : "");
  return showCode && cell.code.trim() !== "" ? `${prompt}\n${palette.code(cell.code)}\n` : `${prompt}\n`;
}

/** One output as the terminal shows it. */
export function renderOutput(output: Output, run: CellRun, palette: Palette = plain): string {
  switch (output.kind) {
    case "stream":
      return output.name === "stderr" ? palette.error(output.text) : output.text;
    case "value":
      return `${palette.prompt(`Out[${run.cell}]:`)}\n${output.text}\n`;
    case "error": {
      const where = output.cell !== null && output.line !== null ? `Cell In[${output.cell}], line ${output.line}\n` : "";
      return palette.error(`${where}${outputText(output)}`) + "\n";
    }
  }
}
