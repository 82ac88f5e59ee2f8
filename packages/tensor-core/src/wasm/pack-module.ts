/**
 * Packing in WebAssembly, for the operands that are plain strided matrices with one unit stride
 * (nearly all of them: a row-major matrix, or its transpose). They are copied into WebAssembly
 * memory as they are (one `Float32Array.set`), then rearranged into panels here with 128-bit
 * loads and stores, several times faster than an element-by-element loop in JavaScript.
 *
 * A panel is `width` lines (4 rows of A, or 16 columns of B) read over kc steps of k, and stored
 * k-major: step kk holds the width values of that step side by side. Two source layouts occur:
 * - copy: the width values of one step are contiguous in the source (B row-major, A stored
 *   transposed), so each step is one or two vector loads and stores;
 * - transpose: each line is contiguous along k (A row-major, B stored transposed), so four steps
 *   of four lines are loaded as four vectors and transposed as a 4x4 block with shuffles.
 *
 * Both functions take byte addresses and byte strides: (src, ld, panelStep, panels, kc, dst,
 * dstPanelStep). The source of panel p starts at src + p·panelStep; `ld` separates steps (copy) or
 * lines (transpose); panel p is written from dst + p·dstPanelStep (the packed layout's panel size,
 * width·kc floats, except where a K block is packed in several pieces).
 */
import { Code, i32, v128, type FunctionDef, type ValType } from "./emitter.ts";

type Locals = Record<string, number>;

function declare(params: string[], extra: [string, ValType][]): { L: Locals; types: ValType[] } {
  const L = Object.fromEntries([...params, ...extra.map(([n]) => n)].map((n, i) => [n, i]));
  return { L, types: extra.map(([, t]) => t) };
}

const PARAMS = ["src", "ld", "panelStep", "panels", "kc", "dst", "dstPanelStep"];

/** for (counter = count; counter > 0; counter--) body, for count >= 0. */
function repeat(c: Code, counter: number, count: () => void, body: () => void): void {
  count();
  c.localSet(counter);
  c.block().loop();
  c.localGet(counter).i32Eqz().brIf(1);
  body();
  c.localGet(counter).i32Const(1).i32Sub().localSet(counter);
  c.br(0).end().end();
}

/** The copy layout: each step's `width` values are contiguous in the source. */
export function packCopy(width: 4 | 16, exportName: string): FunctionDef {
  const { L, types } = declare(PARAMS, [["p", i32], ["k", i32], ["s", i32], ["panelDst", i32]]);
  const c = new Code();
  repeat(c, L.p, () => c.localGet(L.panels), () => {
    c.localGet(L.src).localSet(L.s);
    c.localGet(L.dst).localSet(L.panelDst);
    repeat(c, L.k, () => c.localGet(L.kc), () => {
      for (let v = 0; v < width / 4; v++) c.localGet(L.dst).localGet(L.s).v128Load(16 * v).v128Store(16 * v);
      c.localGet(L.s).localGet(L.ld).i32Add().localSet(L.s);
      c.localGet(L.dst).i32Const(4 * width).i32Add().localSet(L.dst);
    });
    c.localGet(L.src).localGet(L.panelStep).i32Add().localSet(L.src);
    c.localGet(L.panelDst).localGet(L.dstPanelStep).i32Add().localSet(L.dst);
  });
  return { params: Array(PARAMS.length).fill(i32) as ValType[], results: [], locals: types, body: c, exportName };
}

/** Shuffle lanes of two f32x4 vectors: lanes 0-3 pick from the first, 4-7 from the second. */
function shuffle(c: Code, a: number, b: number, lanes: [number, number, number, number]): void {
  c.localGet(a).localGet(b).i8x16Shuffle(lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]));
}

/** The transpose layout: each of the `width` lines is contiguous along k. */
export function packTranspose(width: 4 | 16, exportName: string): FunctionDef {
  const lineOffsets = Array.from({ length: width }, (_, j) => [`line${j}`, i32] as [string, ValType]);
  const { L, types } = declare(PARAMS, [
    ["p", i32], ["k", i32], ["s", i32], ["tail", i32], ["panelDst", i32], ...lineOffsets,
    ["r0", v128], ["r1", v128], ["r2", v128], ["r3", v128], ["t0", v128], ["t1", v128], ["t2", v128], ["t3", v128],
  ]);
  const c = new Code();
  // line j starts j·ld bytes after line 0
  for (let j = 0; j < width; j++) c.localGet(L.ld).i32Const(j).i32Mul().localSet(L[`line${j}`]);

  repeat(c, L.p, () => c.localGet(L.panels), () => {
    c.localGet(L.src).localSet(L.s);
    c.localGet(L.dst).localSet(L.panelDst);
    // four steps at a time: a 4x4 block per group of four lines
    repeat(c, L.k, () => c.localGet(L.kc).i32Const(2).i32ShrU(), () => {
      for (let group = 0; group < width / 4; group++) {
        for (let r = 0; r < 4; r++) c.localGet(L.s).localGet(L[`line${4 * group + r}`]).i32Add().v128Load().localSet(L[`r${r}`]);
        shuffle(c, L.r0, L.r1, [0, 4, 1, 5]); c.localSet(L.t0); // r0[0] r1[0] r0[1] r1[1]
        shuffle(c, L.r0, L.r1, [2, 6, 3, 7]); c.localSet(L.t1); // r0[2] r1[2] r0[3] r1[3]
        shuffle(c, L.r2, L.r3, [0, 4, 1, 5]); c.localSet(L.t2);
        shuffle(c, L.r2, L.r3, [2, 6, 3, 7]); c.localSet(L.t3);
        const steps: [number, number, [number, number, number, number]][] = [
          [L.t0, L.t2, [0, 1, 4, 5]], // step 0: r0[0] r1[0] r2[0] r3[0]
          [L.t0, L.t2, [2, 3, 6, 7]], // step 1
          [L.t1, L.t3, [0, 1, 4, 5]], // step 2
          [L.t1, L.t3, [2, 3, 6, 7]], // step 3
        ];
        steps.forEach(([a, b, lanes], step) => {
          c.localGet(L.dst);
          shuffle(c, a, b, lanes);
          c.v128Store(4 * (step * width + 4 * group));
        });
      }
      c.localGet(L.s).i32Const(16).i32Add().localSet(L.s);
      c.localGet(L.dst).i32Const(16 * width).i32Add().localSet(L.dst);
    });
    // the last kc mod 4 steps, one value at a time
    repeat(c, L.tail, () => c.localGet(L.kc).i32Const(3).i32And(), () => {
      for (let j = 0; j < width; j++) c.localGet(L.dst).localGet(L.s).localGet(L[`line${j}`]).i32Add().f32Load().f32Store(4 * j);
      c.localGet(L.s).i32Const(4).i32Add().localSet(L.s);
      c.localGet(L.dst).i32Const(4 * width).i32Add().localSet(L.dst);
    });
    c.localGet(L.src).localGet(L.panelStep).i32Add().localSet(L.src);
    c.localGet(L.panelDst).localGet(L.dstPanelStep).i32Add().localSet(L.dst);
  });
  return { params: Array(PARAMS.length).fill(i32) as ValType[], results: [], locals: types, body: c, exportName };
}
