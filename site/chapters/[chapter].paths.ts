// One Chinese page per chapter folder (see ../.vitepress/chapter-pages.ts).
import { chapterRoutes } from "../.vitepress/chapter-pages.ts";

export default {
  paths: () => chapterRoutes("zh"),
};
