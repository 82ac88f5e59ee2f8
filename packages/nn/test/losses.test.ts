/**
 * The losses against PyTorch 1.13: every loss case of nn-layers.json (each reduction, class
 * weights, ignored targets, class probabilities, label smoothing, image targets, a broadcast
 * target) with its output, the gradient of its input and its grad_fn; the loss layers; the
 * `cross_entropy`, `mse_loss` and `batch_norm` cases of ops.json through `nn.functional`; and the
 * losses' errors.
 */
import { describe, expect, it } from "vitest";
import { assertClose, fixture, fixtureValues, type FixtureTensor } from "@torchlet/testing";
import { F, nn, torch } from "../src/index.ts";
import { thrown } from "./seed-models.ts";

interface LossCase {
  kind: string;
  label: string;
  fn: "cross_entropy" | "nll_loss" | "mse_loss";
  options: { reduction?: "mean" | "sum" | "none"; label_smoothing?: number; ignore_index?: number };
  input: FixtureTensor;
  target: FixtureTensor;
  target_dtype: "int64" | "float32";
  weight: FixtureTensor | null;
  output: FixtureTensor;
  grad: FixtureTensor;
  grad_fn: string;
}

const tensorOf = (t: FixtureTensor, dtype: torch.DType = "float32") => torch.tensor(fixtureValues(t), { dtype }).reshape(t.shape);
const forward = { rtol: 1e-5, atol: 1e-6 };
const backward = { rtol: 1e-4, atol: 1e-6 };

const lossCases = fixture<LossCase>("nn-layers").filter((c) => c.kind === "loss");

/** The case's call, through nn.functional. */
function callLoss(c: LossCase, input: torch.Tensor): torch.Tensor {
  const target = tensorOf(c.target, c.target_dtype);
  const weight = c.weight === null ? null : tensorOf(c.weight);
  const reduction = c.options.reduction;
  const ignoreIndex = c.options.ignore_index;
  if (c.fn === "mse_loss") return F.mseLoss(input, target, { reduction });
  if (c.fn === "nll_loss") return F.nllLoss(input, target, { weight, reduction, ignoreIndex });
  return F.crossEntropy(input, target, { weight, reduction, ignoreIndex, labelSmoothing: c.options.label_smoothing });
}

describe("losses through nn.functional (nn-layers.json)", () => {
  for (const c of lossCases) {
    it(c.label, () => {
      const input = tensorOf(c.input).requiresGrad_();
      const warn = console.warn;
      console.warn = () => {}; // the broadcast mse case warns, as PyTorch does
      let out: torch.Tensor;
      try {
        out = callLoss(c, input);
      } finally {
        console.warn = warn;
      }
      expect([...out.shape]).toEqual(c.output.shape);
      assertClose(out.toArray(), fixtureValues(c.output), forward, "output");
      // PyTorch's C++ composite for probability targets divides by a C++ number (`div.Scalar`,
      // DivBackward1); torchlet has one division op, whose node is DivBackward0
      expect(out.gradFn?.name).toBe(c.grad_fn === "DivBackward1" ? "DivBackward0" : c.grad_fn);
      out.sum().backward();
      assertClose(input.grad!.toArray(), fixtureValues(c.grad), backward, "gradient of the input");
    });
  }
});

describe("the loss layers give their functions' results", () => {
  const byLabel = (label: string) => lossCases.find((c) => c.label === label)!;
  const cases: [string, () => nn.Module][] = [
    ["cross_entropy sum", () => new nn.CrossEntropyLoss({ reduction: "sum" })],
    ["cross_entropy weighted none", () => new nn.CrossEntropyLoss({ weight: tensorOf(byLabel("cross_entropy weighted none").weight!), reduction: "none" })],
    ["cross_entropy label_smoothing mean", () => new nn.CrossEntropyLoss({ labelSmoothing: 0.2 })],
    ["cross_entropy ignore_index 4", () => new nn.CrossEntropyLoss({ ignoreIndex: 4 })],
    ["nll_loss mean", () => new nn.NLLLoss()],
    ["nll_loss weighted", () => new nn.NLLLoss({ weight: tensorOf(byLabel("nll_loss weighted").weight!) })],
    ["mse_loss none", () => new nn.MSELoss({ reduction: "none" })],
  ];
  it.each(cases)("%s", (label, build) => {
    const c = byLabel(label);
    const loss = build() as nn.Module & { call(input: torch.Tensor, target: torch.Tensor): torch.Tensor };
    const out = loss.call(tensorOf(c.input), tensorOf(c.target, c.target_dtype));
    assertClose(out.toArray(), fixtureValues(c.output), forward);
  });

  it("a class weight is a buffer: listed, saved and moved with the loss", () => {
    const loss = new nn.CrossEntropyLoss({ weight: torch.tensor([1, 2, 3], { dtype: "float32" }) });
    expect([...loss.stateDict().keys()]).toEqual(["weight"]);
    expect([...new nn.CrossEntropyLoss().stateDict().keys()]).toEqual([]);
  });
});

describe("ops.json's loss and normalisation cases through nn.functional", () => {
  interface OpsCase {
    op: string;
    inputs: FixtureTensor[];
    output: FixtureTensor;
    upstream: FixtureTensor;
    grads: FixtureTensor[];
    grad_fn: string;
  }
  const ops = fixture<OpsCase>("ops");
  const calls: Record<string, (...inputs: torch.Tensor[]) => torch.Tensor> = {
    // the fixture's targets were [1, 0, 4]
    cross_entropy: (x) => F.crossEntropy(x, torch.tensor([1, 0, 4])),
    mse_loss: (a, b) => F.mseLoss(a, b),
    "batch_norm train": (x, w, b) => F.batchNorm(x, null, null, { weight: w, bias: b, training: true }),
  };
  for (const [op, call] of Object.entries(calls)) {
    it(op, () => {
      const c = ops.find((o) => o.op === op)!;
      const inputs = c.inputs.map((t) => tensorOf(t).requiresGrad_());
      const out = call(...inputs);
      assertClose(out.toArray(), fixtureValues(c.output), forward, "output");
      expect(out.gradFn?.name).toBe(c.grad_fn);
      out.backward(tensorOf(c.upstream));
      c.grads.forEach((g, i) => assertClose(inputs[i].grad!.toArray(), fixtureValues(g), backward, `gradient ${i}`));
    });
  }

  it("a Linear used twice sums both uses' gradients (shared Linear grad accumulation)", () => {
    const c = ops.find((o) => o.op === "shared Linear grad accumulation") as unknown as {
      seed: number;
      input: FixtureTensor;
      params: Record<string, FixtureTensor>;
      grads: Record<string, FixtureTensor>;
    };
    torch.manualSeed(c.seed);
    const shared = new nn.Linear(8, 8);
    const net = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), shared, new nn.ReLU(), shared, new nn.ReLU(), new nn.Linear(8, 1));
    const params = new Map(net.namedParameters());
    for (const [name, t] of Object.entries(c.params)) assertClose(params.get(name)!.toArray(), fixtureValues(t), forward, name);
    (net.call(tensorOf(c.input)) as torch.Tensor).sum().backward();
    for (const [name, g] of Object.entries(c.grads)) assertClose(params.get(name)!.grad!.toArray(), fixtureValues(g), backward, `grad ${name}`);
  });
});

describe("the losses' errors: PyTorch's type and first line (nn-layers.json)", () => {
  const errors = fixture<{ kind: string; case: string; type: string; error: string }>("nn-layers").filter((c) => c.kind === "error");
  const x35 = () => torch.randn(3, 5);
  const long = (values: number[]) => torch.tensor(values);
  const calls: Record<string, () => unknown> = {
    "nll_loss target out of bounds": () => F.nllLoss(x35(), long([1, 5, 0])),
    "nll_loss negative target": () => F.nllLoss(x35(), long([1, -1, 0])),
    "nll_loss batch mismatch": () => F.nllLoss(x35(), long([1, 2])),
    "nll_loss float target": () => F.nllLoss(x35(), torch.tensor([1, 2, 0], { dtype: "float32" })),
    "nll_loss weight size": () => F.nllLoss(x35(), long([1, 2, 0]), { weight: torch.ones(3) }),
    "nll_loss 0-d input": () => F.nllLoss(torch.tensor(1.5), torch.tensor(0)),
    "nll_loss 2-D target": () => F.nllLoss(torch.randn(2, 5), long([1, 2]).reshape(2, 1)),
    "nll_loss spatial size mismatch": () => F.nllLoss(torch.randn(2, 3, 4, 4), torch.zeros([2, 4, 5], { dtype: "int64" })),
    "nll_loss spatial target rank": () => F.nllLoss(torch.randn(2, 3, 4, 4), torch.zeros([2], { dtype: "int64" })),
    "nll_loss 3-D target size": () => F.nllLoss(torch.randn(2, 3, 4), torch.zeros([2, 5], { dtype: "int64" })),
    "nll_loss bad reduction": () => F.nllLoss(x35(), long([1, 2, 0]), { reduction: "avg" as "mean" }),
    "nll_loss weight requires grad": () =>
      F.nllLoss(x35().requiresGrad_(), long([1, 2, 0]), { weight: torch.ones(5).requiresGrad_() }),
    "cross_entropy target out of bounds": () => F.crossEntropy(x35(), long([1, 5, 0])),
    "cross_entropy probabilities shape": () => F.crossEntropy(x35(), torch.softmax(torch.randn(3, 4), 1)),
    "cross_entropy int64 input": () => F.crossEntropy(torch.ones([3, 5], { dtype: "int64" }), long([1, 2, 0])),
    "cross_entropy label_smoothing": () => F.crossEntropy(x35(), long([1, 2, 0]), { labelSmoothing: 1.5 }),
    "mse_loss shapes": () => F.mseLoss(torch.randn(3, 5), torch.randn(4)),
    "mse_loss int64": () => F.mseLoss(torch.ones([3], { dtype: "int64" }), torch.ones([3], { dtype: "int64" })),
    "MSELoss bad reduction": () => new nn.MSELoss({ reduction: "avg" as "mean" }).call(torch.randn(3), torch.randn(3)),
  };
  for (const [name, call] of Object.entries(calls)) {
    it(name, () => {
      const { type, error } = errors.find((e) => e.case === name)!;
      const warn = console.warn;
      console.warn = () => {};
      try {
        expect(thrown(call)).toEqual({ type, error });
      } finally {
        console.warn = warn;
      }
    });
  }
});

interface LossGraphCase {
  fn: "nll_loss" | "cross_entropy";
  reduction: "none" | "mean" | "sum";
  input: FixtureTensor;
  target: FixtureTensor;
  output: FixtureTensor;
  grad: FixtureTensor;
  grad_fn: string;
  next_functions: (string | null)[];
}

describe("losses on inputs of 3 and 5 dimensions, through PyTorch's views (loss-graphs.json)", () => {
  const graphCases = fixture<LossGraphCase>("loss-graphs");
  it("has the fixture's cases", () => expect(graphCases.length).toBe(7));

  it.each(graphCases.map((c) => [`${c.fn} [${c.input.shape.join(", ")}] ${c.reduction}`, c] as const))("%s", (_, c) => {
    const input = torch.fromValues(fixtureValues(c.input), c.input.shape, "float32").requiresGrad_();
    const target = torch.fromValues(fixtureValues(c.target), c.target.shape, "int64");
    const loss = c.fn === "nll_loss" ? F.nllLoss : F.crossEntropy;
    const out = loss(input, target, { reduction: c.reduction });
    expect([...out.shape]).toEqual(c.output.shape);
    expect(out.gradFn?.name).toBe(c.grad_fn);
    expect(out.gradFn!.nextFunctions.map(([fn]) => fn?.name ?? null)).toEqual(c.next_functions);
    assertClose(out.toArray(), fixtureValues(c.output), forward, "output");
    out.sum().backward();
    assertClose(input.grad!.toArray(), fixtureValues(c.grad), backward, "gradient of the input");
  });
});
