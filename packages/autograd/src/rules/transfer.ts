/**
 * Backward rule of a copy to another device: the gradient is the output's gradient, unchanged.
 * It is on the output's device; the engine carries it back to the input's device, as it does for
 * every edge between devices (see engine.ts: reading webgpu memory back needs `backwardAsync`).
 */
import type { RuleTable } from "./rule.ts";

/** Rules of the copies between devices. */
export const transferRules: RuleTable = {
  toCopy: {
    gradFn: "ToCopyBackward0",
    backward: (grad) => [grad],
  },
};
