/**
 * The optimizers against PyTorch 1.13. nn-training.json holds five steps of the seed document's
 * NeuralNetwork on fixed seeded data, for SGD (plain, momentum, Nesterov with weight decay,
 * dampening), Adam (plain, with amsgrad and weight decay) and AdamW: the loss of every step and the
 * first layer's bias after the last one must match within 1e-4. Then the optimizers' errors,
 * reprs, parameter groups, zeroGrad and state.
 */
import { describe, expect, it } from "vitest";
import { assertClose, fixture, type FixtureTensor } from "@torchlet/testing";
import { nn, optim, torch } from "../src/index.ts";
import { NeuralNetwork, thrown } from "./seed-models.ts";
import { makeOptimizer, type TrainingCase } from "./training.ts";


const runs = fixture<TrainingCase>("nn-training");
const lossTolerance = { rtol: 1e-4, atol: 1e-4 };

describe("five training steps of the seed's NeuralNetwork (nn-training.json)", () => {
  for (const c of runs) {
    it(`${c.optimizer} ${JSON.stringify(c.options)}`, () => {
      torch.manualSeed(c.seed);
      const model = new NeuralNetwork();
      const x = torch.randn(8, 28, 28);
      const y = torch.randint(0, 10, [8]);
      assertClose(x.flatten().slice(0, 0, 8).toArray(), c.x_head, {}, "x");
      expect(x.sum().item()).toBeCloseTo(c.x_sum, 2);
      expect(y.tolist()).toEqual(c.y);

      const optimizer = makeOptimizer(c.optimizer, model.parameters(), c.options);
      const lossFn = new nn.CrossEntropyLoss();
      const losses: number[] = [];
      for (let step = 0; step < 5; step++) {
        optimizer.zeroGrad();
        const loss = lossFn.call(model.call(x), y);
        loss.backward();
        optimizer.step();
        losses.push(loss.item() as number);
      }
      assertClose(losses, c.losses, lossTolerance, "losses");
      const final = torch.noGrad(() => lossFn.call(model.call(x), y));
      assertClose([final.item() as number], [c.final_loss], lossTolerance, "loss after the last step");
      const bias = (model.stack.stack.at(0) as nn.Linear).bias!;
      assertClose(bias.toArray(), c.first_bias.data as number[], { rtol: 1e-4, atol: 1e-5 }, "first layer's bias");
    });
  }
});

describe("optimizer errors: PyTorch's type and first line (nn-layers.json)", () => {
  const errors = fixture<{ kind: string; case: string; type: string; error: string }>("nn-layers").filter((c) => c.kind === "error");
  const p0 = torch.zeros(1).requiresGrad_();
  const calls: Record<string, () => unknown> = {
    "SGD learning rate": () => new optim.SGD([p0], { lr: -1 }),
    "SGD momentum": () => new optim.SGD([p0], { lr: 0.1, momentum: -1 }),
    "SGD weight_decay": () => new optim.SGD([p0], { lr: 0.1, weightDecay: -0.5 }),
    "SGD nesterov": () => new optim.SGD([p0], { lr: 0.1, nesterov: true }),
    "SGD nesterov with dampening": () => new optim.SGD([p0], { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }),
    "SGD empty parameter list": () => new optim.SGD([], { lr: 0.1 }),
    "SGD without lr": () => new optim.SGD([p0], {} as optim.SGDOptions),
    "SGD duplicate parameter": () => new optim.SGD([{ params: [p0] }, { params: [p0] }], { lr: 0.1 }),
    "SGD non-leaf": () => new optim.SGD([p0.mul(2)], { lr: 0.1 }),
    "SGD a tensor": () => new optim.SGD(p0 as unknown as torch.Tensor[], { lr: 0.1 }),
    "Adam learning rate": () => new optim.Adam([p0], { lr: -0.01 }),
    "Adam eps": () => new optim.Adam([p0], { eps: -1e-8 }),
    "Adam beta 0": () => new optim.Adam([p0], { betas: [1.0, 0.999] }),
    "Adam beta 1": () => new optim.Adam([p0], { betas: [0.9, 1.0] }),
    "Adam weight_decay": () => new optim.Adam([p0], { weightDecay: -1 }),
    "AdamW weight_decay": () => new optim.AdamW([p0], { weightDecay: -1 }),
  };
  for (const [name, call] of Object.entries(calls)) {
    it(name, () => {
      const { type, error } = errors.find((e) => e.case === name)!;
      expect(thrown(call)).toEqual({ type, error });
    });
  }
});

describe("optimizer reprs (nn-layers.json)", () => {
  const reprs = fixture<{ kind: string; label: string; repr: string }>("nn-layers").filter((c) => c.kind === "optimizer_repr");
  const p0 = torch.zeros(1).requiresGrad_();
  const p1 = torch.zeros(2).requiresGrad_();
  const build: Record<string, () => optim.Optimizer<object>> = {
    "SGD(lr=0.1, momentum=0.9)": () => new optim.SGD([p0], { lr: 0.1, momentum: 0.9 }),
    "SGD two groups": () => new optim.SGD([{ params: [p0] }, { params: [p1], lr: 0.01 }], { lr: 0.1, nesterov: true, momentum: 0.5 }),
    "Adam()": () => new optim.Adam([p0]),
    "AdamW(lr=0.01, amsgrad=True)": () => new optim.AdamW([p0], { lr: 0.01, amsgrad: true }),
  };
  // PyTorch also lists its implementation switches (foreach, fused, ...), which torchlet does not have
  const switches = /^ {4}(foreach|differentiable|capturable|fused): .*\n/gm;
  for (const c of reprs) {
    it(c.label, () => expect(String(build[c.label]())).toBe(c.repr.replace(switches, "")));
  }
});

describe("optimizer behaviour", () => {
  it("updates the same Parameter objects in place, with autograd off", () => {
    const layer = new nn.Linear(3, 2);
    const params = [...layer.parameters()];
    const before = layer.weight.toArray();
    const optimizer = new optim.SGD(layer.parameters(), { lr: 0.5 });
    layer.call(torch.ones(1, 3)).sum().backward();
    optimizer.step();
    expect([...layer.parameters()]).toEqual(params);
    expect(layer.weight.gradFn).toBeNull();
    // d(sum(W·1 + b))/dW = 1 for every weight, so each moved by exactly -lr
    assertClose(layer.weight.toArray(), Array.from(before, (w) => w - 0.5), { atol: 1e-6 });
  });

  it("skips parameters without a gradient (MyFCLayer's, read through .data)", () => {
    torch.manualSeed(0);
    const model = new NeuralNetwork();
    const fc = model.stack.stack.at(4) as unknown as { weights: torch.Tensor };
    const before = fc.weights.toArray();
    const optimizer = new optim.Adam(model.parameters());
    new nn.CrossEntropyLoss().call(model.call(torch.randn(2, 28, 28)), torch.tensor([1, 2])).backward();
    optimizer.step();
    expect(fc.weights.grad).toBeNull();
    expect(fc.weights.toArray()).toEqual(before);
  });

  it("zeroGrad zeroes the gradients, or drops them with setToNone", () => {
    const layer = new nn.Linear(2, 2);
    const optimizer = new optim.SGD(layer.parameters(), { lr: 0.1 });
    layer.call(torch.ones(1, 2)).sum().backward();
    optimizer.zeroGrad();
    expect(Array.from(layer.weight.grad!.toArray())).toEqual([0, 0, 0, 0]);
    optimizer.zeroGrad({ setToNone: true });
    expect(layer.weight.grad).toBeNull();
  });

  it("gives each parameter group its own options", () => {
    const a = torch.ones(2).requiresGrad_();
    const b = torch.ones(2).requiresGrad_();
    const optimizer = new optim.SGD([{ params: [a] }, { params: [b], lr: 0.01 }], { lr: 0.1 });
    a.sum().backward();
    b.sum().backward();
    optimizer.step();
    assertClose(a.toArray(), [0.9, 0.9]);
    assertClose(b.toArray(), [0.99, 0.99]);
    optimizer.paramGroups[1].lr = 1;
    optimizer.step();
    assertClose(b.toArray(), [-0.01, -0.01]);
  });

  it("keeps its state per parameter: SGD's momentum buffer, Adam's step count and moments", () => {
    const p = torch.ones(2).requiresGrad_();
    const sgd = new optim.SGD([p], { lr: 0.1, momentum: 0.9 });
    p.sum().backward();
    sgd.step();
    sgd.step();
    // buffer: 1, then 0.9·1 + 1 = 1.9; p: 1 − 0.1 − 0.19
    assertClose((sgd.state.get(p)!.momentumBuffer as torch.Tensor).toArray(), [1.9, 1.9]);
    assertClose(p.toArray(), [0.71, 0.71]);
    const q = torch.ones(2).requiresGrad_();
    const adam = new optim.Adam([q], { lr: 0.1 });
    q.sum().backward();
    adam.step();
    expect(adam.state.get(q)!.step).toBe(1);
    // the first Adam step moves every element by lr (m̂ / √v̂ = 1 for a constant gradient)
    assertClose(q.toArray(), [0.9, 0.9], { atol: 1e-6 });
  });

  it("maximize climbs: SGD and Adam step the other way", () => {
    for (const make of [(p: torch.Tensor) => new optim.SGD([p], { lr: 0.1, maximize: true }), (p: torch.Tensor) => new optim.Adam([p], { lr: 0.1, maximize: true })]) {
      const p = torch.zeros(1).requiresGrad_();
      const optimizer = make(p);
      p.sum().backward();
      optimizer.step();
      expect(p.item()).toBeGreaterThan(0);
    }
  });

  it("step(closure) re-evaluates the loss with autograd on and returns it", () => {
    const p = torch.tensor([2], { dtype: "float32" }).requiresGrad_();
    const optimizer = new optim.SGD([p], { lr: 0.25 });
    const loss = torch.noGrad(() =>
      optimizer.step(() => {
        optimizer.zeroGrad();
        const l = p.mul(p).sum();
        l.backward();
        return l;
      }),
    );
    expect(loss!.item()).toBe(4);
    expect(p.item()).toBe(1); // 2 − 0.25 · 2·2
  });
});
