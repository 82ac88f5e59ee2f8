/**
 * `gradcheck`: checks the backward rules against the definition of a derivative. For each input
 * element x_e, central differences give one column of the Jacobian:
 *
 *     ∂f/∂x_e ≈ (f(x + h·e) − f(x − h·e)) / 2h
 *
 * and backward, run with an upstream vector v, gives vᵀJ. For small outputs v runs over every
 * one-hot vector (the whole Jacobian is compared); for larger ones over a few fixed pseudo-random
 * vectors, which a wrong rule cannot agree with by accident.
 *
 * torchlet computes in float32, not in the float64 that PyTorch's gradcheck asks for, so the
 * numbers are chosen for float32:
 * - A float32 value carries about 7 significant digits (unit roundoff u ≈ 6e-8). The difference
 *   quotient loses about u·|f|/h to rounding and gains about h²·|f'''|/6 of truncation error; the
 *   sum is smallest near h ≈ (3u)^(1/3) ≈ 6e-3, where both are about 1e-5·|f|.
 * - The default h = 1e-3 leans to the small side, because ops with kinks (relu, abs, max, clamp)
 *   are only differentiable away from them: a smaller step is less likely to cross one. Its
 *   rounding error is then about 1e-4 for outputs of size ~1.
 * - x ± h is rounded to float32 before f sees it, so the quotient divides by the step actually
 *   taken, not by 2h.
 * - The default tolerance, |analytic − numerical| ≤ atol + rtol·|numerical| with
 *   atol = rtol = 5e-3, sits well above that noise: on every sample of tensor-core's op table the
 *   correct rules stay within 1e-3 + 1e-3·|numerical| (the largest gaps come from long sums, as in
 *   a 20x8 by 8x20 product or a convolution). It sits far below what a wrong rule produces: a
 *   missing factor, a wrong sign or a gradient sent to the wrong element; the tests show that
 *   even a rule 2% off fails.
 */
import { fromValues, RuntimeError, sampleTensor, type Tensor } from "@torchlet/tensor-core";
import { gradSteps } from "./engine.ts";
import { noGrad } from "./grad-mode.ts";
import { runAsync, runSync, type Steps } from "./steps.ts";

/** Options of `gradcheck` (PyTorch's keyword arguments, with float32 defaults). */
export interface GradcheckOptions {
  /** Step h of the central differences. */
  eps?: number;
  /** Absolute tolerance. */
  atol?: number;
  /** Relative tolerance, against the numerical value. */
  rtol?: number;
  /** Throw a `GradcheckError` that describes the mismatch (the default), or return false. */
  raiseException?: boolean;
}

/** PyTorch's `GradcheckError`: the analytic and numerical gradients disagree. */
export class GradcheckError extends RuntimeError {
  constructor(message: string) {
    super(message);
    this.name = "GradcheckError";
  }
}

type GradcheckFn = (...inputs: Tensor[]) => Tensor | readonly Tensor[];

/** Outputs with at most this many elements get their whole Jacobian compared. */
const fullJacobianLimit = 32;
/** Upstream vectors tried on larger outputs. */
const probeCount = 3;

/**
 * Checks the gradients of `fn` with respect to those `inputs` that require grad: true when they
 * match, otherwise a `GradcheckError` (or false with `raiseException: false`). For CPU tensors; for
 * webgpu tensors, whose values are read back asynchronously, use `gradcheckAsync`.
 */
export function gradcheck(fn: GradcheckFn, inputs: readonly Tensor[], options: GradcheckOptions = {}): boolean {
  const device = inputs.find((t) => t.device !== "cpu")?.device;
  if (device !== undefined) {
    throw new RuntimeError(`gradcheck reads values synchronously, which ${device} tensors cannot do: use \`await autograd.gradcheckAsync(fn, inputs)\``);
  }
  return verdict(runSync(checkSteps(fn, inputs, options)), options);
}

/** `gradcheck` for tensors on any device: the same check, awaiting each read of values. */
export async function gradcheckAsync(fn: GradcheckFn, inputs: readonly Tensor[], options: GradcheckOptions = {}): Promise<boolean> {
  return verdict(await runAsync(checkSteps(fn, inputs, options)), options);
}

function verdict(mismatch: string | null, options: GradcheckOptions): boolean {
  if (mismatch === null) return true;
  if (options.raiseException ?? true) throw new GradcheckError(mismatch);
  return false;
}

/**
 * The check itself, written once for both drivers (see steps.ts): it `yield`s each tensor whose
 * values it needs. Returns a description of the first mismatch, or null.
 */
function* checkSteps(fn: GradcheckFn, inputs: readonly Tensor[], options: GradcheckOptions): Steps<string | null> {
  const eps = options.eps ?? 1e-3;
  const atol = options.atol ?? 5e-3;
  const rtol = options.rtol ?? 5e-3;
  const checked = inputs.flatMap((t, i) => (t.requiresGrad ? [i] : []));
  if (checked.length === 0) {
    throw new RuntimeError("gradcheck expects at least one input tensor to require gradient, but none of the them have requires_grad=True.");
  }

  // The numerical Jacobian, one column per checked input element: the difference quotients of all
  // output elements, the outputs laid end to end.
  const columns: number[][][] = [];
  for (const i of checked) {
    const x = Float32Array.from(yield inputs[i]);
    const perInput: number[][] = [];
    for (let e = 0; e < x.length; e++) {
      const plus = Math.fround(x[e] + eps);
      const minus = Math.fround(x[e] - eps);
      const fPlus = yield* evaluateAt(fn, inputs, i, x, e, plus);
      const fMinus = yield* evaluateAt(fn, inputs, i, x, e, minus);
      perInput.push(fPlus.map((v, j) => (v - fMinus[j]) / (plus - minus)));
    }
    columns.push(perInput);
  }

  // The analytic side: backward through one graph, once per upstream vector.
  const outputs = differentiableOutputs(fn(...inputs));
  const checkedInputs = checked.map((i) => inputs[i]);
  let offset = 0;
  for (const [o, out] of outputs.entries()) {
    for (const v of upstreamVectors(out.numel())) {
      const upstream = fromValues(v, out.shape, "float32", out.device);
      const grads = yield* gradSteps([out], checkedInputs, { gradOutputs: [upstream], retainGraph: true, allowUnused: true }, true);
      for (const [k, column] of columns.entries()) {
        const analytic = grads[k] === null ? new Array<number>(column.length).fill(0) : Array.from(yield grads[k]!);
        // vᵀJ from the numerical Jacobian, summed in float64
        const numerical = column.map((col) => v.reduce((s, vj, j) => s + vj * col[offset + j], 0));
        const bad = numerical.findIndex((n, e) => !(Math.abs(analytic[e] - n) <= atol + rtol * Math.abs(n)));
        if (bad >= 0) {
          return (
            `Jacobian mismatch for output ${o} with respect to input ${checked[k]},\n` +
            `upstream vector: [${v.join(", ")}]\n` +
            `numerical:  [${numerical.map(show).join(", ")}]\n` +
            `analytical: [${analytic.map(show).join(", ")}]\n` +
            `first mismatch at element ${bad} (eps ${eps}, atol ${atol}, rtol ${rtol})`
          );
        }
      }
    }
    offset += out.numel();
  }
  return null;
}

/** f with element `e` of input `i` set to `value`, without recording; all output values in a row. */
function* evaluateAt(
  fn: GradcheckFn,
  inputs: readonly Tensor[],
  i: number,
  x: Float32Array,
  e: number,
  value: number,
): Steps<number[]> {
  const moved = x.slice();
  moved[e] = value;
  const perturbed = fromValues(moved, inputs[i].shape, "float32", inputs[i].device);
  const args = inputs.map((t, k) => (k === i ? perturbed : t));
  const outputs = noGrad(() => differentiableOutputs(fn(...args)));
  const values: number[] = [];
  for (const out of outputs) {
    values.push(...Array.from(yield out));
    if (!inputs.includes(out)) out.dispose();
  }
  perturbed.dispose();
  return values;
}

/** The float outputs of `fn`: a `max(dim)` gives values and indices, and only the values have a gradient. */
function differentiableOutputs(result: Tensor | readonly Tensor[]): Tensor[] {
  const all = Array.isArray(result) ? (result as readonly Tensor[]) : [result as Tensor];
  return all.filter((t) => t.isFloatingPoint());
}

/** One-hot vectors for a small output, else a few fixed pseudo-random ones (tensor-core's sample values). */
function upstreamVectors(n: number): number[][] {
  if (n <= fullJacobianLimit) {
    return Array.from({ length: n }, (_, j) => Array.from({ length: n }, (_, k) => (k === j ? 1 : 0)));
  }
  return Array.from({ length: probeCount }, (_, k) => Array.from(sampleTensor([n], k + 1).toArray()));
}

function show(v: number): string {
  return Number(v.toPrecision(6)).toString();
}
