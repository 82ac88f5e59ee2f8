/**
 * The CPU backend's choice between kernels: the WebAssembly SIMD ones when the switch
 * (`torch.backends.cpu.kernel`) says "wasm", the platform validates them, every operand is float32
 * and the problem fits the workspace; the plain reference loops when it says "reference"; the
 * TypeScript ones otherwise. Each wrapper takes the kernels it chooses between, so the CPU backend
 * keeps naming its own kernels.
 */
import type { Backend } from "../backend.ts";
import type { Tensor } from "../tensor.ts";
import { conv2dBackwardInputWasm, conv2dBackwardWeightWasm, conv2dWasm } from "./conv.ts";
import { matmulWasm } from "./matmul.ts";
import { cpu } from "./settings.ts";
import { wasmKernels, type WasmKernels } from "./workspace.ts";

/** The WebAssembly kernels, if they should run on these tensors. */
function kernelsFor(...tensors: (Tensor | null)[]): WasmKernels | null {
  if (cpu.kernel !== "wasm") return null;
  if (!tensors.every((t) => t === null || t.dtype === "float32")) return null;
  return wasmKernels();
}

/**
 * `kernel`, or `reference` while the switch says "reference": the plain loops stay selectable, so a
 * reader can time them beside the fast kernels and check that all of them agree.
 */
export function orReference<Args extends unknown[]>(kernel: (...args: Args) => void, reference: (...args: Args) => void): (...args: Args) => void {
  return (...args) => (cpu.kernel === "reference" ? reference(...args) : kernel(...args));
}

/** `Backend.matmul`, on WebAssembly where it applies, else on `fallback`. */
export function withWasmMatmul(fallback: Backend["matmul"]): Backend["matmul"] {
  return (a, b, out) => {
    const kernels = kernelsFor(a, b, out);
    if (!kernels || !matmulWasm(kernels, a, b, out)) fallback(a, b, out);
  };
}

/** The kernels for a convolution, whose operands the ops hand over contiguous. */
function convKernelsFor(...tensors: (Tensor | null)[]): WasmKernels | null {
  return tensors.every((t) => t === null || t.isContiguous()) ? kernelsFor(...tensors) : null;
}

/** `Backend.conv2d`, on WebAssembly where it applies, else on `fallback`. */
export function withWasmConv2d(fallback: Backend["conv2d"]): Backend["conv2d"] {
  return (x, weight, bias, out, p) => {
    const kernels = convKernelsFor(x, weight, bias, out);
    if (!kernels || !conv2dWasm(kernels, x, weight, bias, out, p)) fallback(x, weight, bias, out, p);
  };
}

/** `Backend.conv2dBackwardInput`, on WebAssembly where it applies, else on `fallback`. */
export function withWasmConv2dBackwardInput(fallback: Backend["conv2dBackwardInput"]): Backend["conv2dBackwardInput"] {
  return (gradOut, weight, out, p) => {
    const kernels = convKernelsFor(gradOut, weight, out);
    if (!kernels || !conv2dBackwardInputWasm(kernels, gradOut, weight, out, p)) fallback(gradOut, weight, out, p);
  };
}

/** `Backend.conv2dBackwardWeight`, on WebAssembly where it applies, else on `fallback`. */
export function withWasmConv2dBackwardWeight(fallback: Backend["conv2dBackwardWeight"]): Backend["conv2dBackwardWeight"] {
  return (gradOut, x, out, p) => {
    const kernels = convKernelsFor(gradOut, x, out);
    if (!kernels || !conv2dBackwardWeightWasm(kernels, gradOut, x, out, p)) fallback(gradOut, x, out, p);
  };
}
