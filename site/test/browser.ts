/**
 * The browser tests' setting: the site built into a temporary folder, served with the same
 * server as `pnpm preview` (cross-origin isolated), and Debian's Chromium driven by playwright-core
 * (never a downloaded browser), with WebGPU on its built-in SwiftShader adapter.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Server } from "node:http";
import { chromium, type Browser } from "playwright-core";
import { startPreview } from "../preview.ts";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Whether the browser tests run: where Chromium is missing they are skipped, unless
 * TORCHLET_REQUIRE_BROWSER=1 (as in CI), where its absence fails them.
 */
export const browserTestsRun = existsSync(chromiumPath) || process.env.TORCHLET_REQUIRE_BROWSER === "1";

const siteDir = fileURLToPath(new URL("../", import.meta.url));

/** Builds the site into a fresh temporary folder; resolves to the folder. */
export async function buildSite(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), "torchlet-site-"));
  const vitepress = join(siteDir, "node_modules", "vitepress", "bin", "vitepress.js");
  await promisify(execFile)(process.execPath, ["--import", "tsx", vitepress, "build", "--outDir", outDir], {
    cwd: siteDir,
    maxBuffer: 16 * 1024 * 1024,
  });
  return outDir;
}

/** The built site, served, and a browser. */
export interface Setting {
  readonly url: string;
  readonly browser: Browser;
  readonly outDir: string;
  close(): Promise<void>;
}

/** Builds, serves and launches: everything the page tests need. */
export async function openSetting(): Promise<Setting> {
  const outDir = await buildSite();
  const { server, url } = await startPreview(outDir);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless=new",
      "--no-sandbox",
      "--enable-unsafe-webgpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ], // playwright gives the browser a fresh profile of its own

  });
  return {
    url,
    browser,
    outDir,
    async close() {
      await browser.close();
      await new Promise((done) => (server as Server).close(done));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** Starts `vitepress dev` on a free port; resolves once it prints its address. */
export function startDevServer(): Promise<{ child: ChildProcess; url: string }> {
  const vitepress = join(siteDir, "node_modules", "vitepress", "bin", "vitepress.js");
  const child = spawn(process.execPath, ["--import", "tsx", vitepress, "dev", "--port", "0", "--strictPort", "false"], {
    cwd: siteDir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let log = "";
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = /Local:\s+(http:\/\/\S+?)\/?\s/.exec(log.replace(/\x1b\[[0-9;]*m/g, ""));
      if (match) resolve({ child, url: match[1]! });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`vitepress dev exited (${code}):\n${log}`)));
  });
}
