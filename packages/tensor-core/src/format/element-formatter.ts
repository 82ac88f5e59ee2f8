/**
 * One formatter per tensor (PyTorch's `_Formatter`): it looks at the values once, chooses how every
 * element will be written, and pads them all to one width so that columns line up.
 *
 * For float tensors the choice is made from the finite, non-zero values:
 * - all of them whole numbers: "int mode", `1.` and `-3.` (nan and inf keep no dot);
 * - otherwise fixed notation with `precision` decimals, `0.5000`;
 * - scientific notation, `1.0000e+06`, when the values span more than three orders of magnitude
 *   (max / min > 1000) or exceed 1e8, or (outside int mode) some value is below 1e-4.
 * Integer and bool tensors are written as Python writes ints and bools.
 */
import type { DType } from "../dtype.ts";
import { formatFloatFixed, formatFloatScientific } from "./python-float.ts";
import type { PrintOptions } from "./print-options.ts";

/** Writes the elements of one tensor, all in the notation and width chosen from its shown values. */
export class ElementFormatter {
  private readonly floating: boolean;
  private intMode = true;
  private sciMode = false;
  private maxWidth = 1;

  /**
   * @param values the values that will be shown (only the summarised part of a large tensor)
   * @param dtype the tensor's dtype: floats get a notation, ints and bools are written as they are
   */
  constructor(
    values: Iterable<number>,
    private readonly dtype: DType,
    private readonly options: PrintOptions,
  ) {
    this.floating = dtype === "float32";
    if (!this.floating) {
      for (const value of values) this.maxWidth = Math.max(this.maxWidth, this.plain(value).length);
      return;
    }
    const nonzeroFinite = [...values].filter((v) => Number.isFinite(v) && v !== 0);
    // nothing to measure (all zeros, nan or inf): PyTorch stops here, before even a forced sciMode
    if (nonzeroFinite.length === 0) return;

    let max = 0;
    let min = Infinity;
    for (const v of nonzeroFinite) {
      max = Math.max(max, Math.abs(v));
      min = Math.min(min, Math.abs(v));
    }
    const wideRange = max / min > 1000 || max > 1e8;
    this.intMode = nonzeroFinite.every(Number.isInteger);
    const precision = options.precision;

    if (this.intMode) {
      this.sciMode = wideRange;
      for (const v of nonzeroFinite) {
        // the + 1 leaves room for the dot that marks the tensor as floating
        const width = wideRange ? formatFloatScientific(v, precision).length : formatFloatFixed(v, 0).length + 1;
        this.maxWidth = Math.max(this.maxWidth, width);
      }
    } else {
      this.sciMode = wideRange || min < 1e-4;
      for (const v of nonzeroFinite) {
        const text = this.sciMode ? formatFloatScientific(v, precision) : formatFloatFixed(v, precision);
        this.maxWidth = Math.max(this.maxWidth, text.length);
      }
    }
    if (options.sciMode !== null) this.sciMode = options.sciMode;
  }

  /** The width every element is padded to. */
  get width(): number {
    return this.maxWidth;
  }

  /** One element, right-aligned to the common width. */
  format(value: number): string {
    return this.text(value).padStart(this.maxWidth, " ");
  }

  private text(value: number): string {
    if (!this.floating) return this.plain(value);
    const precision = this.options.precision;
    if (this.sciMode) return formatFloatScientific(value, precision);
    if (this.intMode) return formatFloatFixed(value, 0) + (Number.isFinite(value) ? "." : "");
    return formatFloatFixed(value, precision);
  }

  /** Python's `str` of an int or a bool. */
  private plain(value: number): string {
    if (this.dtype === "bool") return value !== 0 ? "True" : "False";
    // int64 values are held in doubles: write the exact whole number the double holds
    return BigInt(value).toString();
  }
}
