/**
 * `optim.SGD`: stochastic gradient descent, with PyTorch 1.13's options and arithmetic.
 *
 * For each parameter p with gradient g (all in place, per step):
 *
 *   g ← g + weightDecay · p                     (L2 penalty, when weightDecay > 0)
 *   b ← g on the first step, then b ← momentum · b + (1 − dampening) · g
 *   g ← g + momentum · b   with nesterov, else   g ← b        (when momentum > 0)
 *   p ← p − lr · g
 *
 * The momentum buffer b is the velocity of a heavy ball rolling down the loss: it keeps moving
 * through small bumps and speeds up along consistent slopes. Nesterov's variant looks ahead along
 * the velocity before taking the gradient step.
 */
import { add, keep, neg, ValueError, type Tensor } from "@torchlet/tensor-core";
import { Optimizer, pythonNumber, type ParamGroup, type Params } from "./optimizer.ts";

/** The options of SGD (PyTorch's keyword arguments, in camelCase). */
export interface SGDOptions {
  /** The learning rate (required, as in PyTorch). */
  lr: number;
  /** Factor of the momentum buffer (default 0: plain SGD). */
  momentum?: number;
  /** How much of each new gradient the momentum buffer leaves out (default 0). */
  dampening?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Nesterov momentum (default false; needs momentum > 0 and no dampening). */
  nesterov?: boolean;
  /** Climb the objective instead of descending it (default false). */
  maximize?: boolean;
}

type SGDGroup = Required<SGDOptions>;

/** Stochastic gradient descent, with optional momentum, Nesterov momentum and weight decay. */
export class SGD extends Optimizer<SGDGroup> {
  /** `optim.SGD(model.parameters(), lr=0.1, momentum=0.9)` is `new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })`. */
  constructor(params: Params<SGDGroup>, options: SGDOptions) {
    const { lr, momentum = 0, dampening = 0, weightDecay = 0, nesterov = false, maximize = false } = options;
    if (lr !== undefined && lr < 0) throw new ValueError(`Invalid learning rate: ${pythonNumber(lr)}`);
    if (momentum < 0) throw new ValueError(`Invalid momentum value: ${pythonNumber(momentum)}`);
    if (weightDecay < 0) throw new ValueError(`Invalid weight_decay value: ${pythonNumber(weightDecay)}`);
    if (nesterov && (momentum <= 0 || dampening !== 0)) {
      throw new ValueError("Nesterov momentum requires a momentum and zero dampening");
    }
    super(params, { lr, momentum, dampening, weightDecay, nesterov, maximize });
  }

  protected override updateGroup(group: ParamGroup<SGDGroup>): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    for (const p of group.params) {
      if (p.grad === null) continue;
      let d: Tensor = maximize ? neg(p.grad) : p.grad;
      if (weightDecay !== 0) d = add(d, p, { alpha: weightDecay });
      // every parameter with a gradient has a momentum buffer, null without momentum, as in PyTorch
      const state = this.stateOf(p, () => ({ momentumBuffer: null as Tensor | null }));
      if (momentum !== 0) {
        // the first step's buffer is the gradient itself, as PyTorch starts it
        if (state.momentumBuffer === null) state.momentumBuffer = keep(d.clone());
        else state.momentumBuffer.mul_(momentum).add_(d, { alpha: 1 - dampening });
        d = nesterov ? add(d, state.momentumBuffer, { alpha: momentum }) : state.momentumBuffer;
      }
      p.add_(d, { alpha: -lr });
    }
  }
}
