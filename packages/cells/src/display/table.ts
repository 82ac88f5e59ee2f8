/**
 * Tables as cell output: data with a text form (`toString`) for the terminal and the tests; the
 * site draws them as an HTML table whose cells are text, never HTML written by the cell.
 */
import { str } from "../format/python-repr.ts";

/** A cell of a table: any value, shown by its Python `str`. */
export type TableCell = unknown;

/** A table to show: column names and rows of values. */
export class Table {
  readonly kind = "table";
  constructor(
    readonly columns: readonly string[],
    readonly rows: readonly (readonly TableCell[])[],
  ) {}

  /** A plain-text table with aligned columns, as the terminal shows it. */
  toString(): string {
    const text = (v: unknown) => str(v);
    const grid = [this.columns.map(String), ...this.rows.map((row) => row.map(text))];
    const widths = this.columns.map((_, c) => Math.max(...grid.map((row) => (row[c] ?? "").length)));
    const line = (row: string[]) => row.map((cell, c) => cell.padEnd(widths[c]!)).join("  ").trimEnd();
    return [line(grid[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...grid.slice(1).map(line)].join("\n");
  }
}

/**
 * `table(rows)`: rows as objects (columns are their keys, in order of first appearance) or as
 * arrays with `{ columns }` given.
 *
 * ```ts
 * table([...model.namedParameters()].map(([name, p]) => ({ name, shape: p.shape })))
 * ```
 */
export function table(rows: readonly (Record<string, unknown> | readonly unknown[])[], options: { columns?: readonly string[] } = {}): Table {
  if (options.columns) {
    return new Table(options.columns, rows.map((row) => (Array.isArray(row) ? row : options.columns!.map((c) => (row as Record<string, unknown>)[c]))));
  }
  const columns: string[] = [];
  for (const row of rows) {
    if (Array.isArray(row)) throw new TypeError("table(rows): rows given as arrays need { columns: [...] }");
    for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  }
  return new Table(columns, rows.map((row) => columns.map((c) => (row as Record<string, unknown>)[c])));
}

