import { defineConfig } from "vitest/config";

// One Vitest run covers every workspace package and chapter, so `pnpm test` prints one summary.
export default defineConfig({
  test: {
    projects: ["packages/*", "chapters/*"],
  },
});
