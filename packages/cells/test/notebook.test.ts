import { describe, expect, it } from "vitest";
import { Notebook, outputText, type Output } from "../src/index.ts";
import { shownAs } from "../src/node/index.ts";

const texts = (outputs: readonly Output[]) => outputs.map((o) => `${o.kind}:${outputText(o)}`);

describe("Notebook: one scope across cells", () => {
  it("sees the names earlier cells declared, and their later assignments", async () => {
    const nb = new Notebook();
    await nb.run("let a = 1;\nconst f = () => a * 10;\nclass K { v = 3 }");
    await nb.run("a = 2");
    expect(shownAs(await nb.run("[a, f(), new K().v]")).value).toBe("[2, 20, 3]");
  });

  it("lets a later cell declare a name again (re-running a cell redefines it)", async () => {
    const nb = new Notebook();
    await nb.run("const x = 1");
    await nb.run("const x = 2");
    expect(shownAs(await nb.run("x")).value).toBe("2");
    expect(nb.get("x")).toBe(2);
  });

  it("keeps what a cell declared before it threw, as Python does", async () => {
    const nb = new Notebook();
    const run = await nb.run("const before = 1;\nthrow new Error('stop');\nconst after = 2;");
    expect(run.ok).toBe(false);
    expect(nb.has("before")).toBe(true);
    expect(nb.has("after")).toBe(false);
  });

  it("runs top-level await, and shows the awaited value", async () => {
    const nb = new Notebook();
    const run = await nb.run("const v = await new Promise((r) => setTimeout(() => r(41), 5));\nv + 1");
    expect(texts(run.outputs)).toEqual(["value:42"]);
  });

  it("keeps cell code strict: assigning an undeclared name is an error", async () => {
    const run = await new Notebook().run("undeclared = 1");
    expect(shownAs(run).error).toBe("ReferenceError: undeclared is not defined");
  });

  it("queues runs: a second run starts when the first has finished", async () => {
    const nb = new Notebook();
    const first = nb.run("await new Promise((r) => setTimeout(r, 20));\nconsole.log('first')");
    const second = nb.run("console.log('second')");
    const [a, b] = await Promise.all([first, second]);
    expect(texts(a.outputs)).toEqual(["stream:first\n"]);
    expect(texts(b.outputs)).toEqual(["stream:second\n"]);
  });
});

describe("Notebook: imports", () => {
  it("imports torchlet packages and the cells' helpers", async () => {
    const nb = new Notebook();
    const run = await nb.run(`import { torch } from "@torchlet/nn";\nimport * as core from "@torchlet/tensor-core";\nimport { tuple } from "@torchlet/cells";\ntuple(torch.ones(1).shape, core.zeros(2).shape)`);
    expect(shownAs(run).value).toBe("(torch.Size([1]), torch.Size([2]))");
  });

  it("refuses a module outside the allow-list, with Python's error type", async () => {
    const run = await new Notebook().run(`import fs from "node:fs";`);
    expect(run.outputs[0]).toMatchObject({ kind: "error", ename: "ModuleNotFoundError" });
    expect(outputText(run.outputs[0]!)).toMatch(/^ModuleNotFoundError: No module named 'node:fs' \(a cell can import @torchlet\/nn, /);
  });

  it("sends dynamic import() through the same allow-list", async () => {
    const nb = new Notebook({ imports: { answer: async () => ({ value: 42 }) } });
    expect(shownAs(await nb.run(`(await import("answer")).value`)).value).toBe("42");
    expect(shownAs(await nb.run(`await import("other")`)).error).toMatch(/^ModuleNotFoundError: No module named 'other'/);
  });
});

describe("Notebook: console output joins the run that made it", () => {
  it("captures log, info and warn/error as stdout and stderr, in order", async () => {
    const run = await new Notebook().run("console.log('a', 1);\nconsole.error('oops');\nconsole.info(true);\n5");
    expect(run.outputs).toEqual([
      { kind: "stream", name: "stdout", text: "a 1\n" },
      { kind: "stream", name: "stderr", text: "oops\n" },
      { kind: "stream", name: "stdout", text: "True\n" },
      { kind: "value", text: "5" },
    ]);
  });

  it("gives a function made in one cell and called in another to the calling cell", async () => {
    const nb = new Notebook();
    const defining = await nb.run("function hook(x) { console.log('hook saw', x); }");
    const calling = await nb.run("hook(3)");
    expect(defining.outputs).toEqual([]);
    expect(texts(calling.outputs)).toEqual(["stream:hook saw 3\n"]);
  });

  it("gives late output (a timer) to the run that scheduled it, even while another runs", async () => {
    const seen: [number, string][] = [];
    const nb = new Notebook({ onOutput: (o, run) => seen.push([run.cell, outputText(o)]) });
    const early = await nb.run("setTimeout(() => console.log('late'), 30);\nconsole.log('now')", 1);
    const later = await nb.run("await new Promise((r) => setTimeout(r, 60));\nconsole.log('second')", 2);
    expect(texts(early.outputs)).toEqual(["stream:now\n", "stream:late\n"]);
    expect(texts(later.outputs)).toEqual(["stream:second\n"]);
    expect(seen).toEqual([
      [1, "now\n"],
      [1, "late\n"],
      [2, "second\n"],
    ]);
  });

  it("formats printed values when printed: a tensor changed afterwards prints as it was", async () => {
    const nb = new Notebook();
    await nb.run(`import { torch } from "@torchlet/nn";`);
    const run = await nb.run("const t = torch.zeros(2);\nconsole.log(t);\nt.add_(1);\nt");
    expect(texts(run.outputs)).toEqual(["stream:tensor([0., 0.])\n", "value:tensor([1., 1.])"]);
  });

  it("prints a tensor on a GPU by awaiting its text, in order with what was printed around it", async () => {
    const nb = new Notebook();
    await nb.run("const onGpu = { device: 'webgpu', format: async () => \"tensor([1.], device='webgpu:0')\" };");
    const run = await nb.run("console.log('before');\nconsole.log('x =', onGpu);\nconsole.log('after')");
    expect(texts(run.outputs)).toEqual(["stream:before\n", "stream:x = tensor([1.], device='webgpu:0')\n", "stream:after\n"]);
  });

  it("shows values in the middle of a cell with display(...)", async () => {
    const run = await new Notebook().run("display(1, 'two');\nconsole.log('three')");
    expect(texts(run.outputs)).toEqual(["value:1", "value:'two'", "stream:three\n"]);
  });
});

describe("Notebook: errors", () => {
  it("shows a torchlet error with its Python type, and the cell and line it came from", async () => {
    const nb = new Notebook();
    await nb.run(`import { torch, nn } from "@torchlet/nn";`, 1);
    const run = await nb.run("const layer = new nn.Linear(6272, 10);\n\nlayer.call(torch.zeros(448, 14));", 4);
    expect(run.ok).toBe(false);
    expect(run.outputs).toEqual([
      {
        kind: "error",
        ename: "RuntimeError",
        evalue: "mat1 and mat2 shapes cannot be multiplied (448x14 and 6272x10)",
        cell: 4,
        line: 3,
      },
    ]);
  });

  it("names the cell where a function that threw was defined", async () => {
    const nb = new Notebook();
    await nb.run("function fail() {\n  throw new TypeError('bad');\n}", 1);
    const run = await nb.run("fail()", 2);
    expect(run.outputs[0]).toMatchObject({ ename: "TypeError", evalue: "bad", cell: 1, line: 2 });
  });

  it("reports a syntax error at the cell's line, and runs nothing of the cell", async () => {
    const nb = new Notebook();
    const run = await nb.run("console.log('never');\nconst = 1;", 3);
    expect(run.outputs).toHaveLength(1);
    expect(run.outputs[0]).toMatchObject({ kind: "error", ename: "SyntaxError", cell: 3, line: 2 });
  });

  it("shows an error thrown later by a cell's callback under that cell", async () => {
    const nb = new Notebook();
    const early = await nb.run("function later() {\n  throw new RangeError('too late');\n}", 1);
    await nb.run("1", 2);
    let caught: unknown;
    try {
      (nb.get("later") as () => void)();
    } catch (error) {
      caught = error;
    }
    nb.reportUncaught(caught);
    await nb.run("2", 3); // outputs are emitted in order: the report is in once this run is
    expect(early.ok).toBe(false);
    expect(early.outputs).toEqual([{ kind: "error", ename: "RangeError", evalue: "too late", cell: 1, line: 2 }]);
  });

  it("shows a thrown non-error value", async () => {
    expect(shownAs(await new Notebook().run("throw 'plain'")).error).toBe("Error: uncaught 'plain'");
  });
});
