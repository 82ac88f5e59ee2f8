/**
 * `torch.save` / `torch.load` and the safetensors format. Three sources of truth, none of them our
 * own writer:
 * - the format's specification, written out by hand byte by byte for tiny dictionaries (the same
 *   examples the reference implementation's own tests spell out);
 * - a file laid out by a Python script from a PyTorch state dict (safetensors-sample.*): we must
 *   read it, and write byte-identical output for the same dictionary;
 * - round trips through a model's state dict (values, dtypes, shapes, order of the data).
 */
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixture } from "@torchlet/testing";
import { nn, torch } from "../src/index.ts";

/** Bytes from text and numbers: strings become their UTF-8 bytes. */
function bytes(...parts: (string | number[] | Uint8Array)[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === "string" ? new TextEncoder().encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
const u64 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >> 24) & 0xff, 0, 0, 0, 0];
const f32 = (...values: number[]) => new Uint8Array(Float32Array.from(values).buffer);
const spaces = (n: number) => " ".repeat(n);

describe("the bytes the specification prescribes", () => {
  it("one F32 tensor: header length, compact JSON, data (the reference's test_serialization)", () => {
    const header = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(header.length).toBe(64); // a multiple of 8 already: no padding
    const expected = bytes(u64(64), header, f32(0, 1, 2, 3, 4, 5));
    const out = torch.saveSync(new Map([["attn.0", torch.arange(6, { dtype: "float32" }).reshape(1, 2, 3)]]));
    expect(out).toEqual(expected);
  });

  it("the header is padded with spaces so the data starts at a multiple of 8 (test_serialization_forced_alignement)", () => {
    const header = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}';
    expect(header.length).toBe(65);
    const expected = bytes(u64(72), header + spaces(7), f32(0, 1, 2, 3, 4, 5));
    expect(torch.saveSync({ attn0: torch.arange(6, { dtype: "float32" }).reshape(1, 1, 2, 3) })).toEqual(expected);
  });

  it("an empty dictionary, with and without metadata (test_empty)", () => {
    expect(torch.saveSync({})).toEqual(bytes(u64(8), "{}" + spaces(6)));
    expect(torch.saveSync({}, { metadata: { framework: "pt" } })).toEqual(bytes(u64(40), '{"__metadata__":{"framework":"pt"}}' + spaces(5)));
  });

  it("I64 before F32 before BOOL, then by name; little-endian int64 and one byte per bool", () => {
    const out = torch.saveSync(
      new Map<string, torch.Tensor>([
        ["b", torch.tensor([true, false])],
        ["z", torch.tensor([1.5], { dtype: "float32" })],
        ["a", torch.tensor([0.25], { dtype: "float32" })],
        ["n", torch.tensor(-2)],
      ]),
    );
    const header =
      '{"n":{"dtype":"I64","shape":[],"data_offsets":[0,8]},' +
      '"a":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},' +
      '"z":{"dtype":"F32","shape":[1],"data_offsets":[12,16]},' +
      '"b":{"dtype":"BOOL","shape":[2],"data_offsets":[16,18]}}';
    const padded = header + spaces((8 - (header.length % 8)) % 8);
    const expected = bytes(u64(padded.length), padded, [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], f32(0.25), f32(1.5), [1, 0]);
    expect(out).toEqual(expected);
  });

  it("writes a strided view as its row-major values", () => {
    const t = torch.arange(6, { dtype: "float32" }).reshape(2, 3).t();
    const loaded = torch.load(torch.saveSync({ t }));
    expect(loaded.get("t")!.tolist()).toEqual([[0, 3], [1, 4], [2, 5]]);
  });
});

interface SampleCase {
  metadata: Record<string, string>;
  order: string[];
  tensors: { name: string; dtype: torch.DType; shape: number[]; data: (number | boolean)[] }[];
  file_base64: string;
}

describe("a file written from PyTorch 1.13 (safetensors-sample.*)", () => {
  const [sample] = fixture<SampleCase>("safetensors-sample");
  const fileBytes = new Uint8Array(Buffer.from(sample.file_base64, "base64"));
  const dict = () =>
    new Map(sample.tensors.map((t) => [t.name, torch.tensor(t.data.map(Number), { dtype: t.dtype }).reshape(t.shape)] as const));

  it("is the committed .safetensors file", () => {
    const fixtures = new URL("../fixtures/pytorch-1.13/", `file://${createRequire(import.meta.url).resolve("@torchlet/testing")}`);
    expect(new Uint8Array(readFileSync(new URL("safetensors-sample.safetensors", fixtures)))).toEqual(fileBytes);
  });

  it("loads: every tensor with its dtype, shape and values, in the order of its data", () => {
    const loaded = torch.load(fileBytes);
    expect([...loaded.keys()]).toEqual(sample.order);
    for (const t of sample.tensors) {
      const ours = loaded.get(t.name)!;
      expect(ours.dtype).toBe(t.dtype);
      expect([...ours.shape]).toEqual(t.shape);
      expect(Array.from(ours.toArray())).toEqual(t.data.map((v) => (t.dtype === "float32" ? Math.fround(Number(v)) : Number(v))));
    }
    expect(torch.loadMetadata(fileBytes)).toEqual(sample.metadata);
  });

  it("saving the same dictionary gives the same bytes", () => {
    expect(torch.saveSync(dict(), { metadata: sample.metadata })).toEqual(fileBytes);
  });

  it("loads into a BatchNorm2d with loadStateDict", () => {
    const bn = new nn.BatchNorm2d(3);
    const loaded = torch.load(fileBytes);
    loaded.delete("mask");
    loaded.delete("conv.weight");
    bn.loadStateDict(loaded);
    expect(bn.num_batches_tracked!.item()).toBe(1);
    expect(Array.from(bn.running_mean!.toArray())).toEqual(Array.from(loaded.get("running_mean")!.toArray()));
  });
});

describe("round trips", () => {
  it("a model's state dict saves and loads back into a fresh model", async () => {
    torch.manualSeed(1);
    const model = new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.BatchNorm2d(2), new nn.Flatten(), new nn.Linear(8, 3));
    model.call(torch.randn(4, 1, 4, 4));
    const saved = await torch.save(model.stateDict());
    expect(saved).toEqual(torch.saveSync(model.stateDict()));
    const fresh = new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.BatchNorm2d(2), new nn.Flatten(), new nn.Linear(8, 3));
    fresh.loadStateDict(torch.load(saved));
    const x = torch.randn(2, 1, 4, 4);
    model.eval();
    fresh.eval();
    expect(Array.from((fresh.call(x) as torch.Tensor).toArray())).toEqual(Array.from((model.call(x) as torch.Tensor).toArray()));
  });

  it("accepts an ArrayBuffer as well as a Uint8Array", () => {
    const bytes = torch.saveSync({ w: torch.ones(2) });
    const copy = bytes.slice().buffer;
    expect(torch.load(copy).get("w")!.tolist()).toEqual([1, 1]);
  });
});

describe("bad input", () => {
  const good = torch.saveSync({ w: torch.ones(2) });
  const withHeader = (header: string, data: number[] = []) => bytes(u64(header.length), header, data);
  const cases: [string, Uint8Array, string][] = [
    ["fewer than 8 bytes", new Uint8Array(4), "HeaderTooSmall"],
    ["a header longer than the file", good.slice(0, 20), "InvalidHeaderLength"],
    ["a header that is not JSON", withHeader("{nope}"), "InvalidHeaderDeserialization"],
    ["a header that does not start with {", withHeader(' {"a":1}'), "InvalidHeaderStart"],
    ["offsets that leave a gap", withHeader('{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', [0, 0, 0, 0, 0, 0, 0, 0]), 'InvalidOffset("w")'],
    ["a size that disagrees with the shape", withHeader('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', [0, 0, 0, 0]), "TensorInvalidInfo"],
    ["data left over", withHeader('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', [0, 0, 0, 0, 9]), "MetadataIncompleteBuffer"],
  ];
  it.each(cases)("%s", (_, input, what) => {
    expect(() => torch.load(input)).toThrow(`Error while deserializing header: ${what}`);
  });

  it("a dtype torchlet does not have", () => {
    expect(() => torch.load(withHeader('{"h":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}', [0, 0]))).toThrow(
      "tensor h has dtype F16: torchlet reads F32, I64 and BOOL tensors",
    );
  });

  it("save refuses what is not a tensor", () => {
    expect(() => torch.saveSync({ w: 3 as unknown as torch.Tensor })).toThrow("torch.save stores tensors, but w is number");
  });
});
