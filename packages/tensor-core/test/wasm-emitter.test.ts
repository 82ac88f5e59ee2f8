/**
 * The WebAssembly emitter: its numbers against the LEB128 examples of the specification and an
 * independent decoder, a whole module against bytes written out by hand from the binary format,
 * and small functions that WebAssembly itself validates and runs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Code, emitModule, f32, i32, signedLeb, unsignedLeb, v128, type FunctionDef } from "../src/wasm/emitter.ts";
import { gemmModuleBytes } from "../src/wasm/gemm-module.ts";

/** Reads LEB128 back, written from the definition rather than from the emitter. */
function decodeLeb(bytes: number[], signed: boolean): number {
  let result = 0n;
  let shift = 0n;
  for (const byte of bytes) {
    result |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
    if ((byte & 0x80) === 0) {
      if (signed && byte & 0x40) result -= 1n << shift;
      break;
    }
  }
  return Number(result);
}

function instantiate(functions: FunctionDef[], memory?: WebAssembly.Memory): Record<string, (...args: number[]) => number> {
  const bytes = emitModule(functions, memory ? { initialPages: 1, maximumPages: 1, shared: false } : undefined);
  expect(WebAssembly.validate(bytes)).toBe(true);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), memory ? { env: { memory } } : {});
  return instance.exports as Record<string, (...args: number[]) => number>;
}

describe("LEB128", () => {
  it("matches known encodings", () => {
    expect(unsignedLeb(0)).toEqual([0x00]);
    expect(unsignedLeb(127)).toEqual([0x7f]);
    expect(unsignedLeb(128)).toEqual([0x80, 0x01]);
    expect(unsignedLeb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(unsignedLeb(0xffffffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(signedLeb(0)).toEqual([0x00]);
    expect(signedLeb(63)).toEqual([0x3f]);
    expect(signedLeb(64)).toEqual([0xc0, 0x00]);
    expect(signedLeb(-1)).toEqual([0x7f]);
    expect(signedLeb(-64)).toEqual([0x40]);
    expect(signedLeb(-65)).toEqual([0xbf, 0x7f]);
    expect(signedLeb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });

  it("round-trips every 32-bit value, in as few bytes as the value needs", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (v) => {
        const bytes = unsignedLeb(v);
        expect(decodeLeb(bytes, false)).toBe(v);
        expect(bytes.length).toBe(Math.max(1, Math.ceil(Math.log2(v + 1) / 7)));
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (v) => {
        const bytes = signedLeb(v);
        expect(decodeLeb(bytes, true)).toBe(v);
        // the last byte must be needed: without it the value would not round-trip
        if (bytes.length > 1) expect(decodeLeb([...bytes.slice(0, -2), bytes[bytes.length - 2] & 0x7f], true)).not.toBe(v);
      }),
    );
  });
});

describe("modules", () => {
  it("writes a module byte for byte as the binary format lays it out", () => {
    // (module (func (export "f") (result i32) i32.const 42)), assembled by hand from the spec
    const expected = [
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
      0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, // type section: one type, () -> i32
      0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
      0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, // export section: "f", function 0
      0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b, // code: no locals, i32.const 42, end
    ];
    const bytes = emitModule([{ params: [], results: [i32], locals: [], body: new Code().i32Const(42), exportName: "f" }]);
    expect([...bytes]).toEqual(expected);
    expect(instantiate([{ params: [], results: [i32], locals: [], body: new Code().i32Const(42), exportName: "f" }]).f()).toBe(42);
  });

  it("runs arithmetic, branches and loops", () => {
    // sum(n) = 1 + 2 + ... + n, as a loop with a counter and an accumulator
    const sum = new Code()
      .block().loop()
      .localGet(0).i32Eqz().brIf(1)
      .localGet(1).localGet(0).i32Add().localSet(1)
      .localGet(0).i32Const(1).i32Sub().localSet(0)
      .br(0)
      .end().end()
      .localGet(1);
    // pick(c, a, b) = c ? a : b, through if/else and locals
    const pick = new Code().localGet(0).if().localGet(1).localSet(3).else().localGet(2).localSet(3).end().localGet(3);
    const caller = new Code().localGet(0).call(0).i32Const(-7).i32Mul();
    const f = instantiate([
      { params: [i32], results: [i32], locals: [i32], body: sum, exportName: "sum" },
      { params: [i32, i32, i32], results: [i32], locals: [i32], body: pick, exportName: "pick" },
      { params: [i32], results: [i32], locals: [], body: caller, exportName: "caller" },
    ]);
    fc.assert(fc.property(fc.integer({ min: 0, max: 5000 }), (n) => f.sum(n) === (n * (n + 1)) / 2));
    expect(f.pick(1, 10, 20)).toBe(10);
    expect(f.pick(0, 10, 20)).toBe(20);
    expect(f.caller(10)).toBe(-385);
  });

  it("runs SIMD on memory: loads, splats, multiply-adds, stores and lanes", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    // axpy4(x, y, a) stores a·x + y into y, for four floats at byte addresses x and y
    const axpy4 = new Code()
      .localGet(1)
      .localGet(2).f32x4Splat().localGet(0).v128Load().f32x4Mul()
      .localGet(1).v128Load().f32x4Add()
      .v128Store();
    // dot4(x, y) = Σ x[i]·y[i]: lanes of the product added as scalars; y's values are splatted from y[1]
    const dot4 = new Code()
      .localGet(0).v128Load().localGet(1).v128Load32Splat(4).f32x4Mul().localSet(2)
      .localGet(2).f32x4ExtractLane(0).localGet(2).f32x4ExtractLane(1).f32Add()
      .localGet(2).f32x4ExtractLane(2).f32Add().localGet(2).f32x4ExtractLane(3).f32Add();
    const scalar = new Code().localGet(0).localGet(0).f32Load(4).localGet(0).f32Load(8).f32Mul().f32Store(12);
    const f = instantiate(
      [
        { params: [i32, i32, f32], results: [], locals: [], body: axpy4, exportName: "axpy4" },
        { params: [i32, i32], results: [f32], locals: [v128], body: dot4, exportName: "dot4" },
        { params: [i32], results: [], locals: [], body: scalar, exportName: "scalar" },
      ],
      memory,
    );
    const view = new Float32Array(memory.buffer);
    view.set([1, 2, 3, 4], 0);
    view.set([10, 20, 30, 40], 4);
    f.axpy4(0, 16, 0.5);
    expect([...view.subarray(4, 8)]).toEqual([10.5, 21, 31.5, 42]);
    expect(f.dot4(0, 16)).toBe((1 + 2 + 3 + 4) * 21);
    view.set([0, 3, 5, 0], 16);
    f.scalar(64);
    expect(view[19]).toBe(15);
  });

  it("shuffles lanes across two vectors, and masks and shifts integers", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    // interleave(x, y, out): out = [x0, y0, x1, y1], picked byte by byte
    const lanes = [0, 4, 1, 5].flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]);
    const interleave = new Code().localGet(2).localGet(0).v128Load().localGet(1).v128Load().i8x16Shuffle(lanes).v128Store();
    const bits = new Code().localGet(0).i32Const(0xff0).i32And().i32Const(4).i32ShrU();
    const f = instantiate(
      [
        { params: [i32, i32, i32], results: [], locals: [], body: interleave, exportName: "interleave" },
        { params: [i32], results: [i32], locals: [], body: bits, exportName: "bits" },
      ],
      memory,
    );
    const view = new Float32Array(memory.buffer);
    view.set([1, 2, 3, 4, 5, 6, 7, 8]);
    f.interleave(0, 16, 32);
    expect([...view.subarray(8, 12)]).toEqual([1, 5, 2, 6]);
    expect(f.bits(0x12345)).toBe(0x34);
    expect(f.bits(-1)).toBe(0xff);
    expect(() => new Code().i8x16Shuffle([0, 1])).toThrow();
  });

  it("emits a GEMM module that validates, shared or not, in a few kilobytes", () => {
    for (const shared of [true, false]) {
      const bytes = gemmModuleBytes({ initialPages: 1, maximumPages: 16, shared });
      expect(WebAssembly.validate(bytes)).toBe(true);
      // browsers refuse to compile modules over 4 KB synchronously on a page's main thread
      expect(bytes.length).toBeLessThan(6144);
    }
  });
});
