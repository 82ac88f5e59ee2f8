/**
 * The chapter pages in real Chromium: built, served cross-origin isolated, and driven as a reader
 * would. What the page's cells show is held against the terminal runner's output for the same cells
 * (which the chapter's own test holds against PyTorch): chapter 01 in both languages and through
 * its editors, every other chapter's English page run once through. Then `pnpm start`'s dev
 * server, which must serve the same pages cross-origin isolated and run cells without reloading.
 *
 * One file, so that the build and the dev server never run at the same time (they share the
 * site's cache folder).
 */
import { gzipSync } from "node:zlib";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import type { ChildProcess } from "node:child_process";
import { findChapter, findChapters, readCells, readRecorded, runChapter, shownAs } from "@torchlet/cells/node";
import { browserTestsRun, chromiumPath, openSetting, startDevServer, type Setting } from "./browser.ts";

const chapter = findChapter("01")!;
const cells = readCells(chapter.dir);
const last = cells.length;
const pages = { zh: `/chapters/${chapter.slug}`, en: `/en/chapters/${chapter.slug}` } as const;
/** The other chapters: each page is run once through, in English, against the terminal runner. */
const otherChapters = findChapters().filter((c) => c.slug !== chapter.slug);

/** What a cell of the page shows, read as `shownAs` reads a terminal run. */
async function shownOnPage(page: Page, cell: number) {
  const root = page.locator(`.tl-cell[data-cell="${cell}"]`);
  const stdout = (await root.locator('.tl-output[data-kind="stream"][data-name="stdout"]').allTextContents()).map((t) => `${t}\n`).join("");
  const values = await root.locator('.tl-output[data-kind="value"] .tl-text').allTextContents();
  const errors = await root.locator('.tl-output[data-kind="error"] .tl-error-text').allTextContents();
  return { stdout, value: values.length > 0 ? values.join("\n") : null, error: errors.length > 0 ? errors.join("\n") : null };
}

/** Replaces the code of a cell's editor (mounting it first) with `code`. */
async function typeInto(page: Page, cell: number, code: string) {
  const root = page.locator(`.tl-cell[data-cell="${cell}"]`);
  await root.scrollIntoViewIfNeeded(); // in view, the cell mounts its editor by itself
  await page.waitForSelector(`.tl-cell[data-cell="${cell}"][data-editor="ready"]`);
  await root.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(code);
}

async function waitForStatus(page: Page, cell: number, statuses: string[], timeout = 60_000) {
  const selector = statuses.map((s) => `.tl-cell[data-cell="${cell}"][data-status="${s}"]`).join(", ");
  await page.waitForSelector(selector, { timeout });
}

describe.skipIf(!browserTestsRun)("chapter pages in Chromium", () => {
  let setting: Setting;
  let terminal: Awaited<ReturnType<typeof runChapter>>;

  beforeAll(async () => {
    [setting, terminal] = await Promise.all([openSetting(), runChapter(chapter.dir)]);
  });
  afterAll(async () => {
    await setting?.close();
  });

  it.each(["zh", "en"] as const)("the %s page holds every cell as code, with PyTorch's output beside it, before any script runs", async (lang) => {
    const context = await setting.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(setting.url + pages[lang]);
    expect(await page.locator(".tl-cell").count()).toBe(cells.length);
    const recorded = readRecorded(chapter.dir)!;
    for (const cell of cells) {
      const root = page.locator(`.tl-cell[data-cell="${cell.index}"]`);
      expect(await root.getAttribute("data-id")).toBe(cell.id);
      expect((await root.locator(".tl-fallback pre").textContent())!.replace(/\n$/, "")).toBe(cell.code);
      const python = recorded.cells[cell.index - 1]!;
      const expected = [python.stdout.replace(/\n$/, ""), python.value, python.error].filter((s) => s !== null && s !== "").join("\n");
      if (expected !== "") expect(await root.locator(".tl-recorded").textContent()).toBe(expected);
    }
    await context.close();
  });

  it.each(["zh", "en"] as const)("on the %s page, Run on the last cell runs every cell, each showing what the terminal runner shows", async (lang) => {
    const page = await setting.browser.newPage();
    await page.goto(setting.url + pages[lang]);
    await page.locator(`.tl-cell[data-cell="${last}"] .tl-run`).click();
    await waitForStatus(page, last, ["done", "error"]);
    for (const { cell, run } of terminal) {
      expect(await page.locator(`.tl-cell[data-cell="${cell.index}"]`).getAttribute("data-status")).toBe("done");
      expect(await shownOnPage(page, cell.index), `In [${cell.index}]`).toEqual(shownAs(run));
    }
    await page.close();
  });

  it.each(otherChapters.map((c) => [c.slug, c] as const))(
    "%s: Run on the last cell runs every cell, each showing what the terminal runner shows",
    async (_, other) => {
      const otherCells = readCells(other.dir);
      const [page, runs] = await Promise.all([setting.browser.newPage(), runChapter(other.dir)]);
      await page.goto(`${setting.url}/en/chapters/${other.slug}`);
      await page.locator(`.tl-cell[data-cell="${otherCells.length}"] .tl-run`).click();
      await waitForStatus(page, otherCells.length, ["done", "error"], 240_000);
      for (const { cell, run } of runs) {
        const shown = shownAs(run);
        const status = await page.locator(`.tl-cell[data-cell="${cell.index}"]`).getAttribute("data-status");
        expect(status, `In [${cell.index}] of ${other.slug}`).toBe(shown.error === null ? "done" : "error");
        // a measurement's figures change from run to run: it must run through, nothing more
        if (cell.tags.includes("measure")) expect((await shownOnPage(page, cell.index)).error).toBeNull();
        else expect(await shownOnPage(page, cell.index), `In [${cell.index}] of ${other.slug}`).toEqual(shown);
      }
      await page.close();
    },
    300_000,
  );

  it("Stop ends `while (true) {}`, and an edited cell then runs on a fresh worker", async () => {
    const page = await setting.browser.newPage();
    await page.goto(setting.url + pages.en);
    await typeInto(page, 3, "while (true) {}");
    await page.locator('.tl-cell[data-cell="3"] .tl-run').click();
    await waitForStatus(page, 3, ["running"]);
    await page.waitForTimeout(300);
    // the page itself stays responsive while the worker spins
    expect(await page.evaluate(() => 6 * 7)).toBe(42);
    await page.locator('.tl-cell[data-cell="3"] .tl-stop').click();
    await waitForStatus(page, 3, ["stopped"], 5_000);
    expect((await shownOnPage(page, 3)).error).toBe("KeyboardInterrupt");

    // PyTorch 1.13: torch.maximum(torch.tensor([-1.5, 2]), torch.tensor(0)) is tensor([0., 2.])
    await typeInto(page, 3, "relu.call(torch.tensor([-1.5, 2]))");
    await page.locator('.tl-cell[data-cell="3"] .tl-run').click();
    await waitForStatus(page, 3, ["done", "error"]);
    expect(await shownOnPage(page, 3)).toEqual({ stdout: "", value: "tensor([0., 2.])", error: null });
    // the earlier cells ran again first: the fresh worker had never seen ReluLayer
    expect(await shownOnPage(page, 2)).toEqual({ stdout: "ReluLayer()\n", value: null, error: null });
    await page.close();
  });

  it("Shift+Enter in an editor runs the cell; an error shows its Python type, cell and line", async () => {
    const page = await setting.browser.newPage();
    await page.goto(setting.url + pages.en);
    await typeInto(page, 5, "const layer = new nn.Linear(6272, 10);\nlayer.call(torch.zeros(448, 14));");
    await page.keyboard.press("Shift+Enter");
    await waitForStatus(page, 5, ["error"]);
    const error = page.locator('.tl-cell[data-cell="5"] .tl-output[data-kind="error"]');
    expect(await error.textContent()).toBe("Cell In[5], line 2\nRuntimeError: mat1 and mat2 shapes cannot be multiplied (448x14 and 6272x10)");
    await page.close();
  });

  it("an error thrown later, in a timer a cell set, shows under that cell", async () => {
    const page = await setting.browser.newPage();
    await page.goto(setting.url + pages.en);
    await typeInto(page, 2, "console.log('set');\nsetTimeout(() => {\n  throw new TypeError('late');\n}, 50);");
    await page.locator('.tl-cell[data-cell="2"] .tl-run').click();
    await page.waitForSelector('.tl-cell[data-cell="2"] .tl-output[data-kind="error"]');
    expect(await page.locator('.tl-cell[data-cell="2"] .tl-output[data-kind="error"]').textContent()).toBe("Cell In[2], line 3\nTypeError: late");
    expect((await shownOnPage(page, 2)).stdout).toBe("set\n");
    await page.close();
  });

  it("the badge names the WebGPU adapter the worker found, and the page is cross-origin isolated", async () => {
    const page = await setting.browser.newPage();
    const response = await page.goto(setting.url + pages.zh);
    expect(response!.headers()["cross-origin-embedder-policy"]).toBe("require-corp");
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const badge = page.locator('.tl-device[data-device="webgpu"]');
    await badge.waitFor({ timeout: 30_000 });
    expect(await badge.textContent()).toMatch(/WebGPU · google \/ swiftshader/);
    expect(await badge.getAttribute("data-isolated")).toBe("yes");
    await page.close();
  });

  it("measures page weight and the time to the first output (reported, not asserted)", async () => {
    const page = await setting.browser.newPage({ viewport: { width: 1280, height: 200 } });
    const scripts = () =>
      page.evaluate(() =>
        performance
          .getEntriesByType("resource")
          .filter((e) => (e as PerformanceResourceTiming).initiatorType === "script" || e.name.endsWith(".js"))
          .map((e) => ({ name: e.name, bytes: (e as PerformanceResourceTiming).encodedBodySize })),
      );
    const started = Date.now();
    await page.goto(setting.url + pages.en, { waitUntil: "networkidle" });
    const before = await scripts();
    expect(await page.locator('.tl-cell[data-editor="ready"]').count()).toBe(0);
    await page.locator('.tl-cell[data-cell="2"]').scrollIntoViewIfNeeded();
    await page.waitForSelector('.tl-cell[data-editor="ready"]');
    await page.waitForLoadState("networkidle");
    const after = await scripts();
    // the worker's script is fetched by the page too; it is counted on its own below
    const sum = (list: { name: string; bytes: number }[]) => list.filter((e) => !e.name.includes("runner.worker")).reduce((n, e) => n + e.bytes, 0);

    const fresh = await setting.browser.newPage();
    const t0 = Date.now();
    await fresh.goto(setting.url + pages.en, { waitUntil: "domcontentloaded" });
    await fresh.locator('.tl-cell[data-cell="2"] .tl-run').click();
    await fresh.waitForSelector('.tl-cell[data-cell="2"] .tl-output');
    const firstOutput = Date.now() - t0;

    const assets = join(setting.outDir, "assets");
    const worker = readFileSync(join(assets, readdirSync(assets).find((f) => f.startsWith("runner.worker"))!));
    const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    console.log(
      [
        `page JS (gzip, with the pages VitePress prefetches) before editors mount: ${kib(sum(before))}`,
        `page JS (gzip) after an editor mounts: ${kib(sum(after))}`,
        `worker JS (gzip): ${kib(gzipSync(worker).length)}`,
        `page load to first cell output (In [2], cold): ${firstOutput} ms`,
        `(whole test page opened in ${Date.now() - started} ms)`,
      ].join("\n"),
    );
    expect(sum(after)).toBeGreaterThan(sum(before));
    await page.close();
    await fresh.close();
  });
});

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
