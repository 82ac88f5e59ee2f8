import { defineProject } from "vitest/config";

// The site's tests build it, serve it and drive real Chromium: one file at a time, with time to spare.
export default defineProject({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
