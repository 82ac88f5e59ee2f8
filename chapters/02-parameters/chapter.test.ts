/**
 * Chapter 02 against PyTorch: every cell of cells.ts, run in one notebook, shows character for
 * character what the same cell of cells.py showed in PyTorch 1.13 (pytorch-output.json) — except
 * the one cell listed in `differences`, where the answer belongs to the language, not the library.
 */
import { expect } from "vitest";
import { describeChapter } from "@torchlet/cells/testing";

/**
 * Cells whose output cannot be PyTorch's, with what PyTorch showed and what torchlet shows
 * instead (the prose says why). `type(mlp.state_dict())` names Python's class; JavaScript has no
 * OrderedDict, and `stateDict()` returns a Map, which keeps insertion order just the same.
 */
const differences: Record<string, { pytorch: string; torchlet: string }> = {
  "state-dict-type": { pytorch: "<class 'collections.OrderedDict'>", torchlet: "'Map'" },
};

describeChapter(import.meta.url, "chapter 02: parameters", {
  expected: (cell, pytorch) => {
    const difference = differences[cell.id ?? ""];
    if (difference === undefined) return undefined;
    expect(pytorch, "PyTorch's side of the difference").toEqual({ stdout: "", value: difference.pytorch, error: null });
    return { stdout: "", value: difference.torchlet, error: null };
  },
});
