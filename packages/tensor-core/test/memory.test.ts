/**
 * Giving device memory back: `dispose`, `tidy` and `keep`, watched through a stand-in device
 * storage that counts the tensors holding it (the contract a real GPU storage fulfils: `retain`
 * when a tensor starts viewing it, `release` when one stops; the last release frees it). Views are
 * made with the ordinary view ops, which only need the storage, not a device.
 */
import { describe, expect, it } from "vitest";
import * as torch from "../src/index.ts";
import { Tensor, type Storage } from "../src/index.ts";

class CountingStorage implements Storage {
  readonly device = "webgpu" as const;
  readonly dtype = "float32" as const;
  holders = 0;
  freed = false;
  constructor(readonly length: number) {}
  retain(): void {
    if (this.freed) throw new Error("retained after it was freed");
    this.holders++;
  }
  release(): void {
    if (this.holders === 0) throw new Error("released more often than retained");
    if (--this.holders === 0) this.freed = true;
  }
}

function deviceTensor(shape: number[]): { t: Tensor; storage: CountingStorage } {
  const storage = new CountingStorage(shape.reduce((a, b) => a * b, 1));
  return { t: Tensor.fromStorage(storage, shape), storage };
}

describe("dispose", () => {
  it("releases the storage once, however often it is called", () => {
    const { t, storage } = deviceTensor([2, 3]);
    expect(storage.holders).toBe(1);
    t.dispose();
    t.dispose();
    expect(storage.holders).toBe(0);
    expect(storage.freed).toBe(true);
    expect(t.isDisposed).toBe(true);
  });

  it("frees the storage only when the last view of it is disposed", () => {
    const { t, storage } = deviceTensor([2, 3]);
    const views = [t.t(), t.view(6), t.index(1), t.unsqueeze(0).expand(4, 2, 3)];
    // expand views an unsqueezed view: every intermediate tensor holds the storage too
    expect(storage.holders).toBe(1 + 5);
    t.dispose();
    expect(storage.freed).toBe(false);
    for (const v of views) v.dispose();
    expect(storage.freed).toBe(false); // the unsqueezed intermediate still holds it
    expect(storage.holders).toBe(1);
  });

  it("makes the tensor unusable, with a message that says why", () => {
    const { t } = deviceTensor([2]);
    t.dispose();
    expect(() => t.storage).toThrow("This tensor has been disposed: its memory was given back");
    expect(() => t.view(2)).toThrow(torch.RuntimeError);
  });
});

describe("tidy", () => {
  it("disposes the device tensors made inside, except what it returns", () => {
    let inside: CountingStorage | undefined;
    let result: Tensor | undefined;
    const outer = torch.tidy(() => {
      const a = deviceTensor([3]);
      inside = a.storage;
      const b = deviceTensor([3]);
      result = b.t.view(3);
      return result;
    });
    expect(outer).toBe(result);
    expect(inside!.freed).toBe(true);
    expect(outer.isDisposed).toBe(false);
    expect(outer.storage.device).toBe("webgpu");
  });

  it("keeps tensors returned inside arrays, plain objects and maps", () => {
    const made: Tensor[] = [];
    const result = torch.tidy(() => {
      const make = () => {
        const { t } = deviceTensor([1]);
        made.push(t);
        return t;
      };
      make(); // dropped
      return { list: [make(), make()], nested: { t: make() }, map: new Map([["k", make()]]) };
    });
    expect(made[0].isDisposed).toBe(true);
    expect(made.slice(1).every((t) => !t.isDisposed)).toBe(true);
    expect(result.list.length).toBe(2);
  });

  it("leaves tensors made before it alone, and CPU tensors too", () => {
    const { t: before, storage } = deviceTensor([2]);
    const cpu = torch.tidy(() => {
      before.view(2); // a view made inside is disposed; the tensor it views is not
      return torch.zeros(2);
    });
    const alsoCpu: Tensor[] = [];
    torch.tidy(() => {
      alsoCpu.push(torch.ones(2));
    });
    expect(before.isDisposed).toBe(false);
    expect(storage.holders).toBe(1);
    expect(cpu.tolist()).toEqual([0, 0]);
    expect(alsoCpu[0].tolist()).toEqual([1, 1]);
  });

  it("nests: what an inner scope returns belongs to the outer one", () => {
    let inner: Tensor | undefined;
    torch.tidy(() => {
      inner = torch.tidy(() => deviceTensor([2]).t);
      expect(inner.isDisposed).toBe(false);
      return null;
    });
    expect(inner!.isDisposed).toBe(true);
  });

  it("spares tensors marked with keep, in every enclosing scope", () => {
    let kept: Tensor | undefined;
    torch.tidy(() => {
      torch.tidy(() => {
        kept = torch.keep(deviceTensor([2]).t);
      });
    });
    expect(kept!.isDisposed).toBe(false);
  });

  it("disposes what it made when the function throws, and lets the error through", () => {
    let made: Tensor | undefined;
    expect(() =>
      torch.tidy(() => {
        made = deviceTensor([2]).t;
        throw new Error("inside");
      }),
    ).toThrow("inside");
    expect(made!.isDisposed).toBe(true);
  });

  it("closes a failed scope, so the enclosing one owns what is made next", () => {
    let after: Tensor | undefined;
    torch.tidy(() => {
      try {
        torch.tidy(() => {
          throw new Error("inside");
        });
      } catch {
        // carry on in the outer scope
      }
      after = deviceTensor([1]).t;
      return null;
    });
    expect(after!.isDisposed).toBe(true);
  });

  it("refuses an async function: tensors made after an await would escape it", () => {
    expect(() => torch.tidy(async () => 1)).toThrow("tidy(fn) needs a synchronous fn");
  });
});

describe("replacing a tensor's storage (.data = ...)", () => {
  it("releases the old storage and holds the new one", () => {
    const { t, storage: old } = deviceTensor([2]);
    const { t: other, storage: fresh } = deviceTensor([2]);
    t.data = other;
    expect(old.freed).toBe(true);
    expect(fresh.holders).toBe(2);
    expect(t.storage).toBe(fresh);
    other.dispose();
    expect(fresh.freed).toBe(false);
    t.dispose();
    expect(fresh.freed).toBe(true);
  });
});
