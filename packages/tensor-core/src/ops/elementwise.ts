/**
 * Elementwise ops: each output element depends only on the input elements at the same index.
 * Binary ops broadcast their operands (see `broadcastShapes`) and accept plain numbers as operands,
 * which become 0-d tensors of the promoted dtype, as Python scalars do in PyTorch.
 */
import { backendFor, type BinaryOp, type UnaryOp } from "../backend.ts";
import { promoteTypes, promoteWithScalar, scalarTypeName, type DType } from "../dtype.ts";
import { RuntimeError } from "../errors.ts";
import { belowAutograd, recordOp } from "../grad-hooks.ts";
import { broadcastShapes } from "../shape.ts";
import { Tensor } from "../tensor.ts";
import { emptyTensor, scalarTensor } from "./creation.ts";
import { expand } from "./views.ts";

/**
 * An operand of a binary op: a tensor, or a JavaScript number or boolean standing for a Python
 * scalar. A scalar takes the tensor operand's dtype unless it lifts the category, as in PyTorch:
 * int64 tensor + 2 stays int64, int64 tensor + 0.5 is float32, bool tensor + 2 is int64.
 */
export type Operand = Tensor | number | boolean;

const comparisons = new Set<BinaryOp>(["eq", "ne", "lt", "le", "gt", "ge", "logicalAnd", "logicalOr"]);

/** The dtype an op computes in and the dtype it returns. */
function resultTypes(op: BinaryOp, a: Tensor, b: Tensor): { compute: DType; out: DType } {
  const compute = promoteTypes(a.dtype, b.dtype);
  if (comparisons.has(op)) return { compute, out: "bool" };
  if (op === "div" && compute !== "float32") return { compute: "float32", out: "float32" }; // true division
  // bool arithmetic keeps bool: add acts as `or`, mul as `and` (kernels store any non-zero as true)
  return { compute, out: compute };
}

const isBool = (v: Operand) => (v instanceof Tensor ? v.dtype === "bool" : typeof v === "boolean");

/**
 * The combinations PyTorch refuses, judged on the operands as given: a JavaScript `true` counts as
 * bool here, though it becomes a tensor of the other operand's dtype for the arithmetic.
 */
export function checkOperands(op: BinaryOp, x: Operand, y: Operand): void {
  if (op === "sub" && (isBool(x) || isBool(y))) {
    throw new RuntimeError(
      isBool(x) && isBool(y)
        ? "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead."
        : "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.",
    );
  }
  if (op === "pow") {
    if (isBool(x) && isBool(y)) throw new RuntimeError(`"pow" not implemented for 'Bool'`);
    if (x instanceof Tensor && x.dtype !== "float32" && typeof y === "number" && Number.isInteger(y) && y < 0) {
      throw new RuntimeError("Integers to negative integer powers are not allowed.");
    }
  }
}

/**
 * Turns the operands into two tensors on one device. A number becomes a 0-d tensor whose dtype
 * only lifts the category of the tensor operand (int tensor + 2 stays int64); a 0-d CPU tensor may
 * meet a tensor on another device, as CPU scalars may meet CUDA tensors in PyTorch.
 */
export function toTensors(a: Operand, b: Operand): [Tensor, Tensor] {
  if (!(a instanceof Tensor) && !(b instanceof Tensor)) {
    throw new TypeError("an elementwise op needs at least one tensor operand");
  }
  if (!(a instanceof Tensor)) {
    const tb = b as Tensor;
    return [scalarTensor(a, promoteWithScalar(tb.dtype, a), tb.device), tb];
  }
  if (!(b instanceof Tensor)) return [a, scalarTensor(b, promoteWithScalar(a.dtype, b), a.device)];
  if (a.device !== b.device) {
    if (b.ndim === 0 && b.device === "cpu") return [a, b.to(a.device)];
    if (a.ndim === 0 && a.device === "cpu") return [a.to(b.device), b];
    throw new RuntimeError(
      `Expected all tensors to be on the same device, but found at least two devices, ${a.device} and ${b.device}!`,
    );
  }
  return [a, b];
}

/**
 * `t` read over `shape` by a kernel: `t` itself when it already has that shape, else a broadcast
 * view (stride 0 along the new dimensions). Skipping the view when there is nothing to broadcast
 * saves a tensor object per operand on every op, which a training loop feels as garbage.
 */
export function broadcastTo(t: Tensor, shape: readonly number[]): Tensor {
  return t.shape.equals(shape) ? t : expand(t, shape);
}

/** Runs a binary kernel over broadcast operands; no recording. */
export function binaryKernel(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(a.shape, b.shape);
  const { out: outType } = resultTypes(op, a, b);
  const out = emptyTensor(shape, outType, a.device);
  backendFor(a.device).binary(op, broadcastTo(a, shape), broadcastTo(b, shape), out);
  return out;
}

/**
 * ReLU's backward, PyTorch's `threshold_backward(grad, result, 0)`: the gradient where ReLU's
 * result is positive (or NaN, which ReLU passes through), 0 elsewhere — one pass, where a
 * comparison and a `where` take two and a mask. Backward runs it; it records nothing.
 */
export function reluBackward(grad: Tensor, result: Tensor): Tensor {
  if (grad.device !== result.device) {
    throw new RuntimeError(`Expected all tensors to be on the same device, but found at least two devices, ${grad.device} and ${result.device}!`);
  }
  return binaryKernel("reluBackward", grad, result);
}

function binary(op: BinaryOp, x: Operand, y: Operand): Tensor {
  checkOperands(op, x, y);
  const [a, b] = toTensors(x, y);
  const out = belowAutograd(() => binaryKernel(op, a, b));
  return recordOp(op, [a, b], out, scalarInput(x, y));
}

/**
 * Which operand was a JavaScript number, for autograd: PyTorch names some nodes after it
 * (`x ** 2` is `PowBackward0`, `x ** y` is `PowBackward1`, `2 - x` is `RsubBackward1`).
 */
function scalarInput(x: Operand, y: Operand): { scalarInput?: 0 | 1 } {
  if (!(x instanceof Tensor)) return { scalarInput: 0 };
  if (!(y instanceof Tensor)) return { scalarInput: 1 };
  return {};
}

/** Runs a unary kernel; no recording. */
export function unaryKernel(op: UnaryOp, x: Tensor, dtype: DType = x.dtype): Tensor {
  const out = emptyTensor(x.shape, dtype, x.device);
  backendFor(x.device).unary(op, x, out);
  return out;
}

/** Float-valued unary ops (exp, log, ...) turn integer input into float32, as PyTorch does. */
function floatUnary(op: UnaryOp, x: Tensor): Tensor {
  const dtype = x.dtype === "float32" ? x.dtype : "float32";
  const input = x.dtype === dtype ? x : x.to(dtype);
  return recordOp(op, [x], unaryKernel(op, input, dtype));
}

/** What PyTorch says to the unary ops that refuse bool tensors (`sign` keeps them as they are). */
const boolRefusals: Partial<Record<UnaryOp, string>> = {
  neg: "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.",
  abs: `"abs_cpu" not implemented for 'Bool'`,
  relu: "Boolean inputs not supported for relu",
};

function sameTypeUnary(op: UnaryOp, x: Tensor): Tensor {
  const refusal = boolRefusals[op];
  if (x.dtype === "bool" && refusal) throw new RuntimeError(refusal);
  return recordOp(op, [x], unaryKernel(op, x));
}

/** a + alpha * b */
export function add(a: Operand, b: Operand, options: { alpha?: number } = {}): Tensor {
  return withAlpha("add", a, b, options.alpha);
}
/** a - alpha * b */
export function sub(a: Operand, b: Operand, options: { alpha?: number } = {}): Tensor {
  return withAlpha("sub", a, b, options.alpha);
}

function withAlpha(op: "add" | "sub", x: Operand, y: Operand, alpha = 1): Tensor {
  if (alpha === 1) return binary(op, x, y);
  checkOperands(op, x, y);
  const [a, b] = toTensors(x, y);
  const out = belowAutograd(() => binaryKernel(op, a, binaryKernel("mul", b, scalarTensor(alpha, promoteWithScalar(b.dtype, alpha), b.device))));
  return recordOp(op, [a, b], out, { alpha, ...scalarInput(x, y) });
}

/** The elementwise product `a * b`, broadcast; either operand may be a number. */
export const mul = (a: Operand, b: Operand) => binary("mul", a, b);
/** True division: integer operands give a float32 result. */
export const div = (a: Operand, b: Operand) => binary("div", a, b);
/**
 * `a` raised to `b`, elementwise and broadcast; either may be a number. An int64 base with an
 * integer exponent stays int64, and refuses a negative exponent.
 */
export const pow = (a: Operand, b: Operand) => binary("pow", a, b);
/** The larger of each pair of elements (PyTorch's `torch.maximum`, not a reduction). */
export const maximum = (a: Tensor, b: Tensor) => binary("maximum", a, b);
/** The smaller of each pair of elements (PyTorch's `torch.minimum`, not a reduction). */
export const minimum = (a: Tensor, b: Tensor) => binary("minimum", a, b);
/** `a == b`, elementwise and broadcast, as a bool tensor; either operand may be a number. */
export const eq = (a: Operand, b: Operand) => binary("eq", a, b);
/** `a != b`, elementwise and broadcast, as a bool tensor; either operand may be a number. */
export const ne = (a: Operand, b: Operand) => binary("ne", a, b);
/** `a < b`, elementwise and broadcast, as a bool tensor; either operand may be a number. */
export const lt = (a: Operand, b: Operand) => binary("lt", a, b);
/** `a <= b`, elementwise and broadcast, as a bool tensor; either operand may be a number. */
export const le = (a: Operand, b: Operand) => binary("le", a, b);
/** `a > b`, elementwise and broadcast, as a bool tensor; either operand may be a number. */
export const gt = (a: Operand, b: Operand) => binary("gt", a, b);
/** `a >= b`, elementwise and broadcast, as a bool tensor; either operand may be a number. */
export const ge = (a: Operand, b: Operand) => binary("ge", a, b);
/**
 * True where both `a` and `b` are non-zero, elementwise and broadcast, as a bool tensor (PyTorch's
 * `logical_and`).
 */
export const logicalAnd = (a: Operand, b: Operand) => binary("logicalAnd", a, b);
/**
 * True where `a` or `b` is non-zero, elementwise and broadcast, as a bool tensor (PyTorch's
 * `logical_or`).
 */
export const logicalOr = (a: Operand, b: Operand) => binary("logicalOr", a, b);
/** True where `x` is zero (or false), as a bool tensor (PyTorch's `logical_not`). */
export const logicalNot = (x: Tensor) => recordOp("logicalNot", [x], unaryKernel("logicalNot", x, "bool"));

/**
 * `-x`, elementwise, in `x`'s dtype; a bool tensor is refused (invert a mask with `logicalNot`).
 */
export const neg = (x: Tensor) => sameTypeUnary("neg", x);
/** The absolute value of each element, in `x`'s dtype; a bool tensor is refused. */
export const abs = (x: Tensor) => sameTypeUnary("abs", x);
/** -1, 0 or 1 for each element by its sign, in `x`'s dtype (a bool tensor comes back unchanged). */
export const sign = (x: Tensor) => sameTypeUnary("sign", x);
/** max(x, 0) elementwise, in `x`'s dtype (NaN stays NaN); a bool tensor is refused. */
export const relu = (x: Tensor) => sameTypeUnary("relu", x);
/** e raised to each element; int64 and bool input gives float32. */
export const exp = (x: Tensor) => floatUnary("exp", x);
/**
 * The natural logarithm of each element (-Infinity at 0, NaN below); int64 and bool input gives
 * float32.
 */
export const log = (x: Tensor) => floatUnary("log", x);
/** The square root of each element (NaN below 0); int64 and bool input gives float32. */
export const sqrt = (x: Tensor) => floatUnary("sqrt", x);
/** The hyperbolic tangent of each element; int64 and bool input gives float32. */
export const tanh = (x: Tensor) => floatUnary("tanh", x);
/** The logistic function 1 / (1 + e^-x) of each element; int64 and bool input gives float32. */
export const sigmoid = (x: Tensor) => floatUnary("sigmoid", x);

/** x * x, recorded as PyTorch records it: `pow(x, 2)`. */
export function square(x: Tensor): Tensor {
  return pow(x, 2);
}

/** Limits every element to [min, max] (either bound may be left out). */
export function clamp(x: Tensor, options: { min?: number; max?: number }): Tensor {
  const { min, max } = options;
  if (min === undefined && max === undefined) {
    throw new RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  }
  const out = belowAutograd(() => {
    let y = x;
    if (min !== undefined) y = binaryKernel("maximum", y, scalarTensor(min, promoteWithScalar(x.dtype, min), x.device));
    if (max !== undefined) y = binaryKernel("minimum", y, scalarTensor(max, promoteWithScalar(y.dtype, max), x.device));
    return y === x ? x.clone() : y;
  });
  return recordOp("clamp", [x], out, { min, max });
}

/** Picks from `x` where `condition` is true and from `y` elsewhere, broadcasting all three. */
export function where(condition: Tensor, x: Operand, y: Operand): Tensor {
  if (condition.dtype !== "bool") {
    throw new RuntimeError(
      `where expected condition to be a boolean tensor, but got a tensor with dtype ${scalarTypeName(condition.dtype)}`,
    );
  }
  const [a, b] = toTensors(x, y);
  const shape = broadcastShapes(broadcastShapes(condition.shape, a.shape), b.shape);
  const dtype = promoteTypes(a.dtype, b.dtype);
  const device = a.device;
  const cond = condition.device === device ? condition : condition.to(device);
  const out = emptyTensor(shape, dtype, device);
  const ca = a.dtype === dtype ? a : a.to(dtype);
  const cb = b.dtype === dtype ? b : b.to(dtype);
  belowAutograd(() => backendFor(device).where(broadcastTo(cond, shape), broadcastTo(ca, shape), broadcastTo(cb, shape), out));
  return recordOp("where", [condition, a, b], out);
}
