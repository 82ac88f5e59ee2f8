import { describe, expect, it } from "vitest";
import * as torch from "../src/index.ts";

describe("smoke", () => {
  it("adds with broadcasting", () => {
    const a = torch.tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float32" });
    const b = torch.tensor([10, 20, 30], { dtype: "float32" });
    expect(a.add(b).tolist()).toEqual([[11, 22, 33], [14, 25, 36]]);
    expect(a.t().contiguous().tolist()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(a.matmul(a.t()).tolist()).toEqual([[14, 32], [32, 77]]);
    expect(a.sum(1).tolist()).toEqual([6, 15]);
    expect(a.max(1).indices.tolist()).toEqual([2, 2]);
    expect(String(a.shape)).toBe("torch.Size([2, 3])");
  });
});
