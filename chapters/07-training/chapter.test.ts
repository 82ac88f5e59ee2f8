/**
 * Chapter 07 against PyTorch: every cell of cells.ts, run in one notebook, shows character for
 * character what the same cell of cells.py showed in PyTorch 1.13 (pytorch-output.json); see
 * `describeChapter` for everything it checks.
 */
import { describeChapter } from "@torchlet/cells/testing";

describeChapter(import.meta.url, "chapter 07: training");
