/**
 * Fetching MNIST once and keeping it: each file is looked for in the data folder first, checked
 * against its MD5 digest, and downloaded (from the first mirror that answers) only when it is
 * missing or damaged. A download is written to a temporary name and renamed only after its digest
 * matched, so an interrupted run never leaves a half file that looks complete.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** A file to fetch: its name on the mirrors and in the data folder, and its MD5 digest (hex). */
export interface RemoteFile {
  readonly name: string;
  readonly md5: string;
}

/** MNIST's four files, with the digests torchvision checks them against. */
export const MNIST_FILES = {
  trainImages: { name: "train-images-idx3-ubyte.gz", md5: "f68b3c2dcbeaaa9fbdd348bbdeb94873" },
  trainLabels: { name: "train-labels-idx1-ubyte.gz", md5: "d53e105ee54ea40749a09fcbcd1e9432" },
  testImages: { name: "t10k-images-idx3-ubyte.gz", md5: "9fb629c4189551a2d022fa330f9573f3" },
  testLabels: { name: "t10k-labels-idx1-ubyte.gz", md5: "ec29112dd5afa0611ce80d1b7f02629c" },
} as const satisfies Record<string, RemoteFile>;

/** Where MNIST can be downloaded from, tried in order (LeCun's own page no longer serves it). */
export const MNIST_MIRRORS = ["https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/"];

export interface FetchOptions {
  /** The mirrors' base addresses, each ending in "/". */
  readonly mirrors?: readonly string[];
  /** Called before a download starts. */
  readonly onDownload?: (file: RemoteFile, url: string) => void;
}

function md5(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}

/** The file's bytes if it lies in `dir` with the right digest, else null. */
async function cached(dir: string, file: RemoteFile): Promise<Uint8Array | null> {
  try {
    const bytes = new Uint8Array(await readFile(join(dir, file.name)));
    return md5(bytes) === file.md5 ? bytes : null;
  } catch {
    return null; // not there yet
  }
}

/** How long one download may take before the next mirror is tried. */
const DOWNLOAD_TIMEOUT_MS = 120_000;

/** An error's message, with the cause Node's `fetch` keeps apart ("fetch failed": which host, why). */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause ? `${error.message} (${cause})` : error.message;
}

/** Downloads one file from the first mirror that gives the right bytes. */
async function download(dir: string, file: RemoteFile, options: FetchOptions): Promise<Uint8Array> {
  const mirrors = options.mirrors ?? MNIST_MIRRORS;
  const failures: string[] = [];
  for (const mirror of mirrors) {
    const url = mirror + file.name;
    options.onDownload?.(file, url);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const digest = md5(bytes);
      if (digest !== file.md5) throw new Error(`MD5 ${digest}, expected ${file.md5}`);
      const partial = join(dir, `${file.name}.part`);
      await writeFile(partial, bytes);
      await rename(partial, join(dir, file.name));
      return bytes;
    } catch (error) {
      failures.push(`${url}: ${reason(error)}`);
    }
  }
  throw new Error(
    `could not download ${file.name}:\n  ${failures.join("\n  ")}\n` +
      `Download it by hand into ${dir} (its MD5 must be ${file.md5}) and run again.`,
  );
}

/** The bytes of each file, from `dir` where they are already there and intact, else downloaded into it. */
export async function fetchFiles(dir: string, files: readonly RemoteFile[], options: FetchOptions = {}): Promise<Uint8Array[]> {
  await mkdir(dir, { recursive: true });
  const result: Uint8Array[] = [];
  for (const file of files) {
    const bytes = (await cached(dir, file)) ?? (await download(dir, file, options));
    result.push(bytes);
  }
  return result;
}
