/**
 * The threaded WebAssembly GEMM after a minifying bundler (as the docs site ships it): the workers'
 * program is built from the source text of a function, and a minifier renames that function, so
 * the program must not call it by its name in the source. Here the workers run every chunk of a
 * product (the calling thread claims none), so a worker that cannot run its program would leave
 * the product waiting forever.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { afterAll, describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../src/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "torchlet-threads-bundle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entry = `
import { gemmStats } from "${src}wasm/gemm.ts";
import { matmulWasm } from "${src}wasm/matmul.ts";
import { setNumThreads } from "${src}wasm/settings.ts";
import { ensureWorkers, threadOptions, whenWorkersReady } from "${src}wasm/threads.ts";
import { wasmKernels } from "${src}wasm/workspace.ts";
import * as torch from "${src}index.ts";
const kernels = wasmKernels()!;
setNumThreads(2);
ensureWorkers(kernels, 1);
if ((await whenWorkersReady(kernels, 1)) !== 1) throw new Error("no worker started");
const [a, b, out] = [torch.ones([1, 128, 128]), torch.ones([1, 128, 128]), torch.empty([1, 128, 128])];
threadOptions.callerClaims = false; // the worker runs every chunk
matmulWasm(kernels, a, b, out);
if (out.toArray().some((v) => v !== 128)) throw new Error("wrong product");
console.log("threaded calls: " + gemmStats.threadedCalls);
`;

describe("the thread pool in a minified bundle", () => {
  it("runs a product on its workers", async () => {
    writeFileSync(join(dir, "entry.ts"), entry);
    await build({
      configFile: false,
      logLevel: "silent",
      root: dir,
      build: { ssr: join(dir, "entry.ts"), minify: true, outDir: join(dir, "out"), rollupOptions: { output: { format: "es" } } },
    });
    const [bundle] = readdirSync(join(dir, "out"));
    const child = spawnSync(process.execPath, [join(dir, "out", bundle!)], { encoding: "utf8", timeout: 20_000 });
    expect(child.error).toBeUndefined(); // a timeout shows here: the workers never ran the chunks
    expect(child.stderr).toBe("");
    expect(child.status).toBe(0);
    expect(child.stdout.trim()).toBe("threaded calls: 1");
  }, 60_000);
});
