/**
 * The package's public face (DESIGN.md, "The public API"): `torch` holds all of tensor-core's and
 * autograd's public names plus `nn`, `optim`, `save` and `load`; `nn` holds the modules, the
 * containers, the layers, the losses, `init` and `functional`; `F` and `optim` are the same
 * namespaces as `torch.nn.functional` and `torch.optim`; and `torch.Tensor` works as a type.
 */
import { describe, expect, it } from "vitest";
import * as tensorCore from "@torchlet/tensor-core";
import * as autogradPackage from "@torchlet/autograd";
import * as modulePackage from "@torchlet/module";
import * as containers from "@torchlet/containers";
import * as initPackage from "@torchlet/init";
import { F, nn, optim, torch } from "../src/index.ts";

describe("the torch namespace", () => {
  it("holds every public name of tensor-core and autograd, the same objects", () => {
    for (const [name, value] of [...Object.entries(tensorCore), ...Object.entries(autogradPackage)]) {
      expect(name in torch, name).toBe(true);
      expect((torch as Record<string, unknown>)[name], name).toBe(value);
    }
  });

  it("reaches nn, nn.functional, optim, save and load, the same namespaces as the package's own exports", () => {
    expect(torch.nn).toBe(nn);
    expect(torch.nn.functional).toBe(F);
    expect(torch.optim).toBe(optim);
    expect(typeof torch.save).toBe("function");
    expect(typeof torch.load).toBe("function");
  });

  it("runs DESIGN.md's example: PyTorch's random numbers and printing, a Module subclass typed with torch.Tensor", () => {
    torch.manualSeed(0);
    const a = torch.randn(2, 3);
    expect(String(a)).toBe("tensor([[ 1.5410, -0.2934, -2.1788],\n        [ 0.5684, -1.0845, -1.3986]])");
    class ReluLayer extends nn.Module {
      override forward(x: torch.Tensor): torch.Tensor {
        return torch.maximum(x, torch.tensor(0));
      }
    }
    const relu = new ReluLayer();
    expect(String(relu)).toBe("ReluLayer()");
    expect(String(relu.call(a))).toBe("tensor([[1.5410, 0.0000, 0.0000],\n        [0.5684, 0.0000, 0.0000]])");
  });
});

describe("the nn namespace", () => {
  it("holds Module, Parameter and the containers of the packages below", () => {
    expect(nn.Module).toBe(modulePackage.Module);
    expect(nn.Parameter).toBe(modulePackage.Parameter);
    for (const name of ["Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict"] as const) {
      expect(nn[name], name).toBe(containers[name]);
    }
  });

  it("holds nn.init: every initialiser of @torchlet/init", () => {
    for (const [name, value] of Object.entries(initPackage)) expect((nn.init as Record<string, unknown>)[name], name).toBe(value);
  });

  it("holds the layers and losses, each a Module", () => {
    const layers = [
      new nn.Linear(2, 2),
      new nn.Identity(),
      new nn.Conv2d(1, 1, 1),
      new nn.MaxPool2d(2),
      new nn.BatchNorm2d(1),
      new nn.Dropout(),
      new nn.Flatten(),
      new nn.ReLU(),
      new nn.Sigmoid(),
      new nn.Tanh(),
      new nn.Softmax(0),
      new nn.LogSoftmax(0),
      new nn.CrossEntropyLoss(),
      new nn.NLLLoss(),
      new nn.MSELoss(),
    ];
    for (const layer of layers) expect(layer).toBeInstanceOf(nn.Module);
  });

  it("nn.functional holds PyTorch's functions in camelCase", () => {
    expect(Object.keys(F).sort()).toEqual(
      ["batchNorm", "conv2d", "crossEntropy", "dropout", "linear", "logSoftmax", "maxPool2d", "mseLoss", "nllLoss", "pad", "relu", "sigmoid", "softmax", "tanh"].sort(),
    );
  });

  it("optim holds SGD, Adam and AdamW, each an Optimizer", () => {
    const p = torch.zeros(1).requiresGrad_();
    for (const o of [new optim.SGD([p], { lr: 0.1 }), new optim.Adam([p]), new optim.AdamW([p])]) expect(o).toBeInstanceOf(optim.Optimizer);
  });
});
