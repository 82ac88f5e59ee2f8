/**
 * `optim.Adam` (Kingma & Ba, 2015) and `optim.AdamW` (Loshchilov & Hutter, 2019), with PyTorch
 * 1.13's options and arithmetic.
 *
 * Adam keeps two running averages per parameter: m of the gradient and v of its square. Each step
 * moves p by lr · m̂ / (√v̂ + eps), where m̂ and v̂ undo the bias of starting both at zero:
 *
 *   t ← t + 1
 *   g ← g + weightDecay · p                      (Adam's L2 penalty)
 *   m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²
 *   p ← p − lr / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps)
 *
 * So every parameter gets its own step size, large where gradients are small and steady, small
 * where they are large or noisy. With `amsgrad`, v̂ is the largest v seen so far.
 *
 * AdamW decays the weights directly (p ← p · (1 − lr · weightDecay)) instead of adding the penalty
 * to the gradient, so the decay is not rescaled by the adaptive step: the change that made weight
 * decay work for adaptive optimizers.
 */
import { add, div, keep, maximum, mul, neg, pythonFloatRepr, sqrt, ValueError, zeros, zerosLike, type Tensor } from "@torchlet/tensor-core";
import { Optimizer, pythonNumber, type ParamGroup, type Params } from "./optimizer.ts";

/** The options of Adam and AdamW (PyTorch's keyword arguments, in camelCase). */
export interface AdamOptions {
  /** The learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates of the averages of the gradient and of its square (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Added to the denominator so that it is never zero (default 1e-8). */
  eps?: number;
  /** Weight decay (default 0 for Adam, 1e-2 for AdamW). */
  weightDecay?: number;
  /** Use the largest second-moment average seen so far (default false). */
  amsgrad?: boolean;
  /** Climb the objective instead of descending it (default false). */
  maximize?: boolean;
}

type AdamGroup = Required<AdamOptions>;

/**
 * Per-parameter state, as PyTorch keeps it: the step count and the moment averages (the largest
 * second moment too, with amsgrad). The step count is a number (PyTorch 1.13 keeps a 0-d tensor).
 */
interface AdamState extends Record<string, unknown> {
  step: number;
  expAvg: Tensor;
  expAvgSq: Tensor;
  maxExpAvgSq?: Tensor;
}

/**
 * This step's lr / (1 − β₁ᵗ) and √(1 − β₂ᵗ), as 0-d tensors beside each parameter. They change on
 * every step; rewriting two small tensors in place keeps a GPU from having to upload (and later
 * free) a new constant for each new number. Derived from the step count, so not part of the state.
 */
interface BiasCorrections {
  stepSize: Tensor;
  biasCorrection2Sqrt: Tensor;
}

/** PyTorch's checks of Adam's options, in its order. */
function checkOptions({ lr, eps, betas, weightDecay }: AdamGroup): void {
  if (!(lr >= 0)) throw new ValueError(`Invalid learning rate: ${pythonNumber(lr)}`);
  if (!(eps >= 0)) throw new ValueError(`Invalid epsilon value: ${pythonNumber(eps)}`);
  betas.forEach((beta, i) => {
    if (!(beta >= 0 && beta < 1)) throw new ValueError(`Invalid beta parameter at index ${i}: ${pythonFloatRepr(beta)}`);
  });
  if (!(weightDecay >= 0)) throw new ValueError(`Invalid weight_decay value: ${pythonNumber(weightDecay)}`);
}

/** Adam: per-parameter step sizes from running averages of the gradient and its square. */
export class Adam extends Optimizer<AdamGroup> {
  private readonly corrections = new Map<Tensor, BiasCorrections>();

  /** `optim.Adam(params, lr=1e-3, betas=(0.9, 0.999))` is `new optim.Adam(params, { lr: 1e-3, betas: [0.9, 0.999] })`. */
  constructor(params: Params<AdamGroup>, options: AdamOptions = {}) {
    const defaults: AdamGroup = {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      amsgrad: false,
      maximize: false,
      ...withoutUndefined(options),
    };
    checkOptions(defaults);
    super(params, defaults);
  }

  /** Adam's weight decay: an L2 penalty added to the gradient. AdamW overrides it. */
  protected decay(p: Tensor, grad: Tensor, group: AdamGroup): Tensor {
    return group.weightDecay === 0 ? grad : add(grad, p, { alpha: group.weightDecay });
  }

  protected override updateGroup(group: ParamGroup<AdamGroup>): void {
    const { lr, betas, eps, amsgrad, maximize } = group;
    const [beta1, beta2] = betas;
    for (const p of group.params) {
      if (p.grad === null) continue;
      const state = this.stateOf<AdamState>(p, () => ({
        step: 0,
        expAvg: zerosLike(p),
        expAvgSq: zerosLike(p),
        ...(amsgrad ? { maxExpAvgSq: zerosLike(p) } : {}),
      }));
      const corrections = this.correctionsOf(p);
      state.step += 1;
      const grad = this.decay(p, maximize ? neg(p.grad) : p.grad, group);
      state.expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      state.expAvgSq.mul_(beta2).add_(mul(grad, grad), { alpha: 1 - beta2 });
      // the bias corrections, in double precision as PyTorch computes them
      corrections.stepSize.fill_(lr / (1 - beta1 ** state.step));
      corrections.biasCorrection2Sqrt.fill_(Math.sqrt(1 - beta2 ** state.step));
      let secondMoment = state.expAvgSq;
      if (amsgrad) {
        state.maxExpAvgSq ??= keep(zerosLike(p));
        secondMoment = state.maxExpAvgSq.copy_(maximum(state.maxExpAvgSq, state.expAvgSq));
      }
      const denom = add(div(sqrt(secondMoment), corrections.biasCorrection2Sqrt), eps);
      p.sub_(mul(div(state.expAvg, denom), corrections.stepSize));
    }
  }

  /** The bias-correction tensors of `p`, made on its device on first use and kept out of `tidy`. */
  private correctionsOf(p: Tensor): BiasCorrections {
    let corrections = this.corrections.get(p);
    if (corrections === undefined) {
      corrections = { stepSize: keep(zeros([], { device: p.device })), biasCorrection2Sqrt: keep(zeros([], { device: p.device })) };
      this.corrections.set(p, corrections);
    }
    return corrections;
  }
}

/** AdamW: Adam with decoupled weight decay (default 1e-2). */
export class AdamW extends Adam {
  /** `optim.AdamW(params, lr=1e-3, weight_decay=1e-2)` is `new optim.AdamW(params, { lr: 1e-3, weightDecay: 1e-2 })`. */
  constructor(params: Params<AdamGroup>, options: AdamOptions = {}) {
    super(params, { weightDecay: 1e-2, ...withoutUndefined(options) });
  }

  /** Shrinks the parameter itself, before the Adam step; the gradient is left as it is. */
  protected override decay(p: Tensor, grad: Tensor, group: AdamGroup): Tensor {
    if (group.weightDecay !== 0) p.mul_(1 - group.lr * group.weightDecay);
    return grad;
  }
}

/** The options that were actually given (so `{ lr: undefined }` keeps the default). */
function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
