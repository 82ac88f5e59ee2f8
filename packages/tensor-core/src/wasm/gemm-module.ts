/**
 * The WebAssembly module behind the fast CPU matrix product: a 2x16 SIMD micro-kernel and the
 * blocked loops around it, after GotoBLAS (Goto & van de Geijn, "Anatomy of high-performance
 * matrix multiplication", 2008).
 *
 * Both operands arrive packed (see `pack.ts`): A in panels of 4 rows, B in panels of 16 columns,
 * each panel stored k-major, so the micro-kernel reads both with unit stride. Per step of k it
 * loads 16 values of B as four vectors, broadcasts each of 2 values of A to a vector, and
 * multiply-adds: a 2x16 tile of C lives in eight vector locals for the whole loop over k. An A
 * panel is covered by two calls, one for its first two rows and one for its last two.
 *
 * Why 2x16: V8 keeps about 15 SIMD values in registers, so the tile has eight accumulators at
 * most, and then its shape decides how much work each step of k does besides multiplying. A
 * broadcast (`v128.load32_splat`) costs more than a plain vector load, and a 2x16 tile needs two
 * per step where a 4x8 tile needs four: measured here, 2x16 runs about 20 % faster than 4x8, and
 * every wider tile (5x8, 6x8, 4x12, 3x16) or unrolled k loop spills and runs at half speed.
 *
 * The depth K is cut in blocks of KC so that one B panel (KC x 16) stays in L1 while A panels
 * stream past it, and the rows in blocks of MC so that an A block (MC x KC) stays in L2. The first
 * K block writes C, the later ones add to it. Packing pads M to a multiple of 4 and N to one of 16
 * with zeros, so the kernel never meets a partial tile: edges are the packing's business.
 */
import { Code, emitModule, i32, v128, type FunctionDef, type MemoryImport, type ValType } from "./emitter.ts";
import { convDirect, type ConvDirectExports } from "./conv-module.ts";
import { packCopy, packTranspose } from "./pack-module.ts";

/** Depth of one K block. */
export const KC = 256;
/** Rows of one A block, a multiple of the 4-row panel. */
export const MC = 128;
/** Packed panels: rows of A per panel, columns of B per panel. */
export const MR = 4;
export const NR = 16;
/** Rows of C per micro-tile: half an A panel. */
const TILE_ROWS = 2;
/** Vectors of four lanes per row of the micro-tile: the panel of B. */
const TILE_VECTORS = NR / 4;

/** The exports of the instantiated module (the direct convolutions of `conv-module.ts` too). */
export interface GemmExports extends ConvDirectExports {
  /**
   * Adds the products of panels rows [p0, p1) of packed A and columns [q0, q1) of packed B into
   * the padded C (row length `np`), over the whole depth `k`. Addresses are in bytes.
   */
  gemm(ap: number, bp: number, cp: number, mp: number, np: number, k: number, p0: number, p1: number, q0: number, q1: number): void;
  /** Adds bias[i] (floats at byte address `bias`) to row i of the padded C, for rows [0, m). */
  addRowBias(c: number, np: number, m: number, bias: number): void;
  /** Packers for strided operands already in memory (see `pack-module.ts`): A panels (4 wide), B panels (16 wide). */
  packCopy4(src: number, ld: number, panelStep: number, panels: number, kc: number, dst: number, dstPanelStep: number): void;
  packCopy16(src: number, ld: number, panelStep: number, panels: number, kc: number, dst: number, dstPanelStep: number): void;
  packTranspose4(src: number, ld: number, panelStep: number, panels: number, kc: number, dst: number, dstPanelStep: number): void;
  packTranspose16(src: number, ld: number, panelStep: number, panels: number, kc: number, dst: number, dstPanelStep: number): void;
}

/** Local variable names of one function, mapped to indices in declaration order. */
function locals<const N extends string>(params: readonly N[], extra: readonly [N, ValType][]) {
  const index = Object.fromEntries([...params, ...extra.map(([name]) => name)].map((name, i) => [name, i])) as Record<N, number>;
  return { index, types: extra.map(([, type]) => type) };
}

/**
 * micro(a, b, c, ldc, kc, accumulate): C tile (2x16 at byte address c, rows ldc bytes apart)
 * = (accumulate ? C tile : 0) + two rows of an A panel (from byte address a, kc steps MR floats
 * apart) · B panel (kc x 16).
 */
function microKernel(): FunctionDef {
  const acc = Array.from({ length: TILE_ROWS }, (_, r) => Array.from({ length: TILE_VECTORS }, (_, v) => `c${r}${v}`));
  const bs = Array.from({ length: TILE_VECTORS }, (_, v) => `b${v}`);
  const { index: L, types } = locals(
    ["a", "b", "c", "ldc", "kc", "accumulate"],
    [...[...acc.flat(), ...bs, "splat"].map((name) => [name, v128] as [string, ValType]), ["row", i32]],
  );
  const code = new Code();
  const eachRow = (visit: (row: string[]) => void) => {
    code.localGet(L.c).localSet(L.row);
    for (const row of acc) {
      visit(row);
      code.localGet(L.row).localGet(L.ldc).i32Add().localSet(L.row);
    }
  };

  // Locals start at zero, so only an accumulating call loads the current tile.
  code.localGet(L.accumulate).if();
  eachRow((row) => row.forEach((name, v) => code.localGet(L.row).v128Load(16 * v).localSet(L[name])));
  code.end();

  // The loop over k: kc >= 1 always, so test at the bottom.
  code.loop();
  bs.forEach((name, v) => code.localGet(L.b).v128Load(16 * v).localSet(L[name]));
  acc.forEach((row, r) => {
    code.localGet(L[row[0]]).localGet(L.a).v128Load32Splat(4 * r).localTee(L.splat).localGet(L[bs[0]]).f32x4Mul().f32x4Add().localSet(L[row[0]]);
    for (let v = 1; v < TILE_VECTORS; v++) {
      code.localGet(L[row[v]]).localGet(L.splat).localGet(L[bs[v]]).f32x4Mul().f32x4Add().localSet(L[row[v]]);
    }
  });
  code.localGet(L.a).i32Const(4 * MR).i32Add().localSet(L.a);
  code.localGet(L.b).i32Const(4 * NR).i32Add().localSet(L.b);
  code.localGet(L.kc).i32Const(1).i32Sub().localTee(L.kc).brIf(0);
  code.end();

  eachRow((row) => row.forEach((name, v) => code.localGet(L.row).localGet(L[name]).v128Store(16 * v)));
  return { params: [i32, i32, i32, i32, i32, i32], results: [], locals: types, body: code };
}

/** Emits `for (v = start; v < limit; v += step) body()`: block { loop { exit test; body; step; continue } }. */
function forLoop(code: Code, v: number, start: () => void, limit: () => void, step: () => void, body: () => void): void {
  start();
  code.localSet(v);
  code.block().loop();
  code.localGet(v);
  limit();
  code.i32GeS().brIf(1);
  body();
  code.localGet(v);
  step();
  code.i32Add().localSet(v);
  code.br(0).end().end();
}

/** The blocked driver (see `GemmExports.gemm`); function 0 is the micro-kernel it calls. */
function driver(): FunctionDef {
  const { index: L, types } = locals(
    ["ap", "bp", "cp", "mp", "np", "k", "p0", "p1", "q0", "q1"],
    [["k0", i32], ["kc", i32], ["aBlock", i32], ["bBlock", i32], ["i0", i32], ["i1", i32], ["j", i32], ["i", i32], ["bPanel", i32]],
  );
  const c = new Code();
  const get = (name: keyof typeof L) => () => void c.localGet(L[name]);
  const constant = (value: number) => () => void c.i32Const(value);

  forLoop(c, L.k0, constant(0), get("k"), constant(KC), () => {
    // kc = min(KC, k - k0)
    c.localGet(L.k).localGet(L.k0).i32Sub().localTee(L.kc).i32Const(KC).i32GtS().if().i32Const(KC).localSet(L.kc).end();
    // The K block starting at k0 begins after k0 full columns of every panel: byte k0 * mp * 4.
    c.localGet(L.ap).localGet(L.k0).localGet(L.mp).i32Mul().i32Const(2).i32Shl().i32Add().localSet(L.aBlock);
    c.localGet(L.bp).localGet(L.k0).localGet(L.np).i32Mul().i32Const(2).i32Shl().i32Add().localSet(L.bBlock);

    forLoop(c, L.i0, get("p0"), get("p1"), constant(MC / MR), () => {
      // i1 = min(i0 + MC/MR, p1)
      c.localGet(L.i0).i32Const(MC / MR).i32Add().localTee(L.i1).localGet(L.p1).i32GtS().if().localGet(L.p1).localSet(L.i1).end();

      forLoop(c, L.j, get("q0"), get("q1"), constant(1), () => {
        // bPanel = bBlock + j * NR * kc * 4
        c.localGet(L.bBlock).localGet(L.j).localGet(L.kc).i32Mul().i32Const(Math.log2(NR * 4)).i32Shl().i32Add().localSet(L.bPanel);

        // i counts half panels: tiles of TILE_ROWS rows, two per A panel
        forLoop(c, L.i, () => c.localGet(L.i0).i32Const(1).i32Shl(), () => c.localGet(L.i1).i32Const(1).i32Shl(), constant(1), () => {
          // micro(aBlock + (i>>1)*MR*kc*4 + (i&1)*TILE_ROWS*4, bPanel, cp + (i*TILE_ROWS*np + j*NR)*4, np*4, kc, k0 > 0)
          c.localGet(L.aBlock).localGet(L.i).i32Const(1).i32ShrU().localGet(L.kc).i32Mul().i32Const(Math.log2(MR * 4)).i32Shl().i32Add();
          c.localGet(L.i).i32Const(1).i32And().i32Const(Math.log2(TILE_ROWS * 4)).i32Shl().i32Add();
          c.localGet(L.bPanel);
          c.localGet(L.i).i32Const(TILE_ROWS).i32Mul().localGet(L.np).i32Mul().localGet(L.j).i32Const(NR).i32Mul().i32Add();
          c.i32Const(2).i32Shl().localGet(L.cp).i32Add();
          c.localGet(L.np).i32Const(2).i32Shl();
          c.localGet(L.kc);
          c.localGet(L.k0).i32Const(0).i32GtS();
          c.call(0);
        });
      });
    });
  });
  return { params: Array(10).fill(i32) as ValType[], results: [], locals: types, body: c, exportName: "gemm" };
}

/** addRowBias(c, np, m, bias): adds bias[i] to every element of row i of the padded C (m rows of np floats). */
function addRowBias(): FunctionDef {
  const { index: L, types } = locals(["c", "np", "m", "bias"], [["value", v128], ["j", i32]]);
  const c = new Code();
  c.block().loop();
  c.localGet(L.m).i32Eqz().brIf(1);
  c.localGet(L.bias).v128Load32Splat().localSet(L.value);
  c.localGet(L.np).i32Const(2).i32ShrU().localSet(L.j); // np is a multiple of 8: whole vectors
  c.block().loop();
  c.localGet(L.j).i32Eqz().brIf(1);
  c.localGet(L.c).localGet(L.c).v128Load().localGet(L.value).f32x4Add().v128Store();
  c.localGet(L.c).i32Const(16).i32Add().localSet(L.c);
  c.localGet(L.j).i32Const(1).i32Sub().localSet(L.j);
  c.br(0).end().end();
  c.localGet(L.bias).i32Const(4).i32Add().localSet(L.bias);
  c.localGet(L.m).i32Const(1).i32Sub().localSet(L.m);
  c.br(0).end().end();
  return { params: [i32, i32, i32, i32], results: [], locals: types, body: c, exportName: "addRowBias" };
}

/** The module's bytes, importing `env.memory` with the given limits. */
export function gemmModuleBytes(memory: MemoryImport): Uint8Array<ArrayBuffer> {
  return emitModule(
    [
      microKernel(),
      driver(),
      addRowBias(),
      packCopy(MR, "packCopy4"),
      packCopy(NR, "packCopy16"),
      packTranspose(MR, "packTranspose4"),
      packTranspose(NR, "packTranspose16"),
      convDirect(4, 8, "convDirect4"),
      convDirect(1, 16, "convDirect1"),
    ],
    memory,
  );
}
