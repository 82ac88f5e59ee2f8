/**
 * A chapter in the terminal, as IPython shows a session: each cell's code after `In [n]:`, then
 * what it printed, its value after `Out[n]:`, or its error.
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

/**
 * The prompt and code of a cell, as IPython's terminal writes them: `In [2]: ` before the first
 * line, `   ...: ` before the others, so the output below stands apart from the code.
 */
export function cellHeader(cell: Cell, palette: Palette = plain, showCode = true): string {
  const prompt = `In [${cell.index}]: `;
  if (!showCode || cell.code.trim() === "") return `${palette.prompt(prompt.trimEnd())}\n`;
  const more = `${" ".repeat(prompt.length - 5)}...: `;
  return cell.code
    .split("\n")
    .map((line, i) => palette.prompt(i === 0 ? prompt : more) + palette.code(line))
    .join("\n") + "\n";
}

/** One output as the terminal shows it. */
export function renderOutput(output: Output, run: CellRun, palette: Palette = plain): string {
  switch (output.kind) {
    case "stream":
      return output.name === "stderr" ? palette.error(output.text) : output.text;
    case "value":
      // IPython puts a value that spans lines on the line after its prompt
      return `${palette.prompt(`Out[${run.cell}]:`)}${output.text.includes("\n") ? "\n" : " "}${output.text}\n`;
    case "error": {
      const where = output.cell !== null && output.line !== null ? `Cell In[${output.cell}], line ${output.line}\n` : "";
      return palette.error(`${where}${outputText(output)}`) + "\n";
    }
  }
}
