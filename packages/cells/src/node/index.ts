/**
 * @torchlet/cells/node: the Node-only side of the cells (it reads files): finding chapters,
 * running one, and printing it in the terminal.
 */
export {
  findChapters,
  findChapter,
  readCells,
  readPythonCells,
  readRecorded,
  readProse,
  placedCellIds,
  cellPlacement,
  repositoryRoot,
  type Chapter,
  type RecordedCell,
  type RecordedChapter,
} from "./chapters.ts";
export { runChapter, shownAs, type ChapterCellRun } from "./run-chapter.ts";
export { cellHeader, renderOutput, paletteFor, type Palette } from "./terminal.ts";
