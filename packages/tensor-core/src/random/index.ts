// PLACEHOLDER surface of the random-number work; the RNG helper replaces this file.
export { fillNormal, fillUniform } from "./fill.ts";
