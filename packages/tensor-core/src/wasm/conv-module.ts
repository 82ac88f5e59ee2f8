/**
 * Direct convolution in WebAssembly SIMD: each output pixel is computed where it lies in the NCHW
 * output, with no patch matrix and no product to unpack. It is the kernel for the convolutions
 * whose depth C·kH·kW is small (MNIST's first layer has 9 taps), where im2col's GEMM would spend
 * its time gathering patches and copying its output out rather than multiplying.
 *
 * The input is staged in WebAssembly memory, already padded, so every read is in bounds. An
 * output row is cut into runs of `width` pixels (vectors of four lanes side by side); for a run
 * and a block of `cb` output channels, the kernel keeps cb × width/4 accumulator vectors and walks
 * the taps (c, ky, kx): it loads the input under the run for that tap — width consecutive floats,
 * since the horizontal stride is 1 — broadcasts each channel's weight and multiply-adds. Per tap
 * that is width/4 loads and cb broadcasts for cb·width/4 vector multiply-adds, the same economy
 * as the GEMM's micro-tile.
 *
 * Row ends need no masks: runs of `width` go as far as they fit, then runs of 4, and a last run
 * of 4 is moved back to end exactly at the row's end, recomputing a few pixels already written
 * with the same values. So a row must be at least 4 pixels wide.
 *
 * Taps reach the input through a table of byte offsets (channel, row and column of the tap within
 * the padded image, dilation included), so one kernel serves every kernel size.
 */
import { Code, i32, v128, type FunctionDef, type ValType } from "./emitter.ts";

/** The exports of the direct convolution (all addresses and strides in bytes). */
export interface ConvDirectExports {
  /**
   * For images [n0, n1) and channel blocks [0, blocks) of `cb` channels:
   * out[n, b·cb + ch, y, x] = bias[b·cb + ch] + Σ_t w[b][t][ch] · in[n + tapTable[t] + y·rowStep + 4x].
   *
   * - x, xImage, rowStep: the staged, padded input; bytes between images; bytes between the input
   *   rows of consecutive output rows (stride · padded width · 4).
   * - tapTable, taps: `taps` i32 byte offsets, one per tap.
   * - w: packed weights, block b at w + b·taps·cb·4, laid out [tap][ch].
   * - bias: cb floats per block, block b at bias + b·cb·4 (zeros for no bias).
   * - out, outImage, plane: the output of channel 0 in image 0; bytes between images; oh·ow floats
   *   between channels.
   */
  convDirect4(
    x: number, xImage: number, rowStep: number, tapTable: number, taps: number, w: number, bias: number, blocks: number,
    out: number, outImage: number, plane: number, oh: number, ow: number, n0: number, n1: number,
  ): void;
  /** The same with blocks of one channel (for layers with few output channels, or their remainder). */
  convDirect1(
    x: number, xImage: number, rowStep: number, tapTable: number, taps: number, w: number, bias: number, blocks: number,
    out: number, outImage: number, plane: number, oh: number, ow: number, n0: number, n1: number,
  ): void;
}

const PARAMS = ["x", "xImage", "rowStep", "tapTable", "taps", "w", "bias", "blocks", "out", "outImage", "plane", "oh", "ow", "n0", "n1"] as const;

/** `while (true) { if (cond()) break; body() }` — the caller's body ends by stepping the counter. */
function whileNot(c: Code, exit: () => void, body: () => void): void {
  c.block().loop();
  exit();
  c.brIf(1);
  body();
  c.br(0).end().end();
}

/**
 * The kernel for blocks of `cb` channels, runs of `width` pixels (a multiple of 4) and then of 4.
 * Runs of `width` hold cb · width/4 accumulators; with two or four input vectors and one broadcast
 * that stays within the ~15 vector registers V8 keeps without spilling.
 */
export function convDirect(cb: 1 | 4, width: 8 | 16, exportName: string): FunctionDef {
  const maxVectors = width / 4;
  const extra: [string, ValType][] = [
    ["n", i32], ["b", i32], ["y", i32], ["px", i32], ["xImg", i32], ["oImg", i32], ["wb", i32], ["bb", i32], ["ob", i32],
    ["inRow", i32], ["outRow", i32], ["p", i32], ["wp", i32], ["t", i32], ["k", i32], ["a", i32], ["o", i32],
    ["planeBytes", i32], ["blockBytes", i32], ["outRowBytes", i32],
    ...Array.from({ length: maxVectors }, (_, v) => [`in${v}`, v128] as [string, ValType]),
    ...Array.from({ length: cb * maxVectors }, (_, i) => [`acc${i}`, v128] as [string, ValType]),
    ["s", v128],
  ];
  const names = [...PARAMS, ...extra.map(([name]) => name)];
  const L = Object.fromEntries(names.map((name, i) => [name, i])) as Record<string, number>;
  const c = new Code();
  const get = (name: string) => c.localGet(L[name]);

  /** One run of `runWidth` pixels starting at pixel `px` of the current row, for the current block. */
  const run = (runWidth: number) => {
    const vectors = runWidth / 4;
    const acc = (ch: number, v: number) => L[`acc${ch * maxVectors + v}`];
    for (let ch = 0; ch < cb; ch++) {
      for (let v = 0; v < vectors; v++) get("bb").v128Load32Splat(4 * ch).localSet(acc(ch, v));
    }
    get("inRow").localGet(L.px).i32Const(2).i32Shl().i32Add().localSet(L.p);
    get("wb").localSet(L.wp);
    get("tapTable").localSet(L.t);
    get("taps").localSet(L.k);
    c.loop(); // taps >= 1: test at the bottom
    get("p").localGet(L.t).i32Load().i32Add().localSet(L.a);
    for (let v = 0; v < vectors; v++) get("a").v128Load(16 * v).localSet(L[`in${v}`]);
    for (let ch = 0; ch < cb; ch++) {
      get("wp").v128Load32Splat(4 * ch).localSet(L.s);
      for (let v = 0; v < vectors; v++) {
        c.localGet(acc(ch, v)).localGet(L.s).localGet(L[`in${v}`]).f32x4Mul().f32x4Add().localSet(acc(ch, v));
      }
    }
    get("wp").i32Const(4 * cb).i32Add().localSet(L.wp);
    get("t").i32Const(4).i32Add().localSet(L.t);
    get("k").i32Const(1).i32Sub().localTee(L.k).brIf(0);
    c.end();
    get("outRow").localGet(L.px).i32Const(2).i32Shl().i32Add().localSet(L.o);
    for (let ch = 0; ch < cb; ch++) {
      for (let v = 0; v < vectors; v++) get("o").localGet(acc(ch, v)).v128Store(16 * v);
      if (ch < cb - 1) get("o").localGet(L.planeBytes).i32Add().localSet(L.o);
    }
  };

  get("plane").i32Const(2).i32Shl().localSet(L.planeBytes);
  get("planeBytes").i32Const(cb).i32Mul().localSet(L.blockBytes);
  get("ow").i32Const(2).i32Shl().localSet(L.outRowBytes);

  get("n0").localSet(L.n);
  whileNot(c, () => get("n").localGet(L.n1).i32GeS(), () => {
    get("x").localGet(L.n).localGet(L.xImage).i32Mul().i32Add().localSet(L.xImg);
    get("out").localGet(L.n).localGet(L.outImage).i32Mul().i32Add().localSet(L.oImg);
    c.i32Const(0).localSet(L.b);
    whileNot(c, () => get("b").localGet(L.blocks).i32GeS(), () => {
      // this block's weights, biases and first output plane
      get("w").localGet(L.b).localGet(L.taps).i32Mul().i32Const(4 * cb).i32Mul().i32Add().localSet(L.wb);
      get("bias").localGet(L.b).i32Const(4 * cb).i32Mul().i32Add().localSet(L.bb);
      get("oImg").localGet(L.b).localGet(L.blockBytes).i32Mul().i32Add().localSet(L.ob);
      get("xImg").localSet(L.inRow);
      get("ob").localSet(L.outRow);
      c.i32Const(0).localSet(L.y);
      whileNot(c, () => get("y").localGet(L.oh).i32GeS(), () => {
        c.i32Const(0).localSet(L.px);
        // runs of `width` while they fit
        whileNot(c, () => get("px").i32Const(width).i32Add().localGet(L.ow).i32GtS(), () => {
          run(width);
          get("px").i32Const(width).i32Add().localSet(L.px);
        });
        // then runs of 4, the last one moved back to end at the row's end
        whileNot(c, () => get("px").localGet(L.ow).i32GeS(), () => {
          get("px").i32Const(4).i32Add().localGet(L.ow).i32GtS().if();
          get("ow").i32Const(4).i32Sub().localSet(L.px);
          c.end();
          run(4);
          get("px").i32Const(4).i32Add().localSet(L.px);
        });
        get("inRow").localGet(L.rowStep).i32Add().localSet(L.inRow);
        get("outRow").localGet(L.outRowBytes).i32Add().localSet(L.outRow);
        get("y").i32Const(1).i32Add().localSet(L.y);
      });
      get("b").i32Const(1).i32Add().localSet(L.b);
    });
    get("n").i32Const(1).i32Add().localSet(L.n);
  });

  return { params: PARAMS.map(() => i32), results: [], locals: extra.map(([, type]) => type), body: c, exportName };
}
