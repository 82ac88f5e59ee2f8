#!/usr/bin/env -S npx tsx
/**
 * `pnpm chapter [NN] [--no-code]`: runs a chapter in the terminal, cell by cell, as Jupyter shows
 * a notebook. Without a chapter it lists the chapters.
 */
import { findChapter, findChapters } from "./node/chapters.ts";
import { runChapter } from "./node/run-chapter.ts";
import { cellHeader, paletteFor, renderOutput } from "./node/terminal.ts";

const args = process.argv.slice(2).filter((a) => a !== "--");
const showCode = !args.includes("--no-code");
const name = args.find((a) => !a.startsWith("--"));
const palette = paletteFor(process.stdout.isTTY);

if (!name) {
  const chapters = findChapters();
  console.log(chapters.length === 0 ? "No chapters yet." : "Chapters (run one with `pnpm chapter NN`):\n");
  for (const c of chapters) console.log(`  ${c.number}  ${c.slug.padEnd(24)} ${c.title.en}`);
  process.exit(0);
}

const chapter = findChapter(name);
if (!chapter) {
  console.error(`No chapter "${name}". The chapters are: ${findChapters().map((c) => c.slug).join(", ") || "none"}.`);
  process.exit(2);
}

console.log(palette.prompt(`${chapter.slug}: ${chapter.title.en}`) + "\n");
let first = true;
await runChapter(chapter.dir, {
  onCell: (cell) => {
    process.stdout.write((first ? "" : "\n") + cellHeader(cell, palette, showCode));
    first = false;
  },
  onOutput: (output, run) => process.stdout.write(renderOutput(output, run, palette)),
});
// Threads of the CPU kernels and a WebGPU device may still be open: the chapter is over.
process.exit(0);
