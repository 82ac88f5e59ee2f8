/**
 * Chapter prose links to other chapters and to the repository's files, relative to the chapter
 * folder; on the site a chapter is a sibling page and source files are not served.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pageCells, rewriteProseLinks } from "../.vitepress/chapter-pages.ts";

const chapterDir = "/repo/chapters/05-module-api";

describe("links in chapter prose, on the site", () => {
  it("to a source file become its path from the repository's root, as code", () => {
    expect(rewriteProseLinks("see [packages/module/src/setattr.ts](../../packages/module/src/setattr.ts).", chapterDir)).toBe(
      "see `packages/module/src/setattr.ts`.",
    );
    expect(rewriteProseLinks("in [`setattr.ts`](../../packages/module/src/setattr.ts)", chapterDir)).toBe(
      "in `packages/module/src/setattr.ts`",
    );
  });

  it("to a source file keep a text that says something else, before the path", () => {
    expect(rewriteProseLinks("[the Proxy](../../packages/module/src/setattr.ts)", chapterDir)).toBe(
      "the Proxy (`packages/module/src/setattr.ts`)",
    );
  });

  it("to another chapter point at its page, a sibling of this one", () => {
    expect(rewriteProseLinks("[chapter 1](../01-module) and [its English](../01-module/en.md)", chapterDir)).toBe(
      "[chapter 1](./01-module) and [its English](./01-module)",
    );
  });

  it("leave every other link alone", () => {
    const prose = "[PyTorch](https://pytorch.org), [below](#buffers), [here](./06-containers)";
    expect(rewriteProseLinks(prose, chapterDir)).toBe(prose);
  });
});

describe("the cells a page carries", () => {
  it("keep their tags, so the page can run past a cell whose error is the lesson", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchlet-chapter-"));
    try {
      writeFileSync(join(dir, "cells.ts"), '// %% id=ok\n1\n// %% id=broken tags=["raises-exception"]\nnull.x\n');
      const cells = pageCells({ slug: "99-test", number: "99", dir, title: { zh: "", en: "" } });
      expect(cells.map((c) => [c.id, c.tags])).toEqual([
        ["ok", []],
        ["broken", ["raises-exception"]],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
