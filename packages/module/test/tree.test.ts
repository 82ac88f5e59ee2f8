import { describe, expect, it } from "vitest";
import { fixture, type ModulesCase } from "@torchlet/testing";
import { tensor, zeros } from "@torchlet/tensor-core";
import { Module, Parameter } from "../src/index.ts";
import { pytorchListing } from "./module-api-fixture.ts";
import { classNames, Linear, MyFCLayer, Norm, ReluLayer, Sequential, shapes } from "./stand-ins.ts";

const modulesJson = fixture<ModulesCase>("modules");
const seedCase = (label: string) => modulesJson.find((c) => c.label === label) as ModulesCase;

/** Every listing of `module` against a case of modules.json or module-api.json. */
function expectListings(module: Module, expected: Partial<ModulesCase>): void {
  if (expected.named_parameters) expect(shapes(module.namedParameters())).toEqual(expected.named_parameters);
  if (expected.named_buffers) expect(shapes(module.namedBuffers())).toEqual(expected.named_buffers);
  if (expected.state_dict) expect(shapes(module.stateDict())).toEqual(expected.state_dict);
  if (expected.named_children) expect(classNames(module.namedChildren())).toEqual(expected.named_children);
  if (expected.named_modules) expect(classNames(module.namedModules())).toEqual(expected.named_modules);
}

describe("listings of the seed's modules (modules.json)", () => {
  it("ReluLayer", () => {
    const c = seedCase("ReluLayer");
    expectListings(new ReluLayer(), c);
    expect(String(new ReluLayer())).toBe(c.repr);
  });

  it("MyFCLayer(25, 10)", () => {
    const c = seedCase("MyFCLayer(25,10)");
    expectListings(new MyFCLayer(25, 10), c);
    expect(String(new MyFCLayer(25, 10))).toBe(c.repr);
  });

  it("a BatchNorm2d stand-in: snake_case buffer names are PyTorch's state_dict keys", () => {
    class BatchNorm2d extends Module {
      weight = new Parameter(zeros(128));
      bias = new Parameter(zeros(128));
      constructor() {
        super();
        this.registerBuffer("running_mean", zeros(128));
        this.registerBuffer("running_var", zeros(128));
        this.registerBuffer("num_batches_tracked", zeros([], { dtype: "int64" }));
      }
    }
    const c = seedCase("BatchNorm2d(128)");
    expectListings(new BatchNorm2d(), { ...c, repr: undefined });
  });
});

describe("listings with PyTorch's prefixes and de-duplication (module-api.json)", () => {
  it("parameters, buffers, and a non-persistent buffer left out of stateDict", () => {
    expectListings(new Norm(3), pytorchListing("parameters, buffers, a non-persistent buffer") as Partial<ModulesCase>);
  });

  it("a module shared twice is listed once, its parameters once, but stateDict keeps both names", () => {
    const expected = pytorchListing("shared module");
    const shared = new Linear(2, 2);
    const net = new Sequential(shared, new ReluLayer(), shared);
    expectListings(net, expected as Partial<ModulesCase>);
    expect(classNames(net.namedModules({ removeDuplicate: false }))).toEqual(expected.named_modules_with_duplicates);
    expect(shapes(net.namedParameters({ prefix: "net" }))).toEqual(expected.named_parameters_prefixed);
    expect(shapes(net.namedParameters({ recurse: false }))).toEqual(expected.named_parameters_not_recursive);
    expect([...net.parameters()]).toEqual([shared.weight, shared.bias]);
    expect([...net.modules()].length).toBe(3);
    expect([...net.children()]).toEqual([shared, net._modules.get("1")]);
  });

  it("a tied parameter is listed under its first name only", () => {
    const tied = new Module() as Module & { a: Linear; b: Linear };
    tied.a = new Linear(2, 2);
    tied.b = new Linear(2, 2);
    tied.b.weight = tied.a.weight;
    expectListings(tied, pytorchListing("tied parameter") as Partial<ModulesCase>);
  });

  it("None entries are declared but never listed", () => {
    const m = new Linear(2, 2, false);
    m.registerBuffer("nothing", null);
    m.addModule("empty", null);
    expectListings(m, pytorchListing("None entries") as Partial<ModulesCase>);
  });

  it("buffers() and parameters() without recursion", () => {
    const outer = new Sequential(new Norm(2));
    outer.registerBuffer("own", zeros(1));
    expect(shapes(outer.namedBuffers({ recurse: false }))).toEqual([["own", [1]]]);
    expect([...outer.buffers()].length).toBe(4);
  });
});

describe("apply(fn)", () => {
  it("visits children before their parent, each shared child once per parent", () => {
    const lin = new Linear(1, 1);
    const shared = new ReluLayer();
    const inner = new Sequential(lin, shared);
    const outer = new Sequential(inner, shared);
    const names = new Map<Module, string>([[lin, "lin"], [shared, "shared"], [inner, "inner"], [outer, "outer"]]);
    const order: string[] = [];
    expect(outer.apply((m) => order.push(names.get(m) as string))).toBe(outer);
    // PyTorch: apply recurses through children(); `shared` is a child of both modules
    expect(order).toEqual(["lin", "shared", "inner", "shared", "outer"]);
  });
});

describe("train(), eval(), requiresGrad_(), zeroGrad()", () => {
  it("switches the mode of the whole tree", () => {
    const net = new Sequential(new Linear(1, 1), new Sequential(new ReluLayer()));
    expect([...net.modules()].every((m) => m.training)).toBe(true);
    expect(net.eval()).toBe(net);
    expect([...net.modules()].some((m) => m.training)).toBe(false);
    net.train();
    expect([...net.modules()].every((m) => m.training)).toBe(true);
    expect(() => net.train(1 as unknown as boolean)).toThrow("training mode is expected to be boolean");
  });

  it("freezes and unfreezes every parameter", () => {
    const net = new Sequential(new Linear(2, 2), new Linear(2, 1));
    net.requiresGrad_(false);
    expect([...net.parameters()].some((p) => p.requiresGrad)).toBe(false);
    net.requiresGrad_();
    expect([...net.parameters()].every((p) => p.requiresGrad)).toBe(true);
  });

  it("parameters collect gradients through forward passes, and a layer used twice adds them up", () => {
    const lin = new Linear(3, 2);
    lin.weight.data.fill_(1);
    const x = tensor([[1, 2, 3]], { dtype: "float32" });
    const loss = lin.call(x).sum().add(lin.call(x).sum());
    loss.backward();
    // d/dW of Σ(x Wᵀ + b) is x in every row, and d/db is 1; two uses double both
    expect(lin.weight.grad?.tolist()).toEqual([[2, 4, 6], [2, 4, 6]]);
    expect(lin.bias?.grad?.tolist()).toEqual([2, 2]);
    const net = new Sequential(lin, new ReluLayer(), lin);
    expect([...net.parameters()]).toEqual([lin.weight, lin.bias]);
    net.zeroGrad();
    expect(lin.weight.grad?.tolist()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(lin.bias?.grad?.tolist()).toEqual([0, 0]);
  });

  it("zeroes gradients in place, or drops them", () => {
    const lin = new Linear(2, 2);
    const grad = zeros(2, 2).add(3);
    lin.weight.grad = grad;
    lin.zeroGrad();
    expect(lin.weight.grad).toBe(grad);
    expect(grad.tolist()).toEqual([[0, 0], [0, 0]]);
    expect(lin.bias?.grad).toBeNull();
    lin.zeroGrad({ setToNone: true });
    expect(lin.weight.grad).toBeNull();
  });
});
