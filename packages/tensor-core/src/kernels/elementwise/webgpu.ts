/**
 * Elementwise kernels on WebGPU: fill, copy, unary, binary and where. One thread per output
 * element: it finds its element in every operand through the strides (`strided.ts`), applies the
 * op table's WGSL expression (`ops.ts`, beside the CPU function it mirrors) and stores the result.
 *
 * Compare `cpu.ts`: the CPU walks rows with a running position per operand; a shader thread has no
 * "previous element", so it computes its positions from its index instead.
 */
import type { BinaryOp, UnaryOp } from "../../backend.ts";
import { promoteTypes } from "../../dtype.ts";
import type { Tensor } from "../../tensor.ts";
import { contiguousStrides, numel } from "../../shape.ts";
import { entryPoint, Params, runKernel, storageBuffer } from "../../webgpu/dispatch.ts";
import { checkInt32, GpuStorage, wgslType, type WgslStorageType } from "../../webgpu/storage.ts";
import { addLayoutParams, coalesce, stridedPositions } from "../../webgpu/strided.ts";
import { computeTypeOf, convert, floatSpecials, type ComputeType } from "../../webgpu/wgsl.ts";
import { binaryOps, unaryOps } from "./ops.ts";

const workgroupSize = 64;

/** A strided view of a GPU storage: what a kernel reads or writes. */
export interface GpuOperand {
  readonly storage: GpuStorage;
  readonly strides: readonly number[];
  readonly offset: number;
}

/** A tensor as a kernel operand: its storage, strides and offset. */
export function operandOf(t: Tensor): GpuOperand {
  return { storage: t.storage as GpuStorage, strides: t.stride(), offset: t.storageOffset() };
}

/** One elementwise kernel: `dst = expression(inputs)` over `shape`. */
interface MapSpec {
  /** Names the expression; part of the shader key. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly dst: GpuOperand;
  readonly inputs: readonly GpuOperand[];
  /** The WGSL names the expression uses for the inputs, e.g. ["a", "b"]. */
  readonly names: readonly string[];
  /** Inputs are converted to this type before the expression; null leaves them as stored. */
  readonly compute: ComputeType | null;
  /** A WGSL expression of the inputs, of type `resultType`; it is converted to the output's type. */
  readonly expression: string;
  readonly resultType: WgslStorageType;
  /** Extra uniform values the expression reads as `p.<name>`. */
  readonly extraParams?: (params: Params) => void;
}

/**
 * Runs one elementwise kernel. An input that shares the output's buffer is read through the output
 * binding (WebGPU forbids binding one buffer both read-only and writable) when it is the very same
 * view, so each thread reads its element before writing it. Any other overlap (`x.copy_(x.t())`)
 * would race between threads, so such an input is first copied aside.
 */
function map(spec: MapSpec): void {
  const n = numel(spec.shape);
  if (n === 0) return;
  const copies: GpuStorage[] = [];
  const inputs = spec.inputs.map((input) => {
    if (input.storage !== spec.dst.storage || sameView(input, spec.dst, spec.shape)) return input;
    const aside = contiguousCopy(input, spec.shape);
    copies.push(aside.storage);
    return aside;
  });
  const aliased = inputs.map((input) => input.storage === spec.dst.storage);
  const layout = coalesce(spec.shape, [spec.dst.strides, ...inputs.map((i) => i.strides)]);
  const rank = layout.shape.length;

  const params = new Params().u32("n", n).u32("off0", spec.dst.offset);
  inputs.forEach((input, k) => params.u32(`off${k + 1}`, input.offset));
  addLayoutParams(params, layout);
  spec.extraParams?.(params);

  const dstType = wgslType[spec.dst.storage.dtype];
  const inputTypes = inputs.map((i) => wgslType[i.storage.dtype]);
  const key = `map:${spec.name}:${dstType}<-${inputTypes.map((t, k) => (aliased[k] ? "dst" : t)).join(",")}:${spec.compute}:r${rank}`;

  const source = (): string => {
    let bindings = storageBuffer(1, "dst", dstType, "read_write");
    let binding = 2;
    inputs.forEach((_, k) => {
      if (!aliased[k]) bindings += storageBuffer(binding++, `src${k}`, inputTypes[k], "read");
    });
    const loads = inputs.map((_, k) => {
      const raw = `${aliased[k] ? "dst" : `src${k}`}[pos${k + 1}]`;
      return `  let ${spec.names[k]} = ${spec.compute ? `${spec.compute}(${raw})` : raw};`;
    });
    const body = [
      `  let i = wg * ${workgroupSize}u + lid;`,
      `  if (i >= p.n) { return; }`,
      stridedPositions(rank, ["p.off0", ...inputs.map((_, k) => `p.off${k + 1}`)], "i"),
      ...loads,
      `  dst[pos0] = ${convert(`(${spec.expression})`, spec.resultType, dstType)};`,
    ].join("\n");
    return [params.wgsl(), bindings, spec.compute ? wgslFunctionsFor(spec.compute, spec.expression) : "", entryPoint(`${workgroupSize}`, body)].join("\n");
  };

  runKernel({
    key,
    source,
    params,
    buffers: [spec.dst.storage.buffer, ...inputs.filter((_, k) => !aliased[k]).map((i) => i.storage.buffer)],
    workgroups: Math.ceil(n / workgroupSize),
  });
  for (const storage of copies) storage.release();
}

/** Whether two views visit the same storage positions in the same order over `shape`. */
function sameView(a: GpuOperand, b: GpuOperand, shape: readonly number[]): boolean {
  return a.offset === b.offset && shape.every((s, d) => s === 1 || a.strides[d] === b.strides[d]);
}

/** A contiguous copy of `input` over `shape`, in a storage of its own (released by the caller). */
function contiguousCopy(input: GpuOperand, shape: readonly number[]): GpuOperand {
  const storage = new GpuStorage(input.storage.dtype, numel(shape));
  storage.retain();
  const aside: GpuOperand = { storage, strides: contiguousStrides(shape), offset: 0 };
  copyInto(aside, input, shape);
  return aside;
}

// ---------------------------------------------------------------- the Backend's entry points

/** Sets every element of `out` (any view) to `value`, passed to the shader as a uniform. */
export function fill(out: Tensor, value: number): void {
  const type = wgslType[out.dtype];
  if (type === "i32") checkInt32(value);
  map({
    name: "fill",
    shape: out.shape,
    dst: operandOf(out),
    inputs: [],
    names: [],
    compute: null,
    expression: "p.value",
    resultType: type,
    extraParams: (params) => (type === "f32" ? params.f32("value", value) : type === "i32" ? params.i32("value", value) : params.u32("value", value)),
  });
}

/** Copies with dtype conversion: float → int truncates toward zero, anything non-zero → true. */
export function copy(src: Tensor, out: Tensor): void {
  copyInto(operandOf(out), operandOf(src), out.shape);
}

function copyInto(dst: GpuOperand, src: GpuOperand, shape: readonly number[]): void {
  const srcType = wgslType[src.storage.dtype];
  map({ name: "copy", shape, dst, inputs: [src], names: ["x"], compute: null, expression: "x", resultType: srcType });
}

/** out = op(x), computed in x's type (f32, or i32 for integers and booleans). */
export function unary(op: UnaryOp, x: Tensor, out: Tensor): void {
  map({
    name: op,
    shape: out.shape,
    dst: operandOf(out),
    inputs: [operandOf(x)],
    names: ["x"],
    compute: computeTypeOf(wgslType[x.dtype]),
    expression: unaryOps[op].wgsl,
    resultType: computeTypeOf(wgslType[x.dtype]),
  });
}

/**
 * As the Backend contract says: arithmetic in the output's dtype, comparisons (whose output is
 * bool) in the promoted dtype of the operands.
 */
export function binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void {
  const computeDtype = out.dtype === "bool" ? promoteTypes(a.dtype, b.dtype) : out.dtype;
  map({
    name: op,
    shape: out.shape,
    dst: operandOf(out),
    inputs: [operandOf(a), operandOf(b)],
    names: ["a", "b"],
    compute: computeTypeOf(wgslType[computeDtype]),
    expression: binaryOps[op].wgsl,
    resultType: computeTypeOf(wgslType[computeDtype]),
  });
}

/** out = cond ? a : b; `a`, `b` and `out` share one dtype, so values are copied as stored. */
export function where(cond: Tensor, a: Tensor, b: Tensor, out: Tensor): void {
  map({
    name: "where",
    shape: out.shape,
    dst: operandOf(out),
    inputs: [operandOf(cond), operandOf(a), operandOf(b)],
    names: ["c", "a", "b"],
    compute: null,
    expression: "select(b, a, c != 0u)",
    resultType: wgslType[out.dtype],
  });
}

// ---------------------------------------------------------------- functions the op table's WGSL calls

/**
 * Functions the WGSL column of `ops.ts` may call, for each compute type `T`. A shader includes
 * only those its expression names, so an f32-only function never meets `T = i32`.
 */
const wgslFunctions: Record<ComputeType, Record<string, string>> = {
  f32: {
    isNanT: "fn isNanT(x: f32) -> bool { return isNan(x); }",
    // PyTorch's maximum/minimum propagate NaN; WGSL's max/min may not.
    maxT: "fn maxT(a: f32, b: f32) -> f32 { if (isNan(a) || isNan(b)) { return nan(); } return select(b, a, a > b); }",
    minT: "fn minT(a: f32, b: f32) -> f32 { if (isNan(a) || isNan(b)) { return nan(); } return select(b, a, a < b); }",
    // WGSL leaves log and sqrt undefined outside their domain; give what the CPU gives.
    logT: "fn logT(x: f32) -> f32 { if (x < 0.0 || isNan(x)) { return nan(); } if (x == 0.0) { return -inf(); } return log(x); }",
    sqrtT: "fn sqrtT(x: f32) -> f32 { if (x < 0.0 || isNan(x)) { return nan(); } return sqrt(x); }",
    // Near 0, (1 - e) / (1 + e) loses digits to cancellation: there the Taylor series is exact to
    // float precision. Elsewhere e = exp(-2|x|) <= 1, which cannot overflow for large |x|.
    tanhT: `fn tanhT(x: f32) -> f32 {
  let ax = abs(x);
  if (isNan(x)) { return x; }
  if (ax < 0.1) {
    let x2 = x * x;
    return x * (1.0 + x2 * (-1.0 / 3.0 + x2 * (2.0 / 15.0 + x2 * (-17.0 / 315.0))));
  }
  let e = exp(-2.0 * ax);
  return select((1.0 - e) / (1.0 + e), -(1.0 - e) / (1.0 + e), x < 0.0);
}`,
    // WGSL's pow(a, b) is exp2(b * log2(a)): NaN for every negative a. JavaScript's Math.pow (the
    // CPU column) defines negative bases with integral exponents, and a few special cases.
    powT: `fn powT(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (isNan(a) || isNan(b)) { return nan(); }
  let base = abs(a);
  if (isInf(b)) {
    if (base == 1.0) { return nan(); }
    return select(0.0, inf(), (base > 1.0) == (b > 0.0));
  }
  let integral = floor(b) == b;
  if (a < 0.0 && !integral) { return nan(); }
  var m: f32;
  if (integral && abs(b) <= 64.0) {
    // exact for small integral exponents: square-and-multiply
    var e = u32(abs(b));
    var square = base;
    m = 1.0;
    loop {
      if ((e & 1u) == 1u) { m = m * square; }
      e = e >> 1u;
      if (e == 0u) { break; }
      square = square * square;
    }
    if (b < 0.0) { m = 1.0 / m; }
  } else if (base == 0.0) {
    m = select(inf(), 0.0, b > 0.0);
  } else if (isInf(base)) {
    m = select(0.0, inf(), b > 0.0);
  } else {
    m = exp2(b * log2(base));
  }
  let odd = integral && abs(b) < 16777216.0 && (u32(abs(b)) & 1u) == 1u;
  return select(m, -m, a < 0.0 && odd);
}`,
  },
  i32: {
    isNanT: "fn isNanT(x: i32) -> bool { return false; }",
    maxT: "fn maxT(a: i32, b: i32) -> i32 { return max(a, b); }",
    minT: "fn minT(a: i32, b: i32) -> i32 { return min(a, b); }",
    // Integer powers by square-and-multiply (wrapping like i32 arithmetic); a negative exponent
    // leaves only 1 and -1 with a non-zero integer result.
    powT: `fn powT(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(1, -1, (b & 1) != 0); }
    return 0;
  }
  var e = u32(b);
  var square = a;
  var m = 1;
  loop {
    if (e == 0u) { break; }
    if ((e & 1u) == 1u) { m = m * square; }
    e = e >> 1u;
    square = square * square;
  }
  return m;
}`,
  },
};

function wgslFunctionsFor(type: ComputeType, expression: string): string {
  const used = Object.entries(wgslFunctions[type]).filter(([name]) => new RegExp(`\\b${name}\\(`).test(expression));
  const prelude = type === "f32" ? floatSpecials : "";
  return `alias T = ${type};\n${prelude}${used.map(([, code]) => code).join("\n")}\n`;
}
