/**
 * The IDX format, in which LeCun, Cortes and Burges published MNIST: a 4-byte magic number (two
 * zero bytes, a byte naming the element type, a byte giving the number of dimensions), then each
 * dimension's size as a big-endian 32-bit integer, then the elements in row-major order.
 *
 * MNIST's files hold unsigned bytes (type 0x08): images as [count, 28, 28] pixels from 0 (white)
 * to 255 (black), labels as [count] digits. Only that element type is read here.
 */

/** An array read from an IDX file: its shape and its bytes, row-major. */
export interface IdxArray {
  readonly shape: readonly number[];
  readonly data: Uint8Array;
}

/** The element type byte of unsigned 8-bit data, the only one MNIST uses. */
const UNSIGNED_BYTE = 0x08;

/** Reads an (uncompressed) IDX file; throws on anything that is not a well-formed byte array. */
export function parseIdx(bytes: Uint8Array): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error("not an IDX file: it must start with two zero bytes (is it still gzip-compressed?)");
  }
  const type = bytes[2];
  if (type !== UNSIGNED_BYTE) {
    throw new Error(`IDX element type 0x${type.toString(16).padStart(2, "0")} is not supported: only unsigned bytes (0x08), as in MNIST`);
  }
  const dims = bytes[3];
  const headerBytes = 4 + 4 * dims;
  if (bytes.length < headerBytes) throw new Error(`IDX header cut short: ${dims} dimensions need ${headerBytes} bytes, the file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = Array.from({ length: dims }, (_, d) => view.getUint32(4 + 4 * d, false));
  const count = shape.reduce((n, size) => n * size, 1);
  if (bytes.length !== headerBytes + count) {
    throw new Error(`IDX data of shape [${shape.join(", ")}] needs ${count} bytes after the header, the file has ${bytes.length - headerBytes}`);
  }
  return { shape, data: bytes.subarray(headerBytes) };
}

/** Writes an IDX file of unsigned bytes (for tests and for saving subsets in MNIST's own format). */
export function encodeIdx(shape: readonly number[], data: Uint8Array): Uint8Array {
  const count = shape.reduce((n, size) => n * size, 1);
  if (data.length !== count) throw new Error(`shape [${shape.join(", ")}] holds ${count} bytes, got ${data.length}`);
  const bytes = new Uint8Array(4 + 4 * shape.length + count);
  const view = new DataView(bytes.buffer);
  bytes[2] = UNSIGNED_BYTE;
  bytes[3] = shape.length;
  shape.forEach((size, d) => view.setUint32(4 + 4 * d, size, false));
  bytes.set(data, 4 + 4 * shape.length);
  return bytes;
}
