/**
 * Timing one task: warm up first (V8 compiles hot code in tiers, GPUs compile pipelines on first
 * use), then time whole runs and report the median, which a single slow run (a garbage
 * collection, another process) cannot move.
 */
import type { Task } from "./backend.ts";

export interface TimingOptions {
  /** Warm-up lasts at least this many runs ... */
  warmupRuns: number;
  /** ... and at least this long (V8 needs many calls of a short kernel before it optimises it). */
  warmupMs: number;
  /** Timed runs, at least ... */
  minRuns: number;
  /** ... and at most, adding runs while the time budget lasts. */
  maxRuns: number;
  /** Milliseconds of warm-up plus timed runs after which only the minimum counts are completed. */
  budgetMs: number;
}

export const fullTiming: TimingOptions = { warmupRuns: 2, warmupMs: 1000, minRuns: 3, maxRuns: 30, budgetMs: 4000 };
export const quickTiming: TimingOptions = { warmupRuns: 1, warmupMs: 300, minRuns: 3, maxRuns: 15, budgetMs: 800 };

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Warms up (one run has already happened, for the result check), then times runs. A slow task
 * (a 1024 product on a software GPU takes seconds) gets the minimum counts; a fast one is run until
 * the warm-up time and then the budget are used.
 */
export async function timeRuns(task: Task, options: TimingOptions, warmedUp = 1, warmedMs = 0): Promise<number[]> {
  let spent = warmedMs;
  for (let i = warmedUp; (i < options.warmupRuns || spent < options.warmupMs) && spent < options.budgetMs; i++) {
    const start = performance.now();
    await task.run();
    spent += performance.now() - start;
  }
  const times: number[] = [];
  while (times.length < options.minRuns || (times.length < options.maxRuns && spent < options.budgetMs)) {
    const start = performance.now();
    await task.run();
    const elapsed = performance.now() - start;
    times.push(elapsed);
    spent += elapsed;
  }
  return times;
}
