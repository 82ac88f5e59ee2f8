/**
 * The shape of an op table entry, after PyTorch's `OpInfo` (`common_methods_invocations.py`): an op,
 * named as tensor-core records it, and sample calls that tests run on every device and through
 * autograd.
 */
import type { Tensor } from "../tensor.ts";

/** One sample call of an op in the op table: its inputs, and the call with its other arguments. */
export interface OpSample {
  /** A few words for the test name: "broadcast [2,3] + [3]", "transposed input", ... */
  readonly name: string;
  /**
   * Fresh, contiguous CPU inputs for one call. Tests move them to other devices or mark them
   * requiresGrad; the call makes any strided views itself, so every device sees the same views.
   */
  readonly inputs: () => Tensor[];
  /**
   * Calls the op on the inputs, with this sample's non-tensor arguments baked in. When it returns
   * several tensors (values and indices), the first is the differentiable result; the others are
   * compared across devices but never differentiated.
   */
  readonly call: (...inputs: Tensor[]) => Tensor | readonly Tensor[];
  /** Overrides the entry's `gradInputs` for this sample (a sample with fewer inputs, say). */
  readonly gradInputs?: readonly number[];
}

/**
 * An entry of the op table (after PyTorch's `OpInfo`): an op, as tensor-core records it, whether
 * autograd must differentiate it, and the sample calls that the tests run on every device.
 */
export interface OpInfo {
  /** The op's name as it is recorded (`recordOp`); the autograd package keys its rules the same. */
  readonly name: string;
  /** Whether autograd must define a backward rule for it (gradcheck runs on every sample). */
  readonly differentiable: boolean;
  /**
   * Positions (in a sample's inputs) of the inputs gradients flow to. Left out, it is every float32
   * input; `where` lists its values and not its condition.
   */
  readonly gradInputs?: readonly number[];
  /**
   * The samples move their CPU inputs to the webgpu device (`toCopy` records only a change of
   * device), so they run only where a webgpu adapter exists, starting from CPU inputs.
   */
  readonly needsWebgpu?: boolean;
  readonly samples: readonly OpSample[];
}

/** The positions a sample's gradients flow to: its own list, the entry's, or every float32 input. */
export function gradInputsOf(info: OpInfo, sample: OpSample, inputs: readonly Tensor[]): number[] {
  const listed = sample.gradInputs ?? info.gradInputs;
  if (listed) return [...listed];
  return inputs.flatMap((t, i) => (t.dtype === "float32" ? [i] : []));
}

/** A shorthand for writing entries: `sample("transposed input", () => [...], (a, b) => ...)`. */
export function sample(
  name: string,
  inputs: () => Tensor[],
  call: OpSample["call"],
  options: { gradInputs?: readonly number[] } = {},
): OpSample {
  return { name, inputs, call, ...options };
}
