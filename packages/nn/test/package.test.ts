/**
 * @torchlet/nn as its users get it: built to JavaScript and declarations, packed with pnpm (which
 * swaps in `publishConfig` and turns `workspace:*` into versions), installed with npm into a plain
 * Node ESM project that has never seen the workspace, then run and typechecked there.
 *
 * The installed copy must train the seed document's NeuralNetwork for two SGD steps with PyTorch's
 * losses (nn-training.json) and print the seed's `mlp` output exactly as PyTorch printed it
 * (modules.json), and a TypeScript file must typecheck against the installed declarations.
 *
 * Slow (it builds six packages): about a minute.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { assertClose, fixture } from "@torchlet/testing";

const run = promisify(execFile);
const packagesDir = fileURLToPath(new URL("../../", import.meta.url));
/** @torchlet/nn and every package it needs, in dependency order. */
const packages = ["tensor-core", "autograd", "module", "containers", "init", "nn"];
/** Dependencies from outside the workspace, packed from the local install (no registry needed). */
const external = { "@webgpu/types": "0.1.74" };
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const work = mkdtempSync(join(tmpdir(), "torchlet-package-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface PackedManifest {
  name: string;
  version: string;
  exports: Record<string, { types: string; default: string }>;
  files: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** The package.json inside a tarball, as npm will see it. */
async function manifestOf(tarball: string): Promise<PackedManifest> {
  const { stdout } = await run("tar", ["-xzOf", tarball, "package/package.json"]);
  return JSON.parse(stdout) as PackedManifest;
}

async function filesOf(tarball: string): Promise<string[]> {
  const { stdout } = await run("tar", ["-tzf", tarball]);
  return stdout.split("\n").filter(Boolean);
}

/** The seed's models, as a user writes them in plain JavaScript against the installed package. */
const script = `
import { torch, nn, optim } from "@torchlet/nn";

class ReluLayer extends nn.Module {
  forward(x) { return torch.maximum(x, torch.tensor(0)); }
}
class MyFCLayer extends nn.Module {
  constructor(inDim, outDim) {
    super();
    this.weights = new nn.Parameter(torch.randn(inDim, outDim));
    this.bias = new nn.Parameter(torch.randn(outDim));
  }
  forward(x) { return x.matmul(this.weights.data).add(this.bias.data); }
}
class LinearReluStack extends nn.Module {
  stack = new nn.Sequential(new nn.Linear(784, 100), new ReluLayer(), new nn.Linear(100, 100), new ReluLayer(), new MyFCLayer(100, 10));
  forward(x) { return this.stack.call(x); }
}
class NeuralNetwork extends nn.Module {
  flatten = new nn.Flatten();
  stack = new LinearReluStack();
  forward(x) { return this.stack.call(this.flatten.call(x)); }
}

const [trainingSeed, mlpSeed] = process.argv.slice(2).map(Number);
torch.manualSeed(trainingSeed);
const model = new NeuralNetwork();
const x = torch.randn(8, 28, 28);
const y = torch.randint(0, 10, [8]);
const optimizer = new optim.SGD(model.parameters(), { lr: 0.002, momentum: 0.9 });
const lossFn = new nn.CrossEntropyLoss();
const losses = [];
for (let step = 0; step < 2; step++) {
  optimizer.zeroGrad();
  const loss = lossFn.call(model.call(x), y);
  loss.backward();
  optimizer.step();
  losses.push(loss.item());
}
console.log(JSON.stringify(losses));

torch.manualSeed(mlpSeed);
const mlp = new nn.Sequential(new nn.Linear(25, 100), new nn.ReLU(), new nn.Linear(100, 10));
console.log(String(mlp.call(torch.randn(3, 25))));
`;

/** A TypeScript user's file: it must typecheck, and the expected error must be one. */
const typedFile = `
import { torch, nn, F, optim } from "@torchlet/nn";

class Net extends nn.Module {
  fc = new nn.Linear(4, 3);
  override forward(x: torch.Tensor): torch.Tensor {
    return F.relu(this.fc.call(x));
  }
}
const net = new Net();
const out: torch.Tensor = net.call(torch.randn(2, 4));
const shape: torch.Size = out.shape;
const optimizer: optim.Optimizer<object> = new optim.Adam(net.parameters(), { lr: 1e-3, betas: [0.9, 0.99] });
const saved: Promise<Uint8Array> = torch.save(net.stateDict());
const loaded: Map<string, torch.Tensor> = torch.load(new Uint8Array(0));
// @ts-expect-error: forward takes a tensor, so call does too
net.call("not a tensor");
// @ts-expect-error: the learning rate is a number
new optim.SGD(net.parameters(), { lr: "fast" });
export { shape, optimizer, saved, loaded };
`;

describe("@torchlet/nn installed from its tarballs", () => {
  const tarballs: string[] = [];
  const externalTarballs: string[] = [];

  it("builds every package and packs it with pnpm", { timeout: 240_000 }, async () => {
    // the builds are independent (each typechecks against the others' sources): run them together
    await Promise.all(
      packages.map(async (name) => {
        const dir = join(packagesDir, name);
        rmSync(join(dir, "dist"), { recursive: true, force: true });
        await run(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: dir });
      }),
    );
    const destination = join(work, "tarballs");
    for (const name of packages) {
      const { stdout } = await run("pnpm", ["pack", "--pack-destination", destination], { cwd: join(packagesDir, name) });
      tarballs.push(stdout.trim().split("\n").at(-1)!);
    }
    expect(tarballs.map((t) => t.split("/").at(-1))).toEqual(packages.map((name) => `torchlet-${name}-0.1.0.tgz`));
    const coreRequire = createRequire(join(packagesDir, "tensor-core", "package.json"));
    for (const name of Object.keys(external)) {
      const dir = join(coreRequire.resolve(`${name}/package.json`), "..");
      const { stdout } = await run("npm", ["pack", dir, "--pack-destination", destination, "--offline"], { cwd: work });
      externalTarballs.push(join(destination, stdout.trim().split("\n").at(-1)!));
    }
  });

  it("has manifests that need no registry: built exports, exact versions, webgpu an optional peer", async () => {
    const names = new Set(packages.map((name) => `@torchlet/${name}`));
    for (const tarball of tarballs) {
      const manifest = await manifestOf(tarball);
      const files = await filesOf(tarball);
      expect(manifest.exports, manifest.name).toEqual({ ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } });
      expect(files).toContain("package/dist/index.js");
      expect(files).toContain("package/dist/index.d.ts");
      expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")), "no TypeScript sources").toEqual([]);
      for (const [dependency, version] of Object.entries(manifest.dependencies ?? {})) {
        const expected = names.has(dependency) ? "0.1.0" : external[dependency as keyof typeof external];
        expect(expected, `${manifest.name} depends on ${dependency}, which is not one of the tarballs`).toBeDefined();
        expect(version, `${manifest.name} → ${dependency}`).toBe(expected);
      }
      for (const peer of Object.keys(manifest.peerDependencies ?? {})) {
        expect(manifest.peerDependenciesMeta?.[peer]?.optional, `${manifest.name}'s peer ${peer} is optional`).toBe(true);
      }
    }
    const core = await manifestOf(tarballs[0]);
    expect(core.peerDependencies).toEqual({ webgpu: "0.6.2" });
  });

  it("installs offline into a plain Node project, trains, and prints as PyTorch", { timeout: 120_000 }, async () => {
    const app = join(work, "app");
    await run("mkdir", ["-p", app]);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    await run("npm", ["install", "--offline", "--no-audit", "--no-fund", ...tarballs, ...externalTarballs], { cwd: app });
    const installed = JSON.parse(readFileSync(join(app, "node_modules/@torchlet/nn/package.json"), "utf8")) as PackedManifest;
    expect(installed.version).toBe("0.1.0");

    const training = fixture<{ seed: number; optimizer: string; options: Record<string, unknown>; losses: number[] }>("nn-training").find(
      (c) => c.optimizer === "SGD" && c.options.lr === 0.002 && c.options.momentum === 0.9 && !c.options.nesterov && !c.options.dampening,
    )!;
    const mlpIndex = fixture<{ label: string; output_str: string }>("modules").findIndex((c) => c.label === "mlp Sequential");
    const mlp = fixture<{ label: string; output_str: string }>("modules")[mlpIndex];
    writeFileSync(join(app, "main.mjs"), script);
    const { stdout } = await run(process.execPath, ["main.mjs", String(training.seed), String(mlpIndex + 1)], { cwd: app });
    const [lossLine, ...printed] = stdout.trimEnd().split("\n");
    assertClose(JSON.parse(lossLine) as number[], training.losses.slice(0, 2), { rtol: 1e-4, atol: 1e-4 }, "losses");
    expect(printed.join("\n")).toBe(mlp.output_str);
  });

  // Two kinds of users: a Node project as `tsc --init` sets one up (no DOM types, declarations of
  // dependencies not re-checked), and a browser project that checks every declaration. tensor-core's
  // GPU internals name WebGPU's types, which come with its dependency @webgpu/types (itself written
  // against the DOM's types, hence the DOM library in the second).
  const projects = {
    "a Node project (skipLibCheck)": { lib: ["ES2023"], skipLibCheck: true },
    "a browser project checking every declaration": { lib: ["ES2023", "DOM"], skipLibCheck: false },
  };
  for (const [kind, options] of Object.entries(projects)) {
    it(`typechecks a TypeScript file against the installed declarations in ${kind}`, { timeout: 120_000 }, async () => {
      const app = join(work, "app");
      writeFileSync(join(app, "check.ts"), typedFile);
      writeFileSync(
        join(app, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            target: "ES2022",
            module: "NodeNext",
            moduleResolution: "NodeNext",
            strict: true,
            noImplicitOverride: true,
            noEmit: true,
            types: [],
            ...options,
          },
          files: ["check.ts"],
        }),
      );
      const result = await run(process.execPath, [tsc, "-p", "."], { cwd: app }).catch((e: { stdout: string }) => ({ stdout: e.stdout, failed: true }));
      expect(result.stdout).toBe("");
      expect("failed" in result).toBe(false);
    });
  }
});
