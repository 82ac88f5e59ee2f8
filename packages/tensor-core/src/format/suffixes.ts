/**
 * The notes after a tensor's values, `device='webgpu:0'` or `requires_grad=True`, and the closing
 * parenthesis (PyTorch's `_add_suffixes`). A note stays on the last line while it fits in
 * `linewidth`, and otherwise starts a new line, indented under the first bracket.
 */

/** `body` (starting with `tensor(`) with each suffix appended, then `)`. */
export function addSuffixes(body: string, suffixes: readonly string[], indent: number, linewidth: number): string {
  const parts = [body];
  // PyTorch's count is two more than the last line's length (until a suffix wraps); since it
  // decides where suffixes wrap, it is kept as it is.
  let lastLineLength = body.length - body.lastIndexOf("\n") + 1;
  for (const suffix of suffixes) {
    if (lastLineLength + suffix.length + 2 > linewidth) {
      parts.push(",\n" + " ".repeat(indent) + suffix);
      lastLineLength = indent + suffix.length;
    } else {
      parts.push(", " + suffix);
      lastLineLength += suffix.length + 2;
    }
  }
  parts.push(")");
  return parts.join("");
}
