import { defineConfig } from "vitest/config";

// One Vitest run covers every workspace package and chapter, so `pnpm test` prints one summary.
// CI asks for a machine-readable copy of the results too (TORCHLET_TEST_REPORT=<file>).
const report = process.env.TORCHLET_TEST_REPORT;

export default defineConfig({
  test: {
    projects: ["packages/*", "chapters/[0-9][0-9]-*", "site"],
    reporters: report ? ["default", "json"] : ["default"],
    outputFile: report ? { json: report } : undefined,
  },
});
