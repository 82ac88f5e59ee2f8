/**
 * The IDX reader against the format as LeCun's MNIST page defines it: two zero bytes, the type
 * byte (0x08: unsigned byte), the number of dimensions, the sizes as big-endian 32-bit integers,
 * then the data. The headers here are written byte by byte from that definition.
 */
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readDigits } from "../src/mnist/data.ts";
import { encodeIdx, parseIdx } from "../src/mnist/idx.ts";

/** The header of MNIST's training labels file: 60000 = 0x0000EA60 items. */
const labelsHeader = [0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0xea, 0x60];

describe("IDX files", () => {
  it("reads the shape big-endian and the bytes after the header", () => {
    const bytes = new Uint8Array([0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 3, 10, 20, 30, 40, 50, 60]);
    const { shape, data } = parseIdx(bytes);
    expect(shape).toEqual([2, 1, 3]);
    expect([...data]).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it("reads a header like MNIST's own", () => {
    const bytes = new Uint8Array([...labelsHeader, ...new Uint8Array(60000).fill(7)]);
    expect(parseIdx(bytes).shape).toEqual([60000]);
  });

  it("writes what it reads", () => {
    const data = Uint8Array.from({ length: 24 }, (_, i) => i * 10);
    const bytes = encodeIdx([2, 3, 4], data);
    expect([...bytes.subarray(0, 16)]).toEqual([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4]);
    expect(parseIdx(bytes)).toEqual({ shape: [2, 3, 4], data });
  });

  it("refuses what is not a byte array in IDX, saying why", () => {
    expect(() => parseIdx(new Uint8Array([0x1f, 0x8b, 8, 0]))).toThrow("not an IDX file: it must start with two zero bytes (is it still gzip-compressed?)");
    expect(() => parseIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]))).toThrow("IDX element type 0x0d is not supported");
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 2, 0, 0, 0, 1]))).toThrow("IDX header cut short: 2 dimensions need 12 bytes, the file has 8");
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 1, 2]))).toThrow("IDX data of shape [3] needs 3 bytes after the header, the file has 2");
    expect(() => encodeIdx([2, 2], new Uint8Array(3))).toThrow("shape [2, 2] holds 4 bytes, got 3");
  });
});

describe("a split of MNIST from its two files", () => {
  const pixels = Uint8Array.from({ length: 2 * 28 * 28 }, (_, i) => i % 256);
  const images = encodeIdx([2, 28, 28], pixels);
  const labels = encodeIdx([2], new Uint8Array([5, 0]));

  it("reads them gzip-compressed, as published, or not", () => {
    for (const digits of [readDigits(images, labels), readDigits(gzipSync(images), gzipSync(labels))]) {
      expect(digits).toMatchObject({ count: 2, height: 28, width: 28 });
      expect([...digits.labels]).toEqual([5, 0]);
      expect(digits.pixels).toEqual(pixels);
    }
  });

  it("checks that the images and labels belong together", () => {
    expect(() => readDigits(images, encodeIdx([3], new Uint8Array(3)))).toThrow("2 images but 3 labels");
    expect(() => readDigits(labels, labels)).toThrow("MNIST images have 3 dimensions [count, height, width], got [2]");
    expect(() => readDigits(images, images)).toThrow("MNIST labels have 1 dimension [count], got [2, 28, 28]");
  });
});
