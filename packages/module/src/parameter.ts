/**
 * `nn.Parameter`: a tensor that a module should train.
 *
 * A Parameter is an ordinary tensor with one difference that matters: when it is assigned to a
 * field of a module (`this.weight = new Parameter(...)`) the module registers it, so it shows up in
 * `parameters()`, `stateDict()` and the optimizer. A plain tensor assigned the same way stays a plain
 * field: a cache or a temporary is not something to train.
 */
import { empty, Tensor } from "@torchlet/tensor-core";

/** A tensor to train: registered by the module it is assigned to, `requiresGrad` by default. */
export class Parameter extends Tensor {
  /**
   * Wraps `data` without copying it: the parameter views the same storage, so writes through one
   * are seen through the other (PyTorch's `Tensor._make_subclass`). The parameter is a new leaf
   * whatever graph `data` came from, and it requires grad unless told otherwise.
   *
   * @param data the values; an empty tensor when omitted, as in PyTorch
   * @param requiresGrad whether autograd should track it (default `true`)
   */
  constructor(data: Tensor = empty(0), requiresGrad = true) {
    super(data.storage, data.shape, data.stride(), data.storageOffset());
    this.requiresGrad_(requiresGrad);
  }

  /** What PyTorch prints for a parameter: `Parameter containing:` above the tensor. */
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }

  /** Like `toString()`, for a parameter on any device (reading a GPU's memory is asynchronous). */
  override async format(): Promise<string> {
    return `Parameter containing:\n${await super.format()}`;
  }
}
