/**
 * The engine: runs the backward graph from one or more outputs to the leaves.
 *
 * 1. Collect the nodes reachable from the outputs and count, for each, how many edges point at it.
 * 2. Order them so that a node runs only after every node that sends it gradient has run (Kahn's
 *    topological sort on those counts). A node reached by two paths, such as a layer used twice,
 *    runs once, with the sum of both gradients.
 * 3. Run each node's backward rule on its summed gradient and pass the results along its edges:
 *    into the next node's sum, or into a leaf's `.grad`.
 * 4. Unless `retainGraph`, drop what the nodes saved: the graph is freed.
 *
 * Rules run with grad mode off: their ops build no graph (torchlet has no double backward).
 *
 * Gradients stay on the device of the op that made them. The one exception is an edge into a
 * tensor on another device (a CPU tensor moved to webgpu with `to`): its gradient moves back. An
 * upload to the GPU is queued at once, but reading GPU memory back into a CPU tensor needs an
 * await, so a graph with such an edge runs with `backwardAsync` / `gradAsync`; `backward` says so
 * before it starts.
 *
 * On a GPU, run forward and backward inside one `tidy` scope: the graph saves intermediate
 * tensors, and a scope that ends between forward and backward disposes them.
 */
import { fromValues, keep, onesLike, RuntimeError, Tensor, type Device } from "@torchlet/tensor-core";
import { isGradEnabled, setGradEnabled } from "./grad-mode.ts";
import { Node, type Edge } from "./node.ts";
import { runAsync, runSync, type Steps } from "./steps.ts";

/** Options of `backward` (PyTorch's keyword arguments). */
export interface BackwardOptions {
  /** Keep the saved tensors so that backward can run through the graph again. */
  retainGraph?: boolean;
}

/** Options of `grad` (PyTorch's keyword arguments). */
export interface GradOptions extends BackwardOptions {
  /** The gradient of each output (required for outputs with more than one element). */
  gradOutputs?: readonly (Tensor | null)[] | Tensor | null;
  /** Return null for an input the outputs do not depend on, instead of throwing. */
  allowUnused?: boolean;
}

/**
 * PyTorch's `torch.autograd.backward`: adds the gradient of the outputs, weighted by `gradTensors`
 * (vector-Jacobian products), into the `.grad` of every leaf they depend on. `t.backward()` is this
 * for one output.
 */
export function backward(
  tensors: Tensor | readonly Tensor[],
  gradTensors?: readonly (Tensor | null)[] | Tensor | null,
  options: BackwardOptions = {},
): void {
  runSync(backwardSteps(tensors, gradTensors, options, false));
}

/** `backward` for a graph whose gradients must come back from the GPU to a CPU tensor. */
export function backwardAsync(
  tensors: Tensor | readonly Tensor[],
  gradTensors?: readonly (Tensor | null)[] | Tensor | null,
  options: BackwardOptions = {},
): Promise<void> {
  return runAsync(backwardSteps(tensors, gradTensors, options, true));
}

/**
 * PyTorch's `torch.autograd.grad`: the gradient of the outputs with respect to each of `inputs`,
 * returned rather than added into `.grad` (no `.grad` changes).
 */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options: GradOptions = {}): (Tensor | null)[] {
  return runSync(gradSteps(outputs, inputs, options, false));
}

/** `grad` for a graph whose gradients must come back from the GPU to a CPU tensor. */
export function gradAsync(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options: GradOptions = {}): Promise<(Tensor | null)[]> {
  return runAsync(gradSteps(outputs, inputs, options, true));
}

function* backwardSteps(
  tensors: Tensor | readonly Tensor[],
  gradTensors: readonly (Tensor | null)[] | Tensor | null | undefined,
  options: BackwardOptions,
  canWait: boolean,
): Steps<void> {
  const roots = asList(tensors);
  yield* run(roots, rootGradients(roots, asList(gradTensors ?? [])), options.retainGraph ?? false, null, canWait);
}

/** `grad` as steps, for callers that are themselves steps (gradcheck). */
export function* gradSteps(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  options: GradOptions,
  canWait: boolean,
): Steps<(Tensor | null)[]> {
  const roots = asList(outputs);
  const targets = asList(inputs);
  if (targets.some((t) => !t.requiresGrad)) throw new RuntimeError("One of the differentiated Tensors does not require grad");
  const gradOutputs = rootGradients(roots, asList(options.gradOutputs ?? []));
  const captured = yield* run(roots, gradOutputs, options.retainGraph ?? false, targets, canWait);
  return targets.map((t) => {
    const g = captured.get(t) ?? null;
    if (g === null && !options.allowUnused) {
      throw new RuntimeError(
        "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.",
      );
    }
    return g;
  });
}

function asList<T>(value: T | readonly T[]): T[] {
  return Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}

/**
 * The gradient each output starts with: the one given, or 1 for a one-element output. Checks in
 * PyTorch's order: every given gradient's shape first, then that every output requires grad.
 */
function rootGradients(roots: readonly Tensor[], given: readonly (Tensor | null)[]): Tensor[] {
  const grads = roots.map((root, i) => {
    const g = given[i] ?? null;
    if (g !== null && !(g instanceof Tensor)) {
      throw new TypeError("the gradient must be a Tensor or null; options come second: t.backward(null, { retainGraph: true })");
    }
    if (g !== null) {
      if (!g.shape.equals(root.shape)) {
        throw new RuntimeError(
          `Mismatch in shape: grad_output[${i}] has a shape of ${g.shape} and output[${i}] has a shape of ${root.shape}.`,
        );
      }
      if (g.device !== root.device) {
        throw new RuntimeError(`invalid gradient at index ${i} - expected device ${root.device} but got ${g.device}`);
      }
      return g;
    }
    if (root.requiresGrad && root.numel() !== 1) throw new RuntimeError("grad can be implicitly created only for scalar outputs");
    return onesLike(root);
  });
  roots.forEach((root, i) => {
    if (!root.requiresGrad) throw new RuntimeError(`element ${i} of tensors does not require grad and does not have a grad_fn`);
  });
  return grads;
}

/**
 * Runs the graph below `roots`. With `targets` null, gradients reaching leaves are added into their
 * `.grad` (backward); otherwise only the gradients of `targets` are collected and returned (grad).
 * Without `canWait`, a graph whose gradients must be read back from the GPU is refused up front.
 */
function* run(
  roots: readonly Tensor[],
  rootGrads: readonly Tensor[],
  retainGraph: boolean,
  targets: readonly Tensor[] | null,
  canWait: boolean,
): Steps<Map<Tensor, Tensor>> {
  const captured = new Map<Tensor, Tensor>();
  const callerMode = isGradEnabled();
  setGradEnabled(false);
  try {
    const pending = new Map<Node, Tensor>();
    const deliver = (edge: Edge, g: Tensor) => {
      if ("node" in edge) pending.set(edge.node, sumWith(pending.get(edge.node), g));
      else if (targets === null) accumulateGrad(edge.leaf, g);
      else if (targets.includes(edge.leaf)) captured.set(edge.leaf, sumWith(captured.get(edge.leaf), g));
    };
    roots.forEach((root, i) => deliver(root.gradFn instanceof Node ? { node: root.gradFn } : { leaf: root }, rootGrads[i]));

    const order = topologicalOrder([...pending.keys()]);
    const needed = targets === null ? null : nodesLeadingTo(order, targets);
    const toRun = needed === null ? order : order.filter((node) => needed.has(node));
    if (!canWait) refuseReadBack(toRun, targets === null ? "backwardAsync" : "gradAsync");
    const ran: Node[] = [];
    for (const node of order) {
      const g = pending.get(node);
      pending.delete(node);
      if (g === undefined) continue; // no gradient reached this node (every path to it gave null)
      const output = node.output;
      if (targets === null) {
        if (output?.retainsGrad) accumulateGrad(output, g);
      } else if (output && targets.includes(output)) {
        captured.set(output, sumWith(captured.get(output), g));
      }
      if (needed !== null && !needed.has(node)) continue;
      const inputGrads = node.apply(g);
      ran.push(node);
      for (const [i, edge] of node.edges.entries()) {
        const gi = inputGrads[i] ?? null;
        if (edge === null || gi === null) continue;
        checkGradient(node, i, gi);
        deliver(edge, yield* moveTo(gi, node.inputDevice(i), callerMode));
      }
    }
    if (!retainGraph) for (const node of ran) node.release();
  } finally {
    setGradEnabled(callerMode);
  }
  return captured;
}

/**
 * A gradient on the device of the input it belongs to. Uploading is queued at once; reading GPU
 * memory back is yielded to the driver, with the caller's grad mode in force while it waits.
 */
function* moveTo(g: Tensor, device: Device, callerMode: boolean): Steps<Tensor> {
  if (g.device === device) return g;
  if (device !== "cpu") return g.to(device);
  setGradEnabled(callerMode);
  let values: ArrayLike<number>;
  try {
    values = yield g;
  } finally {
    setGradEnabled(false);
  }
  return fromValues(values, g.shape, g.dtype, "cpu");
}

/** For the synchronous entry points: fails, before any work, if a gradient would need reading back. */
function refuseReadBack(nodes: readonly Node[], asyncName: string): void {
  for (const node of nodes) {
    if (node.device === "cpu") continue;
    if (node.edges.some((edge, i) => edge !== null && node.inputDevice(i) === "cpu")) {
      throw new RuntimeError(
        `${node.name} sends a gradient from ${node.device} back to a cpu tensor, and reading ${node.device} memory back needs an await: use \`await autograd.${asyncName}(...)\`, or create the tensor that requires grad on ${node.device}`,
      );
    }
  }
}

/** Out of place: the first gradient may be a tensor that other edges also received. */
function sumWith(total: Tensor | undefined, g: Tensor): Tensor {
  return total === undefined ? g : total.add(g);
}

/**
 * PyTorch's AccumulateGrad: the first gradient becomes `.grad` as a copy of its own (the incoming
 * tensor may be a view, or shared with another leaf); later ones are added into it in place, so a
 * parameter used twice, or over several backward calls, sums its gradients. `keep` lets the new
 * `.grad` outlive the `tidy` scope that backward runs in.
 */
function accumulateGrad(t: Tensor, g: Tensor): void {
  if (t.grad === null) t.grad = keep(g.clone());
  else t.grad.add_(g);
}

/** A rule's gradient must have the shape of the input it is for: a wrong one is a bug in the rule. */
function checkGradient(node: Node, i: number, g: Tensor): void {
  const expected = node.inputShape(i);
  if (!g.shape.equals(expected)) {
    throw new RuntimeError(
      `Function ${node.name} returned an invalid gradient at index ${i} - got [${g.shape.join(", ")}] but expected shape compatible with [${expected.join(", ")}]`,
    );
  }
}

/** The nodes below `starts`, each after every node that has an edge to it. */
function topologicalOrder(starts: readonly Node[]): Node[] {
  // count the edges into each reachable node
  const incoming = new Map<Node, number>();
  const seen = new Set<Node>(starts);
  const stack = [...starts];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const edge of node.edges) {
      if (edge === null || !("node" in edge)) continue;
      incoming.set(edge.node, (incoming.get(edge.node) ?? 0) + 1);
      if (!seen.has(edge.node)) {
        seen.add(edge.node);
        stack.push(edge.node);
      }
    }
  }
  // Kahn: a node is ready once every edge into it has been passed
  const order: Node[] = [];
  const ready = starts.filter((n) => !incoming.has(n));
  while (ready.length > 0) {
    const node = ready.pop()!;
    order.push(node);
    for (const edge of node.edges) {
      if (edge === null || !("node" in edge)) continue;
      const left = incoming.get(edge.node)! - 1;
      incoming.set(edge.node, left);
      if (left === 0) ready.push(edge.node);
    }
  }
  return order;
}

/** For `grad`: the nodes worth running, those with a path to one of the targets. */
function nodesLeadingTo(order: readonly Node[], targets: readonly Tensor[]): Set<Node> {
  const needed = new Set<Node>();
  const targetNodes = new Set(targets.map((t) => t.gradFn));
  // in reverse order, every node's successors are decided before the node itself
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    const leads = node.edges.some(
      (e) => e !== null && ("leaf" in e ? targets.includes(e.leaf) : targetNodes.has(e.node) || needed.has(e.node)),
    );
    if (leads) needed.add(node);
  }
  return needed;
}
