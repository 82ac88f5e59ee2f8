/**
 * Backward rule of a copy to another device. The gradient goes back to the device the input lives
 * on. From the CPU to webgpu that would mean reading GPU memory back, which is asynchronous and
 * cannot happen inside a synchronous backward, so torchlet refuses with advice instead of waiting.
 */
import { RuntimeError, type Device } from "@torchlet/tensor-core";
import type { RuleTable } from "./rule.ts";

export const transferRules: RuleTable = {
  toCopy: {
    gradFn: "ToCopyBackward0",
    backward(grad, ctx) {
      const source = ctx.attrs.device as Device;
      if (grad.device === source) return [grad];
      if (source === "cpu") {
        throw new RuntimeError(
          `ToCopyBackward0: the gradient is on ${grad.device} but the tensor it belongs to is on cpu, and reading ${grad.device} memory back cannot happen inside backward(). Create the tensor that requires grad on ${grad.device} instead (e.g. x.to("${grad.device}").requiresGrad_()).`,
        );
      }
      return [grad.to(source)];
    },
  },
};
