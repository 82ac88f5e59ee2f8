/**
 * Chapter 00 against PyTorch: every cell of cells.ts, run in one notebook, shows character for
 * character what the same cell of cells.py showed in PyTorch 1.13 (pytorch-output.json) — except
 * the two cells where the answer belongs to JavaScript (see `languageDifferences` in expected.ts).
 *
 * The device cells depend on the machine, in both languages. PyTorch was recorded without CUDA,
 * so they stayed on the CPU; in Node without a WebGPU adapter torchlet's do the same and show
 * PyTorch's output. Where this machine has an adapter, they show what PyTorch showed on CUDA
 * (pytorch-cuda-output.json), renamed for WebGPU. chapter.webgpu.test.ts runs that path on
 * SwiftShader wherever it is installed.
 */
import { expect, it } from "vitest";
import { torch } from "@torchlet/nn";
import { describeChapter } from "@torchlet/cells/testing";
import { deviceCells, expectedFor, languageDifferences, recorded, recordedOnCuda } from "./expected.ts";

let hasWebgpu = false;

describeChapter(import.meta.url, "chapter 00: tensors and autograd", {
  beforeRun: async () => {
    hasWebgpu = await torch.webgpu.init();
  },
  expected: (cell) => expectedFor(cell.id!, cell.index, hasWebgpu),
  more: () => {
    it("has PyTorch's CUDA recording of the same cells", () => {
      expect(recordedOnCuda.cells.map((c) => c.id)).toEqual(recorded.cells.map((c) => c.id));
    });

    it("lists as device cells exactly those whose PyTorch output changed on CUDA", () => {
      const changed = recorded.cells
        .filter((c, i) => {
          const cuda = recordedOnCuda.cells[i]!;
          return c.stdout !== cuda.stdout || c.value !== cuda.value || c.error !== cuda.error;
        })
        .map((c) => c.id);
      expect(changed).toEqual(deviceCells);
    });

    it("keeps PyTorch's side of each language difference as PyTorch printed it", () => {
      for (const [id, { pytorch }] of Object.entries(languageDifferences)) {
        const python = recorded.cells.find((c) => c.id === id)!;
        expect({ stdout: python.stdout, value: python.value, error: python.error }, id).toEqual(pytorch);
      }
    });
  },
});
