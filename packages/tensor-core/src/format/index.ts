// PLACEHOLDER surface of the printing work; the printing helper replaces this file.
export { formatTensor, formatTensorAsync } from "./format-tensor.ts";
