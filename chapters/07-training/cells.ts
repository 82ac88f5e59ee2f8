// Training the tutorial's network, in torchlet, cell for cell beside cells.py: a dataset in
// MNIST's shape, batches in a random order, the training loop, evaluation, and saving the
// weights. The cells that draw random numbers start from torch.manualSeed, as their Python twins
// do, so both print the same losses. Run it with `pnpm chapter 07`.

// %% id=imports
import { torch, nn, optim } from "@torchlet/nn";

// %% id=dataset
/**
 * Made-up digits in MNIST's shape: image i has label (i + offset) % 10, a stripe three pixels wide
 * at column 2·label (brightness 120), and a fixed pattern of noise everywhere else (0 to 130, so
 * brighter than the stripe in places: the network has to learn where to look).
 */
function digits(count: number, offset: number): { images: torch.Tensor; labels: torch.Tensor } {
  const pixels = new Float32Array(count * 28 * 28);
  const labels = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const label = (i + offset) % 10;
    labels[i] = label;
    for (let p = 0; p < 28 * 28; p++) {
      const column = p % 28;
      const stripe = 2 * label <= column && column < 2 * label + 3;
      pixels[i * 784 + p] = stripe ? 120 : ((i + offset) * 7 + p * 13) % 131;
    }
  }
  return { images: torch.fromValues(pixels, [count, 1, 28, 28], "float32"), labels: torch.fromValues(labels, [count], "int64") };
}
const train = digits(640, 0);
const test = digits(160, 3);
console.log(train.images.shape, train.labels.shape, test.images.shape);
train.labels.index("0:12");

// %% id=standardise
// MNIST's pixel mean and standard deviation, after scaling to [0, 1] (torchvision's Normalize)
const standardise = (images: torch.Tensor) => images.div(255).sub(0.1307).div(0.3081);
const x = standardise(train.images);
console.log(Number(x.mean().item()).toFixed(4), Number(x.std().item()).toFixed(4));

// %% id=model
/** The tutorial's network, with new random weights each time. */
function network(): nn.Sequential {
  return new nn.Sequential(
    new nn.Flatten(),
    new nn.Linear(28 * 28, 100),
    new nn.ReLU(),
    new nn.Linear(100, 100),
    new nn.ReLU(),
    new nn.Linear(100, 10),
  );
}
torch.manualSeed(0);
const model = network();
const lossFn = new nn.CrossEntropyLoss();
const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
console.log(model);

// %% id=one-step
const first = x.index("0:64");
const targets = train.labels.index("0:64");
let loss = lossFn.call(model.call(first), targets);
console.log(`before: ${Number(loss.item()).toFixed(4)}`);
optimizer.zeroGrad();
loss.backward();
optimizer.step();
loss = lossFn.call(model.call(first), targets);
console.log(`after one step: ${Number(loss.item()).toFixed(4)}`);

// %% id=batches
/** The images and labels at `indices` (a DataLoader's batch). */
function batchOf(images: torch.Tensor, labels: torch.Tensor, indices: number[]): [torch.Tensor, torch.Tensor] {
  return [torch.stack(indices.map((i) => images.select(0, i))), torch.stack(indices.map((i) => labels.select(0, i)))];
}
torch.manualSeed(1);
const order = torch.randperm(640).tolist() as number[];
console.log(order.slice(0, 8));
const [xb, yb] = batchOf(x, train.labels, order.slice(0, 64));
console.log(xb.shape, yb.index("0:8"));

// %% id=train-epoch
/** One pass over the training images in a fresh random order; the mean loss of its steps. */
function trainEpoch(batchSize: number): number {
  model.train();
  const order = torch.randperm(train.labels.shape[0]!).tolist() as number[];
  let total = 0;
  let steps = 0;
  for (let start = 0; start < order.length; start += batchSize) {
    const [images, labels] = batchOf(x, train.labels, order.slice(start, start + batchSize));
    optimizer.zeroGrad();
    const loss = lossFn.call(model.call(images), labels);
    loss.backward();
    optimizer.step();
    total += Number(loss.item());
    steps += 1;
  }
  return total / steps;
}

// %% id=evaluate
/** The share of the test images whose highest score is their label. */
function accuracy(net: nn.Module): number {
  net.eval();
  return torch.noGrad(() => {
    const predicted = net.call(standardise(test.images)).argmax(1);
    return Number(predicted.eq(test.labels).sum().item()) / test.labels.shape[0]!;
  });
}
console.log(`before training: ${accuracy(model).toFixed(4)}`);

// %% id=train
torch.manualSeed(2);
for (let epoch = 1; epoch <= 3; epoch++) {
  const loss = trainEpoch(64);
  console.log(`epoch ${epoch}: loss ${loss.toFixed(4)}, test accuracy ${accuracy(model).toFixed(4)}`);
}

// %% id=save-load
const saved = model.stateDict();
torch.manualSeed(3);
const restored = network();
console.log(`a new network: ${accuracy(restored).toFixed(4)}`);
restored.loadStateDict(saved);
console.log(`with the trained weights: ${accuracy(restored).toFixed(4)}`);
