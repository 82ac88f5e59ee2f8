/** The words of the live cells, in the page's language. */
export const labels = {
  zh: {
    run: "运行",
    stop: "停止",
    queued: "排队中…",
    running: "运行中…",
    stopped: "已停止",
    ranBefore: "（为后面的单元先运行）",
    ours: "torchlet",
    pytorch: "PyTorch {version} 的输出",
    python: "PyTorch 代码",
    nothing: "（无输出）",
    starting: "正在启动…",
    cpu: "CPU",
    software: "软件模拟",
    tree: "模块树",
    edit: "点击编辑",
  },
  en: {
    run: "Run",
    stop: "Stop",
    queued: "queued…",
    running: "running…",
    stopped: "stopped",
    ranBefore: "(run first, for a later cell)",
    ours: "torchlet",
    pytorch: "PyTorch {version} printed",
    python: "PyTorch code",
    nothing: "(no output)",
    starting: "starting…",
    cpu: "CPU",
    software: "software",
    tree: "module tree",
    edit: "click to edit",
  },
} as const;

export type Labels = (typeof labels)["en"];

/** The labels for a VitePress `lang` (`zh-CN`, `en-US`). */
export function labelsFor(lang: string): Labels {
  return lang.startsWith("zh") ? labels.zh : labels.en;
}
