/**
 * A notebook: cells run one after another in one shared scope, as in Jupyter.
 *
 * ```ts
 * const notebook = new Notebook();
 * await notebook.run(`import { torch } from "@torchlet/nn"; const a = torch.ones(2)`);
 * const run = await notebook.run(`a.mul(2)`);
 * run.outputs   // [{ kind: "value", text: "tensor([2., 2.])" }]
 * ```
 *
 * What makes it a notebook rather than a module:
 * - names a cell declares at top level live in the notebook's scope, where every later cell (and
 *   every function made by an earlier one) finds them: `compile.ts` turns the declarations into
 *   assignments, and each cell looks names up through `with (scope)`;
 * - each run's output is collected by run: `console.log` inside a cell (or inside a function a cell
 *   made, called later) is attributed to the run whose code started the call, read from the stack,
 *   so output that arrives late (a timer, an awaited promise) still lands under the right cell;
 * - errors are shown as Python shows them, `RuntimeError: message`, with the cell and line.
 *
 * The same class runs in Node (the terminal runner, the tests) and in a Web Worker (the site).
 */
import { TorchletError } from "@torchlet/tensor-core";
import { CellSyntaxError, compileCell } from "./compile.ts";
import { errorTypeName, formatValue, holdsDeviceTensor, preformat, printed, repr } from "./format/python-repr.ts";
import { torchletImports, type ImportMap } from "./imports.ts";
import { viewOf, type ErrorOutput, type Output } from "./outputs.ts";
import { table } from "./display/table.ts";

/** The record of one run of one cell. */
export interface CellRun {
  /** Unique among all runs in this JavaScript realm. */
  readonly run: number;
  /** The cell's number, `In [n]`. */
  readonly cell: number;
  /** Everything the run showed, in order (late output is appended when it arrives). */
  readonly outputs: Output[];
  /** False when the cell threw (or could not be compiled). */
  ok: boolean;
}

/** Options of a notebook. */
export interface NotebookOptions {
  /** The modules cells may import (default: the torchlet packages). */
  readonly imports?: ImportMap;
  /** Called for every output as it appears, with the run it belongs to. */
  readonly onOutput?: (output: Output, run: CellRun) => void;
}

/** Python's `ModuleNotFoundError`, for an import outside the allow-list. */
class ModuleNotFoundError extends TorchletError {
  constructor(specifier: string, allowed: readonly string[]) {
    super("ModuleNotFoundError", `No module named '${specifier}' (a cell can import ${allowed.join(", ")})`);
  }
}

let nextRun = 1;
const cellFramePattern = /cell-(\d+)\.ts\?run=(\d+):(\d+):(\d+)/g;

/** The frames of a stack that belong to cells, top (innermost) first. */
function cellFrames(stack: string): { cell: number; run: number; line: number }[] {
  return [...stack.matchAll(cellFramePattern)].map((m) => ({ cell: Number(m[1]), run: Number(m[2]), line: Number(m[3]) }));
}

/** The current stack, all of it: a long one still ends in the cell that started the call. */
function currentStack(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  try {
    return new Error().stack ?? "";
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Runs cells in one shared scope; see the file's comment. */
export class Notebook {
  private readonly imports: ImportMap;
  private readonly onOutput: NotebookOptions["onOutput"];
  /** The notebook's names: what cells declared, and the built-ins below. */
  private readonly names = new Map<string, unknown>();
  private readonly scope: object;
  private readonly runs = new Map<number, CellRun>();
  private readonly loaded = new Map<string, Promise<unknown>>();
  /**
   * Names the executing cell declares. They count as the scope's while it runs, so that its
   * declarations (now assignments) land in the scope; a name the cell never reached is not made.
   */
  private declaring: ReadonlySet<string> = new Set();
  /** The run now executing (runs never overlap), or null. */
  private active: CellRun | null = null;
  private latest: CellRun | null = null;
  /** Outputs are emitted in the order they were made, even when one needs async formatting. */
  private outputs: Promise<void> = Promise.resolve();
  /** Runs are queued: one starts when the one before has finished. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: NotebookOptions = {}) {
    this.imports = options.imports ?? torchletImports;
    this.onOutput = options.onOutput;
    const names = this.names;
    this.scope = new Proxy(Object.create(null), {
      has: (_, key) => typeof key === "string" && (names.has(key) || this.declaring.has(key)),
      get: (_, key) => (typeof key === "string" ? names.get(key) : undefined),
      set: (_, key, value) => {
        if (typeof key === "string") names.set(key, value);
        return true;
      },
    });
    names.set("console", this.makeConsole());
    names.set("display", (...values: unknown[]) => {
      const run = this.attributedRun();
      for (const value of values) this.enqueue(run, async () => this.valueOutput(value));
    });
  }

  /** Whether a cell has defined `name`. */
  has(name: string): boolean {
    return this.names.has(name);
  }

  /** The value of a name cells defined. */
  get(name: string): unknown {
    return this.names.get(name);
  }

  /**
   * Runs `code` as cell number `cell` (default: one after the last run) and resolves once it has
   * finished and its outputs so far are in the record. Runs wait for the run before them.
   * `onCreated` receives the record at once, before any of its output can appear.
   */
  run(code: string, cell: number = (this.latest?.cell ?? 0) + 1, onCreated?: (record: CellRun) => void): Promise<CellRun> {
    const record: CellRun = { run: nextRun++, cell, outputs: [], ok: true };
    this.runs.set(record.run, record);
    onCreated?.(record);
    const done = this.queue.then(() => this.execute(code, record));
    this.queue = done.catch(() => {});
    return done;
  }

  private async execute(code: string, record: CellRun): Promise<CellRun> {
    this.active = record;
    this.latest = record;
    const context = { import: (specifier: string) => this.load(specifier) };
    try {
      const compiled = compileCell(code);
      this.declaring = new Set(compiled.declared);
      const factory = (0, eval)(`${compiled.source}\n//# sourceURL=cell-${record.cell}.ts?run=${record.run}`);
      const value = await factory(this.scope)(context);
      if (compiled.hasValue && value !== undefined && value !== null) this.enqueue(record, () => this.valueOutput(value));
    } catch (error) {
      record.ok = false;
      this.enqueue(record, () => this.errorOutput(error, record));
    } finally {
      this.declaring = new Set();
      this.active = null;
    }
    await this.outputs;
    return record;
  }

  /**
   * Shows an error nobody caught (a timer's callback that threw, a rejected promise nobody
   * awaited) under the run whose code it came from, read from its stack; else under the latest run.
   */
  reportUncaught(error: unknown): void {
    const stack = error instanceof Error ? String(error.stack ?? "") : "";
    const frames = cellFrames(stack);
    let run: CellRun | null = null;
    for (let i = frames.length - 1; i >= 0 && !run; i--) run = this.runs.get(frames[i]!.run) ?? null;
    run ??= this.latest;
    if (run) run.ok = false;
    this.enqueue(run, () => this.errorOutput(error, run));
  }

  private load(specifier: string): Promise<unknown> {
    const loader = this.imports[specifier];
    if (!loader) return Promise.reject(new ModuleNotFoundError(specifier, Object.keys(this.imports)));
    let module = this.loaded.get(specifier);
    if (!module) {
      module = loader();
      this.loaded.set(specifier, module);
    }
    return module;
  }

  /** The run an output made now belongs to: the outermost cell on the stack, else the one executing. */
  private attributedRun(): CellRun | null {
    const frames = cellFrames(currentStack());
    for (let i = frames.length - 1; i >= 0; i--) {
      const run = this.runs.get(frames[i]!.run);
      if (run) return run;
    }
    return this.active ?? this.latest;
  }

  private enqueue(run: CellRun | null, make: () => Output | Promise<Output>): void {
    this.outputs = this.outputs.then(async () => {
      let output: Output;
      try {
        output = await make();
      } catch (error) {
        output = this.errorOutput(error, run);
      }
      if (!run) return; // output before any run has nowhere to go
      run.outputs.push(output);
      this.onOutput?.(output, run);
    });
  }

  private async valueOutput(value: unknown): Promise<Output> {
    const view = viewOf(value);
    return view ? { kind: "value", text: await formatValue(value), view } : { kind: "value", text: await formatValue(value) };
  }

  private errorOutput(error: unknown, run: CellRun | null): ErrorOutput {
    if (error instanceof CellSyntaxError) {
      return { kind: "error", ename: "SyntaxError", evalue: error.message, cell: run?.cell ?? null, line: error.line };
    }
    const isError = error instanceof Error || (typeof error === "object" && error !== null && "message" in error);
    const frame = isError ? cellFrames(String((error as Error).stack ?? "")).find((f) => this.runs.has(f.run)) : undefined;
    return {
      kind: "error",
      ename: isError ? errorTypeName(error) : "Error",
      evalue: isError ? String((error as Error).message) : `uncaught ${repr(error)}`,
      cell: frame?.cell ?? null,
      line: frame?.line ?? null,
    };
  }

  /** The `console` cells see: print-like methods whose output joins the run that made it. */
  private makeConsole(): Console {
    const write = (name: "stdout" | "stderr") => (...values: unknown[]) => {
      const run = this.attributedRun();
      if (holdsDeviceTensor(values)) {
        // a GPU tensor is read back asynchronously, as `await t.format()` does; the queue keeps order
        this.enqueue(run, async () => ({ kind: "stream", name, text: printed(values, await preformat(values)) + "\n" }));
        return;
      }
      const text = printed(values) + "\n"; // formatted now: the values may change later
      this.enqueue(run, () => ({ kind: "stream", name, text }));
    };
    const log = write("stdout");
    const error = write("stderr");
    const counts = new Map<string, number>();
    const timers = new Map<string, number>();
    const methods: Partial<Console> = {
      log,
      info: log,
      debug: log,
      dir: (value: unknown) => log(value),
      warn: error,
      error,
      trace: error,
      assert: (condition?: boolean, ...values: unknown[]) => {
        if (!condition) error("Assertion failed" + (values.length > 0 ? ":" : ""), ...values);
      },
      table: (data: unknown) => {
        const run = this.attributedRun();
        const rows = Array.isArray(data) ? data : Object.values(data as object);
        const objects = rows.map((row) => (row !== null && typeof row === "object" && !Array.isArray(row) ? row : { Values: row }));
        this.enqueue(run, () => this.valueOutput(table(objects as Record<string, unknown>[])));
      },
      count: (label = "default") => {
        counts.set(label, (counts.get(label) ?? 0) + 1);
        log(`${label}: ${counts.get(label)}`);
      },
      time: (label = "default") => void timers.set(label, performance.now()),
      timeEnd: (label = "default") => {
        const start = timers.get(label);
        if (start !== undefined) log(`${label}: ${(performance.now() - start).toFixed(3)} ms`);
        timers.delete(label);
      },
    };
    // Methods we do not model (group, profile, ...) do nothing rather than fail.
    return new Proxy(methods as Console, { get: (target, key) => (target as any)[key] ?? (() => {}) });
  }
}
