/**
 * Chapter prose links to other chapters and to the repository's files, relative to the chapter
 * folder; on the site a chapter is a sibling page and source files are not served.
 */
import { describe, expect, it } from "vitest";
import { rewriteProseLinks } from "../.vitepress/chapter-pages.ts";

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
