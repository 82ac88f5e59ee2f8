/**
 * The site: Chinese at `/`, English at `/en/`, one page per chapter folder (see
 * chapter-pages.ts), every cell live (see theme/).
 */
import { fileURLToPath } from "node:url";
import { defineConfig, type DefaultTheme } from "vitepress";
import { findChapters, repositoryRoot } from "@torchlet/cells/node";

/**
 * Cross-origin isolation: with these two headers the page may share memory with its workers, so
 * the WebAssembly kernels of the CPU can use threads (`torch.backends.cpu`, `torch.setNumThreads`).
 */
const isolation = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

function sidebar(lang: "zh" | "en"): DefaultTheme.SidebarItem[] {
  const prefix = lang === "zh" ? "" : "/en";
  return [
    {
      text: lang === "zh" ? "章节" : "Chapters",
      items: findChapters().map((c) => ({ text: `${c.number} · ${c.title[lang]}`, link: `${prefix}/chapters/${c.slug}` })),
    },
  ];
}

function firstChapter(lang: "zh" | "en"): string {
  const first = findChapters()[0];
  return first ? `${lang === "zh" ? "" : "/en"}/chapters/${first.slug}` : lang === "zh" ? "/" : "/en/";
}

const chaptersDir = fileURLToPath(new URL("../../chapters/", import.meta.url));
const routeFiles = ["../chapters/[chapter].paths.ts", "../en/chapters/[chapter].paths.ts"].map((f) => fileURLToPath(new URL(f, import.meta.url)));

export default defineConfig({
  title: "torchlet",
  cleanUrls: true,
  locales: {
    root: {
      label: "简体中文",
      lang: "zh-CN",
      description: "用 TypeScript 一步步重建 PyTorch 的 nn.Module，在浏览器里运行",
      themeConfig: {
        nav: [{ text: "章节", link: firstChapter("zh") }],
        sidebar: sidebar("zh"),
        outline: { label: "本页内容" },
        docFooter: { prev: "上一章", next: "下一章" },
      },
    },
    en: {
      label: "English",
      lang: "en-US",
      link: "/en/",
      description: "PyTorch's nn.Module rebuilt step by step in TypeScript, running in your browser",
      themeConfig: {
        nav: [{ text: "Chapters", link: firstChapter("en") }],
        sidebar: sidebar("en"),
      },
    },
  },
  themeConfig: {
    search: { provider: "local" },
  },
  vite: {
    // cells import the library inside the worker with import(): only module workers allow that
    worker: { format: "es" },
    build: { target: "es2022" },
    // modules print their class name (`Linear(...)`, `ReluLayer()`): minifying must keep names
    esbuild: { keepNames: true },
    // the worker's dependencies, pre-bundled at start: otherwise the dev server discovers them at
    // the first run and reloads the page in the middle of it
    optimizeDeps: {
      include: [
        "@torchlet/cells > sucrase",
        "@torchlet/cells > acorn",
        "@codemirror/view",
        "@codemirror/state",
        "@codemirror/commands",
        "@codemirror/language",
        "@codemirror/lang-javascript",
      ],
      exclude: ["webgpu"],
    },
    server: { fs: { allow: [repositoryRoot] } },
    plugins: [
      {
        // the dev server sends the isolation headers with every response, pages included (Vite's
        // `server.headers` misses the pages VitePress serves); the built site gets them from ../preview.ts
        name: "torchlet-isolation",
        configureServer(server) {
          server.middlewares.use((_request, response, next) => {
            for (const [name, value] of Object.entries(isolation)) response.setHeader(name, value);
            next();
          });
        },
      },
      {
        // chapter pages are made from the chapter folders: when one of their files changes, tell
        // VitePress that the pages' route files changed, so it builds the routes again
        name: "torchlet-chapters",
        configureServer(server) {
          server.watcher.add(chaptersDir);
          server.watcher.on("change", (file) => {
            if (!file.startsWith(chaptersDir) || !/\.(md|ts|py|json)$/.test(file) || file.endsWith(".test.ts")) return;
            for (const routes of routeFiles) server.watcher.emit("change", routes);
          });
        },
      },
    ],
  },
});
