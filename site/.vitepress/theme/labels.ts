/** The words a cell shows. */
export interface Labels {
  readonly run: string;
  readonly stop: string;
  readonly queued: string;
  readonly running: string;
  readonly stopped: string;
  readonly ranBefore: string;
  /** With `{version}` where PyTorch's version goes. */
  readonly pytorch: string;
  readonly python: string;
  readonly nothing: string;
  readonly starting: string;
  readonly software: string;
  readonly tree: string;
  readonly edit: string;
}

/** The words of the live cells, in the page's language. */
export const labels: { readonly zh: Labels; readonly en: Labels } = {
  zh: {
    run: "运行",
    stop: "停止",
    queued: "排队中…",
    running: "运行中…",
    stopped: "已停止",
    ranBefore: "（为后面的单元先运行）",
    pytorch: "PyTorch {version} 的输出",
    python: "PyTorch 代码",
    nothing: "（无输出）",
    starting: "正在启动…",
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
    pytorch: "PyTorch {version} printed",
    python: "PyTorch code",
    nothing: "(no output)",
    starting: "starting…",
    software: "software",
    tree: "module tree",
    edit: "click to edit",
  },
};

/** The labels for a VitePress `lang` (`zh-CN`, `en-US`). */
export function labelsFor(lang: string): Labels {
  return lang.startsWith("zh") ? labels.zh : labels.en;
}
