export { describeChapter, type ChapterTestOptions, type Shown } from "./describe-chapter.ts";
