/**
 * `pnpm example mnist`: downloads MNIST (once), trains the tutorial's network on it and reports
 * the test accuracy after every epoch. See the package README for the options.
 */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { SingleBar } from "cli-progress";
import { optim, torch } from "@torchlet/nn";
import { readDigits, type Digits } from "./data.ts";
import { fetchFiles, MNIST_FILES, type FetchOptions, type RemoteFile } from "./download.ts";
import { evaluate, mnistNetwork, trainEpoch } from "./train.ts";

/** The folder MNIST is kept in unless `--data` says otherwise (ignored by git). */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL("../../data/mnist", import.meta.url));

export interface MnistOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly momentum: number;
  readonly seed: number;
  readonly device: torch.Device;
  readonly dataDir: string;
  /** Where to write the trained weights (safetensors), if anywhere. */
  readonly save?: string;
}

const USAGE = `usage: pnpm example mnist [options]
  --epochs N        passes over the 60,000 training images (default 1)
  --batch-size N    images per step (default 64)
  --lr X            SGD's learning rate (default 0.1)
  --momentum X      SGD's momentum (default 0)
  --seed N          torch.manualSeed before the weights and the shuffles are drawn (default 0)
  --device D        cpu or webgpu (default cpu)
  --data DIR        where MNIST is kept, downloaded there if missing (default: packages/examples/data/mnist)
  --save FILE       write the trained weights there (safetensors, as torch.save does)`;

/** Runs `read`, adding the usage to the message of any error it throws. */
function withUsage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
}

/** The options of a command line, or an error naming the first bad one. */
export function parseMnistArgs(args: readonly string[]): MnistOptions {
  const { values } = withUsage(() => parseArgs({
    args: [...args],
    options: {
      epochs: { type: "string", default: "1" },
      "batch-size": { type: "string", default: "64" },
      lr: { type: "string", default: "0.1" },
      momentum: { type: "string", default: "0" },
      seed: { type: "string", default: "0" },
      device: { type: "string", default: "cpu" },
      data: { type: "string", default: DEFAULT_DATA_DIR },
      save: { type: "string" },
    },
  }));
  const number = (name: keyof typeof values, check: (n: number) => boolean, what: string) => {
    const n = Number(values[name]);
    if (!check(n)) throw new Error(`--${name} must be ${what}, got ${values[name]}\n${USAGE}`);
    return n;
  };
  const device = values.device;
  if (device !== "cpu" && device !== "webgpu") throw new Error(`--device must be cpu or webgpu, got ${device}\n${USAGE}`);
  return {
    epochs: number("epochs", (n) => Number.isInteger(n) && n >= 1, "a whole number of at least 1"),
    batchSize: number("batch-size", (n) => Number.isInteger(n) && n >= 1, "a whole number of at least 1"),
    lr: number("lr", (n) => n > 0, "a positive number"),
    momentum: number("momentum", (n) => n >= 0, "zero or more"),
    seed: number("seed", (n) => Number.isInteger(n) && n >= 0, "a whole number of at least 0"),
    device,
    dataDir: values.data!,
    save: values.save,
  };
}

/**
 * MNIST's training and test splits, from `dir` or downloaded into it. `files` names the training
 * images, training labels, test images and test labels, MNIST's own by default.
 */
export async function loadMnist(
  dir: string,
  fetchOptions: FetchOptions = {},
  files: readonly RemoteFile[] = Object.values(MNIST_FILES),
): Promise<{ train: Digits; test: Digits }> {
  const [trainImages, trainLabels, testImages, testLabels] = await fetchFiles(dir, files, fetchOptions);
  return { train: readDigits(trainImages, trainLabels), test: readDigits(testImages, testLabels) };
}

/** Trains on `train`, evaluating on `test` after each epoch; prints one line per epoch to `log`. */
export async function runMnist(options: MnistOptions, train: Digits, test: Digits, log: (line: string) => void = console.log) {
  torch.manualSeed(options.seed);
  if (options.device === "webgpu") await torch.webgpu.init();
  const model = mnistNetwork().to(options.device);
  const optimizer = new optim.SGD(model.parameters(), { lr: options.lr, momentum: options.momentum });
  const steps = Math.ceil(train.count / options.batchSize);
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: "epoch {epoch} {bar} {value}/{total} loss {loss}", stream: process.stderr, hideCursor: true, clearOnComplete: true })
    : null;
  const history = [];
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const started = performance.now();
    bar?.start(steps, 0, { epoch, loss: "" });
    const losses = await trainEpoch(model, optimizer, train, {
      batchSize: options.batchSize,
      device: options.device,
      onStep: (step, loss) => bar?.update(step + 1, { epoch, loss: loss.toFixed(4) }),
    });
    bar?.stop();
    const seconds = (performance.now() - started) / 1000;
    const result = await evaluate(model, test, 1000, options.device);
    const meanLoss = losses.reduce((s, l) => s + l, 0) / losses.length;
    log(
      `epoch ${epoch}: train loss ${meanLoss.toFixed(4)} (${seconds.toFixed(1)} s), ` +
        `test loss ${result.loss.toFixed(4)}, test accuracy ${(100 * result.accuracy).toFixed(2)} %`,
    );
    history.push({ epoch, trainLoss: meanLoss, seconds, ...result });
  }
  if (options.save) {
    await writeFile(options.save, await torch.save(model.stateDict()));
    log(`weights written to ${options.save}`);
  }
  return { model, history };
}

/** The command line's entry point. */
export async function main(args: readonly string[]): Promise<void> {
  const options = parseMnistArgs(args);
  const { train, test } = await loadMnist(options.dataDir, {
    onDownload: (file, url) => console.error(`downloading ${file.name} from ${url}`),
  });
  console.log(`MNIST: ${train.count} training and ${test.count} test images, on ${options.device}`);
  await runMnist(options, train, test);
}
