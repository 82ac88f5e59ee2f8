/**
 * Chapter 05 against PyTorch: every cell of cells.ts, run in one notebook, shows character for
 * character what the same cell of cells.py showed in PyTorch 1.13 (pytorch-output.json).
 *
 * One cell depends on the machine, in both languages: `to-device` moves the model to the GPU when
 * there is one and prints where its weight lives. PyTorch was recorded on a machine without CUDA,
 * so it printed `cpu`. Without a WebGPU adapter torchlet's cell prints the same; with one, it prints
 * `webgpu` (as PyTorch on a CUDA machine would print `cuda:0`), and everything else it shows stays
 * PyTorch's.
 */
import { expect } from "vitest";
import { torch } from "@torchlet/nn";
import { describeChapter } from "@torchlet/cells/testing";

let hasWebgpu = false;

describeChapter(import.meta.url, "chapter 05: the common interfaces of nn.Module", {
  beforeRun: async () => {
    hasWebgpu = await torch.webgpu.init();
  },
  expected: (cell, pytorch) => {
    if (cell.id !== "to-device" || !hasWebgpu) return undefined;
    // PyTorch's recording stayed on the CPU; this machine has a GPU, so the model moved there
    expect(pytorch.stdout).toBe("cpu\n");
    return { ...pytorch, stdout: "webgpu\n" };
  },
});
