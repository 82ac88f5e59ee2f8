/**
 * What a cell run shows, as plain data: it crosses from the Web Worker to the page with
 * `postMessage`, and the terminal and the tests read the same records.
 *
 * The kinds follow Jupyter's: a stream (`print` writes to stdout), a value (the cell's last
 * expression, or `display(...)`), an error. Every value carries its text, which is what the
 * terminal shows and what the tests hold against PyTorch; some also carry a `view` that the site
 * draws (a table, a plot, a module tree) from data, never from HTML written by a cell.
 */
import { str } from "./format/python-repr.ts";
import { Plot } from "./display/plot.ts";
import { Table } from "./display/table.ts";

/** Text a cell printed: `console.log` and `console.info` to stdout, `console.warn` and `console.error` to stderr. */
export interface StreamOutput {
  readonly kind: "stream";
  readonly name: "stdout" | "stderr";
  readonly text: string;
}

/** A value shown: the cell's last expression (`execute_result`) or one passed to `display` (`display_data`). */
export interface ValueOutput {
  readonly kind: "value";
  /** Python's `repr` of the value, as Jupyter shows it. */
  readonly text: string;
  /** A richer form for the site, when the value has one. */
  readonly view?: View;
}

/** A cell that threw: the Python type and message, and where in which cell, when known. */
export interface ErrorOutput {
  readonly kind: "error";
  /** The exception's type as Python names it (`RuntimeError`), from `pythonType` or the JavaScript name. */
  readonly ename: string;
  readonly evalue: string;
  /** The cell (its `In [n]` number) and line (from 1) where it was thrown, when the stack says. */
  readonly cell: number | null;
  readonly line: number | null;
}

/** Anything a cell run shows. */
export type Output = StreamOutput | ValueOutput | ErrorOutput;

/** One module of a module tree: its type, its own parameters and buffers, its children. */
export interface ModuleNode {
  /** The attribute name under its parent (empty for the root). */
  readonly name: string;
  /** The class name (`Linear`). */
  readonly type: string;
  /** `extraRepr()`: `in_features=784, out_features=100, bias=True`. */
  readonly extra: string;
  readonly parameters: readonly TensorSummary[];
  readonly buffers: readonly TensorSummary[];
  readonly children: readonly ModuleNode[];
}

/** A parameter or buffer in a module tree. */
export interface TensorSummary {
  readonly name: string;
  readonly shape: readonly number[];
  readonly requiresGrad: boolean;
}

/** The site's richer forms of a value. */
export type View =
  | { readonly kind: "table"; readonly columns: readonly string[]; readonly rows: readonly (readonly string[])[] }
  | {
      readonly kind: "plot";
      readonly title: string | null;
      readonly series: readonly { readonly name: string; readonly x: readonly number[]; readonly y: readonly number[] }[];
    }
  | { readonly kind: "module"; readonly tree: ModuleNode };

/** The slice of `nn.Module` a module tree reads. */
interface ModuleLike {
  readonly _parameters: Map<string, { shape: readonly number[]; requiresGrad: boolean } | null>;
  readonly _buffers: Map<string, { shape: readonly number[]; requiresGrad: boolean } | null>;
  readonly _modules: Map<string, ModuleLike | null>;
  _getName(): string;
  extraRepr(): string;
}

function isModule(value: unknown): value is ModuleLike {
  const v = value as Partial<ModuleLike> | null;
  return !!v && v._modules instanceof Map && v._parameters instanceof Map && typeof v._getName === "function";
}

function summaries(entries: Map<string, { shape: readonly number[]; requiresGrad: boolean } | null>): TensorSummary[] {
  const out: TensorSummary[] = [];
  for (const [name, t] of entries) if (t) out.push({ name, shape: [...t.shape], requiresGrad: t.requiresGrad });
  return out;
}

function moduleTree(module: ModuleLike, name: string): ModuleNode {
  const children: ModuleNode[] = [];
  for (const [childName, child] of module._modules) if (child) children.push(moduleTree(child, childName));
  return {
    name,
    type: module._getName(),
    extra: module.extraRepr(),
    parameters: summaries(module._parameters),
    buffers: summaries(module._buffers),
    children,
  };
}

/** The site's view of a value, for the kinds that have one. */
export function viewOf(value: unknown): View | undefined {
  if (value instanceof Table) return { kind: "table", columns: [...value.columns], rows: value.rows.map((row) => row.map((cell) => str(cell))) };
  if (value instanceof Plot) {
    return { kind: "plot", title: value.title, series: value.series.map((s) => ({ name: s.name, x: [...s.x], y: [...s.y] })) };
  }
  if (isModule(value)) return { kind: "module", tree: moduleTree(value, "") };
  return undefined;
}

/** What the terminal and the tests show of an output: its text (an error as `RuntimeError: message`). */
export function outputText(output: Output): string {
  switch (output.kind) {
    case "stream":
      return output.text;
    case "value":
      return output.text;
    case "error":
      return output.evalue === "" ? output.ename : `${output.ename}: ${output.evalue}`;
  }
}
