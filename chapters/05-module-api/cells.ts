// The seed document's section on the common interfaces of nn.Module (buffers and parameters,
// registerBuffer and registerParameter, the __setattr__ flow, apply and _apply) in torchlet, cell
// for cell beside cells.py, with train/eval mode added. Every cell that draws random numbers
// starts from torch.manualSeed(0), as its Python twin does, so both print the same numbers. Run it
// with `pnpm chapter 05`.

// %% id=imports
import { torch, nn } from "@torchlet/nn";
import { tuple } from "@torchlet/cells";

// %% id=batchnorm-members
const batchNorm = new nn.BatchNorm2d({ numFeatures: 128 });

console.log("Buffers:");
for (const [name, buffer] of batchNorm.namedBuffers()) {
  console.log(`\t${name}: ${buffer.shape}`);
}
console.log("Parameters:");
for (const [name, param] of batchNorm.namedParameters()) {
  console.log(`\t${name}: ${param.shape}`);
}

// %% id=batchnorm-registries
console.log([...batchNorm._parameters.keys()]);
console.log([...batchNorm._buffers.keys()]);
batchNorm.num_batches_tracked;

// %% id=register-buffer
class BatchNorm2D extends nn.Module {
  mean: nn.Parameter;
  var: nn.Parameter;
  constructor(numFeatures: number) {
    super();
    this.mean = new nn.Parameter(torch.randn(numFeatures));
    this.var = new nn.Parameter(torch.randn(numFeatures));
    this.registerBuffer("moving_mean", torch.randn(numFeatures));
    this.registerBuffer("moving_var", torch.randn(numFeatures));
  }
}

torch.manualSeed(0);
const bn = new BatchNorm2D(4);
console.log("parameters:", [...bn.namedParameters()].map(([name, param]) => name));
console.log("buffers:", [...bn.namedBuffers()].map(([name, buffer]) => name));

// %% id=state-dict
bn.stateDict();

// %% id=plain-tensor
class Unregistered extends nn.Module {
  moving_mean: torch.Tensor;
  constructor(numFeatures: number) {
    super();
    this.moving_mean = torch.zeros(numFeatures); // a plain tensor: neither a parameter nor a buffer
  }
}

const unregistered = new Unregistered(4);
[...unregistered.stateDict().keys()];

// %% id=register-parameter
class ChannelGains extends nn.Module {
  constructor(channels: string[]) {
    super();
    for (const channel of channels) { // the names are known only when the module is made
      this.registerParameter(`gain_${channel}`, new nn.Parameter(torch.ones(1)));
    }
  }
}

const gains = new ChannelGains(["red", "green", "blue"]);
console.log([...gains.namedParameters()].map(([name, param]) => name));
gains.getParameter("gain_green");

// %% id=register-taken-name
try {
  gains.registerParameter("training", new nn.Parameter(torch.ones(1)));
} catch (error) {
  console.log(String(error));
}
[...gains.namedParameters()].map(([name, param]) => name);

// %% id=setattr-flow
class Tiny extends nn.Module {
  weight: nn.Parameter;
  act: nn.ReLU;
  declare steps: torch.Tensor;
  note: string;
  constructor() {
    super();
    console.log("at first:", this._parameters, this._buffers, this._modules);
    this.weight = new nn.Parameter(torch.ones(2));
    console.log("weight assigned:", this._parameters);
    this.act = new nn.ReLU();
    console.log("act assigned:", this._modules);
    this.registerBuffer("steps", torch.zeros(1));
    console.log("steps registered:", this._buffers);
    this.steps = torch.ones(1);
    console.log("steps assigned:", this._buffers);
    this.note = "a plain attribute";
  }
}

const tiny = new Tiny();

// %% id=setattr-where
tuple(Object.hasOwn(tiny, "weight"), Object.hasOwn(tiny, "note"), tiny.weight === tiny._parameters.get("weight"));

// %% id=class-field
class Scale extends nn.Module {
  gain = new nn.Parameter(torch.ones(3)); // a class field: defined on the module, not assigned

  forward(x: torch.Tensor) {
    return x.mul(this.gain);
  }
}

[...new Scale()._parameters.keys()];

// %% id=apply-init
function normInit(m: nn.Module) {
  if (m instanceof nn.Linear) {
    nn.init.normal_(m.weight, { mean: 0, std: 0.01 });
    nn.init.zeros_(m.bias!);
  }
}

torch.manualSeed(0);
let model = new nn.Linear(100, 100);
model = model.apply(normInit);
console.log(model.weight.var().sqrt());
model.bias!.abs().max();

// %% id=apply-walk
torch.manualSeed(0);
let net = new nn.Sequential(new nn.Linear(3, 2), new nn.BatchNorm2d(2));

function showModule(m: nn.Module) {
  console.log("apply got a module:", m._getName());
}

net.apply(showModule);

// %% id=apply-tensors
function showTensor(t: torch.Tensor) {
  console.log("_apply got a tensor:", t.shape);
  return t;
}

net = net._apply(showTensor);

// %% id=to-device
// model.to("webgpu") is model._apply((t) => t.to("webgpu")). Where no WebGPU adapter exists,
// torch.webgpu.init() says false and the model stays on the CPU.
const device = (await torch.webgpu.init()) ? "webgpu" : "cpu";
const weight = model.weight;
model = model.to(device);
console.log(model.weight.device);
model.weight === weight;

// %% id=train-mode
torch.manualSeed(0);
const norm = new nn.BatchNorm2d(2);
const x = torch.randn(4, 2, 3, 3);
console.log(norm.training);
let y = norm.call(x);
console.log(norm.running_mean);
norm.num_batches_tracked;

// %% id=eval-mode
norm.eval();
console.log(norm.training);
y = norm.call(x);
console.log(norm.running_mean);
norm.num_batches_tracked;

// %% id=eval-output
console.log(norm.call(x).index(0, 0, 0));
norm.train();
norm.call(x).index(0, 0, 0);

// %% id=modes-recurse
net.eval();
console.log([...net.modules()].map((m) => m.training));
net.train();
[...net.modules()].map((m) => m.training);
