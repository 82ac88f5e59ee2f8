import { defineProject } from "vitest/config";

// A config of its own, so that `vitest run` in this folder (`pnpm --filter <this package> test`)
// runs this package alone; the root config gathers every package into one run.
export default defineProject({ test: {} });
