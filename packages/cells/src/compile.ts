/**
 * Turning a cell's TypeScript into a function that runs Jupyter-style.
 *
 * Three steps, each keeping every line where it was, so that an error's line is the cell's line:
 *
 * 1. **Strip the types** with sucrase: it removes annotations, interfaces and type-only imports in
 *    place, and leaves modern JavaScript as it is.
 * 2. **Read the program** with acorn and rewrite what a notebook means differently from a module:
 *    - a top-level `const a = ...`, `let`, `var` or `class K` becomes an assignment to the
 *      notebook's scope (`;(a = ...);`, `;K = class K ...;`): the name lives in the notebook, not
 *      in this cell, so a function made here and called later sees the value a later cell gave it
 *      (a Python global, not a closure's copy);
 *    - `import { a } from "x"` becomes `;({ a } = await __cell.import("x"));`: cells import from an
 *      allow-list, at run time, and the names join the scope;
 *    - `export` is dropped (a cell exports nothing);
 *    - the last statement, if it is an expression, is returned: that is the cell's value, as the
 *      last expression of a Jupyter cell is shown (an assignment shows nothing, as in Python).
 *    Function declarations stay declarations (they are hoisted within the cell) and are copied to
 *    the scope before the cell runs.
 * 3. **Wrap it** in an `async` function (so top-level `await` works) inside `with (scope)`, so
 *    every name a cell did not declare locally is looked up in, and assigned to, the notebook.
 */
import { parse, type Node } from "acorn";
import { transform } from "sucrase";

/** A cell ready to evaluate. */
export interface CompiledCell {
  /** JavaScript source of `(function (__scope) { ... })`, to evaluate once and call with the scope. */
  readonly source: string;
  /** Names the cell declares at top level: they join the notebook's scope as the cell assigns them. */
  readonly declared: readonly string[];
  /** Whether the cell ends in an expression whose value it returns. */
  readonly hasValue: boolean;
  /** Characters added before the cell's code on its first line (to map error columns back). */
  readonly firstLineOffset: number;
}

/** A cell that cannot be compiled: a syntax error at a line (from 1) and column (from 1) of the cell. */
export class CellSyntaxError extends SyntaxError {
  constructor(
    message: string,
    readonly line: number | null,
    readonly column: number | null,
  ) {
    super(message);
    this.name = "SyntaxError";
  }
}

/** Step 1: TypeScript to JavaScript, line for line. */
export function stripTypes(code: string): string {
  try {
    return transform(code, {
      transforms: ["typescript"],
      keepUnusedImports: true, // `import { torch }` used only in types still runs: the name is in scope later
      disableESTransforms: true,
    }).code;
  } catch (error) {
    // sucrase writes the place at the end of its message: "Unexpected token (3:7)"
    const message = error instanceof Error ? error.message : String(error);
    const place = /\((\d+):(\d+)\)\s*$/.exec(message);
    const text = message.replace(/\s*\(\d+:\d+\)\s*$/, "");
    throw new CellSyntaxError(text, place ? Number(place[1]) : null, place ? Number(place[2]) + 1 : null);
  }
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

type AnyNode = Node & Record<string, any>;

/** The names a declaration pattern binds: `a`, `{ a, b: c }`, `[d, ...e]`, `{ f = 1 }`. */
function boundNames(pattern: AnyNode, into: string[]): void {
  switch (pattern.type) {
    case "Identifier":
      into.push(pattern.name);
      break;
    case "ObjectPattern":
      for (const property of pattern.properties) boundNames(property.type === "RestElement" ? property : property.value, into);
      break;
    case "ArrayPattern":
      for (const element of pattern.elements) if (element) boundNames(element, into);
      break;
    case "RestElement":
      boundNames(pattern.argument, into);
      break;
    case "AssignmentPattern":
      boundNames(pattern.left, into);
      break;
  }
}

/** Calls `visit` on every node below `node` (a small walker: acorn's own lives in another package). */
function walk(node: AnyNode, visit: (node: AnyNode) => void): void {
  visit(node);
  for (const key of Object.keys(node)) {
    const child = node[key];
    if (Array.isArray(child)) {
      for (const item of child) if (item && typeof item.type === "string") walk(item, visit);
    } else if (child && typeof child === "object" && typeof child.type === "string") {
      walk(child, visit);
    }
  }
}

/** Newlines that keep the line count of `original` when it is replaced by a one-line text. */
function sameLines(original: string): string {
  return "\n".repeat(original.split("\n").length - 1);
}

/** `import a, { b, c as d } from "x"` as one awaited assignment to the scope, on the import's first line. */
function importAsAssignment(node: AnyNode, source: string, declared: string[]): string {
  const from = JSON.stringify(node.source.value);
  const named: string[] = [];
  let namespace: string | null = null;
  for (const specifier of node.specifiers) {
    declared.push(specifier.local.name);
    if (specifier.type === "ImportNamespaceSpecifier") namespace = specifier.local.name;
    else if (specifier.type === "ImportDefaultSpecifier") named.push(`default: ${specifier.local.name}`);
    else {
      const imported = specifier.imported.type === "Identifier" ? specifier.imported.name : JSON.stringify(specifier.imported.value);
      named.push(imported === specifier.local.name ? imported : `${imported}: ${specifier.local.name}`);
    }
  }
  const load = `await __cell.import(${from})`;
  let text: string;
  if (node.specifiers.length === 0) text = `;${load};`;
  else if (namespace && named.length > 0) text = `;(${namespace} = ${load}, { ${named.join(", ")} } = ${namespace});`;
  else if (namespace) text = `;(${namespace} = ${load});`;
  else text = `;({ ${named.join(", ")} } = ${load});`;
  return text + sameLines(source.slice(node.start, node.end));
}

/** Expressions that Python would not show as a cell's value: assignments (statements in Python). */
function isShownExpression(expression: AnyNode): boolean {
  return expression.type !== "AssignmentExpression" && !(expression.type === "UnaryExpression" && expression.operator === "void");
}

/** Step 2: the notebook rewrites on stripped JavaScript. */
export function rewrite(javascript: string): { body: string; declared: string[]; functions: string[]; hasValue: boolean } {
  let program: AnyNode;
  try {
    program = parse(javascript, {
      ecmaVersion: "latest",
      sourceType: "module",
      allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: false,
      locations: true,
    }) as AnyNode;
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\(\d+:\d+\)$/, "");
    throw new CellSyntaxError(message, loc?.line ?? null, loc ? loc.column + 1 : null);
  }

  const edits: Edit[] = [];
  const declared: string[] = [];
  const functions: string[] = [];
  for (const statement of program.body as AnyNode[]) {
    let declaration: AnyNode | null = statement;
    if (statement.type === "ImportDeclaration") {
      edits.push({ start: statement.start, end: statement.end, text: importAsAssignment(statement, javascript, declared) });
      declaration = null;
    } else if (statement.type === "ExportNamedDeclaration" || statement.type === "ExportDefaultDeclaration") {
      if (statement.declaration) {
        edits.push({ start: statement.start, end: statement.declaration.start, text: "" });
        declaration = statement.declaration;
      } else {
        edits.push({ start: statement.start, end: statement.end, text: sameLines(javascript.slice(statement.start, statement.end)) });
        declaration = null;
      }
    } else if (statement.type === "ExportAllDeclaration") {
      edits.push({ start: statement.start, end: statement.end, text: sameLines(javascript.slice(statement.start, statement.end)) });
      declaration = null;
    }
    if (!declaration) continue;
    if (declaration.type === "VariableDeclaration") {
      // `const a = 1, { b } = o;` -> `;(a = 1, { b } = o);`, and `let c;` -> `;(c = undefined);`
      edits.push({ start: declaration.start, end: declaration.declarations[0].start, text: ";(" });
      for (const declarator of declaration.declarations) {
        boundNames(declarator.id, declared);
        if (!declarator.init) edits.push({ start: declarator.id.end, end: declarator.id.end, text: " = undefined" });
      }
      const end = javascript[declaration.end - 1] === ";" ? declaration.end - 1 : declaration.end;
      edits.push({ start: end, end: declaration.end, text: ");" });
    } else if (declaration.type === "ClassDeclaration" && declaration.id) {
      declared.push(declaration.id.name);
      edits.push({ start: declaration.start, end: declaration.start, text: `;${declaration.id.name} = ` });
      edits.push({ start: declaration.end, end: declaration.end, text: ";" });
    } else if (declaration.type === "FunctionDeclaration" && declaration.id) {
      declared.push(declaration.id.name);
      functions.push(declaration.id.name);
    }
  }

  // import("x") anywhere in the cell goes through the allow-list as well
  walk(program, (node) => {
    if (node.type === "ImportExpression") edits.push({ start: node.start, end: node.start + "import".length, text: "__cell.import" });
  });

  // A lone string is a "directive" to acorn (as "use strict" is); in a cell it is a value, as in Python.
  const last = program.body[program.body.length - 1] as AnyNode | undefined;
  const hasValue = last?.type === "ExpressionStatement" && last.directive !== "use strict" && isShownExpression(last.expression);
  if (hasValue) {
    // the statement's range, not the expression's: it includes parentheses, `({ a: 1 })`
    const end = javascript[last!.end - 1] === ";" ? last!.end - 1 : last!.end;
    edits.push({ start: last!.start, end: last!.start, text: "return (" });
    edits.push({ start: end, end, text: ")" });
  }

  // apply back to front, so earlier positions stay valid; at one position, later edits go first
  const ordered = edits.map((edit, order) => ({ edit, order })).sort((a, b) => b.edit.start - a.edit.start || b.order - a.order);
  let body = javascript;
  for (const { edit } of ordered) body = body.slice(0, edit.start) + edit.text + body.slice(edit.end);
  return { body, declared: [...new Set(declared)], functions, hasValue };
}

/**
 * Step 3: the whole pipeline. The result evaluates to a function of the notebook's scope object
 * that returns the cell as an `async` function of `__cell` (which gives it `import`).
 */
export function compileCell(code: string): CompiledCell {
  const { body, declared, functions, hasValue } = rewrite(stripTypes(code));
  // Function declarations are hoisted: they reach the scope before the cell's first line runs.
  const publish = functions.map((name) => `__scope[${JSON.stringify(name)}] = ${name};`).join(" ");
  const prologue = `(function (__scope) { with (__scope) { return async function (__cell) { "use strict"; ${publish} `;
  const epilogue = `\n} } })`;
  return { source: prologue + body + epilogue, declared, hasValue, firstLineOffset: prologue.length };
}
