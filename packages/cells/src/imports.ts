/**
 * What a cell may import. Cells run code a reader typed, so they reach only torchlet itself: each
 * allowed name maps to a dynamic `import()`, which also tells a bundler (Vite, for the site's
 * worker) exactly which packages to bundle.
 */

/** Allowed module names, each with the function that loads it. */
export type ImportMap = Readonly<Record<string, () => Promise<unknown>>>;

/** The torchlet packages, from `@torchlet/nn` down to `@torchlet/tensor-core`, and the cells' own helpers. */
export const torchletImports: ImportMap = {
  "@torchlet/nn": () => import("@torchlet/nn"),
  "@torchlet/init": () => import("@torchlet/init"),
  "@torchlet/containers": () => import("@torchlet/containers"),
  "@torchlet/module": () => import("@torchlet/module"),
  "@torchlet/autograd": () => import("@torchlet/autograd"),
  "@torchlet/tensor-core": () => import("@torchlet/tensor-core"),
  "@torchlet/cells": () => import("./display/index.ts"),
};
