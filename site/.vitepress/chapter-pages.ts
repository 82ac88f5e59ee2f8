/**
 * Chapter pages, built from the chapter folders at build time (and live in the dev server).
 *
 * A chapter's prose (`zh.md` or `en.md`) places its cells with a line `<!-- cell: id -->`. Each
 * such line becomes a `<Cell>` component holding the cell's code as a normal code block: that block
 * is what the page shows before the editor mounts (and without JavaScript). The cells' code, their
 * Python twins and what PyTorch printed travel as the page's route parameters, so the page's own
 * data carries them and no other page pays for them.
 */
import { relative, resolve, sep } from "node:path";
import {
  cellPlacement,
  findChapters,
  readCells,
  readProse,
  readPythonCells,
  readRecorded,
  type Chapter,
  type RecordedCell,
} from "@torchlet/cells/node";

export type Lang = "zh" | "en";

/** What a page knows of one cell. */
export interface PageCell {
  readonly index: number;
  readonly id: string | null;
  /** Its Jupytext tags: `raises-exception` marks a cell whose error is part of the lesson. */
  readonly tags: readonly string[];
  readonly code: string;
  /** The same cell in PyTorch (empty when the chapter has no cells.py). */
  readonly python: string;
  /** What PyTorch 1.13 showed for it, or null when not recorded. */
  readonly pytorch: Pick<RecordedCell, "stdout" | "value" | "error"> | null;
}

/** The route parameters of a chapter page. */
export interface ChapterParams {
  readonly chapter: string;
  readonly lang: Lang;
  readonly cells: readonly PageCell[];
  readonly torch: string | null;
}

function fence(code: string): string {
  // a fence longer than any run of backticks inside the code
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = "`".repeat(longest + 1);
  return `${ticks}ts\n${code}\n${ticks}`;
}

function cellMarkup(cell: PageCell): string {
  return `<Cell :index="${cell.index}">\n\n${fence(cell.code)}\n\n</Cell>`;
}

/** The cells of a chapter as its pages carry them. */
export function pageCells(chapter: Chapter): PageCell[] {
  const python = readPythonCells(chapter.dir);
  const recorded = readRecorded(chapter.dir);
  return readCells(chapter.dir).map((cell) => {
    const twin = python.find((p) => p.id !== null && p.id === cell.id) ?? python[cell.index - 1];
    const output = recorded?.cells.find((r) => r.id !== null && r.id === cell.id) ?? recorded?.cells[cell.index - 1];
    return {
      index: cell.index,
      id: cell.id,
      tags: cell.tags,
      code: cell.code,
      python: twin?.code ?? "",
      pytorch: output ? { stdout: output.stdout, value: output.value, error: output.error } : null,
    };
  });
}

/**
 * Links in the prose are written for reading the chapter folder beside the code: to another
 * chapter (`../01-module`, `../01-module/en.md`) and to the repository's files
 * (`../../packages/module/src/setattr.ts`). On the site a chapter is a sibling page, and source
 * files are not served: they become the file's path from the repository's root, as code, after
 * the link's text when that says something else.
 */
export function rewriteProseLinks(prose: string, chapterDir: string): string {
  const root = resolve(chapterDir, "..", "..");
  return prose.replace(/\[([^\]]+)\]\((\.\.\/[^)\s]+)\)/g, (_, text: string, target: string) => {
    const path = relative(root, resolve(chapterDir, target)).split(sep).join("/");
    const chapter = /^chapters\/(\d\d-[^/]+)(\/(zh|en)\.md)?$/.exec(path);
    if (chapter) return `[${text}](./${chapter[1]})`;
    const plain = text.replace(/`/g, "");
    return plain === path || plain === path.split("/").at(-1) ? `\`${path}\`` : `${text} (\`${path}\`)`;
  });
}

/**
 * The markdown of a chapter page: the prose with every placed cell, then any cell the prose did
 * not place (so no cell is ever lost from the page).
 */
export function chapterMarkdown(chapter: Chapter, lang: Lang, cells: readonly PageCell[]): string {
  const prose = rewriteProseLinks(readProse(chapter.dir, lang) ?? `# ${chapter.slug}\n`, chapter.dir);
  const byId = new Map(cells.map((c) => [c.id, c]));
  const placed = new Set<PageCell>();
  const body = prose.split("\n").map((line) => {
    const match = cellPlacement.exec(line);
    if (!match) return line;
    const cell = byId.get(match[1]!);
    if (!cell) throw new Error(`${chapter.slug}/${lang}.md places a cell "${match[1]}" that cells.ts does not have`);
    placed.add(cell);
    return cellMarkup(cell);
  });
  const rest = cells.filter((c) => !placed.has(c));
  const tail = rest.length > 0 ? ["", lang === "zh" ? "## 其余的单元" : "## More cells", "", ...rest.map(cellMarkup)] : [];
  // the device badge goes right under the page's title
  const title = body.findIndex((line) => /^#\s/.test(line));
  body.splice(title + 1, 0, "", "<DeviceBadge />", "");
  return [...body, ...tail].join("\n");
}

/** The dynamic routes of one language: one page per chapter folder. */
export function chapterRoutes(lang: Lang) {
  return findChapters().map((chapter) => {
    const cells = pageCells(chapter);
    const recorded = readRecorded(chapter.dir);
    const params: ChapterParams = { chapter: chapter.slug, lang, cells, torch: recorded?.torch ?? null };
    return { params, content: chapterMarkdown(chapter, lang, cells) };
  });
}

