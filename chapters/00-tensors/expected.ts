/**
 * What each cell of chapter 00 must show, taken from PyTorch's own output. Shared by the two
 * chapter tests: `chapter.test.ts` runs the chapter on whatever device this machine gives (the CPU,
 * where Node finds no WebGPU adapter), `chapter.webgpu.test.ts` on SwiftShader's WebGPU adapter.
 *
 * Two recordings stand behind it:
 * - `pytorch-output.json`: PyTorch 1.13 on a machine without a GPU (the page shows it beside each
 *   cell), written by `chapters/record_pytorch.py`;
 * - `pytorch-cuda-output.json`: the same cells.py recorded the same way by PyTorch on a machine
 *   with an NVIDIA GPU, where `torch.cuda.is_available()` is true and the device cells run on CUDA.
 *   It is what torchlet's device cells must show on WebGPU, with the device's name changed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readRecorded, type RecordedChapter } from "@torchlet/cells/node";

export const dir = fileURLToPath(new URL(".", import.meta.url));

/** PyTorch 1.13 on a CPU-only machine. */
export const recorded: RecordedChapter = readRecorded(dir)!;

/** PyTorch on a machine with a CUDA GPU. */
export const recordedOnCuda: RecordedChapter = JSON.parse(readFileSync(join(dir, "pytorch-cuda-output.json"), "utf8"));

/** What a cell shows, as `shownAs` reads a run and the recordings hold it. */
export interface Shown {
  stdout: string;
  value: string | null;
  error: string | null;
}

/**
 * Cells whose output cannot be PyTorch's for a reason that belongs to JavaScript (the prose says
 * why): torchlet's dtypes are the strings a reader passes as `{ dtype: "float32" }`, and
 * JavaScript has one number type, so `1.0` is the integer 1 and infers int64.
 */
export const languageDifferences: Record<string, { pytorch: Shown; torchlet: Shown }> = {
  dtypes: {
    pytorch: { stdout: "", value: "(torch.int64, torch.float32, torch.bool)", error: null },
    torchlet: { stdout: "", value: "('int64', 'float32', 'bool')", error: null },
  },
  "float-pitfall": {
    pytorch: { stdout: "tensor([1., 2.])\n", value: "tensor([2., 3.])", error: null },
    torchlet: { stdout: "tensor([1, 2])\n", value: "tensor([2, 3])", error: null },
  },
};

/** The cells that run on the GPU when there is one: the only ones whose output depends on the machine. */
export const deviceCells = ["webgpu-init", "to-device", "gpu-op", "gpu-memory", "gpu-temporaries", "tidy"];

/** Bytes of one 64 × 64 float32 tensor, the unit of the memory cells. */
const tile = 64 * 64 * 4;

/**
 * What PyTorch showed on CUDA, as torchlet shows it on WebGPU: the device is called `webgpu`
 * (`device='webgpu:0'` in a tensor's repr, as CUDA's is `device='cuda:0'`). One figure differs for
 * a reason of the language: Python frees the temporary `u + u` the moment nothing refers to it,
 * while JavaScript's garbage collector frees it at a time of its choosing, so right after the cell
 * torchlet holds three 64 × 64 buffers where PyTorch holds two (which is why `tidy` exists).
 */
export function onWebgpu(id: string, cuda: Shown): Shown {
  const rename = (text: string) =>
    text.replaceAll("device='cuda:0'", "device='webgpu:0'").replace(/^cuda:0$/m, "webgpu").replaceAll("'cuda'", "'webgpu'");
  const shown = { stdout: rename(cuda.stdout), value: cuda.value === null ? null : rename(cuda.value), error: cuda.error };
  if (id === "gpu-temporaries") shown.stdout = shown.stdout.replace(`${2 * tile}\n`, `${3 * tile}\n`);
  return shown;
}

/** What cell `id` (at 1-based `index`) must show, on a machine with or without WebGPU. */
export function expectedFor(id: string, index: number, hasWebgpu: boolean): Shown {
  const difference = languageDifferences[id];
  if (difference) return difference.torchlet;
  const source = hasWebgpu && deviceCells.includes(id) ? recordedOnCuda : recorded;
  const cell = source.cells[index - 1]!;
  const shown = { stdout: cell.stdout, value: cell.value, error: cell.error };
  return hasWebgpu && deviceCells.includes(id) ? onWebgpu(id, shown) : shown;
}
