// The default theme, with the components chapter pages use.
import DefaultTheme from "vitepress/theme";
import type { Theme } from "vitepress";
import Cell from "./Cell.vue";
import DeviceBadge from "./DeviceBadge.vue";
import "./style.css";

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component("Cell", Cell);
    app.component("DeviceBadge", DeviceBadge);
  },
} satisfies Theme;
