/**
 * Print options, PyTorch's `torch.set_printoptions`: how many digits, when to summarise, how wide a
 * line may be, and whether to force scientific notation. They are global, as in PyTorch.
 */

/** The options every printed tensor follows. */
export interface PrintOptions {
  /** Digits after the decimal point (default 4). */
  precision: number;
  /** More elements than this and the tensor is summarised with `...` (default 1000). */
  threshold: number;
  /** Entries shown at the start and at the end of each summarised dimension (default 3). */
  edgeitems: number;
  /** Characters per line before rows are broken (default 80). */
  linewidth: number;
  /** `true` forces scientific notation, `false` forbids it, `null` lets each tensor choose (default). */
  sciMode: boolean | null;
}

/** The arguments of `setPrintOptions`: any option, and a `profile` to start from. */
export interface SetPrintOptions extends Partial<PrintOptions> {
  /**
   * Sets precision, threshold, edgeitems and linewidth together before the other options apply:
   * `"default"` (4, 1000, 3, 80), `"short"` (2, 1000, 2, 80) or `"full"` (4, Infinity, 3, 80:
   * nothing is summarised).
   */
  profile?: "default" | "short" | "full";
}

const profiles = {
  default: { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 },
  short: { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 },
} as const;

let current: PrintOptions = { ...profiles.default, sciMode: null };

/**
 * Sets the print options, like `torch.set_printoptions(precision=2)`:
 * `setPrintOptions({ precision: 2 })`. Options left out keep their value, except `sciMode`, which
 * PyTorch resets to automatic on every call that does not name it; `setPrintOptions({ profile: "default" })`
 * restores everything.
 */
export function setPrintOptions(options: SetPrintOptions = {}): void {
  const { profile, sciMode, ...rest } = options;
  const next: PrintOptions = { ...current, ...(profile !== undefined ? profiles[profile] : {}) };
  for (const key of ["precision", "threshold", "edgeitems", "linewidth"] as const) {
    const value = rest[key];
    if (value !== undefined && value !== null) next[key] = value;
  }
  next.sciMode = sciMode ?? null;
  current = next;
}

/** A copy of the print options in force (PyTorch's later `torch._tensor_str.get_printoptions()`). */
export function getPrintOptions(): PrintOptions {
  return { ...current };
}
