/**
 * Splitting a notebook file into cells: the percent format of Jupytext.
 *
 * A cell starts at a line `// %%` (in Python files `# %%`) and runs to the next such line. The
 * marker may name the cell, so that the prose of a chapter can place it:
 *
 * ```ts
 * // %% id=relu-layer
 * class ReluLayer extends nn.Module { ... }
 * ```
 *
 * `id=name` is Jupytext's `key=value` cell metadata; a name is letters, digits, `-` and `_`, and
 * may be written in quotes (`id="relu-layer"`). Tags are Jupytext's too, a JSON list of names:
 * `// %% id=time-kernels tags=["measure"]` (the chapter tests read `measure`: see the chapters'
 * README). Anything else after `%%` is a title, as Jupytext reads it, and is kept but not used.
 * Lines before the first marker are the file's header: only comments and blank lines may stand
 * there (code there would belong to no cell).
 */

/** One cell of a notebook file. */
export interface Cell {
  /** Position in the file, from 1, as Jupyter numbers `In [n]`. */
  readonly index: number;
  /** The name given with `id=...`, or null. */
  readonly id: string | null;
  /** The names given with `tags=[...]`, in order (empty without). */
  readonly tags: readonly string[];
  /** The cell's source, without its marker line and without trailing blank lines. */
  readonly code: string;
  /** Line of the file (from 1) where the cell's source starts, just after the marker. */
  readonly line: number;
}

/** Comment leaders by language: TypeScript cells use `//`, Python cells `#`. */
export type CellLanguage = "typescript" | "python";

const markers: Record<CellLanguage, RegExp> = {
  typescript: /^\/\/ ?%%(?<rest>(?:\s.*)?)$/,
  python: /^# ?%%(?<rest>(?:\s.*)?)$/,
};
const commentLine: Record<CellLanguage, RegExp> = {
  typescript: /^\s*(\/\/.*)?$/,
  python: /^\s*(#.*)?$/,
};
const idPattern = /(?:^|\s)id=(?:"(?<quoted>[\w-]+)"|(?<bare>[\w-]+))(?=\s|$)/;

const tagsPattern = /(?:^|\s)tags=(?<list>\[[^\]]*\])(?=\s|$)/;

/** Reads the cell id of a marker line's rest (`id=relu-layer`), or null. */
function idOf(rest: string): string | null {
  const match = idPattern.exec(rest);
  return match?.groups?.quoted ?? match?.groups?.bare ?? null;
}

/** Reads the tags of a marker line's rest (`tags=["measure"]`); throws a SyntaxError for a list that is not one of names. */
function tagsOf(rest: string, line: number): string[] {
  const list = tagsPattern.exec(rest)?.groups?.list;
  if (list === undefined) return [];
  let tags: unknown;
  try {
    tags = JSON.parse(list);
  } catch {
    tags = null;
  }
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === "string" && /^[\w-]+$/.test(t))) {
    throw new SyntaxError(`cell tags must be a JSON list of names, like tags=["measure"] (line ${line})`);
  }
  return tags as string[];
}

/**
 * The cells of a notebook file, in order. Throws a SyntaxError for code before the first marker,
 * for an id used twice and for tags that are not a list of names.
 */
export function parseCells(source: string, language: CellLanguage = "typescript"): Cell[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const cells: Cell[] = [];
  let current: { id: string | null; tags: string[]; line: number; body: string[] } | null = null;
  const seen = new Set<string>();

  const close = () => {
    if (!current) return;
    const body = current.body;
    while (body.length > 0 && body[body.length - 1]!.trim() === "") body.pop();
    cells.push({ index: cells.length + 1, id: current.id, tags: current.tags, code: body.join("\n"), line: current.line });
  };

  lines.forEach((text, i) => {
    const marker = markers[language].exec(text);
    if (marker) {
      close();
      const rest = marker.groups?.rest ?? "";
      const id = idOf(rest);
      if (id !== null) {
        if (seen.has(id)) throw new SyntaxError(`cell id "${id}" is used twice (line ${i + 1})`);
        seen.add(id);
      }
      current = { id, tags: tagsOf(rest, i + 1), line: i + 2, body: [] };
    } else if (current) {
      current.body.push(text);
    } else if (!commentLine[language].test(text)) {
      throw new SyntaxError(`line ${i + 1} holds code before the first "${language === "python" ? "#" : "//"} %%" cell marker`);
    }
  });
  close();
  return cells;
}
