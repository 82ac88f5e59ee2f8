/**
 * Properties of any printed float32 tensor: every number on the page reads back as its element
 * to within the printed precision, and the brackets, commas and `...` follow the shape.
 */
import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import * as torch from "../src/index.ts";

type Scale = "int" | "unit" | "wide" | "any";

/** Elements of one tensor are drawn at one scale, so that int, fixed and scientific modes all occur. */
function elementsAt(scale: Scale): fc.Arbitrary<number> {
  switch (scale) {
    case "int":
      return fc.integer({ min: -5000, max: 5000 });
    case "unit":
      return fc.float({ min: -10, max: 10, noNaN: true });
    case "wide":
      return fc.float({ min: Math.fround(-1e12), max: Math.fround(1e12), noNaN: true });
    case "any":
      return fc.float(); // nan, ±inf, subnormals and -0 included
  }
}

const printable = fc
  .record({
    shape: fc.array(fc.integer({ min: 1, max: 7 }), { maxLength: 3 }),
    summarise: fc.boolean(),
    edgeitems: fc.integer({ min: 1, max: 3 }),
    scale: fc.constantFrom<Scale>("int", "unit", "wide", "any"),
  })
  .chain(({ shape, summarise, edgeitems, scale }) => {
    const count = shape.reduce((a, b) => a * b, 1);
    return fc.record({
      shape: fc.constant(shape),
      edgeitems: fc.constant(edgeitems),
      // a threshold below the element count summarises the tensor
      threshold: fc.constant(summarise ? Math.max(0, count - 1) : 1000),
      values: fc.array(elementsAt(scale), { minLength: count, maxLength: count }),
    });
  });

const rowMajor = (shape: number[]) => shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));

/** What the printout should show: the bracket skeleton (x for a number) and the shown values in order. */
function expectedLayout(values: number[], shape: number[], summarised: boolean, edgeitems: number) {
  const strides = rowMajor(shape);
  const shown: number[] = [];
  const walk = (dim: number, offset: number): string => {
    if (dim === shape.length) {
      shown.push(values[offset]);
      return "x";
    }
    const n = shape[dim];
    const entries: (number | "...")[] =
      summarised && n > 2 * edgeitems
        ? [...Array.from({ length: edgeitems }, (_, i) => i), "...", ...Array.from({ length: edgeitems }, (_, i) => n - edgeitems + i)]
        : Array.from({ length: n }, (_, i) => i);
    return "[" + entries.map((i) => (i === "..." ? "..." : walk(dim + 1, offset + i * strides[dim]))).join(",") + "]";
  };
  return { skeleton: walk(0, 0), shown };
}

const numberToken = /nan|-?inf|-?\d+(?:\.\d*)?(?:e[+-]\d+)?/g;

/** Half a unit in the last printed place: how far a printed number may be from its value. */
function printedTolerance(token: string): number {
  const [mantissa, exponent] = token.split("e");
  const decimals = mantissa.includes(".") ? mantissa.length - mantissa.indexOf(".") - 1 : 0;
  return 0.5 * 10 ** (Number(exponent ?? 0) - decimals);
}

afterEach(() => torch.setPrintOptions({ profile: "default" }));

describe("printing, properties", () => {
  it("prints every shown element within the printed precision, in brackets that follow the shape", () => {
    fc.assert(
      fc.property(printable, ({ shape, edgeitems, threshold, values }) => {
        torch.setPrintOptions({ edgeitems, threshold });
        const t = torch.fromValues(values, shape, "float32");
        const text = String(t);
        expect(text.startsWith("tensor(") && text.endsWith(")")).toBe(true);
        const body = text.slice("tensor(".length, -1);

        const stored = Array.from(new Float32Array(values));
        const { skeleton, shown } = expectedLayout(stored, shape, values.length > threshold, edgeitems);
        expect(body.replace(numberToken, "x").replace(/\s+/g, "")).toBe(skeleton);

        const tokens = body.match(numberToken) ?? [];
        expect(tokens.length).toBe(shown.length);
        tokens.forEach((token, i) => {
          const value = shown[i];
          if (Number.isNaN(value)) return expect(token).toBe("nan");
          if (!Number.isFinite(value)) return expect(token).toBe(value > 0 ? "inf" : "-inf");
          // a number is written with the precision (4) or, in int mode, as a whole number
          expect(token, text).toMatch(/^-?\d+(?:\.|\.\d{4}|\.\d{4}e[+-]\d{2,})$/);
          const tolerance = printedTolerance(token) + Math.abs(value) * 1e-12;
          expect(Math.abs(Number(token) - value), `${token} for ${value}`).toBeLessThanOrEqual(tolerance);
        });
      }),
      { numRuns: 300 },
    );
  });
});
