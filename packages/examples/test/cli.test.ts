/**
 * The command line: `pnpm example` lists the programs, `pnpm example mnist` reads its options,
 * and a bad option is refused with the reason and the usage.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR, parseMnistArgs } from "../src/mnist/main.ts";

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const tsx = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", cli, ...args], { encoding: "utf8" });

describe("pnpm example", () => {
  it("lists the examples when given no name", () => {
    const run = tsx([]);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("usage: pnpm example <name> [options]");
    expect(run.stderr).toContain("mnist");
    expect(run.stderr).toContain("deep-network");
  });

  it("refuses an unknown name", () => {
    const run = tsx(["cifar"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no example named "cifar"');
  });

  it("runs the 50-layer experiment for one activation", () => {
    const run = tsx(["deep-network", "--activation", "tanh"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("activation: tanh");
    expect(run.stdout).not.toContain("activation: relu");
    expect(tsx(["deep-network", "--activation", "gelu"]).stderr).toContain("--activation must be one of none, relu, tanh, got gelu");
  });

  it("stops on a bad option before loading anything", () => {
    const run = tsx(["mnist", "--epochs", "0"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("--epochs must be a whole number of at least 1, got 0");
  });
});

describe("the MNIST program's options", () => {
  it("has defaults for all of them", () => {
    expect(parseMnistArgs([])).toEqual({
      epochs: 1, batchSize: 64, lr: 0.1, momentum: 0, seed: 0, device: "cpu", dataDir: DEFAULT_DATA_DIR, save: undefined,
    });
  });

  it("reads each one", () => {
    const args = ["--epochs", "3", "--batch-size", "128", "--lr", "0.05", "--momentum", "0.9", "--seed", "4", "--device", "webgpu", "--data", "/tmp/m", "--save", "w.safetensors"];
    expect(parseMnistArgs(args)).toEqual({
      epochs: 3, batchSize: 128, lr: 0.05, momentum: 0.9, seed: 4, device: "webgpu", dataDir: "/tmp/m", save: "w.safetensors",
    });
  });

  it("refuses bad values, naming the option", () => {
    expect(() => parseMnistArgs(["--batch-size", "1.5"])).toThrow("--batch-size must be a whole number of at least 1, got 1.5");
    expect(() => parseMnistArgs(["--lr=-1"])).toThrow("--lr must be a positive number, got -1");
    expect(() => parseMnistArgs(["--device", "cuda"])).toThrow("--device must be cpu or webgpu, got cuda");
    expect(() => parseMnistArgs(["--epoch", "2"])).toThrow(/Unknown option '--epoch'[^]*usage: pnpm example mnist/);
  });
});
