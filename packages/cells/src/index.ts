/**
 * @torchlet/cells: the notebook engine of torchlet's chapters, shared by the terminal runner, the
 * chapter tests and the site's Web Worker.
 *
 * - `parseCells`: a `cells.ts` file in the percent format (`// %% id=name` lines) to cells;
 * - `Notebook`: runs cells Jupyter-style in one scope, collecting each run's outputs;
 * - `repr`, `str`, `formatValue`: JavaScript values shown as Python shows them;
 * - `tuple`, `table`, `plot`: what a cell can import from `@torchlet/cells` to shape its output.
 *
 * Node-only helpers (finding chapters on disk, printing a chapter in the terminal) are in
 * `@torchlet/cells/node`. In a browser, the worker's entry calls `serveNotebook` from
 * `@torchlet/cells/worker`, and the page drives it with `NotebookClient` from
 * `@torchlet/cells/client` (which imports none of the engine, so the page stays light).
 */
export { parseCells, type Cell, type CellLanguage } from "./parse.ts";
export { compileCell, stripTypes, rewrite, CellSyntaxError, type CompiledCell } from "./compile.ts";
export { Notebook, type CellRun, type NotebookOptions } from "./notebook.ts";
export { torchletImports, type ImportMap } from "./imports.ts";
export { repr, str, printed, formatValue, preformat, holdsDeviceTensor, errorTypeName } from "./format/python-repr.ts";
export {
  outputText,
  viewOf,
  type Output,
  type StreamOutput,
  type ValueOutput,
  type ErrorOutput,
  type View,
  type ModuleNode,
  type TensorSummary,
} from "./outputs.ts";
export * from "./display/index.ts";
