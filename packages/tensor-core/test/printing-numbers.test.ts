/**
 * Python's float formatting (`'{:.Nf}'`, `'{:.Ne}'`, `repr`), held against what Python wrote for
 * the same values (python-float-format.json) and against properties any correct rounding has.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { fixture } from "@torchlet/testing";
import { formatFloatFixed, formatFloatScientific, pythonFloatRepr } from "../src/index.ts";

interface FloatCase {
  value: number | "nan" | "inf" | "-inf" | "-0.0";
  fixed: Record<string, string>;
  scientific: Record<string, string>;
  repr: string;
}

function valueOf(c: FloatCase): number {
  const special: Record<string, number> = { nan: NaN, inf: Infinity, "-inf": -Infinity, "-0.0": -0 };
  return typeof c.value === "string" ? special[c.value] : c.value;
}

describe("Python's float formatting, against python-float-format.json", () => {
  const cases = fixture<FloatCase>("python-float-format");

  it("covers ties, specials and every magnitude", () => {
    expect(cases.length).toBeGreaterThan(300);
  });

  it("writes '{:.Nf}' as Python does", () => {
    for (const c of cases) {
      for (const [digits, expected] of Object.entries(c.fixed)) {
        expect(formatFloatFixed(valueOf(c), Number(digits)), `${c.value} to ${digits} places`).toBe(expected);
      }
    }
  });

  it("writes '{:.Ne}' as Python does", () => {
    for (const c of cases) {
      for (const [digits, expected] of Object.entries(c.scientific)) {
        expect(formatFloatScientific(valueOf(c), Number(digits)), `${c.value} with ${digits} digits`).toBe(expected);
      }
    }
  });

  it("writes repr(float) as Python does", () => {
    for (const c of cases) expect(pythonFloatRepr(valueOf(c)), String(c.value)).toBe(c.repr);
  });
});

describe("Python's float formatting, by example", () => {
  it("rounds exact ties to even where JavaScript rounds them up", () => {
    expect((0.03125).toFixed(4)).toBe("0.0313");
    expect(formatFloatFixed(0.03125, 4)).toBe("0.0312");
    expect(formatFloatFixed(2.5, 0)).toBe("2");
    expect(formatFloatFixed(-2.5, 0)).toBe("-2");
    expect(formatFloatScientific(100005, 4)).toBe("1.0000e+05");
  });

  it("writes exponents with a sign and two digits at least", () => {
    expect(formatFloatScientific(0.00015625, 4)).toBe("1.5625e-04");
    expect(formatFloatScientific(2.5e7, 4)).toBe("2.5000e+07");
    expect(formatFloatScientific(1e300, 2)).toBe("1.00e+300");
  });

  it("writes the reprs module reprs need", () => {
    expect(pythonFloatRepr(1e-5)).toBe("1e-05");
    expect(pythonFloatRepr(0.1)).toBe("0.1");
    expect(pythonFloatRepr(1)).toBe("1.0");
    expect(pythonFloatRepr(-0)).toBe("-0.0");
    expect(pythonFloatRepr(Infinity)).toBe("inf");
    expect(pythonFloatRepr(NaN)).toBe("nan");
  });

  it("refuses a precision that is not a whole number >= 0", () => {
    expect(() => formatFloatFixed(1, -1)).toThrow(RangeError);
    expect(() => formatFloatScientific(1, 1.5)).toThrow(RangeError);
  });
});

describe("Python's float formatting, properties", () => {
  const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
  // rounding the largest doubles up can pass the largest double (1.8e+308 reads back as Infinity)
  const belowOverflow = fc.double({ noNaN: true, min: -1e300, max: 1e300 });
  const digits = fc.integer({ min: 0, max: 12 });

  it("'{:.Nf}' is the nearest N-place decimal, as toFixed is away from ties", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -1e20, max: 1e20 }), digits, (x, n) => {
        const text = formatFloatFixed(x, n);
        // toFixed finds the same nearest decimal (it differs only on exact ties, where both
        // neighbours are equally near), so the two agree to within one unit of the last place
        const unit = 10 ** -n;
        expect(Math.abs(Number(text) - Number(x.toFixed(n)))).toBeLessThanOrEqual(unit * 1.000001);
        expect(Math.abs(Number(text) - x)).toBeLessThanOrEqual(unit / 2 + Math.abs(x) * 1e-15);
      }),
    );
  });

  it("'{:.Ne}' has N+1 significant digits and reads back within half a unit of the last", () => {
    fc.assert(
      fc.property(belowOverflow, digits, (x, n) => {
        const text = formatFloatScientific(x, n);
        const match = /^-?(\d)(?:\.(\d+))?e([+-])(\d{2,3})$/.exec(text);
        expect(match, text).not.toBeNull();
        expect((match![2] ?? "").length).toBe(n);
        if (x !== 0) expect(match![1]).not.toBe("0");
        const exponent = Number(match![3] + match![4]);
        const unit = 10 ** (exponent - n);
        expect(Math.abs(Number(text) - x)).toBeLessThanOrEqual(unit / 2 + Math.abs(x) * 1e-15);
      }),
    );
  });

  it("repr reads back as the same double", () => {
    fc.assert(
      fc.property(finite, (x) => {
        expect(Object.is(Number(pythonFloatRepr(x)), x)).toBe(true);
      }),
    );
  });
});
