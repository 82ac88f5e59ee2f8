/**
 * Everything after `model.to("webgpu")`: forward passes, backward passes and optimizer steps run
 * on the GPU and agree with the CPU and with PyTorch (training runs of nn-training.json,
 * batchnorm.json, the losses); parameters stay the same objects; `torch.save` reads GPU tensors
 * back (GPU memory over many steps: memory.webgpu.test.ts). Runs where `webgpu.init()` finds an
 * adapter (SwiftShader here); fails instead of skipping under TORCHLET_REQUIRE_WEBGPU=1.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { assertClose, fixture, fixtureValues, useSoftwareVulkanIfPresent, webgpuRequired, type FixtureTensor } from "@torchlet/testing";
import { F, nn, torch } from "../src/index.ts";
import { NeuralNetwork } from "./seed-models.ts";
import { makeOptimizer, type TrainingCase } from "./training.ts";

vi.setConfig({ testTimeout: 120_000 });
useSoftwareVulkanIfPresent();
const available = await torch.webgpu.init();
afterAll(() => torch.webgpu.destroy());

const values = async (t: torch.Tensor) => Array.from((await t.cpu()).toArray());
const gpu = { rtol: 1e-4, atol: 1e-5 };

describe.runIf(available || webgpuRequired())("@torchlet/nn on WebGPU", () => {
  it("has an adapter", () => expect(available, "webgpu.init() found no WebGPU adapter").toBe(true));

  it("trains the seed's NeuralNetwork on the GPU with PyTorch's losses (SGD with momentum, Adam)", async () => {
    const runs = fixture<TrainingCase>("nn-training").filter(
      (c) => (c.optimizer === "SGD" && c.options.momentum === 0.9 && !c.options.nesterov) || (c.optimizer === "Adam" && !c.options.amsgrad),
    );
    expect(runs.length).toBe(2);
    for (const c of runs) {
      torch.manualSeed(c.seed);
      const model = new NeuralNetwork();
      const x = torch.randn(8, 28, 28).to("webgpu");
      const y = torch.randint(0, 10, [8]).to("webgpu");
      const params = [...model.parameters()];
      model.to("webgpu");
      expect([...model.parameters()]).toEqual(params);
      const optimizer = makeOptimizer(c.optimizer, model.parameters(), c.options);
      const lossFn = new nn.CrossEntropyLoss();
      const losses: number[] = [];
      for (let step = 0; step < 5; step++) {
        const loss = torch.tidy(() => {
          optimizer.zeroGrad();
          const loss = lossFn.call(model.call(x), y);
          loss.backward();
          optimizer.step();
          return loss;
        });
        expect(loss.device).toBe("webgpu");
        losses.push((await loss.cpu()).item() as number);
        loss.dispose();
      }
      assertClose(losses, c.losses, { rtol: 1e-4, atol: 1e-4 }, `${c.optimizer} losses on webgpu`);
      const bias = (model.stack.stack.at(0) as nn.Linear).bias!;
      expect(bias.device).toBe("webgpu");
      assertClose(await values(bias), c.first_bias.data as number[], { rtol: 1e-4, atol: 1e-5 }, "first layer's bias");
      await model.cpu();
    }
  });

  it("BatchNorm2d trains and evaluates on the GPU as in PyTorch (batchnorm.json)", async () => {
    const [c] = fixture<{ steps: { input: FixtureTensor; output: FixtureTensor; running_mean: number[]; running_var: number[] }[]; eval_output: FixtureTensor }>(
      "batchnorm",
    );
    const bn = new nn.BatchNorm2d(3).to("webgpu");
    const input = (t: FixtureTensor) => torch.tensor(fixtureValues(t), { dtype: "float32" }).reshape(t.shape).to("webgpu");
    for (const step of c.steps) {
      const y = bn.call(input(step.input));
      expect(y.device).toBe("webgpu");
      assertClose(await values(y), fixtureValues(step.output), gpu, "output");
      assertClose(await values(bn.running_mean!), step.running_mean, gpu, "running_mean");
      assertClose(await values(bn.running_var!), step.running_var, gpu, "running_var");
    }
    expect(await values(bn.num_batches_tracked!)).toEqual([3]);
    bn.eval();
    assertClose(await values(bn.call(input(c.steps[0].input))), fixtureValues(c.eval_output), gpu, "eval output");
  });

  it("a conv network's forward and backward agree with the CPU, dropout included (same seed, same mask)", async () => {
    torch.manualSeed(4);
    const build = () =>
      new nn.Sequential(
        new nn.Conv2d(1, 4, 3, { padding: 1 }),
        new nn.BatchNorm2d(4),
        new nn.ReLU(),
        new nn.MaxPool2d(2),
        new nn.Flatten(),
        new nn.Dropout(0.25),
        new nn.Linear(4 * 3 * 3, 5),
        new nn.LogSoftmax(1),
      );
    const cpuModel = build();
    const gpuModel = build();
    gpuModel.loadStateDict(cpuModel.stateDict());
    gpuModel.to("webgpu");
    const x = torch.randn(3, 1, 6, 6);
    const y = torch.tensor([4, 0, 2]);
    torch.manualSeed(9);
    const cpuLoss = F.nllLoss(cpuModel.call(x) as torch.Tensor, y);
    cpuLoss.backward();
    torch.manualSeed(9);
    const gpuLoss = F.nllLoss(gpuModel.call(x.to("webgpu")) as torch.Tensor, y.to("webgpu"));
    gpuLoss.backward();
    assertClose(await values(gpuLoss), [cpuLoss.item() as number], gpu, "loss");
    const cpuGrads = new Map([...cpuModel.namedParameters()].map(([n, p]) => [n, p.grad!]));
    for (const [name, p] of gpuModel.namedParameters()) {
      expect(p.grad!.device).toBe("webgpu");
      assertClose(await values(p.grad!), Array.from(cpuGrads.get(name)!.toArray()), { rtol: 1e-3, atol: 1e-5 }, `grad of ${name}`);
    }
  });

  it("the losses give the same results and gradients on the GPU", async () => {
    torch.manualSeed(11);
    const logits = torch.randn(4, 5);
    const target = torch.tensor([1, -100, 4, 2]);
    const weight = torch.rand(5).add(0.5);
    const calls: [string, (x: torch.Tensor, t: torch.Tensor, w: torch.Tensor) => torch.Tensor][] = [
      ["cross_entropy weighted with an ignored target", (x, t, w) => F.crossEntropy(x, t, { weight: w })],
      ["cross_entropy with label smoothing", (x, t, w) => F.crossEntropy(x, t, { weight: w, labelSmoothing: 0.1, reduction: "sum" })],
      ["nll_loss none", (x, t) => F.nllLoss(F.logSoftmax(x, 1), t, { reduction: "none" })],
      ["mse_loss", (x) => F.mseLoss(x, x.detach().mul(0.5).add(1))],
    ];
    for (const [what, call] of calls) {
      const onCpu = logits.clone().requiresGrad_();
      const onGpu = logits.to("webgpu").requiresGrad_();
      const a = call(onCpu, target, weight);
      const b = call(onGpu, target.to("webgpu"), weight.to("webgpu"));
      a.sum().backward();
      b.sum().backward();
      assertClose(await values(b), Array.from(a.toArray()), gpu, `${what}: output`);
      assertClose(await values(onGpu.grad!), Array.from(onCpu.grad!.toArray()), gpu, `${what}: gradient`);
    }
  });

  it("torch.save reads GPU tensors back: the same bytes as from the CPU; saveSync refuses them", async () => {
    torch.manualSeed(5);
    const model = new nn.Sequential(new nn.Linear(3, 4), new nn.BatchNorm2d(4));
    const cpuBytes = torch.saveSync(model.stateDict());
    model.to("webgpu");
    expect(await torch.save(model.stateDict())).toEqual(cpuBytes);
    expect(() => torch.saveSync(model.stateDict())).toThrow("0.weight is on webgpu: reading it takes an await, so use `await torch.save(...)`");
    await model.cpu();
  });
});
