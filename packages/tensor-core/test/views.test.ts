/**
 * Views and strides, against a reference written here with nothing but index arithmetic.
 *
 * The reference keeps, for each element of a tensor (in row-major order), the position it occupies
 * in its storage. Views only move elements around, so they map positions; copies (`clone`,
 * `contiguous` of a strided tensor, `reshape` that cannot be a view) start a new storage. That one
 * list answers every question: the values, whether storage is shared, what the strides and offset
 * must be (position = offset + Σ index·stride), whether the tensor is contiguous, and whether
 * `view` to a new shape is possible: exactly when the positions, read in the new shape, are an
 * affine function of the index. That last rule is how PyTorch's `computeStride` decides, stated
 * without its bookkeeping of contiguous chunks; real PyTorch is checked on a few cases below.
 */
import { fixture } from "@torchlet/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as torch from "../src/index.ts";
import type { IndexSpec, Storage, Tensor } from "../src/index.ts";

// ------------------------------------------------------------------ the reference

interface Ref {
  shape: number[];
  /** Storage position of each element, in row-major order of `shape`. */
  positions: number[];
  /** The values held by the storage the positions point into (an array per storage). */
  storage: number[];
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Every index of `shape`, in row-major order. */
function indices(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const size of shape) out = out.flatMap((prefix) => Array.from({ length: size }, (_, i) => [...prefix, i]));
  return out;
}

/** The row-major position of `index` within `shape`. */
function flatIndex(shape: readonly number[], index: readonly number[]): number {
  return index.reduce((flat, i, d) => flat * shape[d] + i, 0);
}

/** A view: element `index` of the new shape is element `source(index)` of the old tensor. */
function remap(ref: Ref, shape: number[], source: (index: number[]) => number[]): Ref {
  return { shape, storage: ref.storage, positions: indices(shape).map((index) => ref.positions[flatIndex(ref.shape, source(index))]) };
}

const valuesOf = (ref: Ref) => ref.positions.map((p) => ref.storage[p]);

/** A copy: the same values in a new, contiguous storage. */
function copy(ref: Ref): Ref {
  return { shape: [...ref.shape], storage: valuesOf(ref), positions: ref.positions.map((_, i) => i) };
}

/** The strides that read `positions` in `shape` from their first position, or null if none do. */
function affineStrides(shape: readonly number[], positions: readonly number[]): number[] | null {
  if (positions.length === 0) return shape.map(() => 0);
  const strides = shape.map((size, d) => {
    if (size === 1) return 0;
    const unit = shape.map((_, k) => (k === d ? 1 : 0));
    return positions[flatIndex(shape, unit)] - positions[0];
  });
  const ok = indices(shape).every((index, l) => positions[l] === positions[0] + index.reduce((sum, i, d) => sum + i * strides[d], 0));
  return ok ? strides : null;
}

const isContiguousRef = (ref: Ref) => ref.positions.every((p, l) => p === ref.positions[0] + l);

function refSlice(ref: Ref, dim: number, start: number | null, end: number | null, step: number): Ref {
  const n = ref.shape[dim];
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  const s = clamp(start ?? 0);
  const e = Math.max(clamp(end ?? n), s);
  const shape = [...ref.shape];
  shape[dim] = Math.ceil((e - s) / step);
  return remap(ref, shape, (index) => index.map((i, d) => (d === dim ? s + i * step : i)));
}

const refSelect = (ref: Ref, dim: number, i: number) =>
  remap(ref, ref.shape.filter((_, d) => d !== dim), (index) => [...index.slice(0, dim), i < 0 ? i + ref.shape[dim] : i, ...index.slice(dim)]);

const refUnsqueeze = (ref: Ref, dim: number) =>
  remap(ref, [...ref.shape.slice(0, dim), 1, ...ref.shape.slice(dim)], (index) => index.filter((_, d) => d !== dim));

/** Python's `t[specs]`, spec by spec. */
function refIndex(ref: Ref, specs: readonly IndexSpec[]): Ref {
  const named = specs.filter((s) => s !== null && s !== "...").length;
  let out = ref;
  let dim = 0;
  for (const spec of specs) {
    if (spec === "...") dim += ref.shape.length - named;
    else if (spec === null) out = refUnsqueeze(out, dim++);
    else if (typeof spec === "number") out = refSelect(out, dim, spec);
    else {
      const [start, end, step] = spec.split(":").map((p) => (p === "" || p === undefined ? null : Number(p)));
      out = refSlice(out, dim++, start, end, step ?? 1);
    }
  }
  return out;
}

// ------------------------------------------------------------------ random chains of views

/** One step of a chain: a kind of op, and random numbers in [0, 1) that choose its arguments. */
interface Step {
  kind: (typeof kinds)[number];
  r: number[];
}

const kinds = [
  "view",
  "reshape",
  "flatten",
  "transpose",
  "t",
  "permute",
  "unsqueeze",
  "squeeze",
  "squeezeDim",
  "expand",
  "select",
  "narrow",
  "slice",
  "index",
  "contiguous",
  "clone",
] as const;

const pick = (r: number, n: number) => Math.min(Math.floor(r * n), n - 1);

/** A new shape with `n` elements, near the old one (merged or split dims) or anywhere. */
function newShape(shape: readonly number[], r: number[]): number[] {
  const n = count(shape);
  const choice = pick(r[0], 4);
  if (choice === 0 && shape.length >= 2) {
    const d = pick(r[1], shape.length - 1);
    return [...shape.slice(0, d), shape[d] * shape[d + 1], ...shape.slice(d + 2)];
  }
  if (choice === 1 && shape.length >= 1) {
    const d = pick(r[1], shape.length);
    const divisors = Array.from({ length: shape[d] }, (_, i) => i + 1).filter((k) => shape[d] % k === 0);
    const k = divisors[pick(r[2], divisors.length)] ?? 1;
    return [...shape.slice(0, d), k, shape[d] / k, ...shape.slice(d + 1)];
  }
  if (choice === 2) return n === 0 ? [0] : pick(r[1], 2) === 0 ? [n] : [-1];
  // any factorisation into up to 4 dims, with a size-1 dim now and then
  const out: number[] = [];
  let rest = n;
  for (let i = 0; i < 3 && rest > 1; i++) {
    const divisors = Array.from({ length: rest }, (_, k) => k + 1).filter((k) => rest % k === 0);
    const k = divisors[pick(r[1 + i], divisors.length)];
    out.push(k);
    rest /= k;
  }
  out.push(rest);
  if (r[4] < 0.3) out.splice(pick(r[5], out.length + 1), 0, 1);
  return out;
}

function randomSpecs(shape: readonly number[], r: number[]): IndexSpec[] {
  const specs: IndexSpec[] = [];
  let dim = 0;
  for (let i = 0; i < shape.length && i < 3; i++, dim++) {
    const size = shape[dim];
    const kind = pick(r[i], 4);
    if (kind === 0 && size > 0) specs.push(pick(r[i + 3] ?? 0, 2 * size) - size);
    else if (kind === 1) specs.push(`${pick(r[i + 3] ?? 0, size + 1)}:`);
    else if (kind === 2) specs.push("::2");
    else specs.push(null, ":");
  }
  if (r[5] < 0.3) specs.push("..."); // the dims left over
  return specs;
}

/**
 * Applies one step to the tensor and to the reference. Returns false when the step does not apply
 * to the current shape (selecting from an empty dim, say), so the chain goes on unchanged.
 */
function apply(step: Step, t: Tensor, ref: Ref): { t: Tensor; ref: Ref } | null {
  const { shape } = ref;
  const nd = shape.length;
  const r = step.r;
  const dim = nd > 0 ? pick(r[0], nd) : 0;
  switch (step.kind) {
    case "view": {
      const target = newShape(shape, r);
      const resolved = target.map((s) => (s === -1 ? count(shape) : s));
      const strides = affineStrides(resolved, ref.positions);
      if (strides === null) {
        expect(() => t.view(target)).toThrow(
          "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
        );
        return { t, ref };
      }
      return { t: t.view(target), ref: { ...ref, shape: resolved } };
    }
    case "reshape":
    case "flatten": {
      const target = step.kind === "reshape" ? newShape(shape, r) : null;
      const start = nd > 0 ? pick(r[1], nd) : 0;
      const end = nd > 0 ? start + pick(r[2], nd - start) : 0;
      const resolved =
        target?.map((s) => (s === -1 ? count(shape) : s)) ??
        (nd === 0 ? [1] : [...shape.slice(0, start), count(shape.slice(start, end + 1)), ...shape.slice(end + 1)]);
      const out = target ? t.reshape(target) : t.flatten(start, end);
      // a view when one exists, a copy otherwise
      return { t: out, ref: affineStrides(resolved, ref.positions) ? { ...ref, shape: resolved } : { ...copy(ref), shape: resolved } };
    }
    case "transpose": {
      if (nd === 0) return null;
      const other = pick(r[1], nd);
      const swap = (index: number[]) => index.map((i, d) => (d === dim ? index[other] : d === other ? index[dim] : i));
      return { t: t.transpose(dim, other - nd), ref: remap(ref, swap([...shape]), swap) };
    }
    case "t": {
      if (nd > 2) return null;
      return { t: t.t(), ref: remap(ref, [...shape].reverse(), (index) => [...index].reverse()) };
    }
    case "permute": {
      const order = shape.map((_, d) => d).sort((a, b) => r[(a % 5) + 1] - r[(b % 5) + 1] || a - b);
      const source = (index: number[]) => {
        const old = new Array<number>(nd);
        order.forEach((d, i) => (old[d] = index[i]));
        return old;
      };
      return { t: t.permute(order), ref: remap(ref, order.map((d) => shape[d]), source) };
    }
    case "unsqueeze": {
      const d = pick(r[0], nd + 1);
      return { t: t.unsqueeze(d), ref: refUnsqueeze(ref, d) };
    }
    case "squeeze":
    case "squeezeDim": {
      if (step.kind === "squeezeDim" && nd === 0) return null;
      const drop = shape.map((s, d) => s === 1 && (step.kind === "squeeze" || d === dim));
      const source = (index: number[]) => {
        const old: number[] = [];
        let k = 0;
        for (let d = 0; d < nd; d++) old.push(drop[d] ? 0 : index[k++]);
        return old;
      };
      const out = step.kind === "squeeze" ? t.squeeze() : t.squeeze(dim);
      return { t: out, ref: remap(ref, shape.filter((_, d) => !drop[d]), source) };
    }
    case "expand": {
      const lead = pick(r[1], 2);
      const target = [...Array.from({ length: lead }, () => 1 + pick(r[2], 3)), ...shape.map((s, d) => (s === 1 ? 1 + pick(r[(d % 3) + 3], 3) : s))];
      // -1 keeps a size as it is
      const asked = target.map((s, d) => (d >= lead && s === shape[d - lead] && r[5] < 0.5 ? -1 : s));
      const source = (index: number[]) => index.slice(lead).map((i, d) => (shape[d] === 1 ? 0 : i));
      return { t: t.expand(asked), ref: remap(ref, target, source) };
    }
    case "select": {
      if (nd === 0 || shape[dim] === 0) return null;
      const i = pick(r[1], 2 * shape[dim]) - shape[dim];
      return { t: t.select(dim, i), ref: refSelect(ref, dim, i) };
    }
    case "narrow": {
      if (nd === 0) return null;
      const start = pick(r[1], shape[dim] + 1);
      const length = pick(r[2], shape[dim] - start + 1);
      return { t: t.narrow(dim, start, length), ref: refSlice(ref, dim, start, start + length, 1) };
    }
    case "slice": {
      if (nd === 0) return null;
      const start = pick(r[1], 2 * shape[dim] + 3) - shape[dim] - 1;
      const end = r[2] < 0.2 ? null : pick(r[3], 2 * shape[dim] + 3) - shape[dim] - 1;
      const stepSize = 1 + pick(r[4], 3);
      return { t: t.slice(dim, start, end, stepSize), ref: refSlice(ref, dim, start, end, stepSize) };
    }
    case "index": {
      const specs = randomSpecs(shape, r);
      return { t: t.index(...specs), ref: refIndex(ref, specs) };
    }
    case "contiguous":
      return { t: t.contiguous(), ref: isContiguousRef(ref) ? ref : copy(ref) };
    case "clone":
      return { t: t.clone(), ref: copy(ref) };
  }
}

/** Holds a tensor against its reference: shape, values, contiguity, and storage layout. */
function expectMatches(t: Tensor, ref: Ref, storageOf: Map<number[], Storage>): void {
  expect([...t.shape]).toEqual(ref.shape);
  expect(Array.from(t.toArray())).toEqual(valuesOf(ref));
  expect(t.isContiguous()).toBe(ref.positions.length === 0 || isContiguousRef(ref));
  // the same storage as every other tensor whose reference shares the values array
  const known = storageOf.get(ref.storage);
  if (known) expect(t.storage).toBe(known);
  else {
    expect([...storageOf.values()]).not.toContain(t.storage);
    storageOf.set(ref.storage, t.storage);
  }
  // element at `index` sits at offset + Σ index·stride
  const strides = t.stride();
  indices(ref.shape).forEach((index, l) => {
    expect(t.storageOffset() + index.reduce((sum, i, d) => sum + i * strides[d], 0)).toBe(ref.positions[l]);
  });
}

/** A number in [0, 1), spread evenly (fc.double leans toward tiny values). */
const unit = fc.integer({ min: 0, max: 9999 }).map((v) => v / 10000);
const randoms = fc.array(unit, { minLength: 6, maxLength: 6 });
const sizes = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 12, arbitrary: fc.integer({ min: 1, max: 4 }) });
const shapes = fc.array(sizes, { minLength: 0, maxLength: 4 });
const steps = fc.array(
  fc.record({ kind: fc.constantFrom(...kinds), r: randoms }),
  { minLength: 1, maxLength: 6 },
);

describe("chains of views against the reference", () => {
  it("give the reference's values, shape, strides and storage sharing; writes flow both ways", () => {
    fc.assert(
      fc.property(shapes, steps, (shape, chain) => {
        const n = count(shape);
        const base = torch.arange(n, { dtype: "float32" }).add(100).view(shape);
        let ref: Ref = { shape, positions: [...Array(n).keys()], storage: Array.from({ length: n }, (_, i) => 100 + i) };
        const storageOf = new Map<number[], Storage>([[ref.storage, base.storage]]);
        let t = base;
        for (const step of chain) {
          const next = apply(step, t, ref);
          if (!next) continue;
          ({ t, ref } = next);
          expectMatches(t, ref, storageOf);
        }
        const baseRef = storageOf.get(ref.storage) === base.storage;
        // writing into the base shows through a view, not through a copy
        const before = valuesOf(ref);
        base.mul_(-1);
        const expected = baseRef ? ref.positions.map((p) => -(100 + p)) : before;
        expect(Array.from(t.toArray())).toEqual(expected);
        // writing through a view (one without repeated elements) lands in the base
        if (baseRef && new Set(ref.positions).size === ref.positions.length && ref.positions.length > 0) {
          t.add_(1000);
          const written = new Set(ref.positions);
          expect(Array.from(base.toArray())).toEqual(Array.from({ length: n }, (_, p) => -(100 + p) + (written.has(p) ? 1000 : 0)));
        }
      }),
      { numRuns: 300 },
    );
  });
});

const copying = new Set<string>(["view", "reshape", "flatten", "contiguous", "clone"]);

/** A strided view of a fresh tensor, made by a chain of steps that never copy. */
function stridedView(shape: number[], chain: Step[]): { t: Tensor; ref: Ref } {
  const n = count(shape);
  let t = torch.arange(n, { dtype: "float32" }).view(shape);
  let ref: Ref = { shape, positions: [...Array(n).keys()], storage: [...Array(n).keys()] };
  for (const step of chain) {
    if (copying.has(step.kind)) continue;
    const next = apply(step, t, ref);
    if (next) ({ t, ref } = next);
  }
  return { t, ref };
}

/** Chains that leave a tensor strided more often than not: no copies, no squeezing back. */
const stridingSteps = fc.array(
  fc.record({ kind: fc.constantFrom("transpose", "permute", "slice", "select", "narrow", "expand", "unsqueeze", "index", "t" as const), r: randoms }),
  { minLength: 1, maxLength: 4 },
);
const fullShapes = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });

describe("view on strided tensors", () => {
  it("works exactly where the positions are affine in the new shape, with those strides", () => {
    fc.assert(
      fc.property(fc.oneof(shapes, fullShapes), fc.oneof(steps, stridingSteps), fc.array(randoms, { minLength: 1, maxLength: 5 }), (shape, chain, targets) => {
        const { t, ref } = stridedView(shape, chain);
        for (const r of targets) {
          const target = newShape(ref.shape, r);
          const resolved = target.map((s) => (s === -1 ? count(ref.shape) : s));
          const strides = affineStrides(resolved, ref.positions);
          if (strides === null) {
            expect(() => t.view(target)).toThrow("view size is not compatible with input tensor's size and stride");
            continue;
          }
          const v = t.view(target);
          expect(v.storage).toBe(t.storage);
          expect([...v.shape]).toEqual(resolved);
          if (ref.positions.length > 0) {
            expect(v.storageOffset()).toBe(ref.positions[0]);
            resolved.forEach((size, d) => size > 1 && expect(v.stride(d)).toBe(strides[d]));
          }
          expect(Array.from(v.toArray())).toEqual(valuesOf(ref));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("reshape copies only when it must", () => {
  it("shares storage exactly when a view exists, and keeps the values either way", () => {
    fc.assert(
      fc.property(shapes, steps, randoms, (shape, chain, r) => {
        const { t, ref } = stridedView(shape, chain);
        const target = newShape(ref.shape, r);
        const resolved = target.map((s) => (s === -1 ? count(ref.shape) : s));
        const out = t.reshape(target);
        expect(Array.from(out.toArray())).toEqual(valuesOf(ref));
        expect(out.storage === t.storage).toBe(affineStrides(resolved, ref.positions) !== null);
      }),
      { numRuns: 300 },
    );
  });
});

describe("contiguous", () => {
  it("returns the tensor itself when it is contiguous, else a contiguous copy", () => {
    const t = torch.arange(6, { dtype: "float32" }).view(2, 3);
    expect(t.contiguous()).toBe(t);
    const transposed = t.t();
    const dense = transposed.contiguous();
    expect(dense).not.toBe(transposed);
    expect(dense.isContiguous()).toBe(true);
    expect(dense.stride()).toEqual([2, 1]);
    expect(dense.tolist()).toEqual([[0, 3], [1, 4], [2, 5]]);
    // a dimension of size 1 may have any stride: this [3, 1] with strides [1, 3] is contiguous
    const column = torch.arange(3, { dtype: "float32" }).view(1, 3).t();
    expect(column.stride()).toEqual([1, 3]);
    expect(column.isContiguous()).toBe(true);
    expect(column.contiguous()).toBe(column);
    // and an empty tensor is contiguous whatever its strides
    expect(torch.zeros(0, 3).t().isContiguous()).toBe(true);
  });
});

// ------------------------------------------------------------------ against real PyTorch

interface ViewCase {
  group: string;
  case: string;
  result?: { shape: number[]; data: number[] };
  strides?: number[];
  type?: string;
  error?: string;
}

/** The strided tensors and target shapes of the recorded cases (tensor-extra.py, `view_case`). */
function grid(...shape: number[]): Tensor {
  return torch.arange(count(shape), { dtype: "float32" }).view(shape);
}
const viewTwins: Record<string, [() => Tensor, number[]]> = {
  "contiguous split": [() => grid(2, 6), [2, 2, 3]],
  "transpose then flatten": [() => grid(2, 3).t(), [6]],
  "transpose then same shape": [() => grid(2, 3).t(), [3, 2]],
  "transpose then split last": [() => grid(2, 3, 4).transpose(0, 1), [3, 2, 2, 2]],
  "transpose then merge a non-contiguous pair": [() => grid(2, 3, 4).transpose(0, 2), [4, 6]],
  "permute then merge a contiguous pair": [() => grid(2, 3, 4).permute(1, 2, 0), [12, 2]],
  "sliced columns then flatten": [() => grid(3, 4).index(":", ":2"), [6]],
  "sliced columns then add a dim": [() => grid(3, 4).index(":", ":2"), [3, 2, 1]],
  "every other row then flatten": [() => grid(3, 4).index("::2"), [8]],
  "every other row then split": [() => grid(3, 4).index("::2"), [2, 2, 2]],
  "expanded then flatten": [() => torch.tensor([1, 2, 3], { dtype: "float32" }).expand(2, 3), [6]],
  "expanded then add a dim": [() => torch.tensor([1, 2, 3], { dtype: "float32" }).expand(2, 3), [2, 3, 1]],
  "expanded scalar then flatten": [() => torch.tensor(1.5).expand(3, 2), [6]],
  "one column then flatten": [() => grid(2, 3).index(":", "1:2"), [2]],
  "0-d to [1, 1]": [() => torch.tensor(5.5), [1, 1]],
  "selected middle then flatten": [() => grid(2, 3, 4).index(":", 1), [8]],
  "selected middle then split": [() => grid(2, 3, 4).index(":", 1), [2, 2, 2]],
  "empty transposed": [() => torch.zeros(0, 3).t(), [3, 0]],
  "unsqueezed transpose then drop the dim": [() => grid(2, 3).t().unsqueeze(1), [3, 2]],
  "size-1 dims around a transpose": [() => grid(1, 2, 1, 3).transpose(1, 3), [3, 2]],
};

const viewCases = fixture<ViewCase>("tensor-extra").filter((c) => c.group === "views");

describe("view on strided tensors, against PyTorch 1.13", () => {
  it("has a twin for every recorded case", () => {
    expect(viewCases.map((c) => c.case).sort()).toEqual(Object.keys(viewTwins).sort());
  });

  it.each(viewCases.map((c) => [c.case, c] as const))("%s", (name, c) => {
    const [make, shape] = viewTwins[name];
    const t = make();
    if (c.error) {
      expect(() => t.view(shape)).toThrow(c.error);
      return;
    }
    const v = t.view(shape);
    expect(v.stride()).toEqual(c.strides);
    expect(v.storage).toBe(t.storage);
    // and the reference agrees with PyTorch on whether the view exists
    const positions = indices([...t.shape]).map((index) => t.storageOffset() + index.reduce((s, i, d) => s + i * t.stride(d), 0));
    expect(affineStrides(shape, positions)).not.toBeNull();
  });

  it("the reference refuses exactly the views PyTorch refused", () => {
    for (const c of viewCases) {
      const [make, shape] = viewTwins[c.case];
      const t = make();
      const positions = indices([...t.shape]).map((index) => t.storageOffset() + index.reduce((s, i, d) => s + i * t.stride(d), 0));
      expect(affineStrides(shape, positions) === null, c.case).toBe(c.error !== undefined);
    }
  });
});
