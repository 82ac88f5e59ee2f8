/**
 * BatchNorm2d against PyTorch 1.13: batchnorm.json (three training batches, then evaluation on the
 * first batch) and the variants of nn-layers.json (momentum null, affine false, no running
 * statistics). After each batch the output, the running mean and variance and
 * `num_batches_tracked` must be PyTorch's; the output's grad_fn is `NativeBatchNormBackward0`.
 */
import { describe, expect, it } from "vitest";
import { assertClose, fixture, fixtureValues, type FixtureTensor } from "@torchlet/testing";
import { nn, torch } from "../src/index.ts";
import { thrown } from "./seed-models.ts";

interface Step {
  input: FixtureTensor;
  output: FixtureTensor;
  running_mean: number[] | FixtureTensor | null;
  running_var: number[] | FixtureTensor | null;
  num_batches_tracked: number | null;
}

const tensorOf = (t: FixtureTensor) => torch.tensor(fixtureValues(t), { dtype: "float32" }).reshape(t.shape);
const valuesOfStat = (s: number[] | FixtureTensor) => (Array.isArray(s) ? s : fixtureValues(s));
const close = { rtol: 1e-5, atol: 1e-5 };

/** Runs `bn` over the steps in training mode, comparing everything PyTorch recorded after each. */
function checkTraining(bn: nn.BatchNorm2d, steps: Step[]): void {
  for (const [i, step] of steps.entries()) {
    const x = tensorOf(step.input).requiresGrad_();
    const y = bn.call(x);
    assertClose(y.toArray(), fixtureValues(step.output), close, `step ${i}: output`);
    expect(y.gradFn?.name).toBe("NativeBatchNormBackward0");
    if (step.running_mean === null) {
      expect(bn.running_mean).toBeNull();
    } else {
      assertClose(bn.running_mean!.toArray(), valuesOfStat(step.running_mean), close, `step ${i}: running_mean`);
      assertClose(bn.running_var!.toArray(), valuesOfStat(step.running_var!), close, `step ${i}: running_var`);
    }
    if (step.num_batches_tracked === null) expect(bn.num_batches_tracked).toBeNull();
    else {
      expect(bn.num_batches_tracked!.dtype).toBe("int64");
      expect(bn.num_batches_tracked!.item()).toBe(step.num_batches_tracked);
    }
  }
}

describe("BatchNorm2d(3) over three batches, then in eval mode (batchnorm.json)", () => {
  const [c] = fixture<{ steps: Step[]; eval_output: FixtureTensor }>("batchnorm");

  it("trains: batch statistics normalise, running statistics follow with momentum 0.1", () => {
    const bn = new nn.BatchNorm2d(3);
    checkTraining(bn, c.steps);
    bn.eval();
    const y = bn.call(tensorOf(c.steps[0].input));
    assertClose(y.toArray(), fixtureValues(c.eval_output), close, "eval output");
    expect(bn.num_batches_tracked!.item()).toBe(3);
  });

  it("evaluation does not touch the running statistics", () => {
    const bn = new nn.BatchNorm2d(3).eval();
    bn.call(tensorOf(c.steps[0].input));
    expect(Array.from(bn.running_mean!.toArray())).toEqual([0, 0, 0]);
    expect(Array.from(bn.running_var!.toArray())).toEqual([1, 1, 1]);
    expect(bn.num_batches_tracked!.item()).toBe(0);
  });
});

describe("BatchNorm2d variants (nn-layers.json)", () => {
  const cases = fixture<{ kind: string; label: string; seed: number; steps: Step[]; eval_input: FixtureTensor; eval_output: FixtureTensor }>(
    "nn-layers",
  ).filter((c) => c.kind === "batchnorm");
  const builders: Record<string, () => nn.BatchNorm2d> = {
    "momentum=None": () => new nn.BatchNorm2d(3, { momentum: null }),
    "affine=False, momentum=0.3": () => new nn.BatchNorm2d(3, { momentum: 0.3, affine: false }),
    "track_running_stats=False": () => new nn.BatchNorm2d(3, { trackRunningStats: false }),
  };

  it("covers every recorded variant", () => {
    expect(cases.map((c) => c.label).sort()).toEqual(Object.keys(builders).sort());
  });

  for (const c of cases) {
    it(c.label, () => {
      torch.manualSeed(c.seed);
      const bn = builders[c.label]();
      // PyTorch drew each input as randn(4, 3, 2, 2) * 2 + 0.5 after the seed
      for (const step of c.steps) assertClose(torch.randn(4, 3, 2, 2).mul(2).add(0.5).toArray(), fixtureValues(step.input), close);
      checkTraining(bn, c.steps);
      bn.eval();
      assertClose(bn.call(tensorOf(c.eval_input)).toArray(), fixtureValues(c.eval_output), close, "eval output");
    });
  }
});

describe("BatchNorm2d's gradients and state", () => {
  it("backward matches finite differences in training and in evaluation mode", () => {
    for (const training of [true, false]) {
      torch.manualSeed(3);
      const bn = new nn.BatchNorm2d(2);
      bn.running_var!.fill_(1.5);
      bn.weight!.data.copy_(torch.tensor([0.5, -1.5]));
      bn.bias!.data.copy_(torch.tensor([0.1, 0.2]));
      bn.train(training);
      const x = torch.randn(3, 2, 2, 2).requiresGrad_();
      const fn = (input: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) =>
        nn.functional.batchNorm(input, bn.running_mean!.clone(), bn.running_var!.clone(), { weight, bias, training }).mul(torch.arange(24).reshape(3, 2, 2, 2).float());
      const w = bn.weight!.detach().clone().requiresGrad_();
      const b = bn.bias!.detach().clone().requiresGrad_();
      expect(torch.autograd.gradcheck(fn, [x, w, b])).toBe(true);
    }
  });

  it("the buffers are state: in the state dict, moved by to(), loaded back", () => {
    const bn = new nn.BatchNorm2d(3);
    bn.call(torch.randn(4, 3, 2, 2));
    const copy = new nn.BatchNorm2d(3);
    copy.loadStateDict(bn.stateDict());
    expect(Array.from(copy.running_mean!.toArray())).toEqual(Array.from(bn.running_mean!.toArray()));
    expect(copy.num_batches_tracked!.item()).toBe(1);
    expect([...bn.stateDict().keys()]).toEqual(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]);
  });

  it("resetRunningStats and resetParameters bring back the starting state", () => {
    const bn = new nn.BatchNorm2d(2);
    bn.call(torch.randn(4, 2, 3, 3));
    bn.weight!.data.fill_(3);
    bn.resetParameters();
    expect(Array.from(bn.running_mean!.toArray())).toEqual([0, 0]);
    expect(Array.from(bn.running_var!.toArray())).toEqual([1, 1]);
    expect(bn.num_batches_tracked!.item()).toBe(0);
    expect(Array.from(bn.weight!.toArray())).toEqual([1, 1]);
  });
});

describe("BatchNorm2d's errors (nn-layers.json): PyTorch's type and message, and no state changed", () => {
  const errors = fixture<{ kind: string; case: string; type: string; error: string }>("nn-layers").filter((c) => c.kind === "error");
  const expected = (name: string) => {
    const { type, error } = errors.find((e) => e.case === name)!;
    return { type, error };
  };

  const calls: Record<string, () => unknown> = {
    "BatchNorm2d one value per channel": () => new nn.BatchNorm2d(3).call(torch.randn(1, 3, 1, 1)),
    "BatchNorm2d 3-D input": () => new nn.BatchNorm2d(3).call(torch.randn(3, 2, 2)),
    "BatchNorm2d channels": () => new nn.BatchNorm2d(4).call(torch.randn(2, 3, 2, 2)),
    "BatchNorm2d channels in eval": () => new nn.BatchNorm2d(4).eval().call(torch.randn(2, 3, 2, 2)),
    "batch_norm without running stats in eval": () => nn.functional.batchNorm(torch.randn(2, 3, 2, 2), null, null, { training: false }),
    "batch_norm weight size": () => nn.functional.batchNorm(torch.randn(2, 3, 2, 2), null, null, { weight: torch.ones(4), training: true }),
    "batch_norm int64 input": () => nn.functional.batchNorm(torch.ones([2, 3, 2], { dtype: "int64" }), null, null, { training: true }),
  };
  for (const [name, call] of Object.entries(calls)) {
    it(name, () => expect(thrown(call)).toEqual(expected(name)));
  }

  it("a failed forward pass leaves the running statistics and the count alone", () => {
    const bn = new nn.BatchNorm2d(3);
    expect(() => bn.call(torch.randn(1, 3, 1, 1))).toThrow();
    expect(bn.num_batches_tracked!.item()).toBe(0);
    expect(Array.from(bn.running_mean!.toArray())).toEqual([0, 0, 0]);
  });
});
