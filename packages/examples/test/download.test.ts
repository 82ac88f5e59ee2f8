/**
 * Fetching MNIST's files, against a local HTTP server standing in for the mirrors: a file already
 * in the data folder with the right MD5 is not fetched again; a missing or damaged one is fetched
 * from the first mirror that serves it with the right digest; a wrong download is never kept.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchFiles, MNIST_FILES, type RemoteFile } from "../src/mnist/download.ts";
import { loadMnist } from "../src/mnist/main.ts";
import { idxFiles, syntheticDigits } from "./mnist-fixture.ts";

const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");

/** What the stand-in serves: path → bytes; every request is logged. */
const served = new Map<string, Uint8Array>();
const requests: string[] = [];
let server: Server;
let base = "";

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url!);
    const body = served.get(request.url!);
    response.writeHead(body ? 200 : 404).end(body ?? "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function folder(): string {
  return mkdtempSync(join(tmpdir(), "torchlet-mnist-"));
}

const content = new TextEncoder().encode("the bytes of a file");
const file: RemoteFile = { name: "digits.gz", md5: md5(content) };

describe("fetching files", () => {
  it("downloads a missing file from the first mirror that has it, and keeps it", async () => {
    served.clear();
    served.set("/second/digits.gz", content);
    const dir = folder();
    requests.length = 0;
    const [bytes] = await fetchFiles(dir, [file], { mirrors: [`${base}/first/`, `${base}/second/`] });
    expect(bytes).toEqual(content);
    expect(requests).toEqual(["/first/digits.gz", "/second/digits.gz"]);
    expect(new Uint8Array(readFileSync(join(dir, "digits.gz")))).toEqual(content);

    requests.length = 0;
    await fetchFiles(dir, [file], { mirrors: [`${base}/second/`] });
    expect(requests).toEqual([]); // found in the folder, intact
  });

  it("replaces a damaged file", async () => {
    served.clear();
    served.set("/m/digits.gz", content);
    const dir = folder();
    writeFileSync(join(dir, "digits.gz"), "truncated");
    const [bytes] = await fetchFiles(dir, [file], { mirrors: [`${base}/m/`] });
    expect(bytes).toEqual(content);
    expect(new Uint8Array(readFileSync(join(dir, "digits.gz")))).toEqual(content);
  });

  it("keeps nothing when no mirror gives the right bytes, and says what to do", async () => {
    served.clear();
    served.set("/bad/digits.gz", new TextEncoder().encode("something else"));
    const dir = folder();
    const failure = fetchFiles(dir, [file], { mirrors: [`${base}/gone/`, `${base}/bad/`] });
    await expect(failure).rejects.toThrow(`could not download digits.gz:\n  ${base}/gone/digits.gz: HTTP 404\n  ${base}/bad/digits.gz: MD5 `);
    await expect(failure).rejects.toThrow(`Download it by hand into ${dir} (its MD5 must be ${file.md5}) and run again.`);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("loading MNIST", () => {
  it("names MNIST's four files with torchvision's digests", () => {
    expect(Object.values(MNIST_FILES).map((f) => f.name)).toEqual([
      "train-images-idx3-ubyte.gz",
      "train-labels-idx1-ubyte.gz",
      "t10k-images-idx3-ubyte.gz",
      "t10k-labels-idx1-ubyte.gz",
    ]);
    for (const f of Object.values(MNIST_FILES)) expect(f.md5).toMatch(/^[0-9a-f]{32}$/);
  });

  it("reads both splits from files already in the folder, downloading nothing", async () => {
    const dir = folder();
    const train = idxFiles(syntheticDigits(12, 0));
    const test = idxFiles(syntheticDigits(5, 3));
    const bytes = [train.images, train.labels, test.images, test.labels];
    const files = Object.values(MNIST_FILES);
    // the real files' digests cannot match these stand-ins, so the check is pointed at theirs
    const standIns = files.map((f, i) => ({ ...f, md5: md5(bytes[i]) }));
    standIns.forEach((f, i) => writeFileSync(join(dir, f.name), bytes[i]));
    requests.length = 0;
    const { train: a, test: b } = await loadMnist(dir, { mirrors: [`${base}/none/`] }, standIns);
    expect(requests).toEqual([]);
    expect([a.count, b.count]).toEqual([12, 5]);
    expect([...b.labels]).toEqual([3, 4, 5, 6, 7]);
    expect(existsSync(join(dir, "train-images-idx3-ubyte.gz"))).toBe(true);
  });
});
