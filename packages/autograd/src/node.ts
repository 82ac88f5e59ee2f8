/**
 * The backward graph. Every tensor made by a recorded op points to the node that made it
 * (`t.gradFn`); the node points back to where the gradient of each input must go next: another
 * node, or a leaf tensor that collects it in `.grad`. Backward walks these edges from the output.
 *
 * A node keeps only what its rule asked to save. After backward the saved tensors are dropped (the
 * graph is "freed"), so a second backward through a node that needed them fails with PyTorch's
 * message, while nodes that saved nothing (an add, a sum) can run again, as in PyTorch. A saved
 * tensor also keeps its version (`t._version`): one written in place before backward reads it fails
 * backward, with PyTorch's message, rather than giving a gradient of values that were never used.
 */
import { RuntimeError, type Device, type GradFn, type OpRecord, type Size, type Tensor } from "@torchlet/tensor-core";
import type { BackwardContext, BackwardRule } from "./rules/rule.ts";

/** Where the gradient of one input goes: the node that made it, or the leaf itself. */
export type Edge = { readonly node: Node } | { readonly leaf: Tensor };

/** PyTorch's message for running backward through a node whose saved tensors are gone. */
export const freedGraphMessage =
  "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.";

/** The node PyTorch puts at a leaf: it adds incoming gradients into the leaf's `.grad`. */
export class AccumulateGrad implements GradFn {
  /** PyTorch's class name for this node, `AccumulateGrad`. */
  readonly name = "AccumulateGrad";
  /** Nothing comes after a leaf: PyTorch's `AccumulateGrad.next_functions` is `()`. */
  readonly nextFunctions: readonly [] = [];
  /**
   * @param variable the leaf tensor whose `.grad` this node adds into (PyTorch's
   * `AccumulateGrad.variable`)
   */
  constructor(readonly variable: Tensor) {}
}

const accumulators = new WeakMap<Tensor, AccumulateGrad>();

function accumulatorOf(leaf: Tensor): AccumulateGrad {
  let node = accumulators.get(leaf);
  if (!node) accumulators.set(leaf, (node = new AccumulateGrad(leaf)));
  return node;
}

/**
 * A node of the backward graph (PyTorch's `grad_fn` object): one recorded call of an op, with its
 * rule, its edges, the shapes and devices of its inputs, and what the rule saved. It is also the
 * context the rule's backward reads.
 */
export class Node implements GradFn, BackwardContext {
  /** PyTorch's class name for this node, e.g. `MmBackward0`. */
  readonly name: string;
  /** Whether the op's result is a view of its input (see `BackwardRule.view`). */
  readonly isView: boolean;
  /** One entry per input of the op: where its gradient goes, or null when it wants none. */
  readonly edges: readonly (Edge | null)[];
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly device: Device;
  private readonly rule: BackwardRule;
  private readonly inputShapes: readonly (Size | null)[];
  private readonly strides: ReadonlyMap<number, readonly number[]> | null;
  private readonly inputDevices: readonly (Device | null)[];
  private savedInputs: Map<number, Saved> | null;
  private savedOutputs: Map<number, Saved> | null;
  /** Weak, so the graph does not keep its results alive; used for `retainGrad()`. */
  private readonly result: WeakRef<Tensor>;

  constructor(rule: BackwardRule, call: OpRecord) {
    this.rule = rule;
    this.name = typeof rule.gradFn === "string" ? rule.gradFn : rule.gradFn(call);
    this.isView = rule.view === true;
    this.attrs = call.attrs;
    this.device = call.outputs[0].device;
    this.inputShapes = call.inputs.map((t) => t?.shape ?? null);
    const strided = rule.saves?.strides;
    this.strides = strided ? new Map(strided.flatMap((i) => (call.inputs[i] ? [[i, call.inputs[i]!.stride()]] : []))) : null;
    this.inputDevices = call.inputs.map((t) => t?.device ?? null);
    this.edges = call.inputs.map(edgeTo);
    // an optional input that was absent (null) is not saved
    const savedInputs = (rule.saves?.inputs ?? []).filter((i) => call.inputs[i] !== null);
    this.savedInputs = new Map(savedInputs.map((i) => [i, save(call.inputs[i] as Tensor)]));
    this.savedOutputs = new Map((rule.saves?.outputs ?? []).map((i) => [i, save(call.outputs[i])]));
    this.result = new WeakRef(call.outputs[0]);
  }

  /** PyTorch's `grad_fn.next_functions`: for each input, its node (or AccumulateGrad) and 0. */
  get nextFunctions(): [GradFn | null, number][] {
    const masks = this.rule.maskInputs ?? [];
    return this.edges
      .filter((_, i) => !masks.includes(i))
      .map((e) => [e === null ? null : "node" in e ? e.node : accumulatorOf(e.leaf), 0]);
  }

  /** The tensor this node made, while it is alive. */
  get output(): Tensor | undefined {
    return this.result.deref();
  }

  /** The gradient of each input, given the gradient of this node's output. */
  apply(grad: Tensor): readonly (Tensor | null)[] {
    return this.rule.backward(grad, this);
  }

  /**
   * Drops the saved tensors: the graph has been used and is not retained. A node that saved
   * nothing can still run, as in PyTorch.
   */
  release(): void {
    if (this.savedInputs?.size || this.savedOutputs?.size) {
      this.savedInputs = null;
      this.savedOutputs = null;
    }
  }

  // ---------------------------------------------------------------- BackwardContext

  inputShape(i: number): Size {
    const shape = this.inputShapes[i];
    if (!shape) throw new Error(`${this.name}: input ${i} is not a tensor`);
    return shape;
  }

  inputStrides(i: number): readonly number[] {
    const strides = this.strides?.get(i);
    if (!strides) throw new Error(`${this.name}: the backward rule reads the strides of input ${i} but does not save them`);
    return strides;
  }

  /** The device input `i` was on: its gradient goes back there. */
  inputDevice(i: number): Device {
    return this.inputDevices[i] ?? this.device;
  }

  needsInputGrad(i: number): boolean {
    return this.edges[i] !== null;
  }

  savedInput(i: number): Tensor {
    return this.saved(this.savedInputs, i, "input");
  }

  savedOutput(i: number): Tensor {
    return this.saved(this.savedOutputs, i, "output");
  }

  /**
   * A saved tensor, checked as PyTorch unpacks one: if it was written in place since it was saved,
   * backward would compute with the new values, so it fails instead.
   */
  private saved(from: Map<number, Saved> | null, i: number, what: "input" | "output"): Tensor {
    if (from === null) throw new RuntimeError(freedGraphMessage);
    const entry = from.get(i);
    if (!entry) throw new Error(`${this.name}: the backward rule reads ${what} ${i} but does not save it`);
    const { tensor, version } = entry;
    if (tensor._version !== version) {
      // a saved output was made by this node; a saved input names the node that made it, if any
      const madeBy = what === "output" ? { node: this.name, output: i } : producerOf(tensor);
      throw new RuntimeError(modifiedMessage(tensor, version, madeBy));
    }
    return tensor;
  }
}

/** A tensor kept for backward, with the version it had then. */
interface Saved {
  readonly tensor: Tensor;
  readonly version: number;
}

function save(tensor: Tensor): Saved {
  return { tensor, version: tensor._version };
}

/**
 * The node that made a saved input, as PyTorch names it when the input turns out to have been
 * written: its grad_fn, except that a view written through its base has had its grad_fn replaced
 * by a generic one, AsStridedBackward0 (PyTorch regenerates a view's history after an in-place
 * write). Leaves have none.
 */
function producerOf(tensor: Tensor): { node: string; output: number } | null {
  const node = tensor.gradFn;
  if (!(node instanceof Node)) return null;
  return { node: node.isView ? "AsStridedBackward0" : node.name, output: 0 };
}

const legacyTypes: Record<string, string> = { float32: "FloatTensor", int64: "LongTensor", bool: "BoolTensor" };

/** PyTorch's message for a saved tensor written in place before backward read it. */
function modifiedMessage(tensor: Tensor, savedVersion: number, madeBy: { node: string; output: number } | null): string {
  const type = `torch.${tensor.device === "cpu" ? "" : `${tensor.device}.`}${legacyTypes[tensor.dtype]}`;
  const which = madeBy ? `, which is output ${madeBy.output} of ${madeBy.node},` : "";
  return (
    "one of the variables needed for gradient computation has been modified by an inplace operation: " +
    `[${type} [${tensor.shape.join(", ")}]]${which} is at version ${tensor._version}; expected version ${savedVersion} instead. ` +
    "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True)."
  );
}

function edgeTo(input: Tensor | null): Edge | null {
  if (input === null || !input.requiresGrad) return null;
  return input.gradFn instanceof Node ? { node: input.gradFn } : { leaf: input };
}
