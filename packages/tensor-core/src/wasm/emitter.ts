/**
 * A WebAssembly emitter: the few bytes of the binary format that torchlet's kernels need, written
 * from TypeScript at run time, so the library ships fast CPU kernels without any native toolchain.
 *
 * A module is a header followed by sections (types, imports, functions, exports, code), each a
 * length-prefixed list. Numbers are LEB128: seven bits per byte, low bits first, the top bit saying
 * "more follows". Function bodies are a stack machine: `Code` below has one method per opcode, so an
 * emitted kernel reads as a listing, `code.localGet(a).localGet(b).i32Add()`.
 *
 * The SIMD opcodes (128-bit vectors, four f32 lanes) sit behind the prefix byte 0xFD followed by
 * their number as LEB128. The specification's opcode table is the reference:
 * https://webassembly.github.io/spec/core/binary/instructions.html
 */

/** The value type of 32-bit integers (and addresses), by its byte in the binary format. */
export const i32 = 0x7f;
/** The value type of 32-bit floats. */
export const f32 = 0x7d;
/** The value type of 128-bit SIMD vectors (here: four f32 lanes). */
export const v128 = 0x7b;
/** A value type a parameter, result or local may have. */
export type ValType = typeof i32 | typeof f32 | typeof v128;

/** An unsigned integer as LEB128 bytes. */
export function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  let v = value >>> 0;
  do {
    const low = v & 0x7f;
    v >>>= 7;
    bytes.push(v === 0 ? low : low | 0x80);
  } while (v !== 0);
  return bytes;
}

/** A signed 32-bit integer as LEB128 bytes: stop once the rest is only copies of the sign bit. */
export function signedLeb(value: number): number[] {
  const bytes: number[] = [];
  let v = value | 0;
  for (;;) {
    const low = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (low & 0x40) === 0) || (v === -1 && (low & 0x40) !== 0);
    bytes.push(done ? low : low | 0x80);
    if (done) return bytes;
  }
}

/** A name or any byte string, prefixed by its length. */
function byteString(bytes: readonly number[]): number[] {
  return [...unsignedLeb(bytes.length), ...bytes];
}

function utf8(text: string): number[] {
  return [...new TextEncoder().encode(text)];
}

/** A vector of already-encoded items: count, then the items. */
function vector(items: readonly (readonly number[])[]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

/**
 * A function body under construction: one method per instruction, each returning `this`. Memory
 * instructions take the byte offset added to the address on the stack; alignment hints are the
 * natural ones (they only promise, and a wrong promise is still correct, just maybe slower).
 */
export class Code {
  readonly bytes: number[] = [];

  private op(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }
  private simd(opcode: number, ...immediates: number[]): this {
    return this.op(0xfd, ...unsignedLeb(opcode), ...immediates);
  }
  private memarg(alignLog2: number, offset: number): number[] {
    return [...unsignedLeb(alignLog2), ...unsignedLeb(offset)];
  }

  // control: blocks carry the empty block type 0x40 (they leave nothing on the stack)
  block(): this { return this.op(0x02, 0x40); }
  loop(): this { return this.op(0x03, 0x40); }
  if(): this { return this.op(0x04, 0x40); }
  else(): this { return this.op(0x05); }
  end(): this { return this.op(0x0b); }
  /** Branch to the `depth`-th enclosing block (0 = innermost); a loop's label is its start. */
  br(depth: number): this { return this.op(0x0c, ...unsignedLeb(depth)); }
  brIf(depth: number): this { return this.op(0x0d, ...unsignedLeb(depth)); }
  return(): this { return this.op(0x0f); }
  /** Calls function number `index` of the module. */
  call(index: number): this { return this.op(0x10, ...unsignedLeb(index)); }

  // locals (parameters come first, then declared locals)
  localGet(index: number): this { return this.op(0x20, ...unsignedLeb(index)); }
  localSet(index: number): this { return this.op(0x21, ...unsignedLeb(index)); }
  localTee(index: number): this { return this.op(0x22, ...unsignedLeb(index)); }

  // memory
  i32Load(offset = 0): this { return this.op(0x28, ...this.memarg(2, offset)); }
  f32Load(offset = 0): this { return this.op(0x2a, ...this.memarg(2, offset)); }
  f32Store(offset = 0): this { return this.op(0x38, ...this.memarg(2, offset)); }

  // i32 arithmetic and comparisons
  i32Const(value: number): this { return this.op(0x41, ...signedLeb(value)); }
  i32Eqz(): this { return this.op(0x45); }
  i32Eq(): this { return this.op(0x46); }
  i32Ne(): this { return this.op(0x47); }
  i32LtS(): this { return this.op(0x48); }
  i32GtS(): this { return this.op(0x4a); }
  i32LeS(): this { return this.op(0x4c); }
  i32GeS(): this { return this.op(0x4e); }
  i32Add(): this { return this.op(0x6a); }
  i32Sub(): this { return this.op(0x6b); }
  i32Mul(): this { return this.op(0x6c); }
  i32And(): this { return this.op(0x71); }
  i32Shl(): this { return this.op(0x74); }
  i32ShrU(): this { return this.op(0x76); }

  // f32 scalars
  f32Add(): this { return this.op(0x92); }
  f32Mul(): this { return this.op(0x94); }

  // 128-bit SIMD: vectors of four f32 lanes
  v128Load(offset = 0): this { return this.simd(0x00, ...this.memarg(4, offset)); }
  /** Loads one f32 and repeats it in all four lanes. */
  v128Load32Splat(offset = 0): this { return this.simd(0x09, ...this.memarg(2, offset)); }
  v128Store(offset = 0): this { return this.simd(0x0b, ...this.memarg(4, offset)); }
  /** Bytes of two vectors picked by 16 lane indices (0-15 the first vector, 16-31 the second). */
  i8x16Shuffle(lanes: readonly number[]): this {
    if (lanes.length !== 16) throw new Error("i8x16.shuffle takes 16 lane indices");
    return this.simd(0x0d, ...lanes);
  }
  /** A vector of four f32 lanes from the f32 on the stack. */
  f32x4Splat(): this { return this.simd(0x13); }
  f32x4ExtractLane(lane: number): this { return this.simd(0x1f, lane); }
  f32x4Add(): this { return this.simd(0xe4); }
  f32x4Mul(): this { return this.simd(0xe6); }
}

/** A function to emit: its signature, extra locals, body and (optionally) its export name. */
export interface FunctionDef {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  readonly locals: readonly ValType[];
  readonly body: Code;
  readonly exportName?: string;
}

/** The linear memory a module imports as `env.memory`, in 64 KiB pages. */
export interface MemoryImport {
  readonly initialPages: number;
  readonly maximumPages: number;
  /** Shared memory can be used by several threads at once; it must declare its maximum. */
  readonly shared: boolean;
}

const SECTION = { type: 1, import: 2, function: 3, export: 7, code: 10 } as const;
const FUNC_TYPE = 0x60;
const EXTERNAL_FUNCTION = 0x00;
const EXTERNAL_MEMORY = 0x02;

function section(id: number, content: readonly number[]): number[] {
  return [id, ...byteString(content)];
}

/** Locals are declared as runs of one type: (count, type) pairs. */
function localRuns(locals: readonly ValType[]): number[][] {
  const runs: number[][] = [];
  let i = 0;
  while (i < locals.length) {
    let j = i;
    while (j < locals.length && locals[j] === locals[i]) j++;
    runs.push([...unsignedLeb(j - i), locals[i]]);
    i = j;
  }
  return runs;
}

/**
 * The bytes of a module with the given functions (each with its own type entry, for simplicity)
 * and, when asked, an imported memory. Function i has index i.
 */
export function emitModule(functions: readonly FunctionDef[], memory?: MemoryImport): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [FUNC_TYPE, ...vector(f.params.map((p) => [p])), ...vector(f.results.map((r) => [r]))]);
  const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]; // "\0asm", version 1
  bytes.push(...section(SECTION.type, vector(types)));
  if (memory) {
    const limits = memory.shared
      ? [0x03, ...unsignedLeb(memory.initialPages), ...unsignedLeb(memory.maximumPages)]
      : [0x01, ...unsignedLeb(memory.initialPages), ...unsignedLeb(memory.maximumPages)];
    const entry = [...byteString(utf8("env")), ...byteString(utf8("memory")), EXTERNAL_MEMORY, ...limits];
    bytes.push(...section(SECTION.import, vector([entry])));
  }
  bytes.push(...section(SECTION.function, vector(functions.map((_, i) => unsignedLeb(i)))));
  const exports = functions.flatMap((f, i) =>
    f.exportName === undefined ? [] : [[...byteString(utf8(f.exportName)), EXTERNAL_FUNCTION, ...unsignedLeb(i)]],
  );
  bytes.push(...section(SECTION.export, vector(exports)));
  const bodies = functions.map((f) => byteString([...vector(localRuns(f.locals)), ...f.body.bytes, 0x0b]));
  bytes.push(...section(SECTION.code, vector(bodies)));
  return new Uint8Array(bytes);
}
