import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCells } from "../src/index.ts";

describe("parseCells", () => {
  it("splits at `// %%` lines and reads ids", () => {
    const cells = parseCells(`// a header comment

// %% id=first
const a = 1;

// %% id="second" a title
a + 1
// %%
`);
    expect(cells).toEqual([
      { index: 1, id: "first", tags: [], code: "const a = 1;", line: 4 },
      { index: 2, id: "second", tags: [], code: "a + 1", line: 7 },
      { index: 3, id: null, tags: [], code: "", line: 9 },
    ]);
  });

  it("reads Jupytext's tags, a JSON list of names, beside the id and in either order", () => {
    const cells = parseCells('// %% id=timing tags=["measure"]\n1\n// %% tags=["measure", "slow"] id=other\n2\n// %% tags=[]\n3\n');
    expect(cells.map((c) => [c.id, c.tags])).toEqual([
      ["timing", ["measure"]],
      ["other", ["measure", "slow"]],
      [null, []],
    ]);
    expect(parseCells('# %% id=timing tags=["measure"]\nx = 1\n', "python")[0]!.tags).toEqual(["measure"]);
  });

  it("refuses tags that are not a JSON list of names", () => {
    for (const bad of ["tags=[measure]", 'tags=["a b"]', "tags=[1]", 'tags=["x",]']) {
      expect(() => parseCells(`// %% id=a\n1\n// %% ${bad}\n2\n`), bad).toThrow(/cell tags must be a JSON list of names.*\(line 3\)/);
    }
  });

  it("reads Python's `# %%` markers", () => {
    expect(parseCells("# %% id=imports\nimport torch\n\n# %% id=x\nx = 1\n", "python").map((c) => [c.id, c.code])).toEqual([
      ["imports", "import torch"],
      ["x", "x = 1"],
    ]);
  });

  it("does not take `// %%` inside a line or glued to a word for a marker", () => {
    const cells = parseCells("// %%\nconst s = '// %% id=x';\n//%%nope\n");
    expect(cells).toHaveLength(1);
    expect(cells[0]!.code).toBe("const s = '// %% id=x';\n//%%nope");
  });

  it("refuses code before the first marker, and an id used twice", () => {
    expect(() => parseCells("const a = 1;\n// %%\n")).toThrow(/line 1 holds code before the first/);
    expect(() => parseCells("// %% id=a\n1\n// %% id=a\n2\n")).toThrow(/cell id "a" is used twice \(line 3\)/);
  });

  it("gives back the cells it was built from (any code lines, any ids)", () => {
    const line = fc.string({ maxLength: 12 }).filter((s) => !s.includes("\n") && !s.includes("\r") && !/^\/\/ ?%%/.test(s));
    const cell = fc.record({
      id: fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), { nil: null }),
      lines: fc.array(line, { maxLength: 5 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(cell, { selector: (c) => c.id ?? Symbol(), maxLength: 6 }), (cells) => {
        const source = cells.map((c) => [c.id ? `// %% id=${c.id}` : "// %%", ...c.lines].join("\n")).join("\n");
        const parsed = parseCells(source);
        expect(parsed.map((c) => c.id)).toEqual(cells.map((c) => c.id));
        parsed.forEach((p, i) => {
          const lines = [...cells[i]!.lines];
          while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
          expect(p.code).toBe(lines.join("\n"));
          // the recorded line is where the cell's code starts in the file
          if (lines.length > 0) expect(source.split("\n")[p.line - 1]).toBe(lines[0]);
        });
      }),
    );
  });
});
