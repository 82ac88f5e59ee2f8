import { describe, expect, it } from "vitest";
import { CellSyntaxError, compileCell, rewrite, stripTypes } from "../src/index.ts";

describe("stripTypes", () => {
  it("removes types and keeps every line in place", () => {
    const ts = `interface Shape {\n  n: number;\n}\nconst a: number = 1;\n\nfunction f(x: Shape): number {\n  return x.n as number;\n}\nf({ n: a });`;
    const js = stripTypes(ts);
    expect(js.split("\n")).toHaveLength(ts.split("\n").length);
    expect(js.split("\n")[3]).toBe("const a = 1;");
    expect(js.split("\n")[8]).toBe("f({ n: a });");
  });

  it("reports a syntax error at the cell's line and column", () => {
    try {
      stripTypes("const a = 1;\nconst = 2;");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CellSyntaxError);
      expect((error as CellSyntaxError).line).toBe(2);
    }
  });
});

describe("rewrite", () => {
  it("turns imports into awaited loads on the same line", () => {
    const { body, declared } = rewrite(`import { torch, nn as n } from "@torchlet/nn";\nimport * as core from "@torchlet/tensor-core";\nimport d, { x } from "m";\n1`);
    const lines = body.split("\n");
    expect(lines[0]).toBe(`;({ torch, nn: n } = await __cell.import("@torchlet/nn"));`);
    expect(lines[1]).toBe(`;(core = await __cell.import("@torchlet/tensor-core"));`);
    expect(lines[2]).toBe(`;({ default: d, x } = await __cell.import("m"));`);
    expect(declared).toEqual(["torch", "n", "core", "d", "x", ]);
  });

  it("keeps the line count of an import written over several lines", () => {
    const { body } = rewrite(`import {\n  a,\n  b,\n} from "m";\na + b`);
    expect(body.split("\n")).toHaveLength(5);
    expect(body.split("\n")[4]).toBe("return (a + b)");
  });

  it("returns the last expression, not an assignment or a declaration", () => {
    expect(rewrite("let a = 1;\na * 2;").hasValue).toBe(true);
    expect(rewrite("let a = 1;\na * 2;").body).toBe(";(a = 1);\nreturn (a * 2);");
    expect(rewrite("let a = 1;\na = 2;").hasValue).toBe(false);
    expect(rewrite("const a = 1;").hasValue).toBe(false);
    expect(rewrite("for (const x of []) x;").hasValue).toBe(false);
    expect(rewrite("").hasValue).toBe(false);
  });

  it("lists the top-level names, destructured ones included, and not the nested ones", () => {
    const { declared } = rewrite(`const { a, b: [c, ...d] } = o;\nlet e = 1, f;\nfunction g() { const inner = 1; }\nclass H {}\nexport const i = 1;\n{ const block = 1; }`);
    expect(declared).toEqual(["a", "c", "d", "e", "f", "g", "H", "i"]);
  });

  it("turns top-level declarations into assignments to the scope, line for line", () => {
    expect(rewrite("const a = 1, { b } = o\nlet c;\nclass K extends B {\n}\nfunction f() {}").body).toBe(
      ";(a = 1, { b } = o);\n;(c = undefined);\n;K = class K extends B {\n};\nfunction f() {}",
    );
  });

  it("drops export and sends import() through the allow-list", () => {
    const { body } = rewrite(`export function f() { return import("x"); }`);
    expect(body).toBe(`function f() { return __cell.import("x"); }`);
  });

  it("allows top-level await", () => {
    expect(rewrite("await 1").body).toBe("return (await 1)");
  });
});

describe("compileCell", () => {
  it("keeps the cell's code on the same lines of the compiled source", () => {
    const code = "const a: number = 1;\nconst b = a + 1;\nb";
    const compiled = compileCell(code);
    const lines = compiled.source.split("\n");
    expect(lines[0]!.slice(compiled.firstLineOffset)).toBe(";(a = 1);");
    expect(lines[1]).toBe(";(b = a + 1);");
    expect(lines[2]).toBe("return (b)");
    expect(compiled.declared).toEqual(["a", "b"]);
  });
});
