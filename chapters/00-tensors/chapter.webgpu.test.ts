/**
 * Chapter 00 on a WebGPU adapter (SwiftShader's, where Debian's chromium is installed): the device
 * cells move their tensors to the GPU and show what PyTorch showed on CUDA, renamed for WebGPU
 * (see `onWebgpu` in expected.ts); every other cell still shows what PyTorch 1.13 showed. Runs
 * where `torch.webgpu.init()` finds an adapter; fails instead of skipping under
 * TORCHLET_REQUIRE_WEBGPU=1.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { torch } from "@torchlet/nn";
import { useSoftwareVulkanIfPresent, webgpuRequired } from "@torchlet/testing";
import { readCells, runChapter, shownAs, type ChapterCellRun } from "@torchlet/cells/node";
import { deviceCells, dir, expectedFor, recordedOnCuda } from "./expected.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });
useSoftwareVulkanIfPresent();
const available = await torch.webgpu.init();
afterAll(() => torch.webgpu.destroy());

const cells = readCells(dir);

let runs: ChapterCellRun[] = [];
beforeAll(async () => {
  if (available) runs = await runChapter(dir);
});

describe.runIf(available || webgpuRequired())("chapter 00 on WebGPU", () => {
  it("has an adapter", () => expect(available, "webgpu.init() found no WebGPU adapter").toBe(true));

  it("holds a temporary until the collector frees it, where PyTorch on CUDA freed it at once", () => {
    const index = cells.findIndex((c) => c.id === "gpu-temporaries");
    expect(recordedOnCuda.cells[index]!.stdout).toBe(`${2 * 64 * 64 * 4}\n`);
    expect(shownAs(runs[index]!.run).stdout).toBe(`${3 * 64 * 64 * 4}\n`);
  });

  for (const cell of cells) {
    const where = deviceCells.includes(cell.id!) ? "on the GPU, what PyTorch showed on CUDA" : "what PyTorch showed";
    it(`In [${cell.index}] (${cell.id}) shows ${where}`, () => {
      expect(shownAs(runs[cell.index - 1]!.run)).toEqual(expectedFor(cell.id!, cell.index, true));
    });
  }
});
