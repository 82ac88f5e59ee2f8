/**
 * Chapters on disk. Every folder `chapters/NN-name/` that holds a `cells.ts` is a chapter; beside
 * it, `cells.py` and `pytorch-output.json` are its PyTorch twin and what PyTorch printed, and
 * `zh.md` / `en.md` its prose. The terminal runner, the chapter tests and the site all find
 * chapters here, so a new folder is picked up everywhere without being listed anywhere.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCells, type Cell } from "../parse.ts";

/** A chapter folder. */
export interface Chapter {
  /** The folder's name, `01-module`: also the page's address on the site. */
  readonly slug: string;
  /** Its number as written, `01`. */
  readonly number: string;
  /** The absolute path of the folder. */
  readonly dir: string;
  /** The first `# ` heading of zh.md and en.md (the slug where a file is missing). */
  readonly title: { readonly zh: string; readonly en: string };
}

/** What PyTorch showed for one cell of cells.py, as `chapters/record_pytorch.py` wrote it. */
export interface RecordedCell {
  readonly index: number;
  readonly id: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly value: string | null;
  readonly error: string | null;
}

/** The contents of `pytorch-output.json`. */
export interface RecordedChapter {
  readonly torch: string;
  readonly python: string;
  readonly cells: readonly RecordedCell[];
}

const chapterFolder = /^(\d\d)-[a-z0-9-]+$/;

/** The repository's root: three folders above this file (packages/cells/src/node). */
export const repositoryRoot = resolve(fileURLToPath(new URL("../../../../", import.meta.url)));

function titleOf(file: string, fallback: string): string {
  if (!existsSync(file)) return fallback;
  const heading = /^#\s+(.+)$/m.exec(readFileSync(file, "utf8"));
  return heading ? heading[1]!.trim() : fallback;
}

/** Every chapter under `root/chapters`, in the order of their numbers. */
export function findChapters(root: string = repositoryRoot): Chapter[] {
  const base = join(root, "chapters");
  if (!existsSync(base)) return [];
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && chapterFolder.test(entry.name) && existsSync(join(base, entry.name, "cells.ts")))
    .map((entry) => entry.name)
    .sort()
    .map((slug) => {
      const dir = join(base, slug);
      return {
        slug,
        number: slug.slice(0, 2),
        dir,
        title: { zh: titleOf(join(dir, "zh.md"), slug), en: titleOf(join(dir, "en.md"), slug) },
      };
    });
}

/**
 * The chapter a command-line argument names: its number (`01` or `1`), its folder name
 * (`01-module`) or the name after the number (`module`). Null when none matches.
 */
export function findChapter(name: string, root: string = repositoryRoot): Chapter | null {
  const wanted = name.replace(/\/+$/, "").split("/").pop()!;
  return (
    findChapters(root).find(
      (c) => c.slug === wanted || c.number === wanted.padStart(2, "0") || c.slug.slice(3) === wanted,
    ) ?? null
  );
}

/** The TypeScript cells of a chapter. */
export function readCells(dir: string): Cell[] {
  return parseCells(readFileSync(join(dir, "cells.ts"), "utf8"), "typescript");
}

/** The PyTorch cells of a chapter (empty when it has no cells.py). */
export function readPythonCells(dir: string): Cell[] {
  const file = join(dir, "cells.py");
  return existsSync(file) ? parseCells(readFileSync(file, "utf8"), "python") : [];
}

/** What PyTorch printed for the chapter's cells.py, or null when it was not recorded. */
export function readRecorded(dir: string): RecordedChapter | null {
  const file = join(dir, "pytorch-output.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as RecordedChapter) : null;
}

/**
 * The prose of a chapter places its cells with lines `<!-- cell: id -->` (an HTML comment, so the
 * file still reads well where it is not turned into a page). This reads the placing line's id.
 */
export const cellPlacement = /^\s*<!--\s*cell:\s*([\w-]+)\s*-->\s*$/;

/** The ids of the cells a chapter's prose places, in order of appearance. */
export function placedCellIds(prose: string): string[] {
  return prose.split("\n").flatMap((line) => {
    const match = cellPlacement.exec(line);
    return match ? [match[1]!] : [];
  });
}

/** A chapter's prose in `lang` (`zh` or `en`), or null when the file is missing. */
export function readProse(dir: string, lang: "zh" | "en"): string | null {
  const file = join(dir, `${lang}.md`);
  return existsSync(file) ? readFileSync(file, "utf8") : null;
}
