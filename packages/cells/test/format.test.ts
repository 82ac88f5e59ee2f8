import { describe, expect, it } from "vitest";
import { torch, nn } from "@torchlet/nn";
import { formatValue, plot, preformat, repr, str, table, tuple, viewOf } from "../src/index.ts";

describe("repr and str", () => {
  it("print strings bare and quote them in containers, as Python's str and repr do", () => {
    expect(str("a")).toBe("a");
    expect(repr("a")).toBe("'a'");
    expect(str(["a"])).toBe("['a']");
  });

  it("show a value that contains itself without looping", () => {
    const list: unknown[] = [1];
    list.push(list);
    expect(repr(list)).toBe("[1, [...]]");
    const dict: Record<string, unknown> = {};
    dict.self = dict;
    expect(repr(dict)).toBe("{'self': {...}}");
  });

  it("name classes, functions, generators and instances without a repr of their own", () => {
    class Point {
      x = 1;
    }
    function area() {}
    expect(repr(Point)).toBe("<class 'Point'>");
    expect(repr(area)).toBe("<function area>");
    expect(repr((function* () {})())).toBe("<generator object>");
    expect(repr(new Point())).toBe("<Point object>");
  });

  it("shows typed arrays and bigints as Python lists and ints", () => {
    expect(repr(new Float32Array([0.5, 2]))).toBe("[0.5, 2]");
    expect(repr(2n ** 70n)).toBe("1180591620717411303424");
  });
});

describe("values on a GPU", () => {
  it("are awaited by formatValue, inside containers too", async () => {
    const gpu = { device: "webgpu", format: async () => "tensor([1.], device='webgpu:0')" };
    expect(repr(gpu)).toBe("<tensor on webgpu: print it with await t.format()>");
    expect((await preformat([gpu])).get(gpu)).toBe("tensor([1.], device='webgpu:0')");
    expect(await formatValue(tuple(gpu, 1))).toBe("(tensor([1.], device='webgpu:0'), 1)");
  });
});

describe("views for the site", () => {
  it("a table: columns from the rows' keys, cells as Python's str", () => {
    const t = table([{ name: "weight", shape: torch.zeros(2, 3).shape }, { name: "bias", grad: null }]);
    expect(viewOf(t)).toEqual({
      kind: "table",
      columns: ["name", "shape", "grad"],
      rows: [
        ["weight", "torch.Size([2, 3])", "None"],
        ["bias", "None", "None"],
      ],
    });
    expect(String(t)).toBe("name    shape               grad\n------  ------------------  ----\nweight  torch.Size([2, 3])  None\nbias    None                None");
  });

  it("a plot: series of numbers, with a text form for the terminal", () => {
    const p = plot({ loss: [3, 2, 1.5], accuracy: [0.1, 0.5, 0.9] }, { title: "training" });
    expect(viewOf(p)).toEqual({
      kind: "plot",
      title: "training",
      series: [
        { name: "loss", x: [0, 1, 2], y: [3, 2, 1.5] },
        { name: "accuracy", x: [0, 1, 2], y: [0.1, 0.5, 0.9] },
      ],
    });
    expect(String(p)).toBe('<plot "training": loss (3 points), accuracy (3 points), y from 0.1000 to 3.000>');
  });

  it("a module: its tree of children with their parameters", () => {
    const model = new nn.Sequential(new nn.Linear(4, 2), new nn.ReLU());
    expect(viewOf(model)).toEqual({
      kind: "module",
      tree: {
        name: "",
        type: "Sequential",
        extra: "",
        parameters: [],
        buffers: [],
        children: [
          {
            name: "0",
            type: "Linear",
            extra: "in_features=4, out_features=2, bias=True",
            parameters: [
              { name: "weight", shape: [2, 4], requiresGrad: true },
              { name: "bias", shape: [2], requiresGrad: true },
            ],
            buffers: [],
            children: [],
          },
          { name: "1", type: "ReLU", extra: "", parameters: [], buffers: [], children: [] },
        ],
      },
    });
  });
});
