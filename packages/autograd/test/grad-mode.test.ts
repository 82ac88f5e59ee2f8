/**
 * Grad mode: noGrad, enableGrad, setGradEnabled, isGradEnabled, and what tensor-core does with it.
 */
import { tensor } from "@torchlet/tensor-core";
import { afterEach, describe, expect, it } from "vitest";
import { enableGrad, isGradEnabled, noGrad, setGradEnabled } from "../src/index.ts";

const leaf = () => tensor([1, 2], { dtype: "float32", requiresGrad: true });

afterEach(() => setGradEnabled(true));

describe("grad mode", () => {
  it("is on by default", () => {
    expect(isGradEnabled()).toBe(true);
    expect(leaf().mul(2).gradFn?.name).toBe("MulBackward0");
  });

  it("noGrad builds no graph and returns fn's result", () => {
    const x = leaf();
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      return x.mul(2);
    });
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(y.tolist()).toEqual([2, 4]);
    expect(isGradEnabled()).toBe(true);
  });

  it("noGrad allows in-place updates of a leaf that requires grad (an optimizer step)", () => {
    const x = leaf();
    noGrad(() => x.sub_(1));
    expect(x.tolist()).toEqual([0, 1]);
    expect(x.requiresGrad).toBe(true);
    expect(x.isLeaf).toBe(true);
  });

  it("enableGrad records again inside noGrad", () => {
    const x = leaf();
    const y = noGrad(() => enableGrad(() => x.mul(2)));
    expect(y.gradFn?.name).toBe("MulBackward0");
  });

  it("restores the previous mode when fn throws", () => {
    expect(() =>
      noGrad(() => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(isGradEnabled()).toBe(true);
  });

  it("nests, restoring each outer mode", () => {
    noGrad(() => {
      enableGrad(() => expect(isGradEnabled()).toBe(true));
      expect(isGradEnabled()).toBe(false);
    });
    expect(isGradEnabled()).toBe(true);
  });

  it("setGradEnabled switches recording until set again", () => {
    setGradEnabled(false);
    expect(leaf().mul(2).requiresGrad).toBe(false);
    setGradEnabled(true);
    expect(leaf().mul(2).requiresGrad).toBe(true);
  });

  it("refuses an async fn, whose awaited part would escape the mode", async () => {
    const fn = async () => 1;
    expect(() => noGrad(fn)).toThrow("noGrad(fn) needs a synchronous fn");
    expect(isGradEnabled()).toBe(true);
  });

  it("a new leaf still requires grad under noGrad when asked to", () => {
    const made = noGrad(() => leaf());
    expect(made.requiresGrad).toBe(true);
    expect(made.isLeaf).toBe(true);
  });
});
