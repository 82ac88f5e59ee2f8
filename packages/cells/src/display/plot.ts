/**
 * Line plots as cell output: numbers and a text form (`toString`) for the terminal and the tests;
 * the site draws them as SVG.
 */

/** One line of a plot: y values, and x values (0, 1, 2, ... when not given). */
export interface Series {
  readonly name: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
}

/** A line plot to show. */
export class Plot {
  readonly kind = "plot";
  constructor(
    readonly series: readonly Series[],
    readonly title: string | null,
  ) {}

  /** The terminal's form: what is plotted, and the range of y. */
  toString(): string {
    const ys = this.series.flatMap((s) => s.y).filter(Number.isFinite);
    const range = ys.length > 0 ? `, y from ${Math.min(...ys).toPrecision(4)} to ${Math.max(...ys).toPrecision(4)}` : "";
    const lines = this.series.map((s) => `${s.name} (${s.y.length} points)`).join(", ");
    return `<plot${this.title ? ` "${this.title}"` : ""}: ${lines}${range}>`;
  }
}

/** Numbers from an array or a typed array. */
function numbers(values: unknown): number[] {
  if (ArrayBuffer.isView(values)) return Array.from(values as unknown as ArrayLike<number>, Number);
  if (Array.isArray(values)) return values.map(Number);
  throw new TypeError("plot(): give y values as an array of numbers (for a tensor: await t.tolist(), or Array.from(...))");
}

/**
 * `plot(y)`, `plot({ x, y })` or `plot({ loss: [...], accuracy: [...] })`: a line plot, drawn
 * as SVG on the site.
 */
export function plot(
  data: readonly number[] | ArrayLike<number> | { x?: ArrayLike<number>; y: ArrayLike<number> } | Record<string, ArrayLike<number>>,
  options: { title?: string } = {},
): Plot {
  const toSeries = (name: string, y: unknown, x?: unknown): Series => {
    const ys = numbers(y);
    return { name, y: ys, x: x === undefined ? ys.map((_, i) => i) : numbers(x) };
  };
  let series: Series[];
  if (Array.isArray(data) || ArrayBuffer.isView(data)) series = [toSeries("y", data)];
  else if ("y" in data) series = [toSeries("y", (data as { y: unknown }).y, (data as { x?: unknown }).x)];
  else series = Object.entries(data).map(([name, y]) => toSeries(name, y));
  return new Plot(series, options.title ?? null);
}
