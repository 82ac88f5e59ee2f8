/**
 * What a cell can import from `@torchlet/cells` to shape its output: `tuple` (a Python tuple),
 * `table` and `plot`. The notebook also gives every cell `display(...values)`, which shows values
 * in the middle of a cell as its last expression is shown at the end.
 */
export { tuple, isTuple, type Tuple } from "./tuple.ts";
export { table, Table, type TableCell } from "./table.ts";
export { plot, Plot, type Series } from "./plot.ts";
