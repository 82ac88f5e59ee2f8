/**
 * What a backward rule is. Each differentiable op of tensor-core has one, keyed by the name the op
 * records itself under (`recordOp("mul", ...)`), as PyTorch's `derivatives.yaml` keys a formula by
 * the function it differentiates.
 *
 * A rule says three things: the name PyTorch gives the graph node (`MulBackward0`), which tensors
 * its backward needs kept alive (`saves`), and the backward itself: given the gradient of the op's
 * result, the gradient of each input. Backward is written with tensor-core ops, so it runs on
 * whatever device the tensors live on, and it runs with grad mode off.
 */
import type { Device, OpRecord, Size, Tensor } from "@torchlet/tensor-core";

/** What a rule's backward can read about the call it differentiates. */
export interface BackwardContext {
  /** The op's non-tensor arguments (dims, scalars, conv parameters, ...), as it recorded them. */
  readonly attrs: Readonly<Record<string, unknown>>;
  /** The device the op ran on; gradients are made there. */
  readonly device: Device;
  /** The shape input `i` had when the op ran (kept even when the tensor itself is not). */
  inputShape(i: number): Size;
  /** Whether input `i` wants a gradient, so a rule can skip work nobody will use. */
  needsInputGrad(i: number): boolean;
  /** The strides input `i` had when the op ran; the rule must list `i` in `saves.strides`. */
  inputStrides(i: number): readonly number[];
  /** Input `i`, which the rule listed in `saves.inputs`. Throws once the graph has been freed. */
  savedInput(i: number): Tensor;
  /** Output `i` (0 is the result), which the rule listed in `saves.outputs`. Throws once freed. */
  savedOutput(i: number): Tensor;
}

/** The backward rule of one op: its node's name, what it saves, and its backward. */
export interface BackwardRule {
  /**
   * PyTorch's name for the node, e.g. `AddBackward0`; a function where PyTorch picks among
   * overloads by the call (`x ** 2` is `PowBackward0`, `x ** y` is `PowBackward1`).
   */
  readonly gradFn: string | ((call: OpRecord) => string);
  /**
   * Inputs that are never differentiable, whatever their dtype (the condition of `where`): PyTorch
   * leaves them out of the node's `next_functions`.
   */
  readonly maskInputs?: readonly number[];
  /**
   * The op's result is a view of its input (it shares the storage). PyTorch replaces such a
   * result's grad_fn with AsStridedBackward0 once its base is written in place, and names that
   * node when the view turns out to be a saved tensor that was written.
   */
  readonly view?: boolean;
  /**
   * The tensors backward reads, by position: kept until the graph is freed after backward; and the
   * inputs whose strides it reads (a product computes a gradient in its input's layout).
   */
  readonly saves?: { readonly inputs?: readonly number[]; readonly outputs?: readonly number[]; readonly strides?: readonly number[] };
  /**
   * The gradient of each input, in the op's input order, given `grad`, the gradient of the op's
   * result. Return null for an input that gets no gradient (an integer operand, a mask, an input
   * whose `needsInputGrad` is false). Each gradient must have its input's shape.
   */
  backward(grad: Tensor, ctx: BackwardContext): readonly (Tensor | null)[];
}

/** The rules of one family of ops, by recorded op name. */
export type RuleTable = Readonly<Record<string, BackwardRule>>;
