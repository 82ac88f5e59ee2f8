/**
 * `pnpm chapter`: the command itself, run as a reader runs it (the output is not a terminal here,
 * so it has no colours).
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { cellHeader, findChapter, findChapters, readRecorded, renderOutput } from "../src/node/index.ts";

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const run = (...args: string[]) => promisify(execFile)(process.execPath, ["--import", "tsx", cli, ...args], { env: { ...process.env, NO_COLOR: "1" } });

describe("pnpm chapter", () => {
  it("lists the chapters without an argument", async () => {
    const { stdout } = await run();
    expect(stdout).toMatch(/^ {2}01 {2}01-module +nn\.Module: layers, blocks and models$/m);
  });

  it("runs a chapter as In [n] / Out[n] blocks showing what PyTorch showed", async () => {
    const { stdout } = await run("01", "--no-code");
    const recorded = readRecorded(findChapter("01")!.dir)!;
    const expected = recorded.cells
      .map((c) => `In [${c.index}]:\n${c.stdout}${c.value === null ? "" : `Out[${c.index}]:${c.value.includes("\n") ? "\n" : " "}${c.value}\n`}`)
      .join("\n");
    expect(stdout).toBe(`01-module: nn.Module: layers, blocks and models\n\n${expected}`);
  });

  it("says which chapters exist when asked for a missing one", async () => {
    const slugs = findChapters().map((c) => c.slug);
    expect(slugs).toContain("01-module");
    await expect(run("99")).rejects.toMatchObject({ code: 2, stderr: `No chapter "99". The chapters are: ${slugs.join(", ")}.\n` });
  });
});

describe("the terminal's rendering", () => {
  it("writes code with IPython's prompts, and errors with their cell and line", () => {
    const cell = { index: 12, id: null, tags: [], code: "const a = 1;\na", line: 1 };
    expect(cellHeader(cell)).toBe("In [12]: const a = 1;\n    ...: a\n");
    const record = { run: 1, cell: 12, outputs: [], ok: false };
    expect(renderOutput({ kind: "error", ename: "RuntimeError", evalue: "bad", cell: 12, line: 2 }, record)).toBe("Cell In[12], line 2\nRuntimeError: bad\n");
    expect(renderOutput({ kind: "value", text: "3" }, record)).toBe("Out[12]: 3\n");
  });
});
