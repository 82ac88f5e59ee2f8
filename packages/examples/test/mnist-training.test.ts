/**
 * The MNIST program against PyTorch 1.13 running the same pipeline (mnist-training.py): the same
 * seed gives the same weights, the same `randperm` orders, the same standardised batches, and so
 * the same loss at every step, the same test loss and accuracy after every epoch, and the same
 * weights at the end.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nn, optim, torch } from "@torchlet/nn";
import { assertClose, fixtureValues } from "@torchlet/testing";
import { batchOf, shuffledOrder } from "../src/mnist/data.ts";
import { runMnist } from "../src/mnist/main.ts";
import { evaluate, mnistNetwork, trainEpoch } from "../src/mnist/train.ts";
import { expectEpochs, syntheticDigits, trainingCases } from "./mnist-fixture.ts";

describe("the MNIST program, step for step as in PyTorch", () => {
  it("has the fixture's cases", () => expect(trainingCases.length).toBe(2));

  for (const c of trainingCases) {
    const name = `seed ${c.seed}, ${c.train} images in batches of ${c.batch_size}, lr ${c.lr}, momentum ${c.momentum}`;
    const train = syntheticDigits(c.train, 0);
    const test = syntheticDigits(c.test, 3);

    it(`${name}: every step's loss, each epoch's test loss and accuracy, the last bias`, async () => {
      torch.manualSeed(c.seed);
      const model = mnistNetwork();
      const optimizer = new optim.SGD(model.parameters(), { lr: c.lr, momentum: c.momentum });
      const losses: number[] = [];
      for (let epoch = 0; epoch < c.epochs; epoch++) {
        losses.push(...(await trainEpoch(model, optimizer, train, { batchSize: c.batch_size })));
        const result = await evaluate(model, test, 1000);
        expect(result.loss).toBeCloseTo(c.evaluations[epoch].loss, 4);
        expect(result.accuracy).toBe(c.evaluations[epoch].accuracy);
      }
      expect(losses).toHaveLength(c.losses.length);
      losses.forEach((loss, i) => expect(loss, `step ${i}`).toBeCloseTo(c.losses[i], 4));
      assertClose((model.at(5) as nn.Linear).bias!.toArray(), fixtureValues(c.last_bias), { rtol: 1e-4, atol: 1e-5 }, "last bias");
    });

    it(`${name}: the program's own loop reports the same epochs and saves the weights`, async () => {
      const lines: string[] = [];
      const save = join(mkdtempSync(join(tmpdir(), "torchlet-mnist-")), "weights.safetensors");
      const options = { epochs: c.epochs, batchSize: c.batch_size, lr: c.lr, momentum: c.momentum, seed: c.seed, device: "cpu" as const, dataDir: "", save };
      const { history } = await runMnist(options, train, test, (line) => lines.push(line));
      expectEpochs(history, c);
      const saved = torch.load(readFileSync(save));
      assertClose(saved.get("5.bias")!.toArray(), fixtureValues(c.last_bias), { rtol: 1e-4, atol: 1e-5 }, "saved last bias");
      expect([...saved.keys()].sort()).toEqual(["1.bias", "1.weight", "3.bias", "3.weight", "5.bias", "5.weight"]);
      expect(lines).toHaveLength(c.epochs + 1);
      expect(lines.at(-1)).toBe(`weights written to ${save}`);
      expect(lines.at(-2)).toContain(`test accuracy ${(100 * c.evaluations.at(-1)!.accuracy).toFixed(2)} %`);
    });
  }
});

describe("batches", () => {
  it("standardise pixels with MNIST's mean and std, as ToTensor() then Normalize((0.1307,), (0.3081,))", () => {
    const digits = syntheticDigits(3, 0);
    const { images, labels } = batchOf(digits, [2, 0], 0, 2);
    expect(images.shape).toEqual([2, 1, 28, 28]);
    expect(labels.dtype).toBe("int64");
    expect(labels.tolist()).toEqual([2, 0]);
    const values = images.toArray();
    // image 2's first pixel is 2·7 % 97 = 14; image 0's pixel 0 lies in its stripe (label 0): 255
    expect(values[0]).toBeCloseTo((14 / 255 - 0.1307) / 0.3081, 6);
    expect(values[784]).toBeCloseTo((1 - 0.1307) / 0.3081, 6);
  });

  it("come in a fresh random order each epoch, fixed by the seed", () => {
    torch.manualSeed(3);
    const first = shuffledOrder(10);
    const second = shuffledOrder(10);
    torch.manualSeed(3);
    expect(shuffledOrder(10)).toEqual(first);
    expect([...first].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(second).not.toEqual(first);
  });
});
