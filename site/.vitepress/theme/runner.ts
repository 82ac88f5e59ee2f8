/**
 * The page's side of the live cells: one worker per page, the cells' current code, the device.
 *
 * Imported by the components, so it must not touch browser-only names at import time (the site is
 * also rendered in Node): the worker is made on the first call from a mounted component.
 */
import { reactive, shallowRef } from "vue";
import { NotebookClient, type CellState, type DeviceMessage } from "@torchlet/cells/client";

/** Which device the current page's worker runs on, once it has said so. */
export const device = shallowRef<DeviceMessage | null>(null);

interface PageRunner {
  readonly page: string;
  readonly client: NotebookClient;
  /** Each mounted cell's current code (the editor's text once it has one). */
  readonly code: Map<number, () => string>;
}

let current: PageRunner | null = null;

/** The runner of `page`, made on first use; leaving for another page ends the old one's worker. */
export function runnerFor(page: string): PageRunner {
  if (current?.page === page) return current;
  current?.client.dispose();
  device.value = null;
  const client = new NotebookClient({
    createWorker: () => new Worker(new URL("./runner.worker.ts", import.meta.url), { type: "module" }),
    makeState: (state: CellState) => reactive(state) as CellState,
    onDevice: (message) => (device.value = message),
  });
  current = { page, client, code: new Map() };
  return current;
}

/**
 * Runs cell `index` of `page` (after the stale cells before it, going on past those whose error
 * `raisesException` says is expected).
 */
export function runCell(page: string, index: number, raisesException?: (cell: number) => boolean): Promise<boolean> {
  const runner = runnerFor(page);
  const codeOf = (i: number) => runner.code.get(i)?.();
  return runner.client.run(index, codeOf(index) ?? "", codeOf, raisesException);
}
