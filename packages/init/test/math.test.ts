/**
 * The numerical pieces of init: erf/erfinv against PyTorch's float64 erfinv and Python's math.erf
 * identities, and the Householder QR against torch.linalg.qr; plus properties that hold for any
 * input (fast-check).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { assertClose, fixture } from "@torchlet/testing";
import { erf, erfinv, qr } from "../src/index.ts";

interface ErfinvCase {
  kind: "erfinv";
  x: number[];
  erfinv: (number | "inf" | "-inf" | "nan")[];
  exact: (number | "inf" | "-inf" | "nan")[];
}
interface QrCase {
  kind: "qr";
  shape: [number, number];
  a: number[];
  q: number[];
  r: number[];
}
const cases = fixture<{ kind: string }>("init-extra");
const erfinvCase = cases.find((c) => c.kind === "erfinv") as ErfinvCase;
const qrCases = cases.filter((c) => c.kind === "qr") as QrCase[];

const decode = (v: number | string) => (v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "nan" ? NaN : (v as number));

describe("erf and erfinv", () => {
  it("erfinv is exact to 1e-14 at float32 points (mpmath's values), ends and outside included", () => {
    const actual = erfinvCase.x.map(erfinv);
    assertClose(actual, erfinvCase.exact.map(decode), { rtol: 1e-14, atol: 1e-300 });
    expect(erfinvCase.x).toContain(1.5); // NaN outside [-1, 1]
    expect(Object.is(erfinv(-0), -0)).toBe(true);
  });

  it("erfinv agrees with PyTorch's float64 erfinv to that one's own accuracy", () => {
    // near ±1 torch's float64 erfinv is off by up to 2e-11 relative; a float32 ulp is 6e-8
    assertClose(erfinvCase.x.map(erfinv), erfinvCase.erfinv.map(decode), { rtol: 1e-10, atol: 1e-300 });
  });

  it("erf agrees with known values", () => {
    // erf(1), erf(2), erf(0.5) to 16 digits (Abramowitz & Stegun, Table 7.1)
    assertClose([erf(0.5), erf(1), erf(2), erf(-1)], [0.5204998778130465, 0.8427007929497149, 0.9953222650189527, -0.8427007929497149], {
      rtol: 1e-15,
      atol: 0,
    });
    expect(erf(0)).toBe(0);
    expect(erf(7)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
  });

  it("erf(erfinv(y)) = y and erfinv is odd, for any y in (-1, 1)", () => {
    fc.assert(
      fc.property(fc.double({ min: -0.999999, max: 0.999999, noNaN: true }), (y) => {
        expect(erf(erfinv(y))).toBeCloseTo(y, 14);
        expect(erfinv(-y)).toBe(-erfinv(y));
      }),
    );
  });
});

describe("Householder QR", () => {
  for (const c of qrCases) {
    it(`equals torch.linalg.qr with R's diagonal made positive, ${c.shape.join("x")}`, () => {
      const { q, r } = qr(c.a, c.shape[0], c.shape[1]);
      assertClose(q, c.q, { rtol: 1e-10, atol: 1e-12 }, "Q");
      assertClose(r, c.r, { rtol: 1e-10, atol: 1e-12 }, "R");
    });
  }

  it("gives Q with orthonormal columns and upper-triangular R with a non-negative diagonal, Q R = A", () => {
    const matrix = fc
      .tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 5 }))
      .chain(([n, extra]) =>
        fc.tuple(
          fc.constant(n + extra),
          fc.constant(n),
          fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: (n + extra) * n, maxLength: (n + extra) * n }),
        ),
      );
    fc.assert(
      fc.property(matrix, ([m, n, a]) => {
        const { q, r } = qr(a, m, n);
        for (let i = 0; i < n; i++) {
          expect(r[i * n + i]).toBeGreaterThanOrEqual(0);
          for (let j = 0; j < i; j++) expect(r[i * n + j]).toBe(0);
        }
        for (let row = 0; row < m; row++) {
          for (let col = 0; col < n; col++) {
            let product = 0;
            for (let k = 0; k < n; k++) product += q[row * n + k] * r[k * n + col];
            expect(product).toBeCloseTo(a[row * n + col], 9);
          }
        }
        // columns of Q whose diagonal entry of R is non-zero are orthonormal
        const live = [...Array(n).keys()].filter((i) => r[i * n + i] > 1e-9);
        for (const i of live) {
          for (const j of live) {
            let dot = 0;
            for (let row = 0; row < m; row++) dot += q[row * n + i] * q[row * n + j];
            expect(dot).toBeCloseTo(i === j ? 1 : 0, 9);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("refuses a wide matrix", () => {
    expect(() => qr([1, 2], 1, 2)).toThrow("qr expects a tall matrix");
  });
});
