/**
 * `pnpm start` is VitePress's dev server: it must serve the chapter pages cross-origin isolated
 * and run cells without the "optimized dependencies changed" reload that kills a first run.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser } from "playwright-core";
import { browserTestsRun, chromiumPath } from "./browser.ts";

const siteDir = fileURLToPath(new URL("../", import.meta.url));

/** Starts `vitepress dev` on a free port; resolves once it prints its address. */
function startDevServer(): Promise<{ child: ChildProcess; url: string }> {
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

describe.skipIf(!browserTestsRun)("the dev server (pnpm start)", () => {
  let server: { child: ChildProcess; url: string };
  let browser: Browser;

  beforeAll(async () => {
    server = await startDevServer();
    browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--enable-unsafe-webgpu", "--disable-dev-shm-usage"] });
  });
  afterAll(async () => {
    await browser?.close();
    server?.child.kill();
  });

  it("serves a chapter page cross-origin isolated, and its cells run", async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${server.url}/en/chapters/01-module`);
    expect(response!.headers()["cross-origin-opener-policy"]).toBe("same-origin");
    // a mark on the window: a reload in the middle of the run would wipe it
    await page.evaluate(() => ((window as unknown as { mark: number }).mark = 1));
    await page.locator('.tl-cell[data-cell="3"] .tl-run').click({ timeout: 60_000 });
    await page.waitForSelector('.tl-cell[data-cell="3"][data-status="done"]', { timeout: 90_000 });
    expect(await page.locator('.tl-cell[data-cell="3"] .tl-text').textContent()).toBe(
      "tensor([[1.5410, 0.0000, 0.0000],\n        [0.5684, 0.0000, 0.0000]])",
    );
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { mark?: number }).mark)).toBe(1);
    await page.close();
  });
});
