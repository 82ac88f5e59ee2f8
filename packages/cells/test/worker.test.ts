/**
 * The worker protocol without a browser: `serveNotebook` on one side and `NotebookClient` on the
 * other, joined by an in-process channel that behaves like postMessage (asynchronous, structured
 * clone). The browser tests run the same two halves in a real Web Worker.
 */
import { describe, expect, it } from "vitest";
import { NotebookClient, type WorkerLike } from "../src/worker/client.ts";
import { serveNotebook, type FromWorker, type ToWorker } from "../src/worker/serve.ts";
import { outputText } from "../src/index.ts";

/** A worker made of a notebook in this process; `terminate` cuts it off as a real one would. */
function inProcessWorker(made: { count: number }): WorkerLike {
  made.count++;
  let alive = true;
  const toWorker: ((event: { data: ToWorker }) => void)[] = [];
  const worker: WorkerLike = {
    onmessage: null,
    postMessage(message) {
      const data = structuredClone(message);
      setTimeout(() => alive && toWorker.forEach((listener) => listener({ data })), 0);
    },
    terminate() {
      alive = false;
    },
  };
  serveNotebook(
    {
      postMessage(message: FromWorker) {
        const data = structuredClone(message);
        setTimeout(() => alive && worker.onmessage?.({ data } as MessageEvent<FromWorker>), 0);
      },
      addEventListener(type: string, listener: (event: any) => void) {
        if (type === "message") toWorker.push(listener);
      },
    },
    { webgpu: false },
  );
  return worker;
}

const chapter = [
  `let n = 10;`,
  `n = n + 1;\nconsole.log("n is", n)`,
  `n * 2`,
];

function client() {
  const made = { count: 0 };
  const c = new NotebookClient({ createWorker: () => inProcessWorker(made) });
  const codeOf = (i: number) => chapter[i - 1];
  return { c, made, codeOf };
}

const texts = (c: NotebookClient, cell: number) => c.state(cell).outputs.map(outputText);

describe("NotebookClient with serveNotebook", () => {
  it("runs the stale cells before the one asked for, and marks them", async () => {
    const { c, codeOf } = client();
    expect(await c.run(3, chapter[2]!, codeOf)).toBe(true);
    expect(texts(c, 2)).toEqual(["n is 11\n"]);
    expect(texts(c, 3)).toEqual(["22"]);
    expect(c.state(1).ranBefore).toBe(true);
    expect(c.state(3).ranBefore).toBe(false);
    expect([1, 2, 3].map((i) => c.state(i).status)).toEqual(["done", "done", "done"]);
  });

  it("does not run an earlier cell again once it ran with the same code", async () => {
    const { c, codeOf } = client();
    await c.run(3, chapter[2]!, codeOf);
    await c.run(3, chapter[2]!, codeOf);
    // cell 2 ran once: n is still 11, so cell 3 shows 22 again
    expect(texts(c, 3)).toEqual(["22"]);
  });

  it("runs an edited earlier cell again", async () => {
    const { c } = client();
    const code = [...chapter];
    const codeOf = (i: number) => code[i - 1];
    await c.run(3, code[2]!, codeOf);
    code[0] = "let n = 100;";
    await c.run(3, code[2]!, codeOf);
    expect(texts(c, 3)).toEqual(["200"]); // cell 1 ran again (n = 100), cell 2 had run: not again
  });

  it("stops a cell that never ends: KeyboardInterrupt, a fresh worker, every cell stale", async () => {
    const { c, made, codeOf } = client();
    await c.run(1, chapter[0]!, codeOf);
    const forever = c.run(2, "await new Promise(() => {})", codeOf);
    await new Promise((r) => setTimeout(r, 20));
    expect(c.state(2).status).toBe("running");
    c.stop();
    expect(await forever).toBe(false);
    expect(c.state(2).status).toBe("stopped");
    expect(texts(c, 2)).toEqual(["KeyboardInterrupt"]);
    expect(made.count).toBe(2);
    // the fresh worker has no `n`: cell 1 runs again first
    expect(await c.run(3, chapter[2]!, codeOf)).toBe(true);
    expect(c.state(1).ranBefore).toBe(true);
    expect(texts(c, 3)).toEqual(["22"]);
  });

  it("stops the chain at an earlier cell that fails, leaving the later ones idle", async () => {
    const { c } = client();
    const code = ["throw new RangeError('no')", "1", "2"];
    expect(await c.run(3, "2", (i) => code[i - 1])).toBe(false);
    expect(c.state(1).status).toBe("error");
    expect(texts(c, 1)).toEqual(["RangeError: no"]);
    expect(c.state(3).status).toBe("idle");
  });

  it("goes on past an earlier cell whose error is expected (raises-exception), which then counts as run", async () => {
    const { c } = client();
    const code = ["let n = 1;", "n = n + 10;\nn.call()", "n + 1"];
    const codeOf = (i: number) => code[i - 1];
    const raises = (i: number) => i === 2;
    expect(await c.run(3, code[2]!, codeOf, raises)).toBe(true);
    expect(c.state(2).status).toBe("error");
    expect(texts(c, 2)).toEqual(["TypeError: n.call is not a function"]);
    expect(texts(c, 3)).toEqual(["12"]);
    // cell 2 ran with this code, so it does not run again (n would be 21)
    expect(await c.run(3, "n + 2", codeOf, raises)).toBe(true);
    expect(texts(c, 3)).toEqual(["13"]);
  });

  it("puts late output under the run that made it, and drops that of a run shown no more", async () => {
    const { c, codeOf } = client();
    await c.run(1, "setTimeout(() => console.log('late'), 30); 'now'", codeOf);
    expect(texts(c, 1)).toEqual(["'now'"]);
    await new Promise((r) => setTimeout(r, 60));
    expect(texts(c, 1)).toEqual(["'now'", "late\n"]);

    await c.run(2, "setTimeout(() => console.log('from the first run'), 30); 1", codeOf);
    await c.run(2, "2", codeOf); // run cell 2 again before the first run's timer fires
    await new Promise((r) => setTimeout(r, 60));
    expect(texts(c, 2)).toEqual(["2"]);
  });
});
