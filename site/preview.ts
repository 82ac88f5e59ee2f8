/**
 * Serves the built site (`.vitepress/dist`) the way a host should: cross-origin isolated (COOP and
 * COEP headers, so the CPU kernels may use threads), gzip for text, clean URLs (`/en/chapters/01-module`
 * serves `en/chapters/01-module.html`). VitePress's own preview server sets no custom headers.
 *
 * `pnpm --filter @torchlet/site preview [--port 4173]`; the browser tests start it in-process.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createGzip } from "node:zlib";

/** The headers that make a page cross-origin isolated. */
export const isolationHeaders = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
};

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".woff2": "font/woff2",
  ".png": "image/png",
  ".wasm": "application/wasm",
};

/** The file a URL path names in `root`, trying `path`, `path.html` and `path/index.html`. */
function fileFor(root: string, urlPath: string): string | null {
  const clean = normalize(decodeURIComponent(urlPath.split("?")[0]!)).replace(/^(\.\.[/\\])+/, "");
  const base = join(root, clean);
  if (!base.startsWith(root)) return null;
  for (const candidate of [base, `${base}.html`, join(base, "index.html")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Starts serving `root` on `port` (0: any free port); resolves to the server and its address. */
export function startPreview(root: string, port = 0): Promise<{ server: Server; url: string }> {
  const dir = resolve(root);
  const server = createServer((request, response) => {
    const file = fileFor(dir, request.url ?? "/");
    const found = file ?? fileFor(dir, "/404.html");
    const type = types[extname(found ?? "")] ?? "application/octet-stream";
    const headers: Record<string, string> = { ...isolationHeaders, "Content-Type": type, "Cache-Control": "no-cache" };
    if (!found) {
      response.writeHead(404, headers).end("not found");
      return;
    }
    const compress = /^(text|application\/(json|javascript)|image\/svg)/.test(type) && /\bgzip\b/.test(String(request.headers["accept-encoding"]));
    if (compress) headers["Content-Encoding"] = "gzip";
    response.writeHead(file ? 200 : 404, headers);
    const stream = createReadStream(found);
    (compress ? stream.pipe(createGzip()) : stream).pipe(response);
  });
  return new Promise((done) => {
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const actual = typeof address === "object" && address ? address.port : port;
      done({ server, url: `http://127.0.0.1:${actual}` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--port");
  const port = at > 0 ? Number(process.argv[at + 1]) : 4173;
  const { url } = await startPreview(fileURLToPath(new URL("./.vitepress/dist/", import.meta.url)), port);
  console.log(`The built site, cross-origin isolated, at ${url}/`);
}
