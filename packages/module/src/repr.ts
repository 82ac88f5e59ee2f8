/**
 * How a module prints: PyTorch's `Module.__repr__`. The class name, then in parentheses the lines of
 * `extraRepr()` followed by one `(name): child` line per submodule, each child printed the same way
 * and indented two spaces. A module with one line of extra repr and no children stays on one line:
 * `Linear(in_features=3, out_features=2, bias=True)`.
 */
import type { Module } from "./module.ts";

/** Indents every line but the first by `spaces` (PyTorch's `_addindent`). */
export function addIndent(text: string, spaces: number): string {
  const lines = text.split("\n");
  if (lines.length === 1) return text;
  const pad = " ".repeat(spaces);
  return [lines[0], ...lines.slice(1).map((line) => pad + line)].join("\n");
}

/** The repr of `module` and, recursively, of its children. */
export function moduleRepr(module: Module): string {
  const extra = module.extraRepr();
  // an empty extra repr adds no line at all, not one empty line
  const extraLines = extra ? extra.split("\n") : [];
  const childLines: string[] = [];
  for (const [name, child] of module._modules) {
    // String(child), not moduleRepr(child): a child class may print itself its own way
    childLines.push(`(${name}): ${addIndent(child === null ? "None" : String(child), 2)}`);
  }
  const lines = [...extraLines, ...childLines];
  let text = `${module._getName()}(`;
  if (lines.length > 0) {
    if (extraLines.length === 1 && childLines.length === 0) text += extraLines[0];
    else text += `\n  ${lines.join("\n  ")}\n`;
  }
  return `${text})`;
}
