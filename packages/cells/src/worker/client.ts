/**
 * The page's side of the cell worker: one worker per page, runs queued in it, Stop.
 *
 * The client keeps, for each cell, whether it has run in the current worker and with which code.
 * Running cell n first runs the cells before it that are stale (never run in this worker, or
 * edited since), as a reader who jumps to the middle of a chapter expects. Stop terminates the
 * worker (the only way to end `while (true) {}`) and starts a fresh one: every cell is stale then.
 *
 * Nothing here touches `Worker` until the first run: the module can be imported during the site's
 * server-side rendering.
 */
import type { Output } from "../outputs.ts";
import type { DeviceMessage, FromWorker, ToWorker } from "./protocol.ts";

/** What a page shows of a cell: its state and its latest outputs. */
export interface CellState {
  status: "idle" | "queued" | "running" | "done" | "error" | "stopped";
  outputs: Output[];
  /** True when the last run was started by running a later cell. */
  ranBefore: boolean;
  /** Milliseconds the last run took, once done. */
  elapsed: number | null;
}

/** The minimal `Worker` the client needs (a real one in the browser). */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null;
}

/** Options of a client. */
export interface ClientOptions {
  /** Makes a fresh worker (`() => new Worker(new URL("./runner.worker.ts", import.meta.url), { type: "module" })`). */
  readonly createWorker: () => WorkerLike;
  /** Makes the per-cell state objects (the site passes Vue's `reactive`, so the page follows them). */
  readonly makeState?: (state: CellState) => CellState;
  /** Called when the worker says which device it runs on. */
  readonly onDevice?: (device: DeviceMessage) => void;
}

interface Pending {
  readonly cell: number;
  readonly code: string;
  readonly resolve: (ok: boolean) => void;
  readonly started: number;
}

/** Runs a page's cells in a Web Worker; see the file's comment. */
export class NotebookClient {
  private worker: WorkerLike | null = null;
  private nextRun = 1;
  private readonly pending = new Map<number, Pending>();
  /** The code each cell last ran with in the current worker. */
  private readonly ranWith = new Map<number, string>();
  private readonly states = new Map<number, CellState>();
  /** Which run's outputs each cell shows now: late output of an older run is dropped. */
  private readonly shownRun = new Map<number, number>();
  /** Bumped by Stop: chains of runs started before it give up. */
  private generation = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ClientOptions) {}

  /** The state of cell `cell` (made on first use). */
  state(cell: number): CellState {
    let state = this.states.get(cell);
    if (!state) {
      const fresh: CellState = { status: "idle", outputs: [], ranBefore: false, elapsed: null };
      state = this.options.makeState ? this.options.makeState(fresh) : fresh;
      this.states.set(cell, state);
    }
    return state;
  }

  /** Starts the worker now (it asks for WebGPU at once, so the device badge can show early). */
  start(): void {
    this.ensureWorker();
  }

  /**
   * Runs cell `cell` with `code`, after the stale cells before it (`codeOf(i)` gives cell i's
   * current code). Resolves to whether every run succeeded; a failing earlier cell stops the chain,
   * unless `raisesException(i)` says that its error is the point of the cell (Jupyter's
   * `raises-exception` tag, on a cell that shows PyTorch's error for bad input): such a cell counts
   * as run, and the chain goes on.
   */
  run(
    cell: number,
    code: string,
    codeOf: (cell: number) => string | undefined,
    raisesException: (cell: number) => boolean = () => false,
  ): Promise<boolean> {
    const generation = this.generation;
    const before: number[] = [];
    for (let i = 1; i < cell; i++) {
      const earlier = codeOf(i);
      if (earlier !== undefined && this.ranWith.get(i) !== earlier) before.push(i);
    }
    for (const i of [...before, cell]) {
      const state = this.state(i);
      state.status = "queued";
      state.ranBefore = i !== cell;
    }
    const chain = this.queue.then(async () => {
      for (const i of before) {
        if (generation !== this.generation) return false;
        const earlier = codeOf(i)!;
        if (await this.send(i, earlier)) continue;
        if (generation === this.generation && raisesException(i)) {
          this.ranWith.set(i, earlier);
          continue;
        }
        for (const j of [...before.filter((k) => k > i), cell]) this.state(j).status = "idle";
        return false;
      }
      if (generation !== this.generation) return false;
      return this.send(cell, code);
    });
    this.queue = chain.catch(() => {});
    return chain;
  }

  /** Ends whatever runs (terminating the worker) and starts a fresh worker: every cell is stale. */
  stop(): void {
    this.generation++;
    this.worker?.terminate();
    this.worker = null;
    this.ranWith.clear();
    for (const [run, pending] of this.pending) {
      const state = this.state(pending.cell);
      if (this.shownRun.get(pending.cell) === run) {
        state.outputs.push({ kind: "error", ename: "KeyboardInterrupt", evalue: "", cell: pending.cell, line: null });
        state.status = "stopped";
      }
      pending.resolve(false);
    }
    this.pending.clear();
    for (const state of this.states.values()) if (state.status === "queued") state.status = "idle";
    this.queue = Promise.resolve();
    this.ensureWorker();
  }

  /** Terminates the worker for good (the page is left). */
  dispose(): void {
    this.generation++;
    this.worker?.terminate();
    this.worker = null;
  }

  /** Whether a cell is running or queued. */
  get busy(): boolean {
    return this.pending.size > 0 || [...this.states.values()].some((s) => s.status === "queued");
  }

  private ensureWorker(): WorkerLike {
    if (this.worker) return this.worker;
    const worker = this.options.createWorker();
    worker.onmessage = ({ data }) => this.receive(data);
    this.worker = worker;
    return worker;
  }

  private send(cell: number, code: string): Promise<boolean> {
    const run = this.nextRun++;
    const state = this.state(cell);
    state.status = "running";
    state.outputs.splice(0);
    state.elapsed = null;
    this.shownRun.set(cell, run);
    return new Promise<boolean>((resolve) => {
      this.pending.set(run, { cell, code, resolve, started: performance.now() });
      this.ensureWorker().postMessage({ type: "run", run, cell, code });
    });
  }

  private receive(message: FromWorker): void {
    if (message.type === "device") {
      this.options.onDevice?.(message);
      return;
    }
    if (message.type === "output") {
      for (const [cell, run] of this.shownRun) {
        if (run === message.run) this.state(cell).outputs.push(message.output);
      }
      return;
    }
    const pending = this.pending.get(message.run);
    if (!pending) return;
    this.pending.delete(message.run);
    const state = this.state(pending.cell);
    state.status = message.ok ? "done" : "error";
    state.elapsed = performance.now() - pending.started;
    if (message.ok) this.ranWith.set(pending.cell, pending.code);
    else this.ranWith.delete(pending.cell);
    pending.resolve(message.ok);
  }
}

export type { DeviceMessage, FromWorker, ToWorker, RunRequest, OutputMessage, DoneMessage } from "./protocol.ts";
