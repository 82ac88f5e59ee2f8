/**
 * `torch.backends`: switches for how each device computes. Only the CPU has any here; see
 * `settings.ts` for what they do.
 */
export { cpu } from "./settings.ts";
